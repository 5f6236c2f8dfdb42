"""The engine: durable-rules decides what fires; check it against a plain-Python reference.

The reference forward-chains the same compiled conditions with Condition.holds (absent =
unknown, negation includes unknown) stratum by stratum. Agreement on random cases shows the
durable-rules compilation ($nex/complement negation, flattened and/or groups, the anchor,
the alpha sink) means what the rule files say.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdss.engine import Firing
from cdss.evaluator import Evaluator
from cdss.facts import Case
from cdss.flatten import build_units
from cdss.scoring import ScoreOnce
from tests.strategies import cases


def reference_firings(ev: Evaluator, case: Case) -> set[tuple[int, str, int]]:
    units = build_units(case, frozenset(ev.compiled.drug_names))
    props: list[dict[str, Any]] = [dict(u.props) for u in units]
    fired: list[Firing] = []
    causes_added = False
    for stratum in ev.compiled.strata:
        if stratum.needs_causes and not causes_added:
            extra = ScoreOnce(ev.scoring)(fired)
            for p in props:
                p.update(extra)
            causes_added = True
        now = [
            Firing(stratum.index, rule, i)
            for i, p in enumerate(props)
            for rule in stratum.rules
            if rule.condition.holds(p)
        ]
        for f in now:
            for prop in f.rule.finding_props:
                props[f.unit][prop] = True
        fired.extend(now)
    return {(f.stratum, f.rule.name, f.unit) for f in fired}


def engine_firings(ev: Evaluator, case: Case) -> set[tuple[int, str, int]]:
    units = build_units(case, frozenset(ev.compiled.drug_names))
    firings, _ = ev.engine.run(units, ScoreOnce(ev.scoring))
    return {(f.stratum, f.rule.name, f.unit) for f in firings}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_durable_rules_agrees_with_the_python_reference(evaluator: Evaluator, case: Case) -> None:
    assert engine_firings(evaluator, case) == reference_firings(evaluator, case)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_compiled_predicates_equal_the_conditions(evaluator: Evaluator, case: Case) -> None:
    """Each rule's condition compiled into one function (what the what-ifs run) tests exactly
    what Condition.holds tests, on the facts before and after chaining."""
    units = build_units(case, frozenset(evaluator.compiled.drug_names))
    _, final = evaluator.engine.run(units, ScoreOnce(evaluator.scoring))
    for props in [*(u.props for u in units), *final]:
        for rule in evaluator.compiled.by_name.values():
            assert rule.test(props) == rule.condition.holds(props), rule.name


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_compiled_matchers_equal_the_conditions(evaluator: Evaluator, case: Case) -> None:
    """Each rule's compiled matcher (what the explanations read) gives the leaves
    Condition.matched gives, in its order, each with Leaf.holds, before and after chaining."""
    units = build_units(case, frozenset(evaluator.compiled.drug_names))
    _, final = evaluator.engine.run(units, ScoreOnce(evaluator.scoring))
    for props in [*(u.props for u in units), *final]:
        for rule in evaluator.compiled.by_name.values():
            expected = [(leaf, leaf.holds(props)) for leaf in rule.condition.matched(props)]
            assert rule.match(props) == expected, rule.name


def test_a_matcher_of_nested_and_negated_conditions_equals_the_tree_walk() -> None:
    """Every combinator, nested, negated and empty, against the tree walk on every props."""
    import itertools

    from cdss.rulebase.compiled_conditions import matcher
    from cdss.rulebase.conditions import AllOf, AnyOf, Described, Leaf, Not
    from cdss.rulebase.refs import fact_ref

    a, b, c = (Leaf(fact_ref(f"history.{n}"), f"history_{n}", "is", True) for n in "abc")
    d = Leaf(fact_ref("patient.age_years"), "patient_age_years", "ge", 50)
    conditions = [
        AllOf((a, Not(AnyOf((b, c))), d)),
        AnyOf((Not(AllOf((a, b))), Described("x", AllOf((c, Not(d)))))),
        Not(AllOf((AnyOf((a, Not(b))), AllOf(())))),
        AnyOf((AnyOf(()), Not(Not(a)), AllOf((Not(c), d)))),
    ]
    values = [None, True, False]
    for condition in conditions:
        match = matcher(condition)
        for va, vb, vc, vd in itertools.product(values, values, values, [None, 40, 60]):
            props = {
                k: v
                for k, v in (
                    ("history_a", va),
                    ("history_b", vb),
                    ("history_c", vc),
                    ("patient_age_years", vd),
                )
                if v is not None
            }
            expected = [(leaf, leaf.holds(props)) for leaf in condition.matched(props)]
            assert match(props) == expected, (condition, props)


def test_no_fact_outlives_an_evaluation_and_each_stratum_reuses_its_session(
    evaluator: Evaluator,
) -> None:
    """After each call every stratum's session is kept empty (its facts retracted) and the
    next call asserts into the same session, whatever case came before."""
    import copy

    import durable_rules_engine as dre

    from tests.conftest import PERONEAL_CASE, case_facts

    other = copy.deepcopy(PERONEAL_CASE)
    other["presentation"]["side"] = "SIDE_BILATERAL"
    other["exam"]["right"] = dict(other["exam"]["left"])
    engine = evaluator.engine
    evaluator.evaluate(case_facts(PERONEAL_CASE))
    sids = list(engine._sids)
    for data in [other, PERONEAL_CASE, other, PERONEAL_CASE]:
        evaluator.evaluate(case_facts(data))
        assert engine.live_sessions == 0
        assert engine.kept_sessions == len(evaluator.compiled.strata)
        assert engine._sids == sids  # the same sessions, reused
        for handle, sid in zip(engine._handles, engine._sids, strict=True):
            assert dre.get_facts(handle, sid) == "[]"


def test_random_cases_in_sequence_on_one_engine_agree_with_the_reference() -> None:
    """A session kept from one case never changes the next case's firings: every case of a
    random sequence, on one engine, fires what the Python reference fires."""
    ev = Evaluator.from_directory()
    try:

        @settings(max_examples=120, deadline=None, database=None)
        @given(case=cases())
        def check(case: Case) -> None:
            assert engine_firings(ev, case) == reference_firings(ev, case)

        check()
        assert ev.engine.live_sessions == 0
    finally:
        ev.close()


# per failure: the C call that misbehaves once, and what it does instead (raise that error,
# or return that value: a retraction that reports success and leaves the fact)
INJECTED: dict[str, tuple[str, Any]] = {
    "action": ("complete_and_start_action", RuntimeError("boom")),
    "retraction raises": ("retract_fact", RuntimeError("boom")),
    "retraction leaves the fact": ("retract_fact", (0, 0)),
    "twice": ("complete_and_start_action", RuntimeError("boom")),
}


def _misbehave_once(monkeypatch: pytest.MonkeyPatch, name: str, outcome: Any) -> None:
    import durable_rules_engine as dre

    real = getattr(dre, name)

    def instead(*args: Any) -> Any:
        monkeypatch.setattr(dre, name, real)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(dre, name, instead)


@pytest.mark.parametrize("failure", list(INJECTED))
def test_a_session_that_fails_is_deleted_and_the_next_call_starts_a_new_one(
    failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session whose actions fail, whose retraction fails, or that still holds its fact
    after the retraction is not reused: it is deleted (no session leaks), the stratum gets a
    new session id, the next call gives the answer a fresh engine gives, and the engine
    closes cleanly, also after two failures in a row."""
    import durable_rules_engine as dre

    from cdss.errors import EngineFailure
    from tests.conftest import PERONEAL_CASE, case_facts

    ev = Evaluator.from_directory()
    closed = False
    try:
        case = case_facts(PERONEAL_CASE)
        expected = ev.evaluate(case)
        sids = list(ev.engine._sids)
        name, outcome = INJECTED[failure]
        for _ in range(2 if failure == "twice" else 1):
            _misbehave_once(monkeypatch, name, outcome)
            if isinstance(outcome, Exception):
                with pytest.raises(EngineFailure, match="stratum 1"):
                    ev.evaluate(case)
            else:
                assert ev.evaluate(case) == expected  # this call's firings were read already
            assert ev.engine.live_sessions == 0
            assert ev.engine.kept_sessions == len(ev.compiled.strata) - 1  # not stratum 1's
            assert ev.engine._sids[0] != sids[0]  # stratum 1's session was deleted
            assert ev.engine._sids[1:] == sids[1:]  # the other strata's are kept
            sids[0] = ev.engine._sids[0]
        assert ev.evaluate(case) == expected
        assert ev.engine.live_sessions == 0
        assert ev.engine.kept_sessions == len(ev.compiled.strata)
        handles, kept = list(ev.engine._handles), list(ev.engine._sids)
        ev.close()
        closed = True
        assert ev.engine.kept_sessions == 0
        for handle, sid in zip(handles, kept, strict=True):  # the rulesets are gone too
            with pytest.raises(Exception):  # noqa: B017, PT011 - the C extension's own type
                dre.get_facts(handle, sid)
    finally:
        if not closed:
            ev.close()


def test_both_legs_share_one_session_per_stratum(evaluator: Evaluator) -> None:
    """A bilateral case asserts both legs' facts into one session per stratum, and each
    firing keeps the leg it fired for."""
    import copy

    from tests.conftest import PERONEAL_CASE, case_facts

    data = copy.deepcopy(PERONEAL_CASE)
    data["presentation"]["side"] = "SIDE_BILATERAL"
    data["exam"]["right"] = dict(data["exam"]["left"])
    data["exam"]["right"]["ankle_reflex"] = "REFLEX_ABSENT"
    case = case_facts(data)
    units = build_units(case, frozenset(evaluator.compiled.drug_names))
    assert len(units) == 2
    before = evaluator.engine.sessions_run
    firings, _ = evaluator.engine.run(units, ScoreOnce(evaluator.scoring))
    assert evaluator.engine.sessions_run - before == len(evaluator.compiled.strata)
    assert {f.unit for f in firings} == {0, 1}
    assert engine_firings(evaluator, case) == reference_firings(evaluator, case)
    assert evaluator.engine.live_sessions == 0


def test_every_rule_fires_at_most_once_per_unit(evaluator: Evaluator) -> None:
    from tests.conftest import PERONEAL_CASE, case_facts

    case = case_facts(PERONEAL_CASE)
    firings, _ = evaluator.engine.run(build_units(case, frozenset()), ScoreOnce(evaluator.scoring))
    keys = [(f.rule.name, f.unit) for f in firings]
    assert len(keys) == len(set(keys))


def test_same_case_same_answer(evaluator: Evaluator) -> None:
    from tests.conftest import PERONEAL_CASE, case_facts

    first = evaluator.evaluate(case_facts(PERONEAL_CASE))
    second = evaluator.evaluate(case_facts(PERONEAL_CASE))
    assert first == second


@pytest.mark.slow
@pytest.mark.timeout(400)  # 400 random cases in a subprocess (which allows 300 s); a hang guard
def test_random_cases_do_not_corrupt_memory_in_durable_rules() -> None:
    """Deleting a session that started no action frees garbage in durable-rules 2.0.28; with
    glibc's malloc checks on, that aborts the process. Run many random cases that way."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "from hypothesis import given, settings\n"
        "from cdss.evaluator import Evaluator\n"
        "from tests.strategies import cases\n"
        "ev = Evaluator.from_directory()\n"
        "@settings(max_examples=400, deadline=None, database=None)\n"
        "@given(case=cases())\n"
        "def run(case):\n"
        "    ev.evaluate(case)\n"
        "run()\n"
        "assert ev.engine.live_sessions == 0\n"
        "print('clean')\n"
    )
    env = dict(os.environ, MALLOC_CHECK_="3", MALLOC_PERTURB_="165", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0 and "clean" in result.stdout, (
        result.stderr[:3000] + "\n...\n" + result.stderr[-3000:]
    )


def test_tiny_and_large_numbers_reach_durable_rules_in_plain_notation(evaluator: Evaluator) -> None:
    """durable-rules cannot parse 5e-324 or 1e-05 (error 204); flatten writes plain decimals."""
    import json

    from cdss.flatten import plain_number

    for value in (5e-324, 1e-05, 2.5e-4, 123456.78901, 999999.99999):
        assert "e" not in json.dumps(plain_number(value))
    from tests.conftest import PERONEAL_CASE, case_facts

    data = json.loads(json.dumps(PERONEAL_CASE))
    data["results"] = {"compartment_pressure_mmhg": 1e-05, "hba1c_percent": 5.000001}
    data["exam"]["general"] = {"diastolic_bp_mmhg": 1e-300}
    evaluator.evaluate(case_facts(data))


PROBES = [
    ("A", "ankle_inversion", 3),
    ("A", "hip_abduction", 5),
    ("A", "plantar_response", "PLANTAR_EXTENSOR"),
    ("A", "ankle_reflex", "REFLEX_BRISK"),
    ("A", "sensory_loss", "SENSORY_REGION_STOCKING"),
    ("A", "tibialis_anterior_tendon_palpable", False),
    ("O", "knee_reflex", "REFLEX_BRISK"),
    ("history", "low_back_pain", True),
    ("history", "bladder_or_bowel_dysfunction", True),
    ("general", "facial_weakness", True),
    ("A", "toe_extension", 5),
    ("A", "knee_flexion", 3),
    ("A", "ankle_inversion+hip_abduction", 3),  # a request probing two fields together
    ("O", "ankle_dorsiflexion", 3),  # side unknown: may move the affected legs
    ("A", "ankle_dorsiflexion", 5),
    ("O", "sensory_loss", "SENSORY_REGION_NONE"),
]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases(), probe=st.sampled_from(PROBES))
def test_incremental_what_if_equals_a_full_evaluation(
    evaluator: Evaluator, case: Case, probe: tuple[str, str, Any]
) -> None:
    """cdss/whatif.py (used to rank the next questions), editing the flat facts, must agree with
    durable-rules on the rebuilt and re-flattened case."""
    from cdss import vocabulary
    from cdss.next_questions import with_field

    drugs = frozenset(evaluator.compiled.drug_names)
    units = build_units(case, drugs)
    legs = [u.leg for u in units if u.leg is not None]
    section, name, raw = probe
    if section in ("A", "O") and not legs:
        return
    if name == "sensory_loss":
        value: Any = frozenset({vocabulary.SensoryRegion(raw)})
    elif isinstance(raw, str):
        enum = {"plantar_response": vocabulary.Plantar}.get(name, vocabulary.Reflex)
        value = enum(raw)
    else:
        value = raw
    firings, props = evaluator.engine.run(units, None)
    scores = evaluator.scoring.score(firings)
    base = evaluator.next_questions.baseline(case, units, props, firings, scores)
    changed = case
    for one in name.split("+"):
        changed = with_field(changed, legs, section, one, value)
    # the what-if edits the flat facts; the reference re-flattens the changed case
    fields = tuple(f"{section}.{one}" for one in name.split("+"))
    incremental = evaluator.next_questions._certainties(base, fields, value)
    full_firings, _ = evaluator.engine.run(build_units(changed, drugs), None)
    full = evaluator.scoring.score(full_firings).by_cause
    for cause, score in full.items():
        assert abs(incremental[cause] - score.certainty) < 1e-9, (
            cause,
            incremental[cause],
            score.certainty,
        )


@settings(max_examples=200, deadline=None)
@given(
    value=st.one_of(
        st.booleans(),
        st.integers(-(10**9), 10**9),
        st.floats(-1e7, 1e7, allow_nan=False).map(lambda x: round(x, 4) + 0.0),
        st.text(max_size=12),
    )
)
def test_an_encoded_property_reads_back_as_its_value(value: Any) -> None:
    """The engine joins each stratum's fact from properties encoded once (cdss.engine.encoded):
    each piece must be the JSON of its value, type included (True is not 1)."""
    import json

    from cdss.engine import encoded

    piece = encoded("p_x", value)
    back = json.loads("{" + piece.removesuffix(",") + "}")["p_x"]
    assert back == value and type(back) is type(value)


def test_every_what_if_of_every_test_case_equals_a_full_evaluation(evaluator: Evaluator) -> None:
    """Every probe the answer's ranking runs, on every test case that is ranked: the edited
    flat facts, re-evaluated only where the change reaches and with only the touched causes
    combined again (cdss/whatif.py), give the certainties of a full durable-rules run of the
    rebuilt case."""
    from cdss.convert import case_from_proto
    from cdss.errors import CaseError
    from cdss.next_questions import probes, with_field
    from cdss.validation import validate
    from tests.golden import CASES_DIR, EXAMPLES_DIR, REVIEW_DIR, SAFETY_DIR, load_cases

    drugs = frozenset(evaluator.compiled.drug_names)
    probed = 0
    for directory in (CASES_DIR, REVIEW_DIR, SAFETY_DIR, EXAMPLES_DIR):
        for golden in load_cases(directory):
            try:
                case = case_from_proto(golden.case)
                validate(case)
            except CaseError:
                continue
            units = build_units(case, drugs)
            hook = ScoreOnce(evaluator.scoring)
            firings, props = evaluator.engine.run(units, hook)
            scores = hook.result(firings)
            decision = evaluator.reasoner.decide(case, units, props, firings, scores)
            if not decision.requests or not evaluator.scoring.uncertain(scores):
                continue  # not ranked: no what-if runs
            base = evaluator.next_questions.baseline(case, units, props, firings, scores)
            for request in decision.requests:
                for fields, values in probes(request.fields, bool(base.legs)):
                    for value in values:
                        incremental = evaluator.next_questions._certainties(base, fields, value)
                        changed = case
                        for field in fields:
                            section, _, name = field.partition(".")
                            changed = with_field(changed, base.legs, section, name, value)
                        full, _ = evaluator.engine.run(build_units(changed, drugs), None)
                        expected = evaluator.scoring.score(full).certainties
                        where = (golden.stem, fields, value)
                        assert incremental.keys() == expected.keys(), where
                        for cause, certainty in expected.items():
                            assert abs(incremental[cause] - certainty) < 1e-9, (*where, cause)
                        probed += 1
    assert probed > 100  # the test cases do exercise the ranking


def test_what_ifs_evaluate_every_rule_that_can_reach_evidence(evaluator: Evaluator) -> None:
    """cdss/whatif.py re-evaluates only the rules that can reach a cause's evidence: every rule
    with evidence, and every rule concluding a finding that such a rule reads."""
    whatif = evaluator.next_questions.whatif
    by_pos = dict(enumerate(whatif.rules))
    for rule in whatif.rules:
        reads_reaching = any(
            by_pos[reader].name in whatif.reaching
            for prop in rule.finding_props
            for reader in whatif.readers.get(prop, ())
        )
        assert (rule.name in whatif.reaching) == (bool(rule.evidence) or reads_reaching), rule.name
    for prop, positions in whatif._readers.items():
        assert all(by_pos[pos].name in whatif.reaching for pos in positions), prop
        assert set(positions) == {
            p for p in whatif.readers[prop] if by_pos[p].name in whatif.reaching
        }


@pytest.mark.parametrize("name", ["id", "sid"])
def test_a_stratum_reading_the_engines_own_properties_is_refused(
    evaluator: Evaluator, name: str
) -> None:
    """Every fact carries the engine's "id" (its retraction key) and "sid": a rule reading a
    property of that name would test the engine's bookkeeping, so the engine refuses it."""
    import dataclasses

    from cdss.engine import Engine
    from cdss.errors import EngineFailure

    compiled = evaluator.compiled
    first = dataclasses.replace(compiled.strata[0], props=compiled.strata[0].props | {name})
    changed = dataclasses.replace(compiled, strata=(first, *compiled.strata[1:]))
    with pytest.raises(EngineFailure, match="stratum 1 reads a property named id or sid"):
        Engine(changed)


def test_a_stratum_durable_rules_rejects_is_named_and_the_others_are_freed(
    evaluator: Evaluator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When durable-rules refuses the second stratum's ruleset, the engine says which stratum,
    and deletes the ruleset it had already created for the first."""
    import dataclasses

    import durable_rules_engine as dre

    from cdss.engine import Engine
    from cdss.errors import EngineFailure

    compiled = evaluator.compiled
    second = compiled.strata[1]
    broken = dataclasses.replace(
        second, definition={**second.definition, "bogus": {"all": [{"m": {"$zz": {"a": 1}}}]}}
    )
    changed = dataclasses.replace(compiled, strata=(compiled.strata[0], broken))
    created: list[int] = []
    deleted: list[int] = []
    real_create, real_delete = dre.create_ruleset, dre.delete_ruleset

    def create(name: str, definition: str) -> Any:
        handle = real_create(name, definition)
        created.append(handle)
        return handle

    def delete(handle: int) -> Any:
        deleted.append(handle)
        return real_delete(handle)

    monkeypatch.setattr(dre, "create_ruleset", create)
    monkeypatch.setattr(dre, "delete_ruleset", delete)
    with pytest.raises(EngineFailure, match="durable-rules rejected stratum 2"):
        Engine(changed)
    assert created  # the first stratum's ruleset, and the probes naming the culprits
    assert sorted(created) == sorted(deleted)


def test_each_kind_of_leaf_compiles_to_the_test_it_holds() -> None:
    """Every leaf operator, compiled alone into a predicate and a matcher, tests what
    Leaf.holds tests, on absent, equal, smaller and larger values and on other types."""
    import itertools

    from cdss.rulebase.compiled_conditions import matcher, predicate
    from cdss.rulebase.conditions import Leaf
    from cdss.rulebase.refs import fact_ref

    ref, other = fact_ref("patient.age_years"), fact_ref("history.a")
    leaves = [
        Leaf(ref, "x", "known", True),
        Leaf(ref, "x", "known", False),
        Leaf(ref, "x", "is", True),
        Leaf(ref, "x", "is", False),
        Leaf(ref, "x", "eq", 50),
        Leaf(ref, "x", "eq", "LEFT"),
        Leaf(ref, "x", "in", ("LEFT", "RIGHT")),
        Leaf(ref, "x", "in", frozenset({50, 60})),
        Leaf(ref, "x", "has", True),
        *(Leaf(ref, "x", op, 50) for op in ("le", "lt", "ge", "gt")),
        *(Leaf(ref, "x", f"{op}_fact", None, other, "y") for op in ("le", "lt", "ge", "gt")),
    ]
    values = [None, True, False, 0, 1, 49, 50, 50.0, 51, "LEFT", "BOTH"]
    for leaf in leaves:
        test, match = predicate(leaf), matcher(leaf)
        for x, y in itertools.product(values, [None, 49, 50, 51]):
            if isinstance(x, str) and leaf.op[:2] in ("le", "lt", "ge", "gt"):
                continue  # an ordering of a string and a number is refused at load
            props = {k: v for k, v in (("x", x), ("y", y)) if v is not None}
            assert test(props) is leaf.holds(props), (leaf.op, leaf.value, props)
            assert match(props) == ([(leaf, True)] if leaf.holds(props) else []), (leaf, props)
