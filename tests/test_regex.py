"""Every regular expression in the package runs in linear time on adversarial strings of 10k and 100k characters.

The patterns are collected, not listed: every compiled (or lazily compiled) pattern reachable from a module's
globals (inside tuples, dicts, site rules and matcher objects too), and every pattern given as a literal to a
``re`` function inside a function body (found in the source). A pattern built from run-time values cannot be
checked, so it fails the test: compile it at module level instead.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import signal
from collections.abc import Iterator
from types import FrameType, ModuleType

import pytest

import newsclean
from newsclean.lazy import LazyPattern

# Generous bound for one pattern on one string: a linear scan of 100k characters takes milliseconds, a quadratic
# one tens of seconds.
SECONDS_PER_RUN = 2.0
SIZES = (10_000, 100_000)
# Characters repeated alone and after each word of a pattern: spacing, letters, digits, Hangul, punctuation.
ATOMS = (" ", "\n", "\t", "\u00a0", "a", "1", "가", ".", "&", "@", "=", "<", "-", ",", "#", "/", "(", "'", ":")
SPACES = (" ", "\t", "\u00a0")
# Words of a pattern's source repeated (the first and last of a long alternation): enough to reach each branch kind.
MAX_WORDS = 6
# Length of the short strings every word of a pattern is repeated in.
SHORT_RUN = 200
_WORD_RE = re.compile(r"[A-Za-z가-힣]{2,}")
_RE_FUNCTIONS = frozenset({"match", "search", "fullmatch", "sub", "subn", "split", "finditer", "findall"})


def _modules() -> list[ModuleType]:
    names = [info.name for info in pkgutil.walk_packages(newsclean.__path__, "newsclean.")]
    return [newsclean, *(importlib.import_module(name) for name in sorted(names))]


def _reachable(value: object, seen: set[int]) -> Iterator[re.Pattern[str] | re.Pattern[bytes]]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, LazyPattern):
        yield value.compiled()
    elif isinstance(value, dict):
        for item in value.values():
            yield from _reachable(item, seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _reachable(item, seen)
    elif type(value).__module__.startswith("newsclean") and not inspect.isclass(value):
        slots = [s for cls in type(value).__mro__ for s in getattr(cls, "__slots__", ())]
        attrs = [*getattr(value, "__dict__", {}).values(), *(getattr(value, s, None) for s in slots)]
        for item in attrs:
            yield from _reachable(item, seen)


def _inline_patterns(module: ModuleType) -> Iterator[tuple[str, str | None]]:
    """(where, pattern) for each pattern passed to a ``re`` function in the module's source; ``None`` when the
    pattern is built from run-time values."""
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return
    for node in ast.walk(ast.parse(source)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _RE_FUNCTIONS
            and node.args
        ):
            continue
        where = f"{module.__name__}:{node.lineno}"
        try:
            pattern = eval(compile(ast.Expression(node.args[0]), where, "eval"), vars(module))
        except NameError:
            yield where, None
            continue
        yield where, pattern if isinstance(pattern, str) else None


def _table_patterns(module: ModuleType) -> Iterator[tuple[str, str]]:
    """(where, source) for each regular expression written as a string in a table named ``*_PATTERN(S)``
    (``newsclean.phrases``): each is checked alone, not only inside the alternation a module builds of them."""
    for name, value in vars(module).items():
        if not name.endswith(("_PATTERN", "_PATTERNS")):
            continue
        values = value.values() if isinstance(value, dict) else [value]
        for group, item in enumerate(values):
            sources = [item] if isinstance(item, str) else list(item)
            for i, source in enumerate(sources):
                yield f"{name}[{group}][{i}]", source


def collect_patterns() -> tuple[dict[str, re.Pattern[str] | re.Pattern[bytes]], list[str]]:
    """Every pattern of the package by where it is, and where patterns are built from run-time values."""
    found: dict[str, re.Pattern[str] | re.Pattern[bytes]] = {}
    dynamic: list[str] = []
    seen: set[int] = set()
    for module in _modules():
        for name, value in vars(module).items():
            if isinstance(value, ModuleType):
                continue
            for i, pattern in enumerate(_reachable(value, seen)):
                found.setdefault(f"{module.__name__}.{name}[{i}]", pattern)
        for name, source in _table_patterns(module):
            found[f"{module.__name__}.{name}"] = re.compile(source)
        for where, source in _inline_patterns(module):
            if source is None:
                dynamic.append(where)
            else:
                found[where] = re.compile(source)
    return found, dynamic


PATTERNS, DYNAMIC = collect_patterns()


def adversarial_strings(pattern: re.Pattern[str] | re.Pattern[bytes], size: int) -> Iterator[str]:
    """Runs of one character, runs of each word of the pattern, and each word or sentence end followed by a run
    of spacing, each ending in a character the pattern is unlikely to want."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    words = list(dict.fromkeys(_WORD_RE.findall(source)))
    # Every word repeated in a short string: an exponential pattern shows at a hundred characters.
    for word in words:
        yield (word * (SHORT_RUN // len(word) + 1))[:SHORT_RUN] + " x"
    if len(words) > MAX_WORDS:
        words = words[: MAX_WORDS // 2] + words[-MAX_WORDS // 2 :]
    for atom in ATOMS:
        yield atom * size + "\x00"
    for word in words:
        yield (word * (size // len(word) + 1))[:size] + " x"
        yield (word + " ") * (size // (len(word) + 1)) + "\x00"
        for space in SPACES[:2]:
            yield word + space * size + "\x00"
    for first in (".", "다.", "=", "가", "a"):
        for space in SPACES:
            yield (first + space * 50) * (size // 51) + "\x00"


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


@pytest.mark.parametrize("size", SIZES)
def test_every_pattern_is_linear(size: int) -> None:
    slow: list[str] = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for where, pattern in PATTERNS.items():
            for text in adversarial_strings(pattern, size):
                subject: str | bytes = text.encode() if isinstance(pattern.pattern, bytes) else text
                signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_RUN)
                try:
                    for _ in pattern.finditer(subject):  # type: ignore[arg-type]
                        pass
                except _Timeout:
                    slow.append(f"{where} {pattern.pattern[:60]!r} on {text[:12]!r}…")
                    break
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not slow, "patterns slower than linear:\n" + "\n".join(slow)


def test_patterns_are_collected() -> None:
    where = " ".join(PATTERNS)
    for module in (
        "newsclean.clean.dates",
        "newsclean.clean.boilerplate",
        "newsclean.clean.metadata",
        "newsclean.clean.page",
        "newsclean.phrases",
        "newsclean.text",
        "newsclean.clean.markup",
    ):
        assert module in where
    # Each pattern of a phrase table is checked on its own.
    assert "newsclean.phrases.EDGE_LINE_PATTERNS[0][0]" in PATTERNS
    assert "newsclean.phrases.BODY_END_PATTERNS[0][0]" in PATTERNS
    assert len(PATTERNS) > 50


def test_no_pattern_built_at_run_time() -> None:
    assert not DYNAMIC, f"patterns built from run-time values (compile them at module level): {DYNAMIC}"
