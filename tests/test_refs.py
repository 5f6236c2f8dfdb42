"""Typed references: every leaf of the shipped rules knows what it tests, without parsing."""

from __future__ import annotations

from cdss.evaluator import Evaluator
from cdss.names import fact_label, trace_name
from cdss.rulebase.refs import LegRef, RefKind, cause_ref, close_call_ref, fact_ref, finding_ref
from cdss.vocabulary import CauseCategory, Leg


def test_every_leaf_of_the_shipped_rules_has_a_typed_reference(evaluator: Evaluator) -> None:
    for rule in evaluator.compiled.by_name.values():
        for leaf in rule.condition.leaves():
            ref = leaf.ref
            if ref.kind is RefKind.FACT:
                assert ref.name == f"{ref.section}.{ref.field}"
                assert ref.leg == {"A": LegRef.AFFECTED, "O": LegRef.OTHER}.get(ref.section)
            elif ref.kind is RefKind.DRUG:
                assert ref.name == f"medications.{ref.drug}.{ref.field}"
            elif ref.kind is RefKind.FINDING:
                assert ref.field.startswith("F_") and ref.leg is not None
            else:
                assert ref.tests_causes and ref.causes


def test_compiled_rules_carry_their_index(evaluator: Evaluator) -> None:
    rules = [r for r in evaluator.compiled.rulebase.rules if r.status == "active"]
    for compiled in evaluator.compiled.by_name.values():
        assert rules[compiled.index] is compiled.rule


def test_a_mirror_swaps_the_legs_of_its_references(evaluator: Evaluator) -> None:
    mirrors = [r for r in evaluator.compiled.by_name.values() if r.mirrored]
    assert mirrors
    for m in mirrors:
        for original, mirrored in zip(m.rule.when.leaves(), m.condition.leaves(), strict=True):
            if original.ref.leg is None:
                assert mirrored.ref == original.ref and mirrored.prop == original.prop
            else:
                assert mirrored.ref.leg is original.ref.leg.mirrored
                assert mirrored.ref.field == original.ref.field
                assert mirrored.prop[2:] == original.prop[2:]


def test_display_names_come_from_the_reference() -> None:
    left, right = Leg.LEG_LEFT, Leg.LEG_RIGHT
    assert trace_name(fact_ref("A.hip_abduction"), left) == "exam.left.hip_abduction"
    assert trace_name(fact_ref("O.hip_abduction"), left) == "exam.right.hip_abduction"
    assert trace_name(finding_ref("O.F_UMN"), left) == "finding F_UMN (right leg)"
    assert trace_name(finding_ref("F_UMN"), None) == "finding F_UMN"
    assert trace_name(fact_ref("patient.age_years"), right) == "patient.age_years"
    assert fact_label(fact_ref("A.hip_abduction")) == "affected leg: hip abduction"
    assert fact_label(finding_ref("O.F_UMN")) == "finding F_UMN (other leg)"
    assert fact_label(fact_ref("medications.amiodarone.taken")) == "taking amiodarone"
    peroneal, l5 = CauseCategory.CAUSE_PERONEAL_NEUROPATHY, CauseCategory.CAUSE_L5_RADICULOPATHY
    assert cause_ref(peroneal, "rank").causes == (peroneal,)
    assert close_call_ref(peroneal, l5).causes == (peroneal, l5)
