"""The registry of content kinds. `content` knows files, parsing, checking and syncing in
general; each domain registers the kinds it owns (tracks and modules, quizzes, role-plays)
with its parser and its sync step, as CTFd registers challenge types."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ContentKind:
    """One kind of content file and what to do with it.

    `name` keys the curriculum table (`curriculum.modules`) and the sync report; `noun` is what
    references and slug claims call an item ("module"); `label` is how messages name it.
    A kind lives either in every file of `folder` matching `patterns`, or in one `single_file`.
    """

    name: str
    noun: str
    label: str
    folder: str
    patterns: tuple[str, ...]
    parse: Callable          # (SourceFile, FileReport) -> list of items with a `slug`
    sync: Callable | None    # (items by slug, SyncReport) -> None; flushes, never commits
    position: int            # load and sync order: what others point at syncs first
    single_file: str | None = None
    model: type | None = None  # the table its items are synced into (has `slug`, `title`)

    def path_for(self, slug: str) -> list[str]:
        """The file paths an item with this slug would normally have."""
        if self.single_file:
            return [self.single_file]
        return [f"{self.folder}/{slug}{pattern.lstrip('*')}" for pattern in self.patterns]


_KINDS: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> ContentKind:
    """Add (or replace) a kind; domains call this when they are imported."""
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests register kinds of their own)."""
    _KINDS.pop(name, None)


def registered() -> list[ContentKind]:
    """Every registered kind in load and sync order."""
    return sorted(_KINDS.values(), key=lambda kind: kind.position)


def model_of(name: str):
    """The table a registered kind syncs into, so a lower layer can name items of a higher
    one (a module lists its quiz's title) without importing it."""
    kind = _KINDS.get(name)
    return kind.model if kind else None


def by_noun(noun: str) -> ContentKind | None:
    return next((kind for kind in _KINDS.values() if kind.noun == noun), None)
