"""Page loading: raw input (str | bytes) -> decoded text, sniffed as an HTML page or a plain-text dump.

An HTML input is parsed once, here, into an ``HtmlPage`` that every later stage reads (lexbor tree,
``<meta>`` tags, JSON-LD objects, canonical URL, host, encoding). A text dump becomes a ``TextPage``.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import DecodeError, EmptyInputError, UnsupportedInputError
from ..lazy import LazyPattern

__all__ = ["HtmlPage", "TextPage", "decode_bytes", "load", "looks_like_html"]

# Charset labels that mean "EUC-KR" in the wild; CP949 (Microsoft's superset) reads all of them,
# including the extended Hangul syllables that strict EUC-KR rejects.
KOREAN_CHARSET_ALIASES = {
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "euckr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "ksc_5601": "cp949",
    "korean": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "cp949": "cp949",
    "uhc": "cp949",
}
# JSON-LD types that describe an article page.
ARTICLE_LD_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "SocialMediaPosting",
        "Report",
    }
)
# Single-byte charsets a server or page may wrongly declare for Korean bytes; they decode anything, so a
# declaration of one of them is checked against a strict CP949 reading first.
SINGLE_BYTE_CHARSETS = frozenset({"iso8859-1", "cp1252", "iso8859-15", "ascii", "cp437", "mac-roman", "iso8859-2"})
# A strict CP949 reading with at least this many Hangul syllables, making at least this share of the non-ASCII
# characters, is taken as the page's real encoding over a declared single-byte charset.
MIN_MISLABELLED_HANGUL = 20
MIN_MISLABELLED_HANGUL_SHARE = 0.7
# Bytes of the head searched for a declared charset (<meta charset>, http-equiv, XML declaration).
CHARSET_SNIFF_BYTES = 8192
# A decode is accepted with replacement characters when at most this share of characters is broken
# (a truncated multi-byte sequence, a stray EUC-KR fragment in a UTF-8 page); more means "not this encoding".
MAX_BROKEN_SHARE = 0.01
# Control characters (other than tab/newline/CR/form feed) above this share mean binary data, not a page.
MAX_CONTROL_SHARE = 0.05
# Characters at the start of a text in which control characters are counted.
CONTROL_SAMPLE_CHARS = 100_000
# Encodings in which a byte below 0x80 is always that ASCII character, never part of a multi-byte one (CP949
# trail bytes are 0x41 and up, never a control byte): control characters can be counted on the raw bytes.
RAW_CONTROL_COUNT_ENCODINGS = frozenset({"utf-8", "cp949"})
# How much of a text is scanned to decide whether it is HTML.
HTML_SNIFF_CHARS = 20_000
# Fewer tag-like matches than this in the sniffed head means plain text.
MIN_HTML_TAGS = 3

_CHARSET_RE = re.compile(rb"""charset\s*+=\s*+["']?+\s*+([A-Za-z0-9_.:-]+)""", re.I)
# Characters of an XML declaration read for its encoding (a real one is under 100).
MAX_XML_DECLARATION_CHARS = 200
# An XML declaration opens the document (after a byte-order mark or spacing); it is never searched for elsewhere.
_XML_ENCODING_RE = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?\s*+<\?xml[^<>]{0,%d}?encoding\s*+=\s*+["']([A-Za-z0-9_.:-]+)"""
    % MAX_XML_DECLARATION_CHARS,
    re.I,
)
_HTML_TAG_RE = LazyPattern(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|span|table|script|br|a|ul|li|img)"
    r"(?:\s[^<>]*)?/?>",
    re.I,
)
# The page-level signals read by ``HtmlPage.parse``: meta tags, the canonical link, scripts (JSON-LD and the rest),
# the machine-readable times of <time> elements.
_SIGNALS_SELECTOR = 'meta, link[rel="canonical"], script, time[datetime]'
# Nesting depth (counted over the elements below, which a page closes itself) beyond which further start tags are
# dropped before parsing. Real pages stay under 30; the HTML tree builder walks its stack of open elements on many
# tags, so a page nested 100,000 deep would cost quadratic time in the parser.
MAX_NESTING_DEPTH = 256
# Depth up to which a page is parsed as it is without counting its elements: a bound taken from all its tags at C
# speed (real pages stay under 700) decides whether the exact count runs. Up to this depth the parser's cost per tag
# is bounded, so a page below it costs linear time whatever its nesting.
NESTING_SCAN_DEPTH = 1024
# Bytes counted at a time by that bound.
NESTING_SCAN_BYTES = 4096
# Slices counted together first by that bound (a real page's group of them stays under the depth).
_NESTING_COARSE_SLICES = 4
_NESTING_TAG_RE = LazyPattern(
    r"<(/?)(div|section|article|main|aside|nav|header|footer|blockquote|figure|form|fieldset|ul|ol|dl|table|center"
    r"|details|span|font|b|i|strong|em|a|u|s|small|big|sup|sub|label|button|select|iframe|object|noscript)\b[^<>]*+>",
    re.I,
)
# End tags, as ``_may_nest_deeper_than`` counts them: the regular expression engine finds a two-byte literal with
# fewer comparisons than ``bytes.count`` (which checks every ``/``, frequent in URLs).
_END_TAG_OPEN_RE = re.compile(rb"</")
_CONTROL_RE = LazyPattern(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NON_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL_RE.match(chr(b)))


def _normalise_label(label: str) -> str | None:
    label = label.strip().lower()
    if label in KOREAN_CHARSET_ALIASES:
        return KOREAN_CHARSET_ALIASES[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its head (meta charset, http-equiv, XML declaration), normalised."""
    head = raw[:CHARSET_SNIFF_BYTES]
    # A charset declaration starts with the word "charset" in any case: the search starts at its first place (a
    # plain-text dump holds none, and a case-blind pattern scanned over 8 KB costs more than finding it).
    charset_at = head.lower().find(b"charset")
    for pattern, start in ((_XML_ENCODING_RE, 0), (_CHARSET_RE, charset_at)):
        match = pattern.search(head, start) if start >= 0 else None
        if match:
            found = _normalise_label(match.group(1).decode("ascii", "ignore"))
            if found:
                return found
    return None


def _broken_share(text: str) -> float:
    return text.count("\ufffd") / max(1, len(text))


def decode_bytes(raw: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes to text; return ``(text, encoding)``.

    Order of trust: a byte-order mark; then strict UTF-8 (a page whose bytes are UTF-8 is UTF-8 whatever it
    declares); then the charset given by the caller (an HTTP header) or declared in the page; then CP949.
    The first decode with no error wins; failing that, the candidate with the fewest broken characters is
    taken when they stay under ``MAX_BROKEN_SHARE``. Raises ``DecodeError`` otherwise.
    """
    text, encoding, _ = _decode(raw, declared=declared)
    return text, encoding


def _decode(raw: bytes, *, declared: str | None) -> tuple[str, str, bool]:
    """``decode_bytes``, also telling whether ``raw`` is exactly the text encoded (no byte-order mark, no loss)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding.replace("-sig", ""), False
            except UnicodeDecodeError as exc:
                raise DecodeError(f"input starts with a {encoding} byte-order mark but is not {encoding}") from exc
    candidates = ["utf-8"]
    for label in (declared, declared_charset(raw)):
        normalised = _normalise_label(label) if label else None
        if normalised and normalised not in candidates:
            candidates.append(normalised)
    if "cp949" not in candidates:
        candidates.append("cp949")
    if any(c in SINGLE_BYTE_CHARSETS for c in candidates) and _reads_as_korean(raw):
        # A Korean page mislabelled with a single-byte charset (which never fails to decode): CP949 first.
        candidates.remove("cp949")
        candidates.insert(1, "cp949")
    best: tuple[float, str, str] | None = None
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = raw.decode(encoding, "replace")
            share = _broken_share(text)
            if best is None or share < best[0]:
                best = (share, text, encoding)
            continue
        except LookupError:  # pragma: no cover - labels are normalised above
            continue
        return _check_decoded(raw, text, encoding), encoding, True
    if best is not None and best[0] <= MAX_BROKEN_SHARE:
        return _check_text(best[1]), best[2], False
    raise DecodeError(
        f"input bytes are not text in any supported encoding (tried {', '.join(candidates)}; "
        f"at best {best[0] if best else 1.0:.0%} of characters undecodable)"
    )


def _reads_as_korean(raw: bytes) -> bool:
    """True when the bytes decode strictly as CP949 into mostly Hangul (a mislabelled Korean page)."""
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in text if ord(ch) > 0x7F]
    hangul = sum(1 for ch in wide if "\uac00" <= ch <= "\ud7a3")
    return hangul >= MIN_MISLABELLED_HANGUL and hangul >= MIN_MISLABELLED_HANGUL_SHARE * len(wide)


def _check_decoded(raw: bytes, text: str, encoding: str) -> str:
    """``_check_text`` for a strict decode of ``raw``, counting control characters on the bytes when it can."""
    if encoding in RAW_CONTROL_COUNT_ENCODINGS:
        # The whole input's count is at least the sample's: under the limit, the sample is too.
        controls = len(raw.translate(None, _NON_CONTROL_BYTES))
        if controls / max(1, min(len(text), CONTROL_SAMPLE_CHARS)) <= MAX_CONTROL_SHARE:
            return text
    return _check_text(text)


def _check_text(text: str) -> str:
    # Counted on the UTF-8 bytes of the sample (one C pass): control characters are single bytes there.
    sample = text[:CONTROL_SAMPLE_CHARS].encode("utf-8", "surrogatepass")
    controls = len(sample.translate(None, _NON_CONTROL_BYTES))
    if controls / max(1, min(len(text), CONTROL_SAMPLE_CHARS)) > MAX_CONTROL_SHARE:
        raise DecodeError(f"input looks binary, not text: {controls} control characters in its first 100,000")
    return text


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment rather than a plain-text dump."""
    head = text[:HTML_SNIFF_CHARS]
    stripped = head.lstrip()
    if stripped[:14].lower().startswith(("<!doctype html", "<html")):
        return True
    tags = 0
    for _ in _HTML_TAG_RE.finditer(head):
        tags += 1
        if tags >= MIN_HTML_TAGS:
            return True
    return stripped.startswith("<") and tags > 0


@dataclass
class TextPage:
    """A plain-text dump of a page (what a browser shows)."""

    text: str
    url: str | None
    encoding: str | None

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass
class HtmlPage:
    """An HTML page parsed once: the tree and the page-level signals every extractor reads."""

    html: str
    url: str | None
    encoding: str | None
    tree: LexborHTMLParser
    meta: dict[str, str] = field(default_factory=dict)  # the first value of each meta key (name, property)
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    canonical: str | None = None
    meta_values: dict[str, list[str]] = field(default_factory=dict)  # every value of a repeated meta key, in order
    # Every <script>'s lowercased type and text, in document order; ``None`` until read (``script_texts``).
    scripts: list[tuple[str, str]] | None = None
    times: list[str] = field(default_factory=list)  # the ``datetime`` value of every <time> element, in order

    def script_texts(self) -> list[tuple[str, str]]:
        """Every ``<script>`` of the tree as (lowercased ``type``, text), read once and kept."""
        if self.scripts is None:
            self.scripts = [_script_entry(node) for node in self.tree.css("script")]
        return self.scripts

    def forget_scripts(self) -> None:
        """Read the scripts from the tree again on the next ``script_texts`` (after nodes left the tree)."""
        self.scripts = None

    @property
    def host(self) -> str | None:
        for candidate in (self.url, self.canonical, self.meta.get("og:url")):
            if candidate:
                host = urlsplit(candidate).hostname
                if host:
                    return host.lower()
        return None

    @classmethod
    def parse(cls, html: str, *, url: str | None, encoding: str | None, source: bytes | None = None) -> HtmlPage:
        """Parse ``html`` once. ``source``, when given, must be ``html``'s exact UTF-8 bytes (a strict UTF-8
        decode without a byte-order mark): the parser reads them directly instead of encoding ``html`` again."""
        if _may_nest_deeper_than(source if source is not None else html.encode("utf-8", "replace"), NESTING_SCAN_DEPTH):
            tags = _NESTING_TAG_RE.findall(html)
            if max(accumulate(-1 if close else 1 for close, _ in tags), default=0) > MAX_NESTING_DEPTH:
                html, source = _flatten_nesting(html), None
        tree = LexborHTMLParser(source if source is not None else html)
        meta: dict[str, str] = {}
        meta_values: dict[str, list[str]] = {}
        canonical = None
        json_ld: list[dict[str, Any]] = []
        scripts: list[tuple[str, str]] = []
        times: list[str] = []
        # One pass over the tree for the five kinds of signal (each CSS query walks the whole tree).
        for node in tree.css(_SIGNALS_SELECTOR):
            tag = node.tag
            if tag == "meta":
                attrs = node.attributes
                key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
                content = attrs.get("content")
                if key and content is not None:
                    key, content = key.strip().lower(), content.strip()
                    meta.setdefault(key, content)
                    meta_values.setdefault(key, []).append(content)
            elif tag == "link":
                href = node.attributes.get("href")
                if href and canonical is None:
                    canonical = href.strip()
            elif tag == "time":
                times.append(node.attributes.get("datetime") or "")
            else:
                entry = _script_entry(node)
                scripts.append(entry)
                if entry[0] == "application/ld+json":
                    json_ld.extend(_json_ld_of(entry[1]))
        return cls(
            html=html,
            url=url,
            encoding=encoding,
            tree=tree,
            meta=meta,
            json_ld=json_ld,
            canonical=canonical,
            meta_values=meta_values,
            scripts=scripts,
            times=times,
        )

    @property
    def article_ld(self) -> list[dict[str, Any]]:
        """The JSON-LD objects that describe an article (``NewsArticle``, ``Article`` and their kinds), in order."""
        out = []
        for item in self.json_ld:
            kinds = item.get("@type")
            names = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k in ARTICLE_LD_TYPES for k in names):
                out.append(item)
        return out


# What JSON-LD blocks written by hand carry that JSON does not allow: ``//`` comments and trailing commas.
# Strings are matched first so that a ``//`` inside one (a URL) stays; each alternative is linear.
_LOOSE_JSON_RE = LazyPattern(r'("(?:[^"\\\n]|\\.)*")|//[^\n]*|,(?=\s*[}\]])')


def _script_entry(node: LexborNode) -> tuple[str, str]:
    return (node.attributes.get("type") or "").lower(), node.text(deep=True) or ""


def _json_ld_of(text: str) -> Iterator[dict[str, Any]]:
    text = text or "null"
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        try:  # a hand-written block: drop comments and trailing commas, then read it again
            data = json.loads(_LOOSE_JSON_RE.sub(lambda m: m.group(1) or "", text), strict=False)
        except ValueError:
            return
    yield from _flatten_ld(data)


def _flatten_ld(data: object) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten_ld(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten_ld(graph)


def _may_nest_deeper_than(raw: bytes, depth: int) -> bool:
    """False when the markup surely nests no deeper than ``depth``: a bound from counting tags, at C speed.

    Every ``<`` counts as an opening and every ``</`` as a closing, so void elements, comments and a ``<`` in a
    script raise the bound, never lower it. The level is exact at the start of each slice of ``NESTING_SCAN_BYTES``
    bytes and grows inside one by at most its openings."""
    count, end_tags = raw.count, _END_TAG_OPEN_RE.findall
    # (A page with at most ``depth`` tags in all passes every group below: no count of the whole page first.)
    # Slices are first counted _NESTING_COARSE_SLICES at a time: a group's bound is at least the bound of every
    # slice in it (a later slice's level drops by the closings before it), so a group under ``depth`` needs no
    # finer count, and the answer is the same as counting every slice, with fewer counts.
    level = 0
    group = NESTING_SCAN_BYTES * _NESTING_COARSE_SLICES
    for first in range(0, len(raw), group):
        opens, closes = count(b"<", first, first + group), len(end_tags(raw, first, first + group))
        # A ``</`` across two slices of the group is counted by neither slice: not by the group either.
        closes -= sum(
            raw[at - 1 : at + 1] == b"</" for at in range(first + NESTING_SCAN_BYTES, first + group, NESTING_SCAN_BYTES)
        )
        if level + opens - closes <= depth:
            level += opens - 2 * closes
            continue
        for start in range(first, min(first + group, len(raw)), NESTING_SCAN_BYTES):
            end = start + NESTING_SCAN_BYTES
            opens, closes = count(b"<", start, end), len(end_tags(raw, start, end))
            if level + opens - closes > depth:
                return True
            level += opens - 2 * closes
    return False


def _flatten_nesting(html: str) -> str:
    """``html`` without the start tags (and their end tags) nested deeper than ``MAX_NESTING_DEPTH``; text stays."""
    out: list[str] = []
    depth = 0
    dropped: Counter[str] = Counter()  # start tags dropped, by name, whose end tags are dropped too
    kept_from = 0
    for match in _NESTING_TAG_RE.finditer(html):
        name = match.group(2).lower()
        if not match.group(1):
            if depth < MAX_NESTING_DEPTH:
                depth += 1
                continue
            dropped[name] += 1
        elif dropped[name]:
            dropped[name] -= 1
        else:
            depth = max(0, depth - 1)
            continue
        out.append(html[kept_from : match.start()])
        kept_from = match.end()
    out.append(html[kept_from:])
    return "".join(out)


def load(raw: str | bytes, *, url: str | None = None, charset: str | None = None, max_size: int) -> HtmlPage | TextPage:
    """Stage 1 of the pipeline: check, decode and sniff the input, parsing HTML once.

    ``charset`` (from outside the page: an HTTP header) is tried for bytes whose page declares no charset.
    """
    if isinstance(raw, (bytearray, memoryview)):
        raw = bytes(raw)
    if not isinstance(raw, (str, bytes)):
        raise UnsupportedInputError(f"clean_article takes str or bytes, not {type(raw).__name__}")
    if len(raw) > max_size:
        raise UnsupportedInputError(f"input is {len(raw):,} long, over the limit of {max_size:,}")
    encoding: str | None = None
    source: bytes | None = None  # bytes that are exactly the text's UTF-8 form, when there are such
    if isinstance(raw, bytes):
        if not raw or raw.isspace():  # the same test as ``not raw.strip()``, without copying the input
            raise EmptyInputError("input is empty: no bytes other than whitespace")
        outside = charset if charset and declared_charset(raw) is None else None
        text, encoding, exact = _decode(raw, declared=outside)
        if exact and encoding == "utf-8":
            source = raw
    else:
        text = _check_text(raw)
    # NUL characters are dropped (a NUL is its own byte in the exact UTF-8 source, where memchr finds it fast).
    if (b"\x00" in source) if source is not None else ("\x00" in text):
        text, source = text.replace("\x00", ""), None
    if not text or text.isspace():  # the same test as ``not text.strip()``, without copying the text
        raise EmptyInputError("input is empty: no characters other than whitespace")
    if looks_like_html(text):
        return HtmlPage.parse(text, url=url, encoding=encoding, source=source)
    return TextPage(text=text, url=url, encoding=encoding)
