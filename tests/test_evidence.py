"""cdss/evidence.py: the names and fact texts of the trace, built at load per leaf and leg."""

from __future__ import annotations

from cdss.decision import FactValue
from cdss.evaluator import Evaluator
from cdss.evidence import TraceTables, leaf_names
from cdss.names import trace_name
from cdss.rulebase.conditions import Leaf
from cdss.vocabulary import Leg


def test_leaf_names_are_the_trace_names_of_every_leaf_on_every_leg(evaluator: Evaluator) -> None:
    names = leaf_names(evaluator.compiled)
    leaves = [leaf for r in evaluator.compiled.by_name.values() for leaf in r.condition.leaves()]
    assert len(names) == len({id(leaf) for leaf in leaves})
    for leaf in leaves:
        for leg in (None, Leg.LEG_LEFT, Leg.LEG_RIGHT):
            other = trace_name(leaf.other, leg) if leaf.other is not None else ""
            assert names[id(leaf)][leg] == (trace_name(leaf.ref, leg), other)


def _leaves(evaluator: Evaluator) -> list[Leaf]:
    return [leaf for r in evaluator.compiled.by_name.values() for leaf in r.condition.leaves()]


def test_the_trace_shows_each_kind_of_leaf_as_the_answer_words_it(evaluator: Evaluator) -> None:
    """The facts shown behind a rule, per kind of leaf, on props written here by hand: a
    finding is present or absent, a set membership is included or not, a value is shown as
    recorded (or "not recorded"). (No rule of the rule base compares two facts yet.)"""
    tables = TraceTables.build(evaluator.compiled)
    leaves = _leaves(evaluator)
    kinds = {
        "finding": [x for x in leaves if x.ref.is_finding],
        "has": [
            x for x in leaves if x.op == "has" and not (x.ref.tests_causes or x.ref.is_finding)
        ],
        "value": [
            x
            for x in leaves
            if not x.ref.is_finding and x.op != "has" and x.other is None and not x.ref.tests_causes
        ],
    }
    assert all(kinds.values()), {k: len(v) for k, v in kinds.items()}
    for leg in (None, Leg.LEG_LEFT):
        table = tables.leaves[leg]
        for leaf in kinds["finding"]:
            show, name = table[id(leaf)].show, trace_name(leaf.ref, leg)
            assert show({leaf.prop: True}) == FactValue(name, "present")
            assert show({}) == FactValue(name, "absent")
        for leaf in kinds["has"]:
            show, name = table[id(leaf)].show, trace_name(leaf.ref, leg)
            assert show({leaf.prop: True}) == FactValue(name, f"includes {leaf.value}")
            assert show({}) == FactValue(name, f"does not include {leaf.value}")
        for leaf in kinds["value"]:
            show, name = table[id(leaf)].show, trace_name(leaf.ref, leg)
            assert show({leaf.prop: 3}) == FactValue(name, "3")
            assert show({leaf.prop: 2.5}) == FactValue(name, "2.5")
            assert show({leaf.prop: False}) == FactValue(name, "false")
            assert show({}) == FactValue(name, "not recorded")


def test_trace_tables_cover_every_leaf_on_every_leg(evaluator: Evaluator) -> None:
    tables = TraceTables.build(evaluator.compiled)
    for leg in (None, Leg.LEG_LEFT, Leg.LEG_RIGHT):
        for leaf in _leaves(evaluator):
            known = tables.leaves[leg][id(leaf)]
            assert (known.is_finding, known.prop) == (leaf.ref.is_finding, leaf.prop)
