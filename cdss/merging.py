"""One item of the answer per alert kind, test, treatment, request or withheld item, however
many rules raised it: the conclusions of one type grouped by what they name, in firing order."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from cdss.engine import Firing

C = TypeVar("C")
K = TypeVar("K", bound=Hashable)


@dataclass(slots=True)
class Merged(Generic[C]):
    """The conclusions that name one item, each with the firing that concluded it."""

    best: C  # the conclusion that speaks for the item (the first with the best rank)
    items: list[tuple[C, Firing]] = field(default_factory=list)

    @property
    def firings(self) -> list[Firing]:
        return [f for _, f in self.items]

    @property
    def conclusions(self) -> list[C]:
        return [c for c, _ in self.items]


class ByKind:
    """The conclusions of an evaluation's firings by type, each with the firing that concluded
    it, in firing order: one pass over the firings for every kind the answer lists."""

    def __init__(self, firings: Iterable[Firing]) -> None:
        self._items: dict[type, list[tuple[Any, Firing]]] = {}
        for f in firings:
            for c in f.rule.rule.then:
                self._items.setdefault(type(c), []).append((c, f))

    def of(self, kind: type[C]) -> list[tuple[C, Firing]]:
        """Every conclusion of type `kind` (exactly: conclusion types have no subclasses)."""
        return self._items.get(kind, [])


def group(
    items: Iterable[tuple[C, Firing]],
    key: Callable[[C], K],
    rank: Callable[[C], Any] | None = None,
) -> dict[K, Merged[C]]:
    """Group conclusions by `key`, items in order. Each group's `best` is its first
    conclusion, or with `rank` the first with the lowest rank."""
    out: dict[K, Merged[C]] = {}
    for c, f in items:
        k = key(c)
        merged = out.get(k)
        if merged is None:
            out[k] = Merged(c, [(c, f)])
            continue
        merged.items.append((c, f))
        if rank is not None and rank(c) < rank(merged.best):
            merged.best = c
    return out
