"""The NDSoft CMS family (/news/articleView.html?idxno=N), used by many regional and trade papers."""

from . import SiteRule

RULE = SiteRule(
    name="ndsoft",
    hosts=(
        "geojenews.co.kr",
        "healthumer.com",
        "k-health.com",
        "nkeconomy.com",
        "gimhaenews.co.kr",
        "dybionews.com",
        "ggilbo.com",
        "newscj.com",
        "skkuw.com",
    ),
    url_patterns=(r"/news/articleView(?:Amp)?\.html\?(?:.*&)?idxno=\d+",),
    signatures=("#article-view-content-div",),
    body=("#article-view-content-div",),
    title=(".article-head-title", "header.article-view-header h3.heading", "h3.heading"),
    subtitles=(".article-head-sub", "h4.subheading", "div.user-snb h2"),
    published=(".info-text li", "ul.infomation li", "ul.info li"),
    modified=(".info-text li", "ul.infomation li", "ul.info li"),
    authors=(".info-text li", "ul.infomation li", ".writer"),
    drop=(".view-copyright", ".view-editors", ".article-relation", ".tag-group", ".writer-info"),
    captions=("figcaption", ".photo-layout figcaption"),
)
