"""Many Scrapy processes, one frontier: a scrapy-redis scheduler that loses no request to a killed process.

``SHARED_SETTINGS`` puts every process of a crawl on one Redis server: scrapy-redis's priority queue holds
the requests to do, its duplicate filter the request fingerprints ever queued (persisted between runs), and
``SharedArticleStore`` keeps each article once. What scrapy-redis alone does not give, ``SharedScheduler``
adds:

- a request taken from the queue is *leased* (moved, in one Redis script, to the taking process's in-flight
  set) until the engine has finished with it: downloaded, its callback run, the requests it yielded queued
  and its items through the pipelines. Only then is the lease dropped;
- each process keeps a heartbeat key alive; the in-flight requests of a process whose heartbeat expired
  (killed, its machine gone) go back to the queue, so another process does them;
- a process with nothing to do stays while another process still has leased requests (they may yield more
  work), and the crawl ends when the queue is empty and nothing is leased anywhere;
- one start request per crawl is let in (``SEED_META``), however many processes are started with the site.

Redis keys (``%(spider)s`` is the spider's name): ``:requests`` (queue), ``:dupefilter``, ``:workers``,
``:worker:<id>`` (heartbeat), ``:inflight:<id>``, ``:seeded``, ``:articles`` (hash url -> JSON) and
``:items`` (list of the stored articles' JSON, in storing order).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.http import Request
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from newsclean.corpus.scrapy.pipeline import REQUEUE_META, STATS_PREFIX
from newsclean.corpus.scrapy.spider import SEED_META, NewsSiteSpider
from newsclean.errors import NewscleanError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

__all__ = ["SHARED_SETTINGS", "SharedArticleStore", "SharedScheduler", "SharedSetupError"]

logger = logging.getLogger(__name__)

# Seconds after its last heartbeat that a process counts as gone and its leased requests are handed out
# again. Long enough for a busy process to beat (it beats every third of it); short enough that a killed
# process's requests are not left waiting long.
WORKER_TIMEOUT = 15.0
# Seconds between the reactor's checks for finished leases and for work another process queued.
TICK_SECONDS = 0.5

SHARED_SETTINGS: dict[str, Any] = {
    "SCHEDULER": "newsclean.corpus.scrapy.shared.SharedScheduler",
    "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    "SCHEDULER_PERSIST": True,
    "ITEM_PIPELINES": {
        "newsclean.corpus.scrapy.pipeline.NewscleanPipeline": 300,
        "newsclean.corpus.scrapy.shared.SharedArticleStore": 800,
    },
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "NEWSCLEAN_WORKER_TIMEOUT": WORKER_TIMEOUT,
}

# Queue a request: the seed claim, the duplicate filter and the push in one step.
# KEYS: dupefilter, queue, seeded. ARGV: fingerprint ('' = unfiltered), score, request, seed ('1' or '').
_ENQUEUE = """
if ARGV[4] == '1' and not redis.call('SET', KEYS[3], '1', 'NX') then return 0 end
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
# Take the first request of the queue and lease it. KEYS: queue, in-flight set.
_TAKE = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then return false end
redis.call('ZREM', KEYS[1], first[1])
redis.call('ZADD', KEYS[2], first[2], first[1])
return first[1]
"""
# Hand back to the queue the in-flight requests of every process whose heartbeat expired.
# KEYS: workers set, queue. ARGV: heartbeat key prefix, in-flight key prefix.
_RECLAIM = """
local moved = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. worker) == 0 then
    local leased = redis.call('ZRANGE', ARGV[2] .. worker, 0, -1, 'WITHSCORES')
    for i = 1, #leased, 2 do
      redis.call('ZADD', KEYS[2], leased[i + 1], leased[i])
      moved = moved + 1
    end
    redis.call('DEL', ARGV[2] .. worker)
    redis.call('SREM', KEYS[1], worker)
  end
end
return moved
"""
# Drop a lease, or hand the request back. KEYS: in-flight set, queue. ARGV: request, '1' to hand back.
_RELEASE = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[2] == '1' and score then redis.call('ZADD', KEYS[2], score, ARGV[1]) end
return 1
"""
# Store an article once. KEYS: articles hash, items list. ARGV: url, JSON.
_STORE = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
"""


class SharedSetupError(NewscleanError):
    """The shared frontier's settings or Scrapy version cannot work together."""


def _engine_slot(crawler: Crawler) -> Any:
    """The engine's slot: its set of requests in progress and its next-call trigger."""
    engine = crawler.engine
    slot = getattr(engine, "_slot", None) or getattr(engine, "slot", None)
    if slot is None or not hasattr(slot, "inprogress") or not hasattr(slot, "nextcall"):
        raise SharedSetupError(
            "SharedScheduler needs the Scrapy engine's request bookkeeping (Scrapy 2.13 or later); "
            "install a supported Scrapy or use scrapy_redis.scheduler.Scheduler"
        )
    return slot


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler with leased requests, heartbeats and a crawl-wide end; see the module."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        instance: SharedScheduler = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.timeout = crawler.settings.getfloat("NEWSCLEAN_WORKER_TIMEOUT", WORKER_TIMEOUT)
        crawler.signals.connect(instance._on_idle, signal=signals.spider_idle)
        return instance

    def open(self, spider: Spider) -> None:
        super().open(spider)
        if not isinstance(self.queue, PriorityQueue):
            raise SharedSetupError(
                f"SharedScheduler needs SCHEDULER_QUEUE_CLASS = 'scrapy_redis.queue.PriorityQueue', "
                f"not {type(self.queue).__name__}"
            )
        if not hasattr(self.df, "request_fingerprint") or not hasattr(self.df, "key"):
            raise SharedSetupError("SharedScheduler needs DUPEFILTER_CLASS = 'scrapy_redis.dupefilter.RFPDupeFilter'")
        name = spider.name
        self.worker = uuid.uuid4().hex
        self.workers_key = f"{name}:workers"
        self.beat_prefix = f"{name}:worker:"
        self.inflight_prefix = f"{name}:inflight:"
        self.inflight_key = self.inflight_prefix + self.worker
        self.seeded_key = f"{name}:seeded"
        self.leased: dict[int, tuple[Request, bytes]] = {}
        self._enqueue = self.server.register_script(_ENQUEUE)
        self._take = self.server.register_script(_TAKE)
        self._reclaim = self.server.register_script(_RECLAIM)
        self._release = self.server.register_script(_RELEASE)
        self._beat()
        self.server.sadd(self.workers_key, self.worker)
        self.reclaim()
        # The heartbeat runs in a thread of its own, so that a page that keeps the reactor busy (cleaning
        # runs there) does not make the process look gone; the reactor's own tick releases finished leases.
        self.stopping = threading.Event()
        self.beater = threading.Thread(target=self._beat_until_closed, name="newsclean-heartbeat", daemon=True)
        self.beater.start()
        self.ticker = task.LoopingCall(self._tick)
        self.ticker.start(TICK_SECONDS, now=False)

    def close(self, reason: str) -> None:
        if self.ticker.running:
            self.ticker.stop()
        self.stopping.set()
        self.beater.join(timeout=self.timeout)
        self.release_finished()
        # Requests still leased (the spider was stopped early) go back for the next process or run.
        for _request, data in self.leased.values():
            self._release(keys=[self.inflight_key, self.queue.key], args=[data, "1"])
        self.leased.clear()
        self.server.delete(self.beat_prefix + self.worker)
        self.server.srem(self.workers_key, self.worker)
        super().close(reason)

    # Queueing -----------------------------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        data = self.queue._encode_request(request)
        seed = "1" if request.meta.get(SEED_META) else ""
        args = [fingerprint, -request.priority, data, seed]
        added = bool(self._enqueue(keys=[self.df.key, self.queue.key, self.seeded_key], args=args))
        if not added:
            if not seed:
                self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        self.release_finished()
        data = self._take(keys=[self.queue.key, self.inflight_key])
        if not data:
            return None
        request: Request = self.queue._decode_request(data)
        self.leased[id(request)] = (request, data)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0

    # Leases -------------------------------------------------------------------------------------------

    def release_finished(self) -> int:
        """Drop the leases of requests the engine has finished with; return how many."""
        if not self.leased:
            return 0
        inprogress = _engine_slot(self.crawler).inprogress
        done = [key for key, (request, _) in self.leased.items() if request not in inprogress]
        for key in done:
            request, data = self.leased.pop(key)
            requeue = "1" if request.meta.get(REQUEUE_META) else ""
            self._release(keys=[self.inflight_key, self.queue.key], args=[data, requeue])
        return len(done)

    def reclaim(self) -> int:
        """Put back in the queue the leased requests of processes whose heartbeat expired; return how many."""
        moved = int(
            self._reclaim(keys=[self.workers_key, self.queue.key], args=[self.beat_prefix, self.inflight_prefix])
        )
        if moved:
            logger.info("took back %d requests leased by processes that stopped", moved)
            if self.stats:
                self.stats.inc_value(f"{STATS_PREFIX}/reclaimed", moved)
        return moved

    def others_busy(self) -> bool:
        """True while another live process holds leased requests (they may bring more work)."""
        for raw in self.server.smembers(self.workers_key):
            worker = raw.decode() if isinstance(raw, bytes) else str(raw)
            if worker == self.worker:
                continue
            if self.server.exists(self.beat_prefix + worker) and self.server.zcard(self.inflight_prefix + worker):
                return True
        return False

    def _beat(self) -> None:
        self.server.set(self.beat_prefix + self.worker, "1", px=int(self.timeout * 1000))

    def _beat_until_closed(self) -> None:
        while not self.stopping.wait(self.timeout / 3):
            try:
                self._beat()
            except Exception:  # a Redis hiccup must not end the heartbeat
                logger.exception("shared scheduler heartbeat failed")

    def _tick(self) -> None:
        try:
            self.release_finished()
            if not self.leased or len(self.queue):
                # Idle, or work queued by another process: let the engine look now (take the work, or find the
                # crawl over) rather than at its next heartbeat, seconds away.
                _engine_slot(self.crawler).nextcall.schedule()
        except Exception:  # a Redis hiccup must not stop the loop
            logger.exception("shared scheduler tick failed")

    def _on_idle(self, spider: Spider) -> None:
        self.release_finished()
        self.reclaim()
        if len(self.queue) or self.others_busy():
            raise DontCloseSpider
        # Nothing queued, nothing leased anywhere: this crawl is over; the next one may seed again.
        self.server.delete(self.seeded_key)


class SharedArticleStore:
    """Item pipeline: store each article once in Redis (``<spider>:articles``, ``<spider>:items``).

    An article whose URL is stored already (fetched again after a process was killed, or by a later run) is
    dropped and counted as ``newsclean/dropped/stored``. The store also tells ``NewsSiteSpider`` which
    article URLs are known, so list walks stop at pages that bring nothing new.
    """

    def __init__(self, server: Any, *, name: str, crawler: Crawler | None = None) -> None:
        self.server = server
        self.articles_key = f"{name}:articles"
        self.items_key = f"{name}:items"
        self.crawler = crawler
        self._store = server.register_script(_STORE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedArticleStore:
        if not crawler.settings.get("REDIS_URL") and not crawler.settings.get("REDIS_HOST"):
            raise NotConfigured("SharedArticleStore needs REDIS_URL (or REDIS_HOST)")
        spider = crawler.spider
        name = spider.name if spider is not None else "newsclean"
        store = cls(get_redis_from_settings(crawler.settings), name=name, crawler=crawler)
        if isinstance(spider, NewsSiteSpider):
            spider.article_index = store
        return store

    def known(self, urls: Iterable[str]) -> set[str]:
        urls = list(dict.fromkeys(urls))
        if not urls:
            return set()
        pipe = self.server.pipeline(transaction=False)
        for url in urls:
            pipe.hexists(self.articles_key, url)
        return {url for url, there in zip(urls, pipe.execute(), strict=True) if there}

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            return item
        data = json.dumps(item, ensure_ascii=False, sort_keys=True)
        if not self._store(keys=[self.articles_key, self.items_key], args=[item["url"], data]):
            stats = self.crawler.stats if self.crawler is not None else None
            if stats is not None:
                stats.inc_value(f"{STATS_PREFIX}/dropped/stored")
            raise DropItem(f"stored: {item['url']} is stored already", log_level="INFO")
        return item
