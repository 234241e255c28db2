"""Near-duplicate clustering: normalisation, signatures, LSH pairs, union-find and ``cluster`` over articles."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta

import numpy as np
import pytest
from corpus import FIXTURES, other_article, reference_article

from newsclean import Article, DedupError, clean_article
from newsclean.corpus.neardup import (
    BOTTOM_K,
    MARGIN,
    MAX_RUN,
    NUM_PERM,
    SEED,
    SHINGLE_SIZE,
    SIGNATURE_BLOCK,
    Cluster,
    Signature,
    Signatures,
    assign,
    band_keys,
    candidate_pairs,
    cluster,
    components,
    confirm,
    link,
    lsh_bands,
    minhash,
    normalise,
    shingle_hashes,
    signature,
    similarities,
)
from newsclean.models import KST
from newsclean.text import dedup_key

REFERENCE = reference_article()
OTHER = other_article()
DAY = datetime(2021, 11, 26, 9, 0, tzinfo=KST)


def jaccard(a: Article, b: Article) -> float:
    x, y = set(shingle_hashes(normalise(a.paragraphs)).tolist()), set(shingle_hashes(normalise(b.paragraphs)).tolist())
    return len(x & y) / len(x | y)


def copy(article: Article, url: str, *, paragraphs: tuple[str, ...] | None = None, hours: int = 0) -> Article:
    return article.model_copy(
        update={
            "url": url,
            "paragraphs": article.paragraphs if paragraphs is None else paragraphs,
            "published_at": DAY + timedelta(hours=hours),
        }
    )


# Each entry: (text, what normalise makes of it).
NORMALISED = [
    ("시·도, 226개", "시·도,226개"),
    ("시 · 도 , 226 개", "시·도,226개"),
    ("광명시\u200b가\u200c 선정\u200d\ufeff됐다", "광명시가선정됐다"),
    ("전국\u00a0243개\u3000지방", "전국243개지방"),  # no-break and ideographic spaces
    ("ＡＢＣ１２３", "ABC123"),  # full-width forms, by NFKC
    ("최우수\t기관\n선정", "최우수기관선정"),
    ("소프트\u00ad하이픈", "소프트하이픈"),
    ("㈜광명", "(주)광명"),  # NFKC spells out compatibility characters
]


@pytest.mark.parametrize(("text", "expected"), NORMALISED)
def test_normalise(text: str, expected: str) -> None:
    assert normalise([text]) == expected
    assert dedup_key(text) == expected  # the same key paragraph dedup compares, built on arrays for speed


def test_normalise_joins_paragraphs_without_a_separator() -> None:
    assert normalise(["첫 문단.", "둘째 문단."]) == "첫문단.둘째문단."


def test_shingle_hashes_are_the_distinct_windows() -> None:
    assert len(shingle_hashes("가나다라마바사")) == 7 - SHINGLE_SIZE + 1
    assert len(shingle_hashes("가나다가나다가나다", size=3)) == 3  # 가나다 나다가 다가나
    assert len(shingle_hashes("가나다라", size=5)) == 0
    assert shingle_hashes("사회적경제정책").tolist() == shingle_hashes("사회적경제정책").tolist()
    with pytest.raises(ValueError):
        shingle_hashes("가나다", size=0)


def sig(paragraphs: tuple[str, ...]) -> Signature:
    value = signature(paragraphs)
    assert value is not None
    return value


def test_signature_is_deterministic_and_ignores_spacing() -> None:
    first = sig(REFERENCE.paragraphs)
    assert first.minhash.shape == (NUM_PERM,) and first.minhash.dtype == np.uint32
    hashes = shingle_hashes(normalise(REFERENCE.paragraphs))
    assert len(hashes) > BOTTOM_K and np.array_equal(first.bottom, hashes[:BOTTOM_K])  # the smallest ones
    short = ("광명시가 최우수기관으로 선정됐다.",)
    assert np.array_equal(sig(short).bottom, shingle_hashes(normalise(short)))  # a short body: every shingle
    spaced = sig(tuple(p.replace("·", " · ").replace(",", " ,") for p in REFERENCE.paragraphs))
    assert np.array_equal(first.minhash, spaced.minhash) and np.array_equal(first.bottom, spaced.bottom)
    assert signature([]) is None and signature(["  \u200b "]) is None and signature(["가나"]) is None


def test_signature_of_a_very_long_body_is_hashed_in_chunks() -> None:
    body = tuple(f"{i}번째 문단은 서로 다른 숫자로 시작합니다." for i in range(20_000))
    value = sig(body)
    assert value.minhash.shape == (NUM_PERM,) and value.bottom.shape == (BOTTOM_K,)
    assert np.all(value.bottom[1:] > value.bottom[:-1])  # sorted, distinct


def test_lsh_bands_fit_the_signature() -> None:
    bands, rows = lsh_bands(0.8)
    assert (bands, rows) == (21, 6)
    assert 1 - (1 - 0.8**rows) ** bands >= 0.995  # a pair at the threshold becomes a candidate
    assert 1 - (1 - 0.8 ** (rows + 1)) ** (NUM_PERM // (rows + 1)) < 0.995  # and no more rows would do
    assert lsh_bands(0.5)[1] < rows  # a lower threshold: fewer rows per band
    assert lsh_bands(1.0) == (1, NUM_PERM)
    for bad in (0.0, -0.1, 1.5):
        with pytest.raises(DedupError, match="threshold"):
            lsh_bands(bad)


def test_band_keys_per_record_equal_the_matrix_rows() -> None:
    sigs = np.stack([sig(REFERENCE.paragraphs).minhash, sig(OTHER.paragraphs).minhash])
    keys = band_keys(sigs, bands=9, rows=13)
    assert keys.shape == (2, 9)
    assert np.array_equal(keys[1], band_keys(sigs[1], bands=9, rows=13))
    # The same values in different bands give different keys.
    same = np.zeros((1, 20), dtype=np.uint32)
    assert len(set(band_keys(same, bands=4, rows=5)[0].tolist())) == 4


def test_candidates_confirmation_and_components() -> None:
    spaced = tuple(p.replace(" ", "  ") for p in REFERENCE.paragraphs)
    sigs = Signatures.of(sig(p) for p in (REFERENCE.paragraphs, OTHER.paragraphs, spaced))
    bands, rows = lsh_bands(0.8)
    pairs = candidate_pairs(band_keys(sigs.minhashes, bands=bands, rows=rows))
    assert pairs.tolist() == [[0, 2]]
    assert confirm(pairs, sigs, threshold=0.8).tolist() == [[0, 2]]
    assert similarities(pairs, sigs).tolist() == [1.0]
    assert components(5, np.array([[3, 4], [0, 2], [2, 4]])) == [0, 1, 0, 0, 0]
    assert components(3, np.empty((0, 2), dtype=np.int64)) == [0, 1, 2]


def test_republished_copies_join_one_cluster_with_the_earliest_as_representative() -> None:
    p = REFERENCE.paragraphs
    variants = [
        copy(REFERENCE, "http://c.example/1", paragraphs=("[경기신문] " + p[0], *p[1:]), hours=3),
        copy(REFERENCE, "http://a.example/1", paragraphs=(*p, "김기자 kim@example.com"), hours=1),
        copy(REFERENCE, "http://b.example/1", paragraphs=p[:-1], hours=-2),  # the last paragraph cut
        copy(REFERENCE, "http://d.example/1", paragraphs=tuple(x.replace("·", " · ") for x in p), hours=-2),
    ]
    other = copy(OTHER, "http://e.example/9")
    clusters = cluster([variants[0], other, *variants[1:]])
    assert [len(c.members) for c in clusters] == [4, 1]
    story = clusters[0]
    # Earliest published first; b and d share the earliest time, the smaller URL wins.
    assert [m.url for m in story.members] == [
        "http://b.example/1",
        "http://d.example/1",
        "http://a.example/1",
        "http://c.example/1",
    ]
    assert story.representative is story.members[0]
    assert clusters[1] == Cluster(representative=other, members=(other,))


def test_two_press_releases_of_one_city_on_one_day_stay_apart() -> None:
    lead = "광명시(시장 박승원)는 26일 "
    contact = "자세한 사항은 광명시청 홈페이지를 참고하거나 담당부서로 문의하면 된다."
    award = copy(REFERENCE, "http://gm.example/1", paragraphs=(lead + REFERENCE.paragraphs[0], *REFERENCE.paragraphs))
    vaccine = copy(
        REFERENCE,
        "http://gm.example/2",
        paragraphs=(
            lead + "코로나19 백신 추가접종(부스터샷)을 위해 관내 위탁의료기관 120곳을 추가 지정했다고 밝혔다.",
            "추가접종 대상은 2차 접종 후 5개월이 지난 18세 이상 성인으로, 사전예약 누리집이나 콜센터를 통해 "
            "예약할 수 있으며 잔여백신을 활용한 당일 접종도 가능하다.",
            "시는 고령층과 기저질환자의 중증 예방을 위해 60세 이상 어르신과 요양시설 입소자를 우선 접종 대상으로 "
            "정하고 찾아가는 방문접종팀 4개 팀을 운영한다.",
            "박승원 광명시장은 “추가접종은 돌파감염을 막는 가장 확실한 방법”이라며 “접종 대상 시민은 한 분도 "
            "빠짐없이 접종에 참여해 달라”고 당부했다.",
            contact,
        ),
    )
    award = award.model_copy(update={"paragraphs": (*award.paragraphs, contact)})
    assert jaccard(award, vaccine) < 0.2
    clusters = cluster([award, vaccine])
    assert [len(c.members) for c in clusters] == [1, 1]


def test_threshold_is_configurable() -> None:
    p = REFERENCE.paragraphs
    half = copy(REFERENCE, "http://h.example/1", paragraphs=p[: len(p) // 2 + 2])
    similarity = jaccard(REFERENCE, half)
    assert 0.5 < similarity < 0.8
    assert len(cluster([REFERENCE, half])) == 2
    assert len(cluster([REFERENCE, half], threshold=0.4)) == 1


def test_bodies_without_shingles_are_stories_of_their_own() -> None:
    empty = [copy(REFERENCE, f"http://x.example/{i}", paragraphs=()) for i in range(3)]
    short = [copy(REFERENCE, f"http://y.example/{i}", paragraphs=("사진",)) for i in range(2)]
    clusters = cluster([*empty, *short])
    assert len(clusters) == 5 and all(len(c.members) == 1 for c in clusters)


def test_many_identical_bodies_make_one_cluster_in_bounded_work() -> None:
    same = [copy(REFERENCE, f"http://s{i:04}.example/", hours=i) for i in range(600)]
    memberships = assign(iter(same))
    assert {m.representative for m in memberships} == {0}
    assert sorted(m.rank for m in memberships) == list(range(600))
    assert all(m.size == 600 and m.similarity == 1.0 for m in memberships)


def test_assign_streams_and_keeps_no_article() -> None:
    made: list[int] = []

    def stream() -> Iterator[Article]:
        for i in range(3):
            made.append(i)
            yield copy(REFERENCE if i != 1 else OTHER, f"http://z.example/{i}", hours=-i)

    memberships = assign(stream())
    assert made == [0, 1, 2]
    places = [(m.index, m.representative, m.rank, m.size) for m in memberships]
    assert places == [(0, 2, 1, 2), (1, 1, 0, 1), (2, 2, 0, 2)]


@pytest.mark.parametrize("fixture", ["amenews.kr/amenews.kr_2.txt", "mk.co.kr/mk_11328184.html"])
def test_pairs_near_the_threshold_are_settled_by_the_bottom_k_sketches(fixture: str) -> None:
    # A body against itself cut shorter and shorter: exact Jaccard from 1 down past 0.8.
    article = clean_article((FIXTURES / fixture).read_bytes())
    p = article.paragraphs
    bodies = [p[:n] for n in range(len(p), 0, -1)]
    exact = [jaccard(article, copy(article, "u", paragraphs=b)) for b in bodies][1:]
    sigs = Signatures.of(sig(b) for b in bodies)
    pairs = np.array([[0, i] for i in range(1, len(bodies))], dtype=np.int64)
    estimated = similarities(pairs, sigs, threshold=0.8).tolist()
    assert any(0.8 < j < 0.9 for j in exact)
    small = len(shingle_hashes(normalise(p))) <= BOTTOM_K
    for e, j in zip(estimated, exact, strict=True):
        if abs(e - 0.8) < MARGIN:  # settled by the bottom-k sketches: exact for a body of < BOTTOM_K shingles
            assert e == pytest.approx(j) if small else abs(e - j) < 0.03
    assert confirm(pairs, sigs, threshold=0.8).tolist() == [[0, i + 1] for i, j in enumerate(exact) if j >= 0.8]


def test_bottom_k_estimate_of_large_bodies_is_close() -> None:
    base = [f"{i}번 문단: 광명시가 {i * 7}개 기관과 협약을 맺고 기업 {i * 3}곳을 지원한다." for i in range(60)]
    longer = [*base, *(f"추가 {i}번째 문단은 다른 {i * 11}개 내용을 담는다." for i in range(12))]
    a, b = sig(tuple(base)), sig(tuple(longer))
    assert len(a.bottom) == BOTTOM_K
    truth = jaccard(copy(REFERENCE, "a", paragraphs=tuple(base)), copy(REFERENCE, "b", paragraphs=tuple(longer)))
    estimate = similarities(np.array([[0, 1]]), Signatures.of([a, b]), threshold=truth)[0]
    assert abs(estimate - truth) < 0.04


def test_link_gives_the_components_of_the_confirmed_pairs() -> None:
    # Every cut and mixed copy of two articles: many pairs near the threshold, some linked only through others.
    bodies = []
    for article in (REFERENCE, OTHER):
        p = article.paragraphs
        bodies += [p[:n] for n in range(len(p), 0, -1)]
        bodies += [p[k:] for k in range(1, 4)]
        bodies += [(f"[지역신문{k}] " + p[0], *p[1 : len(p) - k]) for k in range(3)]
    sigs = Signatures.of(sig(b) for b in bodies)
    pairs = candidate_pairs(band_keys(sigs.minhashes, bands=21, rows=6))
    expected = components(len(bodies), confirm(pairs, sigs, threshold=0.8))
    assert link(pairs, sigs, threshold=0.8) == expected
    assert 2 < len(set(expected)) < len(bodies)


def test_candidate_pairs_are_every_pair_sharing_a_band_key() -> None:
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 40, size=(300, 3)).astype(np.uint64)  # runs of about 7 records per key and band
    expected = sorted({(i, j) for i in range(300) for j in range(i + 1, 300) if np.any(keys[i] == keys[j])})
    assert [tuple(p) for p in candidate_pairs(keys).tolist()] == expected


def test_a_band_key_shared_by_very_many_records_gives_a_chain_and_a_star() -> None:
    keys = np.zeros((MAX_RUN + 50, 1), dtype=np.uint64)
    pairs = candidate_pairs(keys)
    n = MAX_RUN + 50
    assert len(pairs) == 2 * (n - 1) - 1  # (0, 1) is in both
    assert components(n, pairs) == [0] * n


def test_signatures_are_the_same_in_another_process() -> None:
    code = (
        "import sys; from newsclean import clean_article; from newsclean.corpus.neardup import signature; "
        "s = signature(clean_article(open(sys.argv[1], 'rb').read()).paragraphs); "
        "print(s.minhash.tobytes().hex(), s.bottom.tobytes().hex())"
    )
    page = FIXTURES / "gginews2.dadamedia.net" / "66849.txt"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True, env=env, check=True)
    here = sig(REFERENCE.paragraphs)
    assert out.stdout.split() == [here.minhash.tobytes().hex(), here.bottom.tobytes().hex()]


def test_signatures_keep_every_row_across_blocks() -> None:
    rng = np.random.default_rng(3)
    rows = [
        Signature(
            minhash=rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint32),
            bottom=np.unique(rng.integers(0, 2**32, size=int(rng.integers(1, 2 * BOTTOM_K)), dtype=np.uint32)),
        )
        for _ in range(SIGNATURE_BLOCK + 10)
    ]
    store = Signatures.of(rows[:5])
    assert store.minhashes.shape == (5, NUM_PERM)
    for row in rows[5:]:
        store.add(row)
    assert len(store) == len(rows) and store.minhashes.shape == (len(rows), NUM_PERM)
    for i in (0, 4, SIGNATURE_BLOCK - 1, SIGNATURE_BLOCK, len(rows) - 1):
        assert np.array_equal(store.minhashes[i], rows[i].minhash)
        assert np.array_equal(store.bottom(i), rows[i].bottom[:BOTTOM_K])
    assert Signatures().minhashes.shape == (0, NUM_PERM)
    assert candidate_pairs(band_keys(Signatures().minhashes, bands=21, rows=6)).shape == (0, 2)


def test_minhash_equals_datasketch_fed_one_hash_at_a_time() -> None:
    from datasketch import MinHash

    hashes = shingle_hashes(normalise(REFERENCE.paragraphs))
    plain = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme="affine32")
    plain.update_batch(hashes.tolist())
    assert np.array_equal(minhash(hashes), plain.hashvalues)
