"""Rule conditions: a small tree of tests over one flat fact, compiled to durable-rules.

Every rule tests ONE flat fact (the case seen from one affected leg, plus what earlier strata
concluded), so no condition ever joins facts and none needs durable's order-dependent ``$not``.
Absent means unknown: a test on an absent fact is false, and its negation is true (``not``
of "hip abduction is weak" holds when hip abduction was not examined). The same tree is
evaluated in Python (`holds`) only to explain which facts a fired rule matched and to cross-check
durable-rules in the tests; durable-rules decides what fires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cdss.rulebase.refs import Ref

Props = Mapping[str, Any]
Json = dict[str, Any]

COMPARATORS: dict[str, tuple[str, str, Callable[[Any, Any], bool]]] = {
    # op: (durable operator, durable operator of the complement, python test)
    "le": ("$lte", "$gt", lambda a, b: a <= b),
    "lt": ("$lt", "$gte", lambda a, b: a < b),
    "ge": ("$gte", "$lt", lambda a, b: a >= b),
    "gt": ("$gt", "$lte", lambda a, b: a > b),
}


def _group(op: str, items: list[Json]) -> Json:
    """An $and/$or of items, with nested groups of the same operator merged into it.

    durable-rules allows about 15 groups per rule (two expressions each, 32 at most), so
    nesting is flattened: or(or(a, b), c) is or(a, b, c).
    """
    flat: list[Json] = []
    for item in items:
        if len(item) == 1 and op in item:
            flat.extend(item[op])
        else:
            flat.append(item)
    return flat[0] if len(flat) == 1 else {op: flat}


def or_(items: list[Json]) -> Json:
    return _group("$or", items)


def and_(items: list[Json]) -> Json:
    return _group("$and", items)


def durable_expressions(expr: Any) -> int:
    """How many entries a condition takes in durable-rules' per-rule expression sequence."""
    if isinstance(expr, list):
        return sum(durable_expressions(x) for x in expr)
    if not isinstance(expr, dict):
        return 0
    count = 0
    for key, value in expr.items():
        if key in ("$and", "$or"):
            count += 2
        elif key == "$m":
            count += 1
        count += durable_expressions(value)
    return count


def _absent(prop: str) -> Json:
    return {"$nex": {prop: 1}}


class Condition:
    """Base of the condition tree."""

    def to_durable(self, negate: bool = False) -> Json:
        raise NotImplementedError

    def holds(self, props: Props) -> bool:
        raise NotImplementedError

    def leaves(self) -> Iterator[Leaf]:
        raise NotImplementedError

    def mirrored(self) -> Condition:
        """The same test with the affected leg (A) and the other leg (O) swapped."""
        raise NotImplementedError

    def matched(self, props: Props) -> list[Leaf]:
        """The leaves that made this condition true for props (the rule's evidence)."""
        out: list[Leaf] = []
        self._collect(props, True, out)
        return out

    def _collect(self, props: Props, want: bool, out: list[Leaf]) -> None:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Leaf(Condition):
    """One test on one property of the flat fact.

    op is one of: is, eq, in, le, lt, ge, gt (against a literal), le_fact.. gt_fact (against
    another fact), known, has (set membership). `ref` is what it tests (kind, section, field,
    leg; its name is the one shown to clinicians); `prop` the durable property.
    """

    ref: Ref
    prop: str
    op: str
    value: Any = None
    other: Ref | None = None  # for *_fact comparisons
    other_prop: str = ""
    # `holds` as one closure built at load: the explanations test every matched leaf per call
    _test: Callable[[Props], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_test", _leaf_test(self.op, self.prop, self.value, self.other_prop)
        )

    @property
    def name(self) -> str:
        return self.ref.name

    @property
    def other_name(self) -> str:
        return self.other.name if self.other is not None else ""

    def _positive(self) -> Json:
        p, v = self.prop, self.value
        if self.op in ("is", "eq"):
            return {p: v}
        if self.op == "in":
            return or_([{p: x} for x in v])
        if self.op in COMPARATORS:
            return {COMPARATORS[self.op][0]: {p: v}}
        if self.op.endswith("_fact"):
            return {COMPARATORS[self.op[:-5]][0]: {p: {"$m": self.other_prop}}}
        if self.op == "known":
            return {"$ex": {p: 1}} if v else _absent(p)
        if self.op == "has":
            return {p: True}
        raise ValueError(self.op)

    def _negative(self) -> Json:
        p, v = self.prop, self.value
        if self.op == "is":
            return or_([_absent(p), {p: not v}])
        if self.op == "eq":
            return or_([_absent(p), {"$neq": {p: v}}])
        if self.op == "in":
            return or_([_absent(p), and_([{"$neq": {p: x}} for x in v])])
        if self.op in COMPARATORS:
            return or_([_absent(p), {COMPARATORS[self.op][1]: {p: v}}])
        if self.op.endswith("_fact"):
            flip = COMPARATORS[self.op[:-5]][1]
            return or_([_absent(p), _absent(self.other_prop), {flip: {p: {"$m": self.other_prop}}}])
        if self.op == "known":
            return _absent(p) if v else {"$ex": {p: 1}}
        if self.op == "has":
            return _absent(p)
        raise ValueError(self.op)

    def to_durable(self, negate: bool = False) -> Json:
        return self._negative() if negate else self._positive()

    def holds(self, props: Props) -> bool:
        """Whether the test holds (absent facts never hold)."""
        return self._test(props)

    def leaves(self) -> Iterator[Leaf]:
        yield self

    def _collect(self, props: Props, want: bool, out: list[Leaf]) -> None:
        if self.holds(props) == want:
            out.append(self)

    def mirrored(self) -> Leaf:
        other = self.other.mirrored() if self.other is not None else None
        return Leaf(
            self.ref.mirrored(),
            _mirrored_prop(self.ref, self.prop),
            self.op,
            self.value,
            other,
            _mirrored_prop(self.other, self.other_prop) if other is not None else "",
        )


def _leaf_test(op: str, prop: str, value: Any, other_prop: str) -> Callable[[Props], bool]:
    """The test of one leaf on a flat fact: absent facts never hold, except for ``known``
    false (the fact is unrecorded)."""
    if op == "known":
        want = bool(value)
        return lambda p: (p.get(prop) is not None) == want
    if op in ("is", "eq"):
        return lambda p: (v := p.get(prop)) is not None and bool(v == value)
    if op == "in":
        return lambda p: (v := p.get(prop)) is not None and v in value
    if op in COMPARATORS:
        test = COMPARATORS[op][2]
        return lambda p: (v := p.get(prop)) is not None and test(v, value)
    if op.endswith("_fact") and op[:-5] in COMPARATORS:
        test = COMPARATORS[op[:-5]][2]
        return lambda p: (
            (v := p.get(prop)) is not None and (o := p.get(other_prop)) is not None and test(v, o)
        )
    if op == "has":
        return lambda p: p.get(prop) is True

    def unknown(p: Props) -> bool:
        raise ValueError(op)

    return unknown


def _mirrored_prop(ref: Ref | None, prop: str) -> str:
    """The property of a leg fact on the other leg (A_x <-> O_x; members keep their suffix)."""
    if ref is None or ref.leg is None:
        return prop
    return f"{ref.leg.mirrored.value}_{prop[2:]}"


@dataclass(frozen=True, slots=True)
class AllOf(Condition):
    items: tuple[Condition, ...]

    def to_durable(self, negate: bool = False) -> Json:
        parts = [c.to_durable(negate) for c in self.items]
        return or_(parts) if negate else and_(parts)

    def holds(self, props: Props) -> bool:
        return all(c.holds(props) for c in self.items)

    def leaves(self) -> Iterator[Leaf]:
        for c in self.items:
            yield from c.leaves()

    def _collect(self, props: Props, want: bool, out: list[Leaf]) -> None:
        for c in self.items:
            if want or not c.holds(props):
                c._collect(props, want, out)

    def mirrored(self) -> AllOf:
        return AllOf(tuple(c.mirrored() for c in self.items))


@dataclass(frozen=True, slots=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]

    def to_durable(self, negate: bool = False) -> Json:
        parts = [c.to_durable(negate) for c in self.items]
        return and_(parts) if negate else or_(parts)

    def holds(self, props: Props) -> bool:
        return any(c.holds(props) for c in self.items)

    def leaves(self) -> Iterator[Leaf]:
        for c in self.items:
            yield from c.leaves()

    def _collect(self, props: Props, want: bool, out: list[Leaf]) -> None:
        for c in self.items:
            if c.holds(props) == want:
                c._collect(props, want, out)

    def mirrored(self) -> AnyOf:
        return AnyOf(tuple(c.mirrored() for c in self.items))


@dataclass(frozen=True, slots=True)
class Not(Condition):
    item: Condition

    def to_durable(self, negate: bool = False) -> Json:
        return self.item.to_durable(not negate)

    def holds(self, props: Props) -> bool:
        return not self.item.holds(props)

    def leaves(self) -> Iterator[Leaf]:
        yield from self.item.leaves()

    def _collect(self, props: Props, want: bool, out: list[Leaf]) -> None:
        self.item._collect(props, not want, out)

    def mirrored(self) -> Not:
        return Not(self.item.mirrored())


@dataclass(frozen=True, slots=True)
class Described(Condition):
    """A condition written in the rule file as one phrase (e.g. a drug class) and expanded into
    tests on several facts; it behaves as `item` and reads as `text` in the catalogue."""

    text: str
    item: Condition

    def to_durable(self, negate: bool = False) -> Json:
        return self.item.to_durable(negate)

    def holds(self, props: Props) -> bool:
        return self.item.holds(props)

    def leaves(self) -> Iterator[Leaf]:
        yield from self.item.leaves()

    def _collect(self, props: Props, want: bool, out: list[Leaf]) -> None:
        self.item._collect(props, want, out)

    def mirrored(self) -> Described:
        return Described(self.text, self.item.mirrored())
