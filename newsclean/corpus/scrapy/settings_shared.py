"""Scrapy settings for many ``scrapy crawl newsclean`` processes on one Redis frontier (``SHARED_SETTINGS``).

``SCRAPY_SETTINGS_MODULE=newsclean.corpus.scrapy.settings_shared``; point every process at the same server with
``-s REDIS_URL=redis://host:6379/0``.
"""

from newsclean.corpus.scrapy.settings import *  # noqa: F403
from newsclean.corpus.scrapy.shared import SHARED_SETTINGS

globals().update(SHARED_SETTINGS)
