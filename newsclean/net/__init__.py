"""The network half: fetching pages (one I/O-free core, sync and async shells), discovering article URLs (links,
paged lists, feeds, sitemaps), the crawl database and the crawl engine.

Builds on the cleaner (``newsclean.api``, ``newsclean.clean``); never imports ``corpus`` or the command line.
"""
