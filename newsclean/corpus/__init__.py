"""The corpus half: many pages at once. Batch cleaning in a process pool, WARC archives, exports (JSONL, CSV,
Parquet) and the corpus reader, near-duplicate clustering, and the Dask and Scrapy integrations (extras).

Builds on the cleaner and the network half; importing this package loads none of the extras.
"""
