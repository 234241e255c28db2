"""Closing: the base of resources that a ``with`` block closes on leaving (the fetcher, the crawl store)."""

from __future__ import annotations

from typing import Self

__all__ = ["Closing"]


class Closing:
    """``with resource:`` returns the resource and calls its ``close()`` when the block is left, however."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError
