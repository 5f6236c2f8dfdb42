"""Rule conditions from their YAML: one parser per kind of condition, chosen by a table.

Each parser checks its node against the vocabulary (facts and their types, findings, causes,
drug classes) and returns the condition tree (cdss.rulebase.conditions) with typed
references (cdss.rulebase.refs), or None after reporting the problem.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from cdss.rulebase.conditions import COMPARATORS, AllOf, AnyOf, Condition, Described, Leaf, Not
from cdss.rulebase.fact_types import FactType, member_property, property_name
from cdss.rulebase.parsing import FINDING, INTERNAL_KEYS, Context, ParserState, node_kind, suggest
from cdss.rulebase.refs import (
    cause_property,
    cause_ref,
    close_call_property,
    close_call_ref,
    fact_ref,
    finding_ref,
)
from cdss.vocabulary import CauseCategory

FACT_FACT_OPS = tuple(f"{op}_fact" for op in COMPARATORS)
OPS_BY_KIND = {
    "bool": ("is", "known"),
    "int": ("eq", "in", "le", "lt", "ge", "gt", "known", *FACT_FACT_OPS),
    "float": ("le", "lt", "ge", "gt", "known", *FACT_FACT_OPS),
    "enum": ("eq", "in", "known"),
    "set": ("has", "has_any", "known"),
}
DRUG_TIMING = ("before_onset", "all_after_onset", "unknown")
Parser = Callable[[Context, dict[str, Any]], Condition | None]


class ConditionParser:
    def __init__(self, state: ParserState) -> None:
        self.state = state
        # the key that names the kind of condition -> its parser (in the order messages list)
        self._parsers: dict[str, Parser] = {
            "all": self._group,
            "any": self._group,
            "of": self._n_of,
            "not": self._not,
            "fact": self._fact,
            "finding": self._finding,
            "cause": self._cause,
            "close_call": self._close_call,
            "drug": self._drug,
        }

    def parse(self, ctx: Context, node: Any) -> Condition | None:
        kind = node_kind(ctx, node, tuple(self._parsers), "condition")
        return None if kind is None else self._parsers[kind](ctx, node)

    def _group(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        kind = "all" if "all" in node else "any"
        self.state.check_keys(ctx, node, {kind}, {kind})
        items = node[kind]
        if not isinstance(items, list) or not items:
            ctx.problem(f"{kind} needs a non-empty list of conditions")
            return None
        parsed = [self.parse(ctx.at(i), i) for i in items]
        if any(p is None for p in parsed):
            return None
        conds = tuple(p for p in parsed if p is not None)
        return AllOf(conds) if kind == "all" else AnyOf(conds)

    def _n_of(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        """At least n of the listed conditions (compiled to an OR of every n-combination)."""
        self.state.check_keys(ctx, node, {"at_least", "of"}, {"at_least", "of"})
        n, items = node.get("at_least"), node["of"]
        if not isinstance(items, list) or not isinstance(n, int) or not 1 <= n <= len(items):
            ctx.problem("'at_least: n' with 'of' needs 1 <= n <= the number of conditions")
            return None
        if len(items) > 8:
            ctx.problem("'of' takes at most 8 conditions (it expands to every combination)")
            return None
        parsed = [self.parse(ctx.at(i), i) for i in items]
        if any(p is None for p in parsed):
            return None
        conds = [p for p in parsed if p is not None]
        return AnyOf(
            tuple(AllOf(combo) if n > 1 else combo[0] for combo in itertools.combinations(conds, n))
        )

    def _not(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        self.state.check_keys(ctx, node, {"not"}, {"not"})
        inner = self.parse(ctx.at(node["not"]), node["not"])
        return Not(inner) if inner is not None else None

    def _fact(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        name = node["fact"]
        ops = [k for k in node if k != "fact" and k not in INTERNAL_KEYS]
        fact = self.state.facts.get(name)
        if fact is None:
            self.state.unknown_fact(ctx, name, f"unknown fact {name!r}")
            return None
        allowed = OPS_BY_KIND[fact.kind]
        if len(ops) != 1 or ops[0] not in allowed:
            bad = [o for o in ops if o not in allowed]
            hint = suggest(bad[0], allowed) if bad else ""
            ctx.problem(
                f"{name} ({fact.kind}) needs exactly one of {', '.join(allowed)}; got {ops}", hint
            )
            return None
        op = ops[0]
        value = node[op]
        if op == "known":
            if not isinstance(value, bool):
                ctx.problem(f"known must be true or false, not {value!r}")
            return Leaf(fact_ref(name), fact.prop, "known", bool(value))
        if op.endswith("_fact"):
            other = self.state.facts.get(value)
            if other is None or other.kind not in ("int", "float"):
                ctx.problem(
                    f"{op} needs a numeric fact, not {value!r}", suggest(value, self.state.facts)
                )
                return None
            return Leaf(fact_ref(name), fact.prop, op, None, fact_ref(other.name), other.prop)
        if fact.kind == "set":
            members = value if op == "has_any" else [value]
            if not isinstance(members, list) or not members:
                ctx.problem(f"{op} needs a list of values")
                return None
            assert fact.enum is not None
            checked = self.state.enums(ctx, fact.enum, members, f"value of {name}")
            ref = fact_ref(name)
            leaves = [
                Leaf(ref, member_property(fact.prop, m.value), "has", m.value) for m in checked
            ]
            if len(leaves) != len(members):
                return None
            return leaves[0] if len(leaves) == 1 else AnyOf(tuple(leaves))
        if fact.kind == "enum":
            assert fact.enum is not None
            values = value if op == "in" else [value]
            if not isinstance(values, list) or not values:
                ctx.problem(f"{name} {op} needs {'a list of values' if op == 'in' else 'a value'}")
                return None
            checked = self.state.enums(ctx, fact.enum, values, f"value of {name}")
            if len(checked) != len(values):
                return None
            if op == "in":
                return Leaf(fact_ref(name), fact.prop, "in", tuple(v.value for v in checked))
            return Leaf(fact_ref(name), fact.prop, "eq", checked[0].value)
        if fact.kind == "bool":
            if not isinstance(value, bool):
                ctx.problem(f"{name} is yes/no: 'is' takes true or false, not {value!r}")
                return None
            return Leaf(fact_ref(name), fact.prop, "is", value)
        numbers = value if op == "in" else [value]
        if not isinstance(numbers, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in numbers
        ):
            ctx.problem(f"{name} {op} needs a number, not {value!r}")
            return None
        if fact.unit.startswith("MRC") and not all(0 <= v <= 5 for v in numbers):
            ctx.problem(f"{name} is an MRC grade 0-5; {value!r} is out of range")
        if op == "in":
            return Leaf(fact_ref(name), fact.prop, "in", tuple(numbers))
        return Leaf(fact_ref(name), fact.prop, op, value)

    def _finding(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        self.state.check_keys(ctx, node, {"finding"}, {"finding"})
        name = str(node["finding"])
        if not FINDING.match(name):
            ctx.problem(f"finding names look like F_UMN or O.F_UMN, not {name!r}")
            return None
        self.state.finding_refs.append((ctx, name))
        return Leaf(finding_ref(name), property_name(name), "has", True)

    def _cause(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        self.state.check_keys(ctx, node, {"cause", "at_least", "top"}, {"cause"})
        cause = self.state.enum(ctx, CauseCategory, node["cause"], "cause")
        if cause is None:
            return None
        tests: list[Condition] = []
        if "at_least" in node:
            level = node["at_least"]
            if level in ("likely", "possible"):
                level = getattr(self.state.thresholds, level)
            if not isinstance(level, int | float) or not 0 < level <= 1:
                ctx.problem(
                    f"at_least must be likely, possible or a number in (0, 1], not {level!r}"
                )
                return None
            prop = cause_property(cause, "certainty")
            tests.append(Leaf(cause_ref(cause, "certainty"), prop, "ge", float(level)))
        if "top" in node:
            top = node["top"]
            if not isinstance(top, int) or top < 1:
                ctx.problem(f"top must be a rank >= 1, not {top!r}")
                return None
            tests.append(Leaf(cause_ref(cause, "rank"), cause_property(cause, "rank"), "le", top))
        if not tests:
            ctx.problem("a cause condition needs at_least, top or both")
            return None
        return tests[0] if len(tests) == 1 else AllOf(tuple(tests))

    def _close_call(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        """The two leading causes are these two (either order), closer than the close-call
        threshold of rulebase.yaml: the differential is unresolved between them."""
        self.state.check_keys(ctx, node, {"close_call"}, {"close_call"})
        pair = self.state.enums(ctx, CauseCategory, node["close_call"], "cause")
        if len(pair) != 2 or pair[0] == pair[1]:
            ctx.problem("close_call needs two different causes")
            return None
        prop = close_call_property(pair[0], pair[1])
        return Leaf(close_call_ref(pair[0], pair[1]), prop, "has", True)

    def _drug(self, ctx: Context, node: dict[str, Any]) -> Condition | None:
        """A drug class taken; optionally started before the onset, all after it, or unknown."""
        self.state.check_keys(ctx, node, {"drug", "started"}, {"drug"})
        name = node["drug"]
        cls = self.state.drug_classes.get(name)
        if cls is None:
            if not self.state.drugs_unread:
                ctx.problem(f"unknown drug class {name!r}", suggest(name, self.state.drug_classes))
            return None
        started = node.get("started")
        if started is not None and started not in DRUG_TIMING:
            ctx.problem(f"started must be one of {DRUG_TIMING}", suggest(started, DRUG_TIMING))
            return None

        def flag(m: str, name: str, value: bool) -> Leaf:
            fact = self.state.facts[f"medications.{m}.{name}"]
            return Leaf(fact_ref(fact.name), fact.prop, "is", value)

        listed = f"{name.replace('_', ' ')} ({', '.join(cls.members)})"
        any_taken = AnyOf(tuple(flag(m, "taken", True) for m in cls.members))
        if started is None:
            return Described(f"taking a {listed}", any_taken)
        if started == "before_onset":
            return Described(
                f"a {listed} started before the foot drop began",
                AnyOf(tuple(flag(m, "started_before_onset", True) for m in cls.members)),
            )
        if started == "unknown":  # some member taken, its start against the onset unknown
            return Described(
                f"a {listed} taken, start against the onset not recorded",
                AnyOf(
                    tuple(
                        AllOf(
                            (
                                flag(m, "taken", True),
                                _unknown(self.state.facts[f"medications.{m}.started_before_onset"]),
                            )
                        )
                        for m in cls.members
                    )
                ),
            )
        # every member that was taken started after the onset (and at least one was taken)
        each = tuple(
            AnyOf((Not(flag(m, "taken", True)), flag(m, "started_before_onset", False)))
            for m in cls.members
        )
        return Described(
            f"taking a {listed}, every one started after the foot drop began",
            AllOf((any_taken, *each)),
        )


def _unknown(fact: FactType) -> Leaf:
    return Leaf(fact_ref(fact.name), fact.prop, "known", False)
