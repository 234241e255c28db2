"""The reference CMS family (/news/view.php?idx=N): Froala-edited bodies in #viewContent / div.fr-view.

Sites seen on it include amenews.kr, cerazine.net, ksmnews.co.kr, kbsm.net, ismartnews.com, gjnews.com and
hanmiilbo.kr. Dates and reporters sit in ``ul.info-text li`` (``기사등록 2021-11-26 12:06:03``, ``수정 …``);
section lists are ``div.basicList``.
"""

from . import Discovery, Family, Markers, SiteRule, UrlShapes

FAMILY = Family(
    rule=SiteRule(
        name="dadamedia",
        hosts=(
            "dadamedia.net",
            "amenews.kr",
            "cerazine.net",
            "ksmnews.co.kr",
            "kbsm.net",
            "ismartnews.com",
            "gjnews.com",
            "hanmiilbo.kr",
        ),
        url_patterns=(r"/news/view\.php\?(?:.*&)?idx=\d+",),
        signatures=("#viewContent", "div.fr-view"),
        body=("#viewContent", "div.fr-view", "div.viewContent"),
        title=("div.view_title h2.title", "div.view_title h2", "meta[property='og:title']@content"),
        subtitles=("div.view_title .sub_title",),
        published=("ul.info-text li",),
        modified=("ul.info-text li",),
        authors=("ul.info-text li", "strong.writer"),
        drop=(".view_bottom", ".reply_area", "div.basicList"),
        captions=(".fr-inner", "figcaption"),
    ),
    urls=UrlShapes(
        article_ids=(r"/news/view\.php\?(?:[^&]*+&)*idx=(\d+)",),
        id_url="/news/view.php?idx={id}",
        # view.php?idx=N&mcode=m292ksm: the section code, then search-result context
        dropped_params=frozenset({"mcode", "sm", "stx", "stx2", "w_section1", "sdate", "edate"}),
    ),
    discovery=Discovery(  # section lists list.php?mcode=…&page=N
        article=r"^/news/view\.php\?(?:[^#]*&)?idx=\d+",
        section=r"^/news/list\.php\?(?:[^#]*&)?mcode=\w+",
    ),
    markers=Markers(
        lines=frozenset(
            {"기사 메일전송", "기사수정", "기자프로필", "프로필이미지", "나도 한마디", "모바일 버전 바로가기"}
        ),
        title_follows=("기사 메일전송",),  # the headline follows it
        title_separator=" - ",  # "제목 - 부제 - 부제"
    ),
)
