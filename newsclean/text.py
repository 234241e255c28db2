"""Named normalisers: str -> str (or a count), one per way newsclean compares or shows Korean text.

Each job has one function, used wherever that job is done:

- ``display_form``: what a reader sees (a paragraph, title, caption of the ``Article``): whitespace runs folded to
  one space, zero-width characters dropped, trimmed, Unicode composed (NFC).
- ``fold_spaces``: every whitespace run (any Unicode spacing) folded to one space, trimmed; nothing else changed.
- ``line_form``: a line as the phrase tables compare it: ``display_form`` less a leading list bullet.
- ``line_forms``: ``line_form`` of each line of a list (a page's lines, in one call).
- ``dedup_key``: the text as repeats are told apart: compatibility-composed (NFKC), no zero-width characters, no
  whitespace at all (``시·도`` = ``시 · 도``).
- ``letters_only``: only the letters and digits of ``dedup_key``, lower-cased: what near repeats and site names
  are compared by.
- ``letter_count``: how many word characters (letters, digits, ``_``) a text holds: how long a line reads.
- ``hangul_count``: how many Hangul syllables a text holds: how Korean, and how long in Korean, a text is.
- ``strip_zero_width``: the text without characters that take no space on screen.

Imports nothing from newsclean: every other module may use it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "ZERO_WIDTH_CHARACTERS",
    "dedup_key",
    "display_form",
    "fold_spaces",
    "hangul_count",
    "letter_count",
    "letters_only",
    "line_form",
    "line_forms",
    "strip_zero_width",
]

# Characters that take no space on screen; copies of one text differ in them (U+200B-U+200D, U+2060, U+FEFF,
# soft hyphen).
ZERO_WIDTH_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# Whitespace runs that fold to one space in a displayed text. A lone plain space is left unmatched: it is already
# folded, and not replacing it saves a replacement per word.
_DISPLAY_SPACES_RE = re.compile(
    r"[ \t\u00a0\u2002\u2003\u2009\u3000\r\n\f\v]{2,}|[\t\u00a0\u2002\u2003\u2009\u3000\r\n\f\v]"
)
# List bullets (and the spacing after them) that open a line.
_BULLET_RE = re.compile(r"^[\s•·◦▪■□●○◆◇\-–*]+(?=\S)")
_SPACE_RE = re.compile(r"\s+")
# What line_form would change: a leading bullet or space, a run of spaces, other white space, zero width.
_NEEDS_LINE_FORM_RE = re.compile(r"^[\s•·◦▪■□●○◆◇\-–*]|\s$|\s\s|[^\S ]|\u200b")
# What ``_NEEDS_LINE_FORM_RE`` finds first in a line, for a printable line (no spacing but plain spaces, no
# zero-width space): its first character (a bullet or a space).
_LINE_FORM_LEADS = frozenset(" •·◦▪■□●○◆◇-–*")
_NOT_LETTER_RE = re.compile(r"[\W_]+")
_NOT_WORD_RE = re.compile(r"\W+")


def strip_zero_width(text: str) -> str:
    """``text`` without zero-width characters (``ZERO_WIDTH_CHARACTERS``)."""
    for ch in ZERO_WIDTH_CHARACTERS:
        if ch in text:
            text = text.replace(ch, "")
    return text


def fold_spaces(text: str) -> str:
    """Every whitespace run folded to one plain space, the ends trimmed."""
    return " ".join(text.split())


def display_form(text: str) -> str:
    """What a reader sees: whitespace runs folded to one space, zero-width characters dropped, trimmed; NFC."""
    # A plain text has no zero-width character and no spacing to fold: only its ends are trimmed.
    text = text.strip() if _is_plain(text) else _DISPLAY_SPACES_RE.sub(" ", strip_zero_width(text)).strip()
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _is_plain(text: str) -> bool:
    """True when ``text`` holds no zero-width character and no spacing ``display_form`` folds: printable (told in
    one C pass; zero-width characters and all spacing but the plain space are not) and never spaced twice."""
    return text.isprintable() and "  " not in text


def line_form(line: str) -> str:
    """A line as the phrase tables compare it: NFC, a leading list bullet dropped, U+200B dropped, whitespace
    folded, trimmed."""
    if not _needs_line_form(line) and unicodedata.is_normalized("NFC", line):
        return line  # already in line form: the common case when a line is checked again
    if len(line) > MAX_REMEMBERED_LINE_CHARS:
        return _line_form(line)
    # Menus, share bars and footers repeat from page to page of a site: a line put in line form is remembered.
    return _remembered_line_form(line)


def line_forms(lines: list[str]) -> list[str]:
    """``line_form`` of each of ``lines``, in order."""
    forms: list[str] = []
    append, leads, is_normalized = forms.append, _LINE_FORM_LEADS, unicodedata.is_normalized
    for line in lines:
        if not line:  # an empty line, the commonest kind
            append(line)
            continue
        # ``_needs_line_form`` for a printable line, written out: most lines of a page are left as they are.
        if line.isprintable():
            if line[:1] not in leads and not line.endswith(" ") and "  " not in line and is_normalized("NFC", line):
                append(line)
                continue
        elif not _NEEDS_LINE_FORM_RE.search(line) and is_normalized("NFC", line):
            append(line)
            continue
        append(_line_form(line) if len(line) > MAX_REMEMBERED_LINE_CHARS else _remembered_line_form(line))
    return forms


# Lines put in line form at most this long (characters) are remembered, up to REMEMBERED_LINES of them: menus,
# share bars and footers are short, and 8,192 of them are a few MB at most.
MAX_REMEMBERED_LINE_CHARS = 300
REMEMBERED_LINES = 8192
# The list bullets _BULLET_RE drops before a line's text.
_BULLETS = frozenset("•·◦▪■□●○◆◇-–*")


def _line_form(line: str) -> str:
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
    line = line.replace("\u00a0", " ").replace("\u200b", "").strip()
    if line[:1] in _BULLETS:
        line = _BULLET_RE.sub("", line)
    if not line.isprintable() or "  " in line:  # white space other than single plain spaces: folded
        line = _SPACE_RE.sub(" ", line)
    return line.strip()


_remembered_line_form = functools.lru_cache(maxsize=REMEMBERED_LINES)(_line_form)


def _needs_line_form(line: str) -> bool:
    """Whether ``_NEEDS_LINE_FORM_RE`` finds anything in ``line``; a printable line (the common case, told in one C
    pass) is judged by its ends and its double spaces, without a regular-expression scan."""
    if line.isprintable():
        return line[:1] in _LINE_FORM_LEADS or line.endswith(" ") or "  " in line
    return _NEEDS_LINE_FORM_RE.search(line) is not None


def dedup_key(text: str) -> str:
    """The text as repeats are compared: NFKC, zero-width characters and all whitespace removed."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if text.isprintable():  # no zero-width character, no spacing but plain spaces (``_is_plain``): one C pass
        return text.replace(" ", "")
    return "".join(strip_zero_width(text).split())


def letters_only(text: str) -> str:
    """Only the letters and digits of ``dedup_key(text)``, lower-cased."""
    return _NOT_LETTER_RE.sub("", dedup_key(text)).lower()


def letter_count(text: str) -> int:
    """How many word characters (Unicode letters, digits and ``_``) ``text`` holds, as it is."""
    return len(_NOT_WORD_RE.sub("", text))  # the letters left once the rest is gone: one string, no list


# Hangul syllables (U+AC00-U+D7A3) in UTF-16-LE are the code units whose high byte is 0xAC to 0xD7, less those
# from U+D7A4 to U+D7FF (high byte 0xD7, low byte 0xA4 or more), which are rare. Surrogates (a character beyond
# U+FFFF, a lone one) have high bytes 0xD8 to 0xDF.
_NOT_SYLLABLE_HIGH = bytes(b for b in range(256) if not 0xAC <= b <= 0xD7)  # deleted by ``bytes.translate``
_HIGH_D7 = bytes(int(b == 0xD7) for b in range(256))  # each byte to 1 or 0
_LOW_PAST_SYLLABLES = bytes(int(b >= 0xA4) for b in range(256))


def hangul_count(text: str) -> int:
    """How many Hangul syllables ``text`` holds, counted on its UTF-16 code units at C speed (no object per
    syllable): their high bytes, kept by one ``translate``; the few units past U+D7A3 under the same high byte
    are told by their low bytes, one 0-or-1 byte per unit, ANDed as two integers."""
    if text.isascii():
        return 0
    data = text.encode("utf-16-le", "surrogatepass")
    high = data[1::2]
    count = len(high.translate(None, _NOT_SYLLABLE_HIGH))
    if count and b"\xd7" in high:
        past = int.from_bytes(high.translate(_HIGH_D7), "little") & int.from_bytes(
            data[0::2].translate(_LOW_PAST_SYLLABLES), "little"
        )
        count -= past.bit_count()
    return count
