"""Dong-A Ilbo (donga.com): the 2013 template (View?gid=) with <br><br> paragraphs in div.article_txt."""

from . import Family, SiteRule, UrlShapes

FAMILY = Family(
    rule=SiteRule(
        name="donga",
        hosts=("donga.com",),
        signatures=("div.article_txt",),
        body=("div.article_txt", "div.article_view", "section.news_view"),
        title=("div.article_title h1", "h1.title"),
        published=("div.article_title .title_foot .date", ".title_foot"),
        modified=("div.article_title .title_foot .date2",),
        drop=(".article_relation", ".t_sns", ".article_keyword", "#divBox"),
        captions=("span.t", ".articlePhotoC .t", ".articlePhotoR .t"),
    ),
    urls=UrlShapes(article_ids=(r"[?&]gid=(\d+)",)),  # the legacy View?gid=
)
