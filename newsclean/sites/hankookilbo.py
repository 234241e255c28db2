"""Hankook Ilbo (hankookilbo.com): the server-rendered /News/Read/ template and the client-rendered /news/article/."""

from . import Family, SiteRule

FAMILY = Family(
    rule=SiteRule(
        name="hankookilbo",
        hosts=("hankookilbo.com",),
        body=("div.col-main[itemprop=articleBody]", "div.col-main"),
        title=("div.end-top h1.title", "h1.title"),
        subtitles=("h2.sub-tit-ll",),
        authors=(".writer .name strong", ".writer"),
        drop=("h2.sub-tit-ll", ".writer", ".more-news", ".end-ad-container", ".ad-area"),
        captions=(".editor-img-box .caption", ".img-box .caption"),
        strip_lines=(r"^\$\$ARTICLEAD\$\$$",),
    ),
)
