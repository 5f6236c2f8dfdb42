"""Faults under load, on 127.0.0.1 only: `make chaos` (python scripts/chaos.py), under 3 minutes.

Starts `python -m cdss serve` (2 workers, bearer tokens, audit on; `--postgres` puts the audit
in a throwaway PostgreSQL server instead of SQLite), records the expected answer of every
golden case, then injects one fault per phase while 8 good clients (each paced at --rate
calls/s, default 5: 40 calls/s in all, about a third of what 2 workers answer on 2 cores; a
unique case id per call) keep calling, and prints one line per fault (after a baseline line
without one):

    fault               calls_ok  failed  wrong  records_lost  p99_ms  note

- slow-clients: 100 half-sent calls (headers, never the request; half without a token) held
  open the whole phase, re-opened as the server cancels them;
- worker-kill: SIGKILL of a worker mid-load;
- worker-freeze: SIGSTOP of a worker (the watchdog must kill and replace it);
- edited-rules+crash: the rule files edited on disk without a reload, then a worker killed
  (its replacement must serve the pinned rule base);
- reload+crash: a valid edit, SIGHUP, and a worker killed while the reload runs (one rule base
  must serve afterwards, the note says how many were seen).

`wrong` counts answers that differ from the expected one (ignoring the rule-base version when
a reload legitimately changed it, but not its hash being outside the allowed set);
`records_lost` counts acknowledged answers with no audit record. Exit status 0 only when
wrong and records_lost are 0 everywhere, slow-clients has >= 99 % OK and one rule base serves
after the reload. Latency is printed, with the slow-clients p99 set against the baseline's and
the 50 ms target, but does not decide the exit status: on a shared 2-core machine running the
clients and the server, other work moves it more than any fault does.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc  # noqa: E402
from cdss.answer import answer  # noqa: E402
from cdss.audit import open_store  # noqa: E402
from cdss.config import MAX_CASE_BYTES  # noqa: E402
from cdss.evaluator import Evaluator  # noqa: E402
from cdss.pinning import pin  # noqa: E402
from cdss.rulebase.compiler import compile_rulebase  # noqa: E402
from cdss.rulebase.loader import load_rulebase_texts  # noqa: E402
from tests.abuse import stalled_calls  # noqa: E402
from tests.golden import load_cases  # noqa: E402
from tests.serving import ServerProcess, server_process  # noqa: E402

TOKEN = "chaos-clinic-token-0123456789"  # noqa: S105 - a test token for a local server
AUTH = (("authorization", f"Bearer {TOKEN}"),)
CLIENTS = 8
Stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub


@dataclass
class Tally:
    ok: int = 0
    failed: int = 0
    wrong: int = 0
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    hashes: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def p99_ms(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def neutral(response: foot_drop_service_pb2.EvaluateResponse) -> bytes:
    """The answer without what differs from call to call by design (the caller's case id)."""
    copy = foot_drop_service_pb2.EvaluateResponse()
    copy.CopyFrom(response)
    copy.ClearField("case_id")
    return copy.SerializeToString(deterministic=True)


Expected = dict[str, list[bytes]]  # rule base hash -> the answer to each case


def expected_answers(rules: Path, cases: list[foot_drop_service_pb2.EvaluateRequest]) -> Expected:
    """The answers of the rule base now in `rules`, evaluated here, without the server."""
    pinned = pin(rules)
    evaluator = Evaluator(compile_rulebase(load_rulebase_texts(pinned.texts)))
    try:
        return {pinned.content_hash: [neutral(answer(evaluator, c, MAX_CASE_BYTES)) for c in cases]}
    finally:
        evaluator.close()


def good_clients(  # noqa: PLR0917 - one call per phase, every argument needed
    address: str,
    phase: str,
    cases: list[foot_drop_service_pb2.EvaluateRequest],
    expected: Expected,
    seconds: float,
    rate: float,
) -> Tally:
    tally = Tally()
    end = time.monotonic() + seconds

    replies: list[tuple[int, bytes]] = []  # checked after the phase, off the clock

    def client(n: int) -> None:
        options = [("grpc.use_local_subchannel_pool", 1)]
        with grpc.insecure_channel(address, options=options) as channel:
            call = channel.unary_unary(
                "/cdss.v1.FootDropDecisionSupport/Evaluate",
                request_serializer=lambda b: b,
                response_deserializer=lambda b: b,
            )
            i, next_at = 0, time.monotonic()
            while time.monotonic() < end:
                k = (n * 7 + i) % len(cases)
                request = foot_drop_service_pb2.EvaluateRequest()
                request.CopyFrom(cases[k])
                request.case.case_id = f"chaos-{phase}-{n}-{i}"
                data = request.SerializeToString()
                started = time.perf_counter()
                try:
                    reply = call(data, timeout=5, metadata=AUTH)
                except grpc.RpcError:
                    with tally.lock:
                        tally.failed += 1
                else:
                    took = time.perf_counter() - started
                    with tally.lock:
                        tally.ok += 1
                        tally.latencies.append(took)
                        tally.acknowledged.append(request.case.case_id)
                        replies.append((k, reply))
                i += 1
                next_at += 1 / rate
                time.sleep(max(0.0, next_at - time.monotonic()))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k, raw in replies:
        reply = foot_drop_service_pb2.EvaluateResponse.FromString(raw)
        digest = reply.ruleset_version.content_hash
        tally.hashes.add(digest)
        tally.wrong += 0 if digest in expected and neutral(reply) == expected[digest][k] else 1
    return tally


def attack(address: str, count: int, seconds: float) -> None:
    """`count` half-sent calls (half without a token) kept open for `seconds`: re-opened as
    the server cancels them. Runs in a process of its own, so that its threads do not slow
    the good clients' measurements."""
    stop = threading.Event()

    def attacker(metadata: tuple[tuple[str, str], ...]) -> None:
        while not stop.is_set():
            with stalled_calls(address, count // 2, metadata=metadata) as calls:
                while not stop.is_set() and not all(c.done() for c in calls):
                    stop.wait(0.2)
            stop.wait(1.0)  # re-open once a second (those refused at once: no flood)

    threads = [threading.Thread(target=attacker, args=(m,)) for m in ((), AUTH)]
    for t in threads:
        t.start()
    stop.wait(seconds)
    stop.set()
    for t in threads:
        t.join(30)


@contextlib.contextmanager
def held_open(address: str, count: int, seconds: float) -> Iterator[None]:
    process = mp.get_context("spawn").Process(target=attack, args=(address, count, seconds + 3))
    process.start()
    try:
        time.sleep(2.0)  # the calls are open before the good clients start
        yield
    finally:
        process.join(60)
        if process.is_alive():
            process.kill()


def served_hashes(address: str, connections: int = 12) -> set[str]:
    found = set()
    for _ in range(connections):
        options = [("grpc.use_local_subchannel_pool", 1)]
        with grpc.insecure_channel(address, options=options) as channel:
            reply = Stub(channel).GetRuleBase(
                foot_drop_service_pb2.GetRuleBaseRequest(), timeout=10, metadata=AUTH
            )
            found.add(reply.ruleset_version.content_hash)
    return found


def retitle(rules: Path, new: str) -> None:
    findings = rules / "10-findings.yaml"
    text = findings.read_text()
    findings.write_text(text.replace("title: Foot drop confirmed", f"title: {new}", 1))


def after(delay: float, action: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        time.sleep(delay)
        action()

    t = threading.Thread(target=run)
    t.start()
    return t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=12.0, help="load per fault")
    parser.add_argument("--rate", type=float, default=5.0, help="calls/s per good client")
    parser.add_argument("--postgres", action="store_true", help="audit in a local PostgreSQL")
    args = parser.parse_args()
    cases = [foot_drop_service_pb2.EvaluateRequest(case=g.case) for g in load_cases()[:30]]
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cdss-chaos-")))
        rules = tmp / "rules"
        shutil.copytree(ROOT / "rules", rules)
        tokens = tmp / "tokens"
        tokens.write_text(f"clinic {TOKEN}\n")
        if args.postgres:
            from tests.postgres import fresh_database, postgres_server

            audit = fresh_database(stack.enter_context(postgres_server()))
        else:
            audit = str(tmp / "audit.db")
        server: ServerProcess = stack.enter_context(
            server_process(
                "--rules-dir", str(rules), "--tokens-file", str(tokens), "--audit-db", audit,
                "--watchdog", "2", workers=2,
            )
        )  # fmt: skip
        server.wait_for_workers(2)
        expected = expected_answers(rules, cases)
        results: list[tuple[str, Tally, str]] = []

        def phase(name: str, fault: Callable[[], str], answers: Expected = expected) -> None:
            note: list[str] = []
            injector = after(args.seconds / 3, lambda: note.append(fault()))
            tally = good_clients(server.address, name, cases, answers, args.seconds, args.rate)
            injector.join()
            results.append((name, tally, " ".join(note)))

        phase("baseline", lambda: "no fault")
        with held_open(server.address, 100, args.seconds):
            tally = good_clients(server.address, "slow", cases, expected, args.seconds, args.rate)
        results.append(("slow-clients", tally, "100 half-sent calls held open"))

        def kill() -> str:
            os.kill(server.wait_for_workers(2)[0], signal.SIGKILL)
            return "worker SIGKILLed"

        phase("worker-kill", kill)

        def freeze() -> str:
            pid = server.wait_for_workers(2)[0]
            os.kill(pid, signal.SIGSTOP)
            server.wait_for_workers(2, exclude={pid})
            return "worker SIGSTOPped; the watchdog replaced it"

        phase("worker-freeze", freeze)

        def edited() -> str:
            retitle(rules, "Foot drop found on examination")
            return "rules edited without a reload, then " + kill()

        phase("edited-rules+crash", edited)  # only the pinned rule base's answers are right

        def reload_crash() -> str:
            old = server.wait_for_workers(2)
            server.process.send_signal(signal.SIGHUP)
            os.kill(old[0], signal.SIGKILL)
            deadline = time.monotonic() + 60
            while "rule base reloaded" not in server.log() and time.monotonic() < deadline:
                time.sleep(0.1)
            return "SIGHUP + SIGKILL"

        both = {**expected, **expected_answers(rules, cases)}  # the old or the reloaded answers
        phase("reload+crash", reload_crash, both)
        serving = served_hashes(server.address)
        name, tally, note = results[-1]
        results[-1] = (name, tally, f"{note}; rule bases serving after: {len(serving)}")
        store = open_store(audit)
        try:
            recorded = store.case_ids()
        finally:
            store.close()

    print(f"{'fault':20} {'calls_ok':>8} {'failed':>7} {'wrong':>6} {'records_lost':>12} "
          f"{'p99_ms':>7}  note")  # fmt: skip
    healthy = len(serving) == 1
    latency, baseline = "", 0.0
    for name, tally, note in results:
        lost = len(set(tally.acknowledged) - recorded)
        print(f"{name:20} {tally.ok:8} {tally.failed:7} {tally.wrong:6} {lost:12} "
              f"{tally.p99_ms():7.1f}  {note}")  # fmt: skip
        healthy &= tally.wrong == 0 and lost == 0
        if name == "baseline":
            baseline = tally.p99_ms()
        if name == "slow-clients":
            total = tally.ok + tally.failed
            healthy &= total > 0 and tally.ok >= 0.99 * total
            met = "met" if tally.p99_ms() < 50 else "NOT met"
            latency = (f"slow-clients latency target (p99 < 50 ms): {met}; p99 {tally.p99_ms():.1f}"
                       f" ms against {baseline:.1f} ms without the slow clients")  # fmt: skip
    print(latency)
    verdict = "PASS" if healthy else "FAIL"
    print(f"chaos: {verdict} (0 wrong, 0 lost, >= 99 % OK under slow clients, one rule base)")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
