"""Naver News portal (n.news.naver.com, news.naver.com): copies of press articles in one portal template."""

from . import Family, SiteRule, UrlShapes

FAMILY = Family(
    rule=SiteRule(
        name="naver",
        hosts=(
            "n.news.naver.com",
            "news.naver.com",
            "m.news.naver.com",
            "sports.news.naver.com",
            "entertain.naver.com",
        ),
        url_patterns=(r"/mnews/article/\d{3}/\d{10}", r"/article/\d{3}/\d{10}"),
        signatures=("#dic_area", "#articleBodyContents"),
        body=("#dic_area", "#articleBodyContents", "#newsEndContents", "#articeBody"),
        title=("h2.media_end_head_headline", "#title_area", "#articleTitle", "h2.end_tit"),
        subtitles=("#dic_area strong.media_end_summary", "#articleBodyContents strong.media_end_summary"),
        published=("span._ARTICLE_DATE_TIME@data-date-time", "span.t11", ".article_info .author em"),
        modified=("span._ARTICLE_MODIFY_DATE_TIME@data-modify-date-time",),
        authors=("em.media_end_head_journalist_name", ".byline_s", ".byline p"),
        section=("em.media_end_categorize_item",),
        drop=("strong.media_end_summary", ".vod_player_wrap", "._VOD_PLAYER_WRAP", ".link_news"),
        captions=("em.img_desc",),
    ),
    urls=UrlShapes(
        article_ids=(r"/(?:m)?article/(\d{3}/\d{10})",),  # press id / article id
        dropped_params=frozenset({"sid"}),  # section id
    ),
)
