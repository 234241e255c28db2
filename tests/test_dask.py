"""Dask: articles_from_warcs on a real distributed.LocalCluster gives the rows the CLI writes."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster
from warcs import corpus_records, write_warc

from newsclean import Article, Capture
from newsclean.cli import main
from newsclean.corpus.dask import articles_from_warcs, warc_frame
from newsclean.corpus.export import arrow_schema, read_parquet_captures

# Seconds any step of the cluster may take before the test fails instead of hanging.
CLUSTER_TIMEOUT = 120
# The scheduler's HTTP server on a free port: it starts even without a dashboard, and on its default port 8787 it
# warns (an error here) whenever another cluster on the machine holds that port.
HTTP_ADDRESS = ":0"


def _rows(table: pa.Table) -> list[tuple[Article, Capture]]:
    return [(Article.model_validate(r), Capture.model_validate(r)) for r in table.to_pylist()]


def test_local_cluster_gives_the_rows_of_the_cli(tmp_path: Path) -> None:
    records = corpus_records(90)
    paths = []
    for k in range(3):
        path = tmp_path / f"part{k}.warc.gz"
        write_warc(path, records[k * 30 : (k + 1) * 30])
        paths.append(str(path))
    out = tmp_path / "cli.parquet"
    assert main(["warc", *paths, "-o", str(out), "--jobs", "1"]) == 0
    cli_rows = list(read_parquet_captures(out))
    assert len(cli_rows) >= 10

    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=HTTP_ADDRESS, timeout=CLUSTER_TIMEOUT
        ) as cluster,
        Client(cluster.scheduler_address, timeout=CLUSTER_TIMEOUT) as client,  # by address, as for a remote one
    ):
        frame = articles_from_warcs(paths)
        assert frame.npartitions == 3
        result = client.compute(frame).result(timeout=CLUSTER_TIMEOUT)
        client.compute(frame.to_parquet(str(tmp_path / "dataset"), compute=False)).result(timeout=CLUSTER_TIMEOUT)

    table = pa.Table.from_pandas(result, preserve_index=False)
    assert table.schema == arrow_schema()
    assert _rows(table) == cli_rows
    dataset = pq.read_table(tmp_path / "dataset")
    assert sorted(c.warc_record_id for _, c in _rows(dataset.select(arrow_schema().names))) == sorted(
        c.warc_record_id for _, c in cli_rows if c
    )


def test_warc_frame_reads_a_file_url(tmp_path: Path) -> None:
    path = tmp_path / "one.warc.gz"
    write_warc(path, corpus_records(12))
    frame = warc_frame(path.as_uri())
    assert list(frame.columns) == arrow_schema().names and len(frame) >= 1
