"""The /news/article.html?no=N family (ourtoday.co.kr, kgnews.co.kr, newdaily.co.kr, tfmedia.co.kr …)."""

from . import Discovery, Family, SiteRule, UrlShapes

FAMILY = Family(
    rule=SiteRule(
        name="article_html_no",
        hosts=("ourtoday.co.kr", "kgnews.co.kr", "tfmedia.co.kr", "youthdaily.co.kr", "m-economynews.com"),
        url_patterns=(r"/news/article\.html\?(?:.*&)?no=\d+",),
        signatures=("#news_body_area", "#news_bodyArea"),
        body=("#news_body_area", "#news_bodyArea"),
        title=("div.art_top h2", "h2.art_title", ".article_head h1"),
        subtitles=("div.art_top h3", "h3.art_subtitle"),
        published=("ul.art_info li", "div.art_top ul li", ".article_info"),
        authors=("ul.art_info li", "div.art_top ul li", ".byline"),
        drop=(".art_copy", ".relation_news", ".art_tag"),
        captions=("figcaption", ".img_caption"),
    ),
    urls=UrlShapes(
        article_ids=(r"/news/article\.html\?(?:[^&]*+&)*no=(\d+)",),
        id_url="/news/article.html?no={id}",
    ),
    discovery=Discovery(  # section lists section_list_all.html?sec_no=N&page=K
        article=r"^/news/article\.html\?(?:[^#]*&)?no=\d+",
        section=r"^/news/section_list_all\.html\?(?:[^#]*&)?sec_no=\d+",
    ),
)
