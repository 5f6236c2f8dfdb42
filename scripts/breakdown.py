"""Server-side breakdown of one Evaluate call, stage by stage (mean µs over the golden and review
mix), in-process and without gRPC: where the time of an evaluation goes. Stages are timed in
the thread's CPU time (time.thread_time), so that other processes on a shared machine do not
inflate them; wall time is reported for the whole call.

Usage: python scripts/breakdown.py [--rounds N] [--detail standard|summary|full]

Each stage is timed by wrapping the function that does it (the evaluator itself is not
changed or re-implemented here), so the figures follow the code as it is:
  parse      EvaluateRequest.FromString
  convert    the Case message to plain facts (cdss.convert.case_from_proto)
  validate   cdss.validation.validate
  flatten    the units' flat facts (cdss.flatten.build_units)
  engine     the durable-rules sessions (cdss.engine.Engine.run), scoring included
  decide     the reasoning and explanations (cdss.reasoning.Reasoner.decide)
  whatifs    ranking the next questions (cdss.next_questions.NextQuestions.rank)
  response   building the protobuf response (cdss.convert.response_from_decision)
  serialise  EvaluateResponse.SerializeToString
It also gives the same stages for the slowest tenth of the calls (`slowest_tenth`), which the
upper percentiles of Evaluate are made of.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The stages are timed by patching the sources' functions, which calls between compiled
# modules would not go through: this process runs the sources (cdss/native.py).
os.environ["CDSS_NATIVE"] = "0"

from cdss import answer as answer_module  # noqa: E402
from cdss import engine, evaluator, next_questions, reasoning  # noqa: E402
from cdss._proto import foot_drop_service_pb2  # noqa: E402
from tests.golden import CASES_DIR, REVIEW_DIR, load_cases  # noqa: E402

DETAILS = {"summary": 1, "standard": 2, "full": 3}


def _timed(totals: dict[str, float], stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[stage] += time.thread_time() - t

    return wrapper


def breakdown(
    requests: list[bytes], rounds: int, ev: evaluator.Evaluator | None = None
) -> dict[str, Any]:
    """Mean µs per call for each stage, and the sessions per call (on `ev` if given: it is
    left open; otherwise on an evaluator of the default rules, closed after)."""
    totals: dict[str, float] = defaultdict(float)
    patches: list[tuple[Any, str, Any]] = [
        (evaluator, "case_from_proto", None),
        (answer_module, "case_from_proto", None),
        (answer_module, "response_from_decision", None),
        (evaluator, "validate", None),
        (evaluator, "build_units", None),
        (engine.Engine, "run", None),
        (reasoning.Reasoner, "decide", None),
        (next_questions.NextQuestions, "rank", None),
    ]
    stage = {
        "case_from_proto": "convert",
        "response_from_decision": "response",
        "validate": "validate",
        "build_units": "flatten",
        "run": "engine",
        "decide": "decide",
        "rank": "whatifs",
    }
    saved = []
    for owner, name, _ in patches:
        if not hasattr(owner, name):
            continue
        original = getattr(owner, name)
        saved.append((owner, name, original))
        setattr(owner, name, _timed(totals, stage[name], original))
    sessions_before = 0
    wall = 0.0
    owned = ev is None
    if ev is None:
        ev = evaluator.Evaluator.from_directory()
    try:
        parsed = [foot_drop_service_pb2.EvaluateRequest.FromString(r) for r in requests]
        for p in parsed:  # warm-up
            answer_module.answer(ev, p, 1 << 20)
        totals.clear()
        sessions_before = ev.engine.sessions_run
        calls = 0
        per_call: list[dict[str, float]] = []  # each call's own stage times
        wall = time.perf_counter()
        for _ in range(rounds):
            for raw in requests:
                before = dict(totals)
                t = time.thread_time()
                req = foot_drop_service_pb2.EvaluateRequest.FromString(raw)
                totals["parse"] += time.thread_time() - t
                resp = answer_module.answer(ev, req, 1 << 20)
                t = time.thread_time()
                resp.SerializeToString()
                totals["serialise"] += time.thread_time() - t
                per_call.append({k: v - before.get(k, 0.0) for k, v in totals.items()})
                calls += 1
        wall = time.perf_counter() - wall
        sessions = ev.engine.sessions_run - sessions_before
    finally:
        if owned:
            ev.close()
        for owner, name, original in saved:
            setattr(owner, name, original)
    # the engine's time includes the scoring hook; the other stages are disjoint
    order = ["parse", "convert", "validate", "flatten", "engine", "decide", "whatifs"]
    keys = [*order, "response", "serialise"]
    out: dict[str, Any] = {k: round(totals[k] / calls * 1e6, 1) for k in keys}
    out["total_cpu_us"] = round(sum(out.values()), 1)
    out["wall_us_per_call"] = round(wall / calls * 1e6, 1)
    out["sessions_per_call"] = round(sessions / calls, 2)
    out["calls"] = calls
    # the slowest tenth of the calls (by their CPU over every stage), stage by stage: what
    # the upper percentiles of Evaluate are made of
    per_call.sort(key=lambda c: sum(c.values()), reverse=True)
    tail = per_call[: max(1, calls // 10)]
    slowest = {k: round(sum(c.get(k, 0.0) for c in tail) / len(tail) * 1e6, 1) for k in keys}
    slowest["total_cpu_us"] = round(sum(slowest.values()), 1)
    slowest["calls"] = len(tail)
    out["slowest_tenth"] = slowest
    return out


def engine_floor(requests: list[bytes], rounds: int, ev: evaluator.Evaluator) -> dict[str, Any]:
    """What durable-rules alone costs per call: the sessions of every call of the mix (the
    facts the engine asserted, recorded in one pass), replayed in call order through the same
    rulesets (assert, action loop, retraction by id, one kept session per ruleset, as the
    engine does), with no Python around them but the loop. The floor under the engine stage
    that no change outside durable-rules can lower."""
    import durable_rules_engine as dre

    recorded: list[tuple[int, int, str]] = []  # (handle, facts in the session, JSON)
    original = dre.assert_fact, dre.assert_facts

    def one(handle: int, fact: str) -> Any:
        recorded.append((handle, 1, fact))
        return original[0](handle, fact)

    def many(handle: int, facts: str) -> Any:
        recorded.append((handle, 2, facts))
        return original[1](handle, facts)

    dre.assert_fact, dre.assert_facts = one, many  # the engine calls them through the module
    try:
        for raw in requests:
            answer_module.answer(ev, foot_drop_service_pb2.EvaluateRequest.FromString(raw), 1 << 20)
    finally:
        dre.assert_fact, dre.assert_facts = original
    sid = re.compile(r'"sid":"[0-9]+"')
    sessions = [(h, n, sid.split(f)) for h, n, f in recorded]  # each fact's session id cut out
    name = "floor"  # one session per ruleset, reused as the engine reuses its own
    retractions = [engine.retraction(name, f.count('"id":"u')) for _, _, f in recorded]
    cpu = 0.0
    for _ in range(rounds):
        used: set[int] = set()
        try:
            t = time.thread_time()
            for (handle, n, parts), retraction in zip(sessions, retractions, strict=True):
                used.add(handle)
                text = f'"sid":"{name}"'.join(parts)
                _, state = (dre.assert_fact if n == 1 else dre.assert_facts)(handle, text)
                result = dre.start_action_for_state(handle, state)
                while result:
                    result = dre.complete_and_start_action(handle, state)
                (dre.retract_fact if n == 1 else dre.retract_facts)(handle, retraction)
                # the engine's checks that the session is empty
                dre.start_action_for_state(handle, state)
                dre.get_facts(handle, name)
            cpu += time.thread_time() - t
        finally:
            for handle in used:  # each started actions: safe to delete
                dre.delete_state(handle, name)
    calls = len(requests) * rounds
    return {
        "durable_rules_us_per_call": round(cpu / calls * 1e6, 1),
        "sessions_per_call": round(len(sessions) / len(requests), 2),
    }


def requests_mix(detail: int | None = None) -> list[bytes]:
    cases = load_cases(CASES_DIR) + load_cases(REVIEW_DIR)
    out = []
    for g in cases:
        req = foot_drop_service_pb2.EvaluateRequest(case=g.case)
        if detail is not None and "detail" in req.DESCRIPTOR.fields_by_name:
            setattr(req, "detail", detail)  # noqa: B010
        out.append(req.SerializeToString())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--detail", choices=sorted(DETAILS), default=None)
    args = parser.parse_args()
    detail = DETAILS[args.detail] if args.detail else None
    result = breakdown(requests_mix(detail), args.rounds)
    for k, v in result.items():
        print(f"  {k:18} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
