"""One item of the answer per alert kind, test, treatment, request or withheld item, however
many rules raised it: the conclusions of one type grouped by what they name, in firing order."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from cdss.engine import Firing
from cdss.rulebase.compiler import CompiledRule

C = TypeVar("C")
K = TypeVar("K", bound=Hashable)


@dataclass(slots=True)
class Merged(Generic[C]):
    """The conclusions that name one item, each with the firing that concluded it."""

    best: C  # the conclusion that speaks for the item (the first with the best rank)
    items: list[tuple[C, Firing]] = field(default_factory=list)
    firings: list[Firing] = field(default_factory=list)  # those of items, kept as they grow


# per compiled rule name, its conclusions of the types an answer lists, each with its type
Listed = dict[str, tuple[tuple[type, Any], ...]]


def listed_conclusions(rules: Iterable[CompiledRule], kinds: tuple[type, ...]) -> Listed:
    """Per compiled rule, its conclusions of `kinds` in order (built once, at load: most
    conclusions are findings and evidence, which the answer does not list)."""
    return {r.name: tuple((type(c), c) for c in r.rule.then if type(c) in kinds) for r in rules}


class ByKind:
    """The conclusions of an evaluation's firings by type, each with the firing that concluded
    it, in firing order: one pass over the firings for every kind the answer lists (those of
    `listed`, from listed_conclusions)."""

    def __init__(self, firings: Iterable[Firing], listed: Listed) -> None:
        self._items: dict[type, list[tuple[Any, Firing]]] = {}
        for f in firings:
            for kind, c in listed[f.rule.name]:
                self._items.setdefault(kind, []).append((c, f))

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
            out[k] = Merged(c, [(c, f)], [f])
            continue
        merged.items.append((c, f))
        merged.firings.append(f)
        if rank is not None and rank(c) < rank(merged.best):
            merged.best = c
    return out
