"""The facts behind each fired rule: what its condition matched, and the case facts behind the
findings it used (traced back through the rules that concluded them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cdss.decision import FactValue, RuleRef
from cdss.engine import Firing
from cdss.flatten import Unit
from cdss.names import trace_name
from cdss.rulebase.compiled_conditions import Matched
from cdss.rulebase.compiler import CompiledRuleBase
from cdss.rulebase.conditions import Leaf
from cdss.vocabulary import CauseCategory, Leg

FiringKey = tuple[str, int]  # (compiled rule name, unit): a rule fires at most once per unit


def _key(firing: Firing) -> FiringKey:
    return (firing.rule.name, firing.unit)


def leg_specific(compiled: CompiledRuleBase) -> dict[str, bool]:
    """Per compiled rule: whether its condition reads a leg (its references name the leg)."""
    return {
        name: any(leaf.ref.leg is not None for leaf in rule.condition.leaves())
        for name, rule in compiled.by_name.items()
    }


# per leaf (by id: the leaves live as long as the compiled rule base), the names a fact shows
# on each leg: its own and that of the fact it is compared with
LeafNames = dict[int, dict[Leg | None, tuple[str, str]]]
_LEGS: tuple[Leg | None, ...] = (None, Leg.LEG_LEFT, Leg.LEG_RIGHT)


def leaf_names(compiled: CompiledRuleBase) -> LeafNames:
    """The trace names of every leaf of every compiled rule on each leg, built at load."""
    out: LeafNames = {}
    for rule in compiled.by_name.values():
        for leaf in rule.condition.leaves():
            out[id(leaf)] = {
                leg: (
                    trace_name(leaf.ref, leg),
                    trace_name(leaf.other, leg) if leaf.other is not None else "",
                )
                for leg in _LEGS
            }
    return out


@dataclass(frozen=True, slots=True)
class EvidenceTrace:
    """The firings of one evaluation with the facts each unit ended with."""

    units: list[Unit]
    props: list[dict[str, Any]]
    concluded_by: dict[tuple[int, str], Firing]  # (unit, finding property) -> the rule that set it
    by_cause: dict[tuple[CauseCategory, int], list[tuple[float, Firing]]]
    leg_specific: dict[str, bool]  # compiled rule name -> its condition reads a leg
    names: LeafNames  # from leaf_names
    _matched: dict[FiringKey, Matched] = field(default_factory=dict)  # caches, per firing
    _facts: dict[FiringKey, tuple[FactValue, ...]] = field(default_factory=dict)
    _evidence: dict[FiringKey, tuple[FactValue, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        units: list[Unit],
        props: list[dict[str, Any]],
        firings: list[Firing],
        leg_specific: dict[str, bool],
        names: LeafNames | None = None,
    ) -> EvidenceTrace:
        concluded: dict[tuple[int, str], Firing] = {}
        by_cause: dict[tuple[CauseCategory, int], list[tuple[float, Firing]]] = {}
        for f in firings:
            for prop in f.rule.finding_props:
                concluded.setdefault((f.unit, prop), f)
            for w in f.rule.evidence:
                e = w.evidence
                by_cause.setdefault((e.cause, e.direction), []).append((e.weight, f))
        return cls(units, props, concluded, by_cause, leg_specific, names or {})

    def matched(self, firing: Firing) -> Matched:
        """The leaves that made the firing's condition true, each with whether it holds."""
        key = _key(firing)
        if key not in self._matched:
            self._matched[key] = firing.rule.match(self.props[firing.unit])
        return self._matched[key]

    def leg(self, firing: Firing) -> Leg | None:
        return self.units[firing.unit].leg

    def fact_values(self, firing: Firing) -> tuple[FactValue, ...]:
        """Every leaf of the rule's condition that held, as the trace shows it."""
        key = _key(firing)
        if key not in self._facts:
            props = self.props[firing.unit]
            leg = self.leg(firing)
            names = self.names
            out = [fact_value(leaf, props, leg, names) for leaf, _ in self.matched(firing)]
            self._facts[key] = tuple(dict.fromkeys(out))
        return self._facts[key]

    def evidence(self, firing: Firing) -> tuple[FactValue, ...]:
        """The case facts behind a firing: findings it matched are replaced by the facts of the
        rules that concluded them (recursively); what it matched by an absence ("not ...") is
        left out (it is in the trace)."""
        key = _key(firing)
        if key in self._evidence:
            return self._evidence[key]
        props = self.props[firing.unit]
        leg = self.leg(firing)
        names = self.names
        out: list[FactValue] = []
        for leaf, holds in self.matched(firing):
            if not holds:
                continue  # matched by an absence ("not ..."): shown in the trace only
            if not leaf.ref.is_finding:
                out.append(fact_value(leaf, props, leg, names))
                continue
            source = self.concluded_by.get((firing.unit, leaf.prop))
            if source is None or not props.get(leaf.prop):
                continue
            # the concluding rule is in an earlier stratum, so this recursion always ends
            out.extend(self.evidence(source))
        self._evidence[key] = tuple(dict.fromkeys(out))
        return self._evidence[key]

    def facts_of(self, firings: Iterable[Firing]) -> tuple[FactValue, ...]:
        """The evidence of several firings, each fact once."""
        return tuple(dict.fromkeys(f for firing in firings for f in self.evidence(firing)))

    def ref(self, firing: Firing, weight: float = 0.0, with_facts: bool = True) -> RuleRef:
        r = firing.rule.rule
        leg = self.leg(firing) if self.leg_specific[firing.rule.name] else None
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
        ordered = sorted(best.values(), key=lambda wf: -wf[0])
        return tuple(self.ref(f, w, with_facts) for w, f in ordered)


def fact_value(
    leaf: Leaf, props: Mapping[str, Any], leg: Leg | None, names: LeafNames | None = None
) -> FactValue:
    """How the trace shows one leaf on props (names: from leaf_names, else computed)."""
    known = names.get(id(leaf)) if names is not None else None
    if known is not None:
        name, other = known[leg]
    else:
        name = trace_name(leaf.ref, leg)
        other = trace_name(leaf.other, leg) if leaf.other is not None else ""
    value = props.get(leaf.prop)
    if leaf.ref.tests_causes:
        return FactValue(name, show(value) if leaf.op != "has" else ("yes" if value else "no"))
    if leaf.ref.is_finding:
        return FactValue(name, "present" if value else "absent")
    if leaf.op == "has":
        text = f"includes {leaf.value}" if value else f"does not include {leaf.value}"
        return FactValue(name, text)
    if leaf.other is not None:
        return FactValue(name, f"{show(value)} (vs {other} = {show(props.get(leaf.other_prop))})")
    return FactValue(name, show(value))


def show(value: Any) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def rule_ids(firings: Iterable[Firing]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.rule.rule.id for f in firings))
