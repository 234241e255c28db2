"""Scrapy settings for ``scrapy crawl newsclean``: ``SCRAPY_SETTINGS_MODULE=newsclean.corpus.scrapy.settings``.

One process, Scrapy's own scheduler: robots.txt obeyed, AutoThrottle on, newsclean's pipeline, and the feed
format ``parquet`` (``-O articles.parquet``). For many processes sharing one frontier, add
``newsclean.corpus.scrapy.SHARED_SETTINGS`` (see the README), for example with
``SCRAPY_SETTINGS_MODULE=newsclean.corpus.scrapy.settings_shared``.
"""

BOT_NAME = "newsclean"
SPIDER_MODULES = ["newsclean.corpus.scrapy.spider"]
NEWSPIDER_MODULE = "newsclean.corpus.scrapy.spider"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
ITEM_PIPELINES = {"newsclean.corpus.scrapy.pipeline.NewscleanPipeline": 300}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {"parquet": "newsclean.corpus.scrapy.exporters.ParquetItemExporter"}
