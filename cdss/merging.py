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


def merge(
    firings: Iterable[Firing],
    kind: type[C],
    key: Callable[[C], K],
    rank: Callable[[C], Any] | None = None,
) -> dict[K, Merged[C]]:
    """Group every conclusion of type `kind` by `key`, items in firing order. Each group's
    `best` is its first conclusion, or with `rank` the first with the lowest rank."""
    out: dict[K, Merged[C]] = {}
    for f in firings:
        for c in f.rule.rule.then:
            if isinstance(c, kind):
                k = key(c)
                group = out.get(k)
                if group is None:
                    out[k] = Merged(c, [(c, f)])
                    continue
                group.items.append((c, f))
                if rank is not None and rank(c) < rank(group.best):
                    group.best = c
    return out
