"""The facts behind each fired rule: what its condition matched, and the case facts behind the
findings it used (traced back through the rules that concluded them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple

from cdss.decision import FactValue, RuleRef
from cdss.engine import Firing
from cdss.flatten import Unit
from cdss.names import trace_name
from cdss.rulebase.compiled_conditions import Matched
from cdss.rulebase.compiler import CompiledRule, CompiledRuleBase
from cdss.rulebase.conditions import Leaf
from cdss.vocabulary import CauseCategory, Leg

FiringKey = tuple[str, int]  # (compiled rule name, unit): a rule fires at most once per unit
CauseKey = tuple[CauseCategory, int]  # (cause, direction: +1 for, -1 against)


def leg_specific(compiled: CompiledRuleBase) -> dict[str, bool]:
    """Per compiled rule: whether its condition reads a leg (its references name the leg)."""
    return {
        name: any(leaf.ref.leg is not None for leaf in rule.condition.leaves())
        for name, rule in compiled.by_name.items()
    }


# per leaf (by id: the leaves live as long as the compiled rule base), the names a fact shows
# on each leg: its own and that of the fact it is compared with
LegNames = dict[Leg | None, tuple[str, str]]
LeafNames = dict[int, LegNames]
LEGS: tuple[Leg | None, ...] = (None, Leg.LEG_LEFT, Leg.LEG_RIGHT)  # a unit's leg, if any


def _leg_names(leaf: Leaf) -> LegNames:
    return {
        leg: (
            trace_name(leaf.ref, leg),
            trace_name(leaf.other, leg) if leaf.other is not None else "",
        )
        for leg in LEGS
    }


def leaf_names(compiled: CompiledRuleBase) -> LeafNames:
    """The trace names of every leaf of every compiled rule on each leg, built at load."""
    out: LeafNames = {}
    for rule in compiled.by_name.values():
        for leaf in rule.condition.leaves():
            out[id(leaf)] = _leg_names(leaf)
    return out


ShowFact = Callable[[Mapping[str, Any]], FactValue]  # a unit's props -> the fact, on one leg


def _show_fact(leaf: Leaf, name: str, other: str) -> ShowFact:
    """How the trace shows one leaf on one leg (name, other: its names there), as a function of
    the unit's props, built once: a fact shown only by whether it is set (a finding, a set
    membership, a cause's yes/no) is one of the two FactValues made here; the others show the
    value the props hold."""
    prop, ref = leaf.prop, leaf.ref
    texts: tuple[str, str] | None = None  # (set, unset)
    if ref.tests_causes:
        texts = ("yes", "no") if leaf.op == "has" else None
    elif ref.is_finding:
        texts = ("present", "absent")
    elif leaf.op == "has":
        texts = (f"includes {leaf.value}", f"does not include {leaf.value}")
    if texts is not None:
        is_set, unset = FactValue(name, texts[0]), FactValue(name, texts[1])

        def by_truth(props: Mapping[str, Any]) -> FactValue:
            return is_set if props.get(prop) else unset

        return by_truth
    if leaf.other is not None and not ref.tests_causes:
        other_prop = leaf.other_prop

        def compared(props: Mapping[str, Any]) -> FactValue:
            value, against = show(props.get(prop)), show(props.get(other_prop))
            return FactValue(name, f"{value} (vs {other} = {against})")

        return compared

    def shown(props: Mapping[str, Any]) -> FactValue:
        return FactValue(name, show(props.get(prop)))

    return shown


class LeafFact(NamedTuple):
    """What the explanations read of one leaf on one leg, per matched leaf of every firing."""

    is_finding: bool
    prop: str
    show: ShowFact


@dataclass(frozen=True, slots=True)
class TraceTables:
    """What the trace reads of each compiled rule and leaf, built once when the rule base is
    loaded so that an answer only looks it up."""

    leg_specific: dict[str, bool]  # compiled rule name -> its condition reads a leg
    leaves: dict[Leg | None, dict[int, LeafFact]]  # per leg, by id(leaf): every compiled leaf
    causes: dict[str, tuple[tuple[CauseKey, float], ...]]  # rule name -> its evidence weights

    @classmethod
    def build(cls, compiled: CompiledRuleBase) -> TraceTables:
        names = leaf_names(compiled)
        leaves = {
            leg: {
                id(leaf): LeafFact(
                    leaf.ref.is_finding, leaf.prop, _show_fact(leaf, *names[id(leaf)][leg])
                )
                for rule in compiled.by_name.values()
                for leaf in rule.condition.leaves()
            }
            for leg in LEGS
        }
        causes = {
            name: tuple(
                ((w.evidence.cause, w.evidence.direction), w.evidence.weight) for w in rule.evidence
            )
            for name, rule in compiled.by_name.items()
        }
        return cls(leg_specific(compiled), leaves, causes)


class _UnitEvidence:
    """One unit's part of a trace: its props, the leaf table of its leg, the rule that
    concluded each finding on it, and the evidence worked out so far (a firing's evidence
    reads only its own unit, so the recursion stays here)."""

    __slots__ = ("concluded", "known", "leaves", "props")

    def __init__(self, props: dict[str, Any], leaves: dict[int, LeafFact]) -> None:
        self.props = props
        self.leaves = leaves
        self.concluded: dict[str, CompiledRule] = {}  # finding property -> the rule that set it
        self.known: dict[str, tuple[FactValue, ...]] = {}  # compiled rule name -> its evidence

    def of(self, rule: CompiledRule) -> tuple[FactValue, ...]:
        found = self.known.get(rule.name)
        if found is not None:
            return found
        props, leaves, concluded = self.props, self.leaves, self.concluded
        out: list[FactValue] = []
        for leaf, holds in rule.match(props):
            if not holds:
                continue  # matched by an absence ("not ..."): shown in the trace only
            is_finding, prop, show_fact = leaves[id(leaf)]
            if not is_finding:
                out.append(show_fact(props))
            elif props.get(prop) and (source := concluded.get(prop)) is not None:
                # the concluding rule is in an earlier stratum, so this recursion always ends
                out += self.of(source)
        found = self.known[rule.name] = tuple(dict.fromkeys(out)) if len(out) > 1 else tuple(out)
        return found


@dataclass(frozen=True, slots=True)
class EvidenceTrace:
    """The firings of one evaluation with the facts each unit ended with."""

    units: list[Unit]
    props: list[dict[str, Any]]
    by_cause: dict[CauseKey, list[tuple[float, Firing]]]
    tables: TraceTables
    _units: list[_UnitEvidence]  # per unit, what its evidence reads and what is known of it
    _facts: dict[FiringKey, tuple[FactValue, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        units: list[Unit],
        props: list[dict[str, Any]],
        firings: list[Firing],
        tables: TraceTables,
    ) -> EvidenceTrace:
        on_unit = [
            _UnitEvidence(p, tables.leaves[u.leg]) for u, p in zip(units, props, strict=True)
        ]
        by_cause: dict[CauseKey, list[tuple[float, Firing]]] = {}
        causes = tables.causes
        for f in firings:
            rule = f.rule
            if rule.finding_props:
                concluded = on_unit[f.unit].concluded
                for prop in rule.finding_props:
                    concluded.setdefault(prop, rule)
            for key, weight in causes[rule.name]:
                by_cause.setdefault(key, []).append((weight, f))
        return cls(units, props, by_cause, tables, on_unit)

    def matched(self, firing: Firing) -> Matched:
        """The leaves that made the firing's condition true, each with whether it holds (not
        kept: the evidence reads it once per firing, the trace once more)."""
        return firing.rule.match(self.props[firing.unit])

    def leg(self, firing: Firing) -> Leg | None:
        return self.units[firing.unit].leg

    def fact_values(self, firing: Firing) -> tuple[FactValue, ...]:
        """Every leaf of the rule's condition that held, as the trace shows it."""
        key = (firing.rule.name, firing.unit)
        if key not in self._facts:
            props = self.props[firing.unit]
            leaves = self.tables.leaves[self.leg(firing)]
            out = [leaves[id(leaf)].show(props) for leaf, _ in self.matched(firing)]
            self._facts[key] = tuple(dict.fromkeys(out))
        return self._facts[key]

    def evidence(self, firing: Firing) -> tuple[FactValue, ...]:
        """The case facts behind a firing: findings it matched are replaced by the facts of the
        rules that concluded them (recursively); what it matched by an absence ("not ...") is
        left out (it is in the trace)."""
        return self._units[firing.unit].of(firing.rule)

    def facts_of(self, firings: Sequence[Firing]) -> tuple[FactValue, ...]:
        """The evidence of several firings, each fact once (one firing's has each once)."""
        if len(firings) == 1:
            return self.evidence(firings[0])
        return tuple(dict.fromkeys(chain.from_iterable(map(self.evidence, firings))))

    def ref(self, firing: Firing, weight: float = 0.0, with_facts: bool = True) -> RuleRef:
        r = firing.rule.rule
        leg = self.units[firing.unit].leg if self.tables.leg_specific[firing.rule.name] else None
        return RuleRef(r.id, r.title, leg, self.evidence(firing) if with_facts else (), weight)

    def refs(
        self, cause: CauseCategory, direction: int, with_facts: bool = True
    ) -> tuple[RuleRef, ...]:
        """The rules for (direction +1) or against (-1) a cause, each once with its largest
        weight, strongest first (without the facts behind them unless with_facts)."""
        best: dict[str, tuple[float, Firing]] = {}
        for weight, f in self.by_cause.get((cause, direction), ()):
            rid = f.rule.rule.id
            if rid not in best or weight > best[rid][0]:
                best[rid] = (weight, f)
        # stable, as sorting by -weight is: equal weights keep the order they fired in
        ordered = sorted(best.values(), key=itemgetter(0), reverse=True)
        return tuple([self.ref(f, w, with_facts) for w, f in ordered])


def show(value: Any) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def rule_ids(firings: Iterable[Firing]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([f.rule.rule.id for f in firings]))
