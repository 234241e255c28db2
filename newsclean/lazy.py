"""Lazy patterns: a regular expression compiled the first time it is used, then kept.

Python's ``re`` compiles a class of Hangul syllables (``[가-힣]``) in about a millisecond, and the cleaner's tables
hold dozens of them. Compiled at import they cost every process that imports newsclean, also one that never cleans
a page (``newsclean fetch``, ``newsclean --help``); compiled on first use, only the patterns a run needs are paid,
once per process.

Imports nothing from newsclean: every other module may use it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["LazyPattern"]


# The methods of ``re.Pattern`` a lazy pattern offers; once compiled, they are the compiled pattern's own.
_METHODS = ("search", "match", "fullmatch", "sub", "subn", "finditer", "findall", "split")


class LazyPattern:
    """A ``re.Pattern[str]`` compiled on first use. After that its methods are the compiled pattern's bound
    methods: a call costs what a call on the compiled pattern costs."""

    __slots__ = ("_compiled", "flags", "pattern", *_METHODS)

    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    sub: Callable[..., str]
    subn: Callable[..., tuple[str, int]]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    split: Callable[..., list[str]]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None
        for name in _METHODS:
            setattr(self, name, functools.partial(self._first_call, name))

    def _first_call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.compiled(), name)(*args, **kwargs)

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
            for name in _METHODS:
                setattr(self, name, getattr(self._compiled, name))
        return self._compiled

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"
