"""scripts/breakdown.py: the per-stage breakdown and the durable-rules floor the bench prints.

The floor replays the engine's own sessions through the live rulesets, under session ids of
its own (one per ruleset, its facts retracted after each replayed call, deleted at the end): it
must not disturb the answers the same evaluator gives afterwards."""

from __future__ import annotations

import sys

from cdss._proto import foot_drop_service_pb2
from cdss.answer import answer
from cdss.evaluator import Evaluator
from cdss.paths import DEFAULT_RULES_DIR
from cdss.rulebase.compiler import compile_rulebase
from cdss.rulebase.loader import load_rulebase
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import breakdown

REQUESTS = breakdown.requests_mix()[::40]  # a few golden and review cases, both legs and one


def _answers(ev: Evaluator) -> list[bytes]:
    parse = foot_drop_service_pb2.EvaluateRequest.FromString
    return [answer(ev, parse(r), 1 << 20).SerializeToString(deterministic=True) for r in REQUESTS]


def test_floor_replays_every_session_and_leaves_the_engine_as_it_was() -> None:
    ev = Evaluator(compile_rulebase(load_rulebase(DEFAULT_RULES_DIR)))
    try:
        before = _answers(ev)
        floor = breakdown.engine_floor(REQUESTS, 2, ev)
        assert floor["sessions_per_call"] == len(ev.engine.compiled.strata)
        assert floor["durable_rules_us_per_call"] > 0
        assert _answers(ev) == before
        assert ev.engine.live_sessions == 0
    finally:
        ev.close()


def test_breakdown_times_every_stage() -> None:
    ev = Evaluator(compile_rulebase(load_rulebase(DEFAULT_RULES_DIR)))
    try:
        out = breakdown.breakdown(REQUESTS, 1, ev)
    finally:
        ev.close()
    stages = ("convert", "validate", "flatten", "engine", "decide", "response")
    assert all(out[stage] > 0 for stage in stages), out
    assert out["calls"] == len(REQUESTS)
    assert out["sessions_per_call"] == len(ev.engine.compiled.strata)
    # the slowest tenth: the same stages, from the calls that cost the most in all
    slowest = out["slowest_tenth"]
    assert slowest["calls"] == max(1, len(REQUESTS) // 10)
    assert slowest.keys() == {*stages, "parse", "whatifs", "serialise", "total_cpu_us", "calls"}
    assert slowest["total_cpu_us"] >= out["total_cpu_us"]
