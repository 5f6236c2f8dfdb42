"""cdss/evidence.py: what is built at load gives what is computed per call."""

from __future__ import annotations

from cdss.evaluator import Evaluator
from cdss.evidence import TraceTables, fact_value, leaf_names
from cdss.flatten import build_units
from cdss.names import trace_name
from cdss.vocabulary import Leg
from tests.golden import CASES_DIR, load_cases


def test_leaf_names_are_the_trace_names_of_every_leaf_on_every_leg(evaluator: Evaluator) -> None:
    names = leaf_names(evaluator.compiled)
    leaves = [leaf for r in evaluator.compiled.by_name.values() for leaf in r.condition.leaves()]
    assert len(names) == len({id(leaf) for leaf in leaves})
    for leaf in leaves:
        for leg in (None, Leg.LEG_LEFT, Leg.LEG_RIGHT):
            other = trace_name(leaf.other, leg) if leaf.other is not None else ""
            assert names[id(leaf)][leg] == (trace_name(leaf.ref, leg), other)


def test_fact_values_with_names_built_at_load_equal_those_computed(evaluator: Evaluator) -> None:
    from cdss.convert import case_from_proto

    names = leaf_names(evaluator.compiled)
    drugs = frozenset(evaluator.compiled.drug_names)
    leaves = [leaf for r in evaluator.compiled.by_name.values() for leaf in r.condition.leaves()]
    for golden in load_cases(CASES_DIR)[:20]:
        for unit in build_units(case_from_proto(golden.case), drugs):
            for leaf in leaves:
                assert fact_value(leaf, unit.props, unit.leg, names) == fact_value(
                    leaf, unit.props, unit.leg
                )


def test_trace_tables_show_every_leaf_as_fact_value_does(evaluator: Evaluator) -> None:
    from cdss.convert import case_from_proto

    tables = TraceTables.build(evaluator.compiled)
    drugs = frozenset(evaluator.compiled.drug_names)
    leaves = [leaf for r in evaluator.compiled.by_name.values() for leaf in r.condition.leaves()]
    for golden in load_cases(CASES_DIR)[:20]:
        for unit in build_units(case_from_proto(golden.case), drugs):
            for leaf in leaves:
                known = tables.leaves[unit.leg][id(leaf)]
                assert (known.is_finding, known.prop) == (leaf.ref.is_finding, leaf.prop)
                assert known.show(unit.props) == fact_value(leaf, unit.props, unit.leg)
