"""Entermedia (entermedia.co.kr): an old PHP CMS (news/news_view.html?idx=) with <br><br> paragraphs."""

from . import Family, SiteRule, UrlShapes

FAMILY = Family(
    rule=SiteRule(
        name="entermedia",
        hosts=("entermedia.co.kr",),
        url_patterns=(r"/news/news_view\.html\?(?:.*&)?idx=\d+",),
        body=("#_article",),
        title=("div.newsContent dl.newsTitle dt", "dl.newsTitle dt"),
        published=("div.newsContent",),
        lead_block_is_subtitle=True,
    ),
    urls=UrlShapes(
        article_ids=(r"/news/news_view\.html\?(?:[^&]*+&)*idx=(\d+)",),
        dropped_params=frozenset({"bc", "mc"}),  # list context
    ),
)
