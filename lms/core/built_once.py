"""Statements built once per process and shape.

Some statements (a CASE per module, a column per tagged question) cost more to build than to
run for a small cohort. They depend only on content (modules, tests, versions), so each
process keeps the ones it built, keyed by that shape, with their values as bind parameters.
Content changes give new keys; past `limit` the cache starts again, costing one build more
rather than memory without bound. Nothing here is shared between app servers, nor needs to be.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class BuiltOnce(Generic[T]):
    def __init__(self, limit: int = 64):
        self.limit = limit
        self._built: dict[Hashable, T] = {}

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        if key not in self._built:
            if len(self._built) >= self.limit:
                self._built.clear()
            self._built[key] = build()
        return self._built[key]

    def clear(self) -> None:
        self._built.clear()
