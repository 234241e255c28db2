"""Maeil Business (mk.co.kr): the current template (/news/<section>/<id>) and the legacy one (/view/YYYY/MM/<id>/)."""

from . import Family, SiteRule

FAMILY = Family(
    rule=SiteRule(
        name="mk",
        hosts=("mk.co.kr",),
        signatures=("div.news_cnt_detail_wrap",),
        body=("div.news_cnt_detail_wrap", "#article_body div.art_txt", "#article_body"),
        title=("h2.news_ttl", "h1.top_title"),
        subtitles=("div.midtitle_text", "h2.sub_title1_new"),
        published=(".time_area dl.registration dd", "li.lasttime"),
        authors=("dl.author dt.name", "li.author"),
        drop=("div.mid_title", ".ad_wrap", ".news_ad", "div.sub_title"),
        captions=("figcaption", ".thum_figure_txt"),
    ),
)
