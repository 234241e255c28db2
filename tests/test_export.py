"""Export: Parquet with a schema derived from Article, written in row groups, read back into equal articles."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsclean import Article, Capture, ExportError, Image
from newsclean.corpus.export import (
    JsonlWriter,
    ParquetWriter,
    arrow_schema,
    open_writer,
    read_parquet,
    read_parquet_captures,
)

UTC = UTC


def _article(i: int) -> Article:
    return Article(
        url=f"https://n.test/news/view.php?idx={i}",
        article_id=str(i),
        site="n.test",
        title=f"제목 {i}",
        subtitles=("부제 하나", "부제 둘") if i % 2 else (),
        published_at=datetime(2021, 11, 26, 3, 6, 3, 123456, tzinfo=UTC) + timedelta(minutes=i),
        modified_at=None if i % 3 else datetime(2021, 11, 27, 9, 0, tzinfo=timezone(timedelta(hours=9))),
        authors=("김기자",) if i % 2 else ("김기자", "이기자"),
        section="경제" if i % 4 else None,
        paragraphs=tuple(f"{i}번 기사의 {k}번째 문단입니다." for k in range(1 + i % 5)),
        images=(Image(url=f"https://n.test/{i}.jpg", caption="사진 설명"), Image(caption="캡션만")) if i % 2 else (),
        tags=("코로나19",) if i % 3 == 0 else (),
    )


def test_schema_follows_the_article_model() -> None:
    schema = arrow_schema()
    assert schema.names[: len(Article.model_fields)] == list(Article.model_fields)
    assert schema.field("paragraphs").type == pa.list_(pa.string())
    assert schema.field("images").type == pa.list_(pa.struct([("url", pa.string()), ("caption", pa.string())]))
    assert schema.field("published_at").type == pa.timestamp("us", tz="Asia/Seoul")
    assert schema.names[-4:] == ["text", "warc_record_id", "warc_target_uri", "warc_date"]


def test_parquet_round_trip_in_row_groups(tmp_path: Path) -> None:
    articles = [_article(i) for i in range(25)]
    captured = datetime(2024, 5, 1, tzinfo=UTC)
    writer = ParquetWriter(tmp_path / "a.parquet", row_group_rows=10)
    for i, a in enumerate(articles):
        writer.write(a, Capture(warc_record_id=f"<urn:{i}>", warc_date=captured) if i % 2 else None)
    writer.close()
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups == 3
    back = list(read_parquet_captures(tmp_path / "a.parquet"))
    assert [a for a, _ in back] == articles
    assert back[1][1] == Capture(warc_record_id="<urn:1>", warc_date=captured) and back[0][1] is None
    assert back[0][0].published_at.utcoffset() == timedelta(hours=9)  # type: ignore[union-attr]
    table = pq.read_table(tmp_path / "a.parquet")
    assert table.column("text")[3].as_py() == articles[3].text


def test_parquet_writer_writes_into_a_file_object_and_leaves_it_open(tmp_path: Path) -> None:
    articles = [_article(i) for i in range(5)]
    with (tmp_path / "a.parquet").open("wb") as out:
        writer = ParquetWriter(out, row_group_rows=2)
        for a in articles:
            writer.write(a)
        writer.close()
        assert not out.closed  # its owner closes it
    assert list(read_parquet(tmp_path / "a.parquet")) == articles
    buffer = io.BytesIO()
    ParquetWriter(buffer).close()  # no rows: a valid file with the schema
    assert pq.read_table(io.BytesIO(buffer.getvalue())).schema.names == arrow_schema().names


def test_a_damaged_row_group_is_an_export_error(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    writer = ParquetWriter(path, row_group_rows=5)
    for i in range(20):
        writer.write(_article(i))
    writer.close()
    # Overwrite the page header of one column of the last row group: the footer still reads.
    data = bytearray(path.read_bytes())
    start = pq.ParquetFile(path).metadata.row_group(3).column(9).data_page_offset
    for offset in range(start + 2, start + 40, 3):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError, match=r"cannot read .* as Parquet: "):
        list(read_parquet(path))


def test_jsonl_writer_adds_the_capture_fields() -> None:
    out = io.StringIO()
    writer = JsonlWriter(out)
    capture = Capture(warc_record_id="<urn:x>", warc_target_uri="https://n.test/1")
    writer.write(_article(1), capture)
    writer.write(_article(2))
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert Article.model_validate(first) == _article(1) and Capture.model_validate(first) == capture
    assert "warc_record_id" not in second and writer.count == 2


def test_file_appears_only_when_complete(tmp_path: Path) -> None:
    writer = open_writer(tmp_path / "out.parquet", "parquet")
    writer.write(_article(1))
    assert not (tmp_path / "out.parquet").exists()
    writer.close()
    assert list(read_parquet(tmp_path / "out.parquet")) == [_article(1)]


def test_bad_files_are_export_errors(tmp_path: Path) -> None:
    (tmp_path / "x.parquet").write_bytes(b"not parquet")
    with pytest.raises(ExportError, match="cannot read"):
        list(read_parquet(tmp_path / "x.parquet"))
    with pytest.raises(ExportError, match="cannot write"):
        open_writer(tmp_path / "missing-dir" / "a.parquet", "parquet")
    with pytest.raises(ExportError, match="jsonl or parquet"):
        open_writer(tmp_path / "a.csv", "csv")
