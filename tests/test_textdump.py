"""The text-dump path on the reference page and on real dumps and excerpts of Korean news pages."""

from __future__ import annotations

from datetime import datetime

import pytest
from corpus import FIXTURES, Case, cases, leaks, near_duplicates, same_text, token_f1

from newsclean import Article, NoArticleBodyError, clean_article
from newsclean.clean.textdump import LineKind, classify_line
from newsclean.models import KST

SEED = FIXTURES / "gginews2.dadamedia.net" / "66849.txt"
TEXT_CASES = [c for c in cases("text") if c.gold["paragraphs"]]
LIST_CASES = [c for c in cases("text") if not c.gold["paragraphs"]]


@pytest.fixture(scope="module")
def seed() -> Article:
    return clean_article(SEED.read_bytes())


def test_seed_metadata(seed: Article) -> None:
    assert seed.title == "광명시, 사회적경제 정책평가 전국 최우수 기관 선정"
    assert seed.subtitles == (
        "제3회 전국 지방자치단체 사회적경제 정책평가, 최우수 기관 선정",
        "박승원 시장, ‘사회적경제 활성화’ 시민과의 약속 지켜내",
        "사회적경제기업 발굴, 역량강화, 홍보 및 판로지원 등 노력",
    )
    assert seed.published_at == datetime(2021, 11, 26, 12, 6, 3, tzinfo=KST)
    assert seed.published_at is not None and seed.published_at.utcoffset() is not None
    assert seed.modified_at is None
    assert seed.site == "gginews2.dadamedia.net"
    assert seed.url == "http://gginews2.dadamedia.net/news/view.php?idx=66849"
    assert seed.article_id == "66849"
    assert seed.authors == ()


def test_seed_body_is_the_eleven_paragraphs_once(seed: Article) -> None:
    assert len(seed.paragraphs) == 11
    assert seed.paragraphs[0].startswith("광명시가 전국 243개 지방자치단체(17개 시·도,")
    assert seed.paragraphs[-1].startswith("박승원 시장은 “사회적가치를 실현하면서")
    assert seed.paragraphs[-1].endswith("최선을 다하겠다”고 말했다.")
    lead_copies = [p for p in seed.paragraphs if "243개 지방자치단체" in p]
    assert len(lead_copies) == 1
    assert seed.text == "\n\n".join(seed.paragraphs)


def test_seed_caption_is_kept_once_as_an_image_caption(seed: Article) -> None:
    assert [image.caption for image in seed.images] == [
        "광명시가 전국 243개 지방자치단체(17개 시 · 도, 226개 기초지방자치단체)를 대상으로 실시한 "
        "제3회 전국지방자치단체 사회적경제정책 평가에서 최우수기관으로 선정됐다."
    ]
    assert all(image.caption not in seed.paragraphs for image in seed.images)


@pytest.mark.parametrize(
    "noise",
    [
        "기사 메일전송",
        "기사등록",
        "기사수정",
        "다른 곳에 퍼가실 때는",
        "http://gginews2",
        "나도 한마디",
        "로그인 후 의견을",
        "0/1000",
        "많이 본 뉴스",
        "지역 신뢰를 다시 세우려면",
        "반도체특별법 대응 전담조직",
        "20조 8,923억 원",
        "도시재생 우수 시군",
        "오산지역위원장",
        "모바일 버전 바로가기",
    ],
)
def test_seed_noise_is_gone(seed: Article, noise: str) -> None:
    assert noise not in seed.text
    assert all(noise not in s for s in seed.subtitles)


def test_seed_matches_golden_json(seed: Article) -> None:
    expected = Article.model_validate_json(SEED.with_name("66849.txt.expected.json").read_text(encoding="utf-8"))
    assert seed == expected


def test_lone_zero_is_not_a_paragraph(seed: Article) -> None:
    assert "0" not in seed.paragraphs


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda c: c.id)
def test_real_dump_body(case: Case) -> None:
    article = clean_article(case.path.read_bytes())
    gold = case.gold
    assert token_f1("\n".join(article.paragraphs), "\n".join(gold["paragraphs"])) >= 0.9
    assert near_duplicates(list(article.paragraphs)) == 0
    assert leaks(article.text, [b for b in gold["boilerplate"] if b not in "\n".join(gold["paragraphs"])]) == []


@pytest.mark.parametrize("case", [c for c in TEXT_CASES if c.gold["title"]], ids=lambda c: c.id)
def test_real_dump_title(case: Case) -> None:
    assert same_text(clean_article(case.path.read_bytes()).title, case.gold["title"])


@pytest.mark.parametrize("case", [c for c in TEXT_CASES if not c.gold["title"]], ids=lambda c: c.id)
def test_excerpt_without_headline_has_no_title(case: Case) -> None:
    assert clean_article(case.path.read_bytes()).title is None


@pytest.mark.parametrize("case", [c for c in TEXT_CASES if c.gold["published"]], ids=lambda c: c.id)
def test_real_dump_published(case: Case) -> None:
    published = clean_article(case.path.read_bytes()).published_at
    assert published is not None
    # to the minute: a dump that shows no seconds cannot give them
    assert abs((published - datetime.fromisoformat(case.gold["published"])).total_seconds()) < 60


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda c: c.id)
def test_real_dump_authors(case: Case) -> None:
    assert set(clean_article(case.path.read_bytes()).authors) == set(case.gold["authors"])


@pytest.mark.parametrize("case", LIST_CASES, ids=lambda c: c.id)
def test_list_page_has_no_article(case: Case) -> None:
    with pytest.raises(NoArticleBodyError, match="no article body"):
        clean_article(case.path.read_bytes())


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("", LineKind.BLANK),
        ("━━━━━", LineKind.FURNITURE),
        ("기사 메일전송", LineKind.HEADER),
        ("많이 본 뉴스더보기", LineKind.END),
        ("▲지난달 26일 고성군 대웅예식장에서 경지협 11월 월례회·이사회가 열렸다.", LineKind.CAPTION),
        ("중국 화웨이 어센드 910 반도체 [사진 출처 = 연합뉴스] 사진 확대", LineKind.CAPTION),
        ("빈소에 놓인 고 채수근 상병의 영정. [연합]", LineKind.CAPTION),
        ("기사등록 2021-11-26 12:06:03", LineKind.DATE),
        ("입력 :", LineKind.DATE),
        ("2025-05-28 00:13:03", LineKind.DATE),
        ("안병준 기자", LineKind.BYLINE),
        ("anbuju@mk.co.kr", LineKind.BYLINE),
        ("정상섭 선임기자  |  2018-11-21 09:16", LineKind.BYLINE),
        ("광명시는 2013년 3월 중간지원조직인 사회적경제센터를 설치해 노력해왔다.", LineKind.BODY),
        ("복합경제 위기 타개·미래 신산업 육성, 소재 개발 필요", LineKind.SHORT),
    ],
)
def test_classify_line(line: str, kind: LineKind) -> None:
    assert classify_line(line)[0] is kind


def test_line_broken_mid_sentence_is_joined() -> None:
    case = next(c for c in TEXT_CASES if c.site == "ourtoday.co.kr")
    article = clean_article(case.path.read_bytes())
    assert any("담당 공무원의 적극적인 노력과" in p for p in article.paragraphs)


def test_leading_credit_goes_to_authors() -> None:
    case = next(c for c in TEXT_CASES if c.site == "ourtoday.co.kr")
    article = clean_article(case.path.read_bytes())
    assert article.authors == ("이동현",)
    assert article.paragraphs[0].startswith("충북도청에 등록된")


def test_a_sentence_end_ends_the_line_with_one_of_its_last_characters() -> None:
    """The quick test before ``SENTENCE_END_RE`` never rules out a trimmed line the pattern finds a sentence end in."""
    import random

    from newsclean.clean.textdump import _SENTENCE_END_LAST
    from newsclean.phrases import SENTENCE_END_RE

    rng = random.Random(7)
    pieces = [*".!?。다요죠까가 ", '"', *"”’'」』)]>,:…\t"]
    found = 0
    for _ in range(20_000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 7))).strip()
        if SENTENCE_END_RE.search(line):
            found += 1
            assert line.endswith(_SENTENCE_END_LAST), line
    assert found > 5_000
