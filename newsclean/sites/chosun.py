"""Chosun Ilbo legacy template (news.chosun.com/site/data/html_dir/…), also used for Sports Chosun stories."""

from . import Family, SiteRule

FAMILY = Family(
    rule=SiteRule(
        name="chosun",
        hosts=("chosun.com",),
        url_patterns=(r"/site/data/html_dir/\d{4}/\d{2}/\d{2}/\d+\.html",),
        signatures=("#news_body_id",),
        body=("#news_body_id",),
        title=("#news_title_text_id", "h1#news_title_text_id", "div.news_title_text h1"),
        subtitles=("h3.news_subtitle",),
        authors=("#j1 .jour_name", ".news_title_author a"),
        drop=(".news_date", "h3.news_subtitle", ".news_like", ".news_copyright", ".news_imgbox_caption_rel"),
        captions=("figcaption",),
    ),
)
