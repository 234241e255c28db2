"""The NDSoft CMS family (/news/articleView.html?idxno=N), used by many regional and trade papers."""

from . import Discovery, Family, SiteRule, UrlShapes

FAMILY = Family(
    rule=SiteRule(
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
    ),
    urls=UrlShapes(
        article_ids=(r"articleView(?:Amp)?\.html\?(?:[^&]*+&)*idxno=(\d+)",),
        id_url="/news/articleView.html?idxno={id}",
        dropped_params=frozenset(  # list, search and comment context
            {
                "sc_section_code",
                "sc_sub_section_code",
                "sc_serial_code",
                "sc_area",
                "sc_level",
                "sc_article_type",
                "sc_view_level",
                "sc_sdate",
                "sc_edate",
                "sc_serial_number",
                "sc_word",
                "sc_multi_code",
                "sc_is_image",
                "sc_is_movie",
                "sc_user_name",
                "sc_order_by",
                "view_type",
                "replyAll",
                "reply_sc_order_by",
                "total",
                "box_idxno",
            }
        ),
    ),
    discovery=Discovery(  # articleList.html?sc_section_code=…&page=N; every article in one list; one feed of all
        article=r"^/news/articleView(?:Amp)?\.html\?(?:[^#]*&)?idxno=\d+",
        section=r"^/news/articleList\.html\?(?:[^#]*&)?sc_(?:sub_)?section_code=\w+",
        all_list="/news/articleList.html?view_type=sm",
        feeds=("/rss/allArticle.xml",),
    ),
)
