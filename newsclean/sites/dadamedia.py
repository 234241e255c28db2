"""The reference CMS family (/news/view.php?idx=N): Froala-edited bodies in #viewContent / div.fr-view.

Sites seen on it include amenews.kr, cerazine.net, ksmnews.co.kr, kbsm.net, ismartnews.com, gjnews.com and
hanmiilbo.kr. Dates and reporters sit in ``ul.info-text li`` (``기사등록 2021-11-26 12:06:03``, ``수정 …``);
section lists are ``div.basicList``.
"""

from . import SiteRule

RULE = SiteRule(
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
)
