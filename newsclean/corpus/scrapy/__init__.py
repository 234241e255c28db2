"""newsclean inside Scrapy: a spider with newsclean's discovery, a cleaning pipeline, a shared Redis frontier.

Needs the ``scrapy`` extra: ``pip install 'newsclean[scrapy]'`` (Scrapy and scrapy-redis).
"""

try:
    import scrapy  # noqa: F401
    import scrapy_redis  # noqa: F401
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError("newsclean.corpus.scrapy needs Scrapy and scrapy-redis: pip install 'newsclean[scrapy]'") from exc

from newsclean.corpus.scrapy.exporters import ParquetItemExporter
from newsclean.corpus.scrapy.pipeline import ArticlePage, NewscleanPipeline
from newsclean.corpus.scrapy.shared import SHARED_SETTINGS, SharedArticleStore, SharedScheduler, SharedSetupError
from newsclean.corpus.scrapy.spider import NewsSiteSpider, SpiderArgumentError

__all__ = [
    "SHARED_SETTINGS",
    "ArticlePage",
    "NewsSiteSpider",
    "NewscleanPipeline",
    "ParquetItemExporter",
    "SharedArticleStore",
    "SharedScheduler",
    "SharedSetupError",
    "SpiderArgumentError",
]
