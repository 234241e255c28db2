"""Scrapy settings for ``scrapy crawl newsclean``: ``SCRAPY_SETTINGS_MODULE=newsclean.scrapy.settings``.

One process, Scrapy's own scheduler: robots.txt obeyed, AutoThrottle on, newsclean's pipeline, and the feed
format ``parquet`` (``-O articles.parquet``). For many processes sharing one frontier, add
``newsclean.scrapy.SHARED_SETTINGS`` (see the README), for example with
``SCRAPY_SETTINGS_MODULE=newsclean.scrapy.settings_shared``.
"""

BOT_NAME = "newsclean"
SPIDER_MODULES = ["newsclean.scrapy.spider"]
NEWSPIDER_MODULE = "newsclean.scrapy.spider"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
ITEM_PIPELINES = {"newsclean.scrapy.pipeline.NewscleanPipeline": 300}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {"parquet": "newsclean.scrapy.exporters.ParquetItemExporter"}
