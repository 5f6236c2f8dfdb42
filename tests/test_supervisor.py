"""`python -m cdss serve` as a real process tree: workers, crash isolation, drain, reload."""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import grpc
import pytest

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc
from tests.golden import load_cases
from tests.serving import ROOT, ServerProcess, server_process

pytestmark = pytest.mark.slow


def stub_for(
    address: str,
) -> tuple[grpc.Channel, foot_drop_service_pb2_grpc.FootDropDecisionSupportStub]:
    channel = grpc.insecure_channel(address)
    return channel, foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)


def retitle(findings: Path) -> None:
    """A harmless, valid change to a rule file (a new content hash)."""
    text = findings.read_text()
    findings.write_text(
        text.replace(
            "title: Foot drop confirmed on examination",
            "title: Foot drop confirmed at the bedside",
            1,
        )
    )


def reload(server: ServerProcess, until: str) -> None:
    """SIGHUP the supervisor and wait until its log says `until`."""
    server.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 60
    while until not in server.log() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_workers_share_the_port_and_answer() -> None:
    case = load_cases()[0]
    with server_process(workers=2) as server:
        assert len(server.wait_for_workers(2)) == 2
        channel, stub = stub_for(server.address)
        with channel:
            resp = stub.Evaluate(foot_drop_service_pb2.EvaluateRequest(case=case.case), timeout=10)
        assert resp.causes
        pid = server.process.pid
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    assert "stopping: draining 2 worker(s)" in server.log() and pid


def test_a_killed_worker_is_replaced_and_other_calls_are_unaffected() -> None:
    cases = [g.case for g in load_cases()[:20]]
    expected: dict[int, foot_drop_service_pb2.EvaluateResponse] = {}
    with server_process(workers=2) as server:
        before = server.wait_for_workers(2)
        channel, stub = stub_for(server.address)
        with channel:
            for i, c in enumerate(cases):
                expected[i] = stub.Evaluate(
                    foot_drop_service_pb2.EvaluateRequest(case=c), timeout=10
                )
        outcomes: Counter[str] = Counter()
        wrong: list[int] = []
        stop = threading.Event()

        def client() -> None:
            ch, st = stub_for(server.address)  # each client its own connection (own worker)
            with ch:
                i = 0
                while not stop.is_set():
                    k = i % len(cases)
                    try:
                        got = st.Evaluate(
                            foot_drop_service_pb2.EvaluateRequest(case=cases[k]), timeout=10
                        )
                        outcomes["ok"] += 1
                        if got != expected[k]:
                            wrong.append(k)
                    except grpc.RpcError as exc:
                        outcomes[exc.code().name] += 1
                    i += 1

        threads = [threading.Thread(target=client) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        os.kill(before[0], signal.SIGKILL)
        time.sleep(2.0)
        after = server.wait_for_workers(2, exclude={before[0]})
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join(30)
    assert before[0] not in after and len(after) == 2
    assert not wrong, "a worker answered differently"
    assert outcomes["ok"] > 100
    print("outcomes under a worker kill:", dict(outcomes))
    assert set(outcomes) <= {"ok", "UNAVAILABLE"}, outcomes  # the dying worker's calls only
    assert "died" in server.log() and "replacing it" in server.log()


def test_reload_keeps_the_old_rule_base_when_the_new_one_is_invalid(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    with server_process("--rules-dir", str(rules), workers=1) as server:
        channel, stub = stub_for(server.address)
        with channel:
            request = foot_drop_service_pb2.GetRuleBaseRequest()
            first = stub.GetRuleBase(request, timeout=10).ruleset_version.content_hash
            findings = rules / "10-findings.yaml"
            good = findings.read_text()
            findings.write_text(
                good.replace("A.ankle_dorsiflexion, le: 4}", "A.ankle_dorsiflexon, le: 4}", 1)
            )
            reload(server, "reload refused")
            assert "unknown fact 'A.ankle_dorsiflexon'" in server.log()
            assert stub.GetRuleBase(request, timeout=10).ruleset_version.content_hash == first
            findings.write_text(good)  # the typo fixed, and a valid change on top
            retitle(findings)
            reload(server, "rule base reloaded")
            time.sleep(0.5)
            second = stub.GetRuleBase(request, timeout=10).ruleset_version.content_hash
    assert second != first


def test_reload_under_load_drops_no_call(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    case = load_cases()[0].case
    outcomes: Counter[str] = Counter()
    stop = threading.Event()
    with server_process("--rules-dir", str(rules), workers=2) as server:
        server.wait_for_workers(2)

        def client() -> None:
            channel, stub = stub_for(server.address)
            with channel:
                while not stop.is_set():
                    try:
                        stub.Evaluate(foot_drop_service_pb2.EvaluateRequest(case=case), timeout=10)
                        outcomes["ok"] += 1
                    except grpc.RpcError as exc:
                        outcomes[exc.code().name] += 1

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        retitle(rules / "10-findings.yaml")
        reload(server, "rule base reloaded")
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join(30)
    assert "rule base reloaded" in server.log()
    print("outcomes across a reload:", dict(outcomes))
    assert outcomes["ok"] > 100
    # every call that reached a worker completed: the old workers drained with nothing in flight
    assert "DEADLINE_EXCEEDED" not in server.log() and "evaluate failed" not in server.log()
    # a call sent to an old worker in the last milliseconds of its shutdown is refused before it
    # is processed (CANCELLED or UNAVAILABLE, safe to retry): measured 0-1 in ~2,000 calls
    refused = outcomes["CANCELLED"] + outcomes["UNAVAILABLE"]
    assert set(outcomes) <= {"ok", "CANCELLED", "UNAVAILABLE"}, outcomes
    assert refused <= max(2, outcomes["ok"] // 200), outcomes


# ---- issue 14: one pinned rule base per supervisor, reload by SIGHUP or ReloadRules, watchdog
def served_hashes(server: ServerProcess, connections: int = 16) -> set[str]:
    """The rule base hash each of `connections` fresh connections is served (spread by the
    kernel over the workers)."""
    hashes = set()
    for _ in range(connections):
        options = [("grpc.use_local_subchannel_pool", 1)]
        with grpc.insecure_channel(server.address, options=options) as channel:
            stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub(channel)
            reply = stub.GetRuleBase(foot_drop_service_pb2.GetRuleBaseRequest(), timeout=10)
            hashes.add(reply.ruleset_version.content_hash)
    return hashes


def wait_for_log(server: ServerProcess, pattern: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not re.search(pattern, server.log()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert re.search(pattern, server.log()), server.log()[-3000:]


def replace_one(server: ServerProcess, sig: int = signal.SIGKILL) -> list[int]:
    """Kill (or freeze) a worker and wait until its replacement is ready."""
    before = server.wait_for_workers(2)
    os.kill(before[0], sig)
    after = server.wait_for_workers(2, exclude={before[0]})
    for pid in set(after) - set(before):
        wait_for_log(server, rf"cdss\.server\[{pid}\] serving")  # listening
    return after


def test_a_replacement_serves_the_pinned_rule_base_not_the_edited_files(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    with server_process("--rules-dir", str(rules), workers=2) as server:
        first = served_hashes(server)
        retitle(rules / "10-findings.yaml")  # edited, no SIGHUP
        replace_one(server)
        assert served_hashes(server) == first
        # and a rule base made invalid on disk does not stop a replacement either
        (rules / "10-findings.yaml").write_text("rules: [\n")
        replace_one(server)
        assert served_hashes(server) == first
    assert "replacement worker failed" not in server.log()


def test_a_reload_and_a_crash_together_leave_one_rule_base(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    with server_process("--rules-dir", str(rules), workers=2) as server:
        (first,) = served_hashes(server)
        retitle(rules / "10-findings.yaml")
        old = server.wait_for_workers(2)
        server.process.send_signal(signal.SIGHUP)
        os.kill(old[0], signal.SIGKILL)  # a crash while the reload is under way
        reload(server, "rule base reloaded")
        server.wait_for_workers(2, exclude=set(old))
        after = served_hashes(server)
        # the files change again without a reload, and a worker crashes: its replacement
        # serves the reloaded rules, not the files
        (rules / "10-findings.yaml").write_text(
            (rules / "10-findings.yaml").read_text().replace("at the bedside", "on the ward", 1)
        )
        replace_one(server)
        assert served_hashes(server) == after
    assert len(after) == 1 and after != {first}


def test_reload_rules_needs_its_own_grant(tmp_path: Path) -> None:
    from google.protobuf import empty_pb2, struct_pb2

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    tokens = tmp_path / "tokens"
    tokens.write_text("clinic clinic-token-0123456789\nops ops-token-0123456789 ReloadRules\n")
    with server_process("--rules-dir", str(rules), "--tokens-file", str(tokens)) as server:
        with grpc.insecure_channel(server.address) as channel:
            reload_rules = channel.unary_unary(
                "/cdss.admin.v1.Admin/ReloadRules",
                request_serializer=empty_pb2.Empty.SerializeToString,
                response_deserializer=struct_pb2.Struct.FromString,
            )
            clinic = (("authorization", "Bearer clinic-token-0123456789"),)
            with pytest.raises(grpc.RpcError) as info:
                reload_rules(empty_pb2.Empty(), timeout=10, metadata=clinic)
            assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
            retitle(rules / "10-findings.yaml")
            ops = (("authorization", "Bearer ops-token-0123456789"),)
            reply = reload_rules(empty_pb2.Empty(), timeout=10, metadata=ops)
            assert reply["requested"]
        reload(server, "rule base reloaded: generation 2")
    assert "rule base reloaded: generation 2" in server.log()


def test_a_frozen_worker_is_killed_and_replaced(tmp_path: Path) -> None:
    with server_process("--watchdog", "2", workers=2) as server:
        before = server.wait_for_workers(2)
        after = replace_one(server, signal.SIGSTOP)
        assert served_hashes(server, 8)
    assert before[0] not in after
    assert f"worker {before[0]} (slot " in server.log()
    assert "unresponsive: no heartbeat" in server.log()
