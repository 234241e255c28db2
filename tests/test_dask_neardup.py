"""Near-duplicates on Dask: cluster_frame on a real distributed.LocalCluster gives the stories of neardup.assign."""

from __future__ import annotations

import inspect
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
from corpus import other_article, reference_article
from distributed import Client, LocalCluster
from warcs import corpus_records, write_warc

from newsclean import Article
from newsclean.corpus.dask import (
    _PAIRS_AT_ONCE,
    NEARDUP_THRESHOLD,
    _similarity_partition,
    articles_from_warcs,
    assign_frame,
    cluster_frame,
)
from newsclean.corpus.export import arrow_schema, article_row
from newsclean.corpus.neardup import (
    DEFAULT_THRESHOLD,
    MAX_RUN,
    Membership,
    Signatures,
    assign,
    signature,
    similarities,
)
from newsclean.corpus.records import CLUSTER_COLUMNS
from newsclean.models import KST

REFERENCE = reference_article()
OTHER = other_article()
DAY = datetime(2021, 11, 26, 9, 0, tzinfo=KST)
# Seconds any step of the cluster may take before the test fails instead of hanging.
CLUSTER_TIMEOUT = 120
# The scheduler's HTTP server on a free port: it starts even without a dashboard, and on its default port 8787 it
# warns (an error here) whenever another cluster on the machine holds that port.
HTTP_ADDRESS = ":0"
# The columns of a clusters table that are a Membership's fields, in their order.
MEMBERSHIP_COLUMNS = ("index", "url", "cluster_index", "rank", "size", "similarity")


def copy(article: Article, url: str, *, paragraphs: tuple[str, ...] | None = None, hours: int | None = 0) -> Article:
    return article.model_copy(
        update={
            "url": url,
            "paragraphs": article.paragraphs if paragraphs is None else paragraphs,
            "published_at": None if hours is None else DAY + timedelta(hours=hours),
        }
    )


def variants() -> list[Article]:
    """Republished copies of two articles the way papers make them, unrelated and empty bodies, and more
    identical copies of one than a band key's run lists pair by pair."""
    p, q = REFERENCE.paragraphs, OTHER.paragraphs
    return [
        copy(REFERENCE, "http://c.example/1", paragraphs=("[경기신문] " + p[0], *p[1:]), hours=3),
        copy(OTHER, "http://e.example/9", hours=None),
        copy(REFERENCE, "http://a.example/1", paragraphs=(*p, "김기자 kim@example.com"), hours=1),
        copy(REFERENCE, "http://b.example/1", paragraphs=p[:-1], hours=-2),  # the last paragraph cut
        copy(REFERENCE, "http://d.example/1", paragraphs=tuple(x.replace("·", " · ") for x in p), hours=-2),
        copy(REFERENCE, "http://h.example/1", paragraphs=p[: len(p) // 2 + 2]),  # half: below 0.8
        copy(OTHER, "http://f.example/2", paragraphs=q[:-1], hours=None),
        copy(OTHER, "http://g.example/3", paragraphs=("사진",)),
        copy(OTHER, "http://g.example/4", paragraphs=()),
        *(copy(OTHER, f"http://s{i:04}.example/", paragraphs=q[1:], hours=i % 7) for i in range(MAX_RUN + 10)),
    ]


def frame_of(articles: list[Article], partitions: int) -> dd.DataFrame:
    table = pa.Table.from_pylist([article_row(a) for a in articles], schema=arrow_schema())
    return dd.from_pandas(table.to_pandas(types_mapper=pd.ArrowDtype), npartitions=partitions, sort=False)


def test_stories_on_a_local_cluster_equal_those_of_assign(tmp_path: Path) -> None:
    records = corpus_records(60)  # fixture articles captured again and again: exact copies, one URL each
    paths = []
    for k in range(2):
        path = tmp_path / f"part{k}.warc.gz"
        write_warc(path, records[k * 30 : (k + 1) * 30])
        paths.append(str(path))

    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=HTTP_ADDRESS, timeout=CLUSTER_TIMEOUT
        ) as cluster,
        Client(cluster.scheduler_address, timeout=CLUSTER_TIMEOUT) as client,
        ThreadPoolExecutor(1) as thread,  # the result is awaited with a timeout, so a stuck cluster fails the test
    ):
        frame = dd.concat([articles_from_warcs(paths), frame_of(variants(), 3)])
        assert frame.npartitions == 5
        rows = client.compute(frame).result(timeout=CLUSTER_TIMEOUT)
        table = thread.submit(cluster_frame, frame).result(timeout=CLUSTER_TIMEOUT)

    articles = [Article.model_validate(r) for r in pa.Table.from_pandas(rows, preserve_index=False).to_pylist()]
    expected = assign(articles)
    assert list(table.columns) == list(CLUSTER_COLUMNS)
    found = [Membership(*row) for row in table[[*MEMBERSHIP_COLUMNS]].itertuples(index=False)]
    assert found == expected
    assert table["cluster"].tolist() == [articles[m.representative].url for m in expected]
    sizes = sorted((m.size for m in expected if m.rank == 0), reverse=True)
    # The big run with the two other copies of its article, the fixture pages captured more than once, and stories
    # of one (the half copy, the bodies too short to sign).
    assert sizes[0] == MAX_RUN + 12 and len([s for s in sizes if s > 1]) >= 3 and sizes.count(1) >= 3
    by_url = {m.url: m for m in found}
    story = [by_url[f"http://{site}.example/1"] for site in "abcd"]
    assert {articles[m.representative].url for m in story} == {"http://b.example/1"} and story[0].size >= 4
    assert by_url["http://h.example/1"].size == 1


def test_default_threshold_is_that_of_neardup() -> None:
    assert NEARDUP_THRESHOLD == DEFAULT_THRESHOLD
    for function in (assign_frame, cluster_frame):
        assert inspect.signature(function).parameters["threshold"].default == DEFAULT_THRESHOLD


def test_many_pairs_are_compared_in_chunks_with_the_similarities_of_neardup() -> None:
    articles = [copy(REFERENCE, f"http://r{i}.example/", paragraphs=REFERENCE.paragraphs[i % 3 :]) for i in range(5)]
    sketches = []
    store = Signatures()
    for article in articles:
        sketch = signature(article.paragraphs)
        assert sketch is not None
        sketches.append(sketch)
        store.add(sketch)
    pairs = np.array([(i, j) for i in range(5) for j in range(5)] * 200, dtype=np.int64)  # more than one chunk
    assert len(pairs) > _PAIRS_AT_ONCE
    part = pd.DataFrame(
        {
            "i": pairs[:, 0],
            "j": pairs[:, 1],
            **{
                f"{name}_{side}": [getattr(sketches[k], name).tobytes() for k in pairs[:, c]]
                for name in ("minhash", "bottom")
                for c, side in ((0, "i"), (1, "j"))
            },
        }
    )
    got = _similarity_partition(part, 0.8)
    assert got["similarity"].tolist() == similarities(pairs, store, threshold=0.8).tolist()
    assert 0.0 < got["similarity"].min() < 1.0 == got["similarity"].max()


def test_the_dask_module_loads_without_the_dedup_extra() -> None:
    code = "import sys; sys.modules['datasketch'] = None; import newsclean.corpus.dask as d; print(d.NEARDUP_THRESHOLD)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0.8"


def test_stories_on_the_synchronous_scheduler_and_of_an_empty_frame() -> None:
    articles = variants()[:9]
    with dask.config.set(scheduler="synchronous"):
        assert assign_frame(frame_of(articles, 2)) == assign(articles)
        empty = cluster_frame(frame_of([], 1))
    assert list(empty.columns) == list(CLUSTER_COLUMNS) and len(empty) == 0
