"""Issue 14: slow and abusive clients cannot starve a server; refused calls are audited."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest

from cdss._proto import foot_drop_service_pb2, foot_drop_service_pb2_grpc
from cdss.audit import AuditStore
from cdss.config import ServerConfig
from cdss.decision import Detail
from cdss.evaluator import Evaluator
from cdss.server import RunningServer, build_server
from tests.abuse import ended_by_server, half_sent_call, stalled_calls
from tests.conftest import PERONEAL_CASE, evaluate_request

TOKEN = "s3cret-token-for-tests-0001"
Stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub


@pytest.fixture
def make_server(evaluator: Evaluator) -> Iterator[type[RunningServer]]:
    started: list[RunningServer] = []

    def make(**options: object) -> RunningServer:
        config = ServerConfig(bind="127.0.0.1", port=0, **options)  # type: ignore[arg-type]
        running = build_server(config, evaluator)
        running.server.start()
        started.append(running)
        return running

    yield make  # type: ignore[misc]
    for running in started:
        running.stop(None).wait()


def good_call(port: int, metadata: tuple[tuple[str, str], ...] = ()) -> grpc.StatusCode:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            Stub(channel).Evaluate(evaluate_request(PERONEAL_CASE), timeout=10, metadata=metadata)
        except grpc.RpcError as exc:
            assert isinstance(exc, grpc.Call)
            return exc.code()
    return grpc.StatusCode.OK


def settle() -> None:
    time.sleep(0.5)  # let the stalled calls reach the server (a wait, not a measurement)


def test_stalled_calls_do_not_take_every_thread(make_server) -> None:
    running = make_server(threads=4)
    with stalled_calls(f"127.0.0.1:{running.port}", 16):
        settle()
        assert [good_call(running.port) for _ in range(5)] == [grpc.StatusCode.OK] * 5


def test_a_partly_sent_request_is_cancelled_and_holds_no_thread_meanwhile(make_server) -> None:
    running = make_server(threads=1, receive_timeout=1.0)
    sockets = [half_sent_call(running.port) for _ in range(6)]  # raw HTTP/2, half a message
    try:
        settle()
        assert good_call(running.port) == grpc.StatusCode.OK
        assert all(ended_by_server(sock, timeout=30) for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_a_request_that_never_arrives_is_cancelled(make_server) -> None:
    running = make_server(receive_timeout=0.5)
    with stalled_calls(f"127.0.0.1:{running.port}", 3) as calls:
        codes = set()
        for call in calls:
            with pytest.raises(grpc.RpcError) as info:
                call.result(timeout=30)
            codes.add(info.value.code())
    assert codes == {grpc.StatusCode.CANCELLED}


def test_calls_beyond_max_calls_are_refused_at_once(make_server) -> None:
    running = make_server(threads=2, max_calls=4, receive_timeout=120)
    with stalled_calls(f"127.0.0.1:{running.port}", 4):
        codes = []
        for _ in range(40):  # until the stalled calls have all reached the server
            settle()
            codes.append(good_call(running.port))
            if codes[-1] == grpc.StatusCode.RESOURCE_EXHAUSTED:
                break
    assert codes[-1] == grpc.StatusCode.RESOURCE_EXHAUSTED, codes


def tokens_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens"
    path.write_text(f"clinic {TOKEN} Evaluate\n")
    return path


def test_unauthenticated_calls_are_refused_without_waiting_for_the_request(
    make_server, tmp_path: Path
) -> None:
    running = make_server(threads=1, tokens_file=tokens_file(tmp_path))
    with stalled_calls(f"127.0.0.1:{running.port}", 8) as calls:
        for call in calls:  # refused although the request never came
            with pytest.raises(grpc.RpcError) as info:
                call.result(timeout=30)
            assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
        auth = (("authorization", f"Bearer {TOKEN}"),)
        assert good_call(running.port, auth) == grpc.StatusCode.OK


def test_refused_calls_are_audited_without_their_token(make_server, tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    running = make_server(tokens_file=tokens_file(tmp_path), audit_db=db)
    wrong = "wrong-token-0123456789abcdef"
    assert good_call(running.port, (("authorization", f"Bearer {wrong}"),)) == (
        grpc.StatusCode.UNAUTHENTICATED
    )
    assert good_call(running.port) == grpc.StatusCode.UNAUTHENTICATED
    with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
        request = foot_drop_service_pb2.GetRuleBaseRequest()
        metadata = (("authorization", f"Bearer {TOKEN}"),)
        with pytest.raises(grpc.RpcError) as info:
            Stub(channel).GetRuleBase(request, timeout=10, metadata=metadata)
    assert info.value.code() == grpc.StatusCode.PERMISSION_DENIED
    store = AuditStore(db)
    try:
        deadline = time.monotonic() + 30  # refusals are written in batches, promptly
        while store.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        records = sorted(store.latest(10), key=lambda r: r.id)
    finally:
        store.close()
    assert [(r.status, r.caller, r.method.rsplit("/", 1)[-1]) for r in records] == [
        ("UNAUTHENTICATED", "anonymous", "Evaluate"),
        ("UNAUTHENTICATED", "anonymous", "Evaluate"),
        ("PERMISSION_DENIED", "clinic", "GetRuleBase"),
    ]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("audit.db*"))
    assert wrong.encode() not in stored and TOKEN.encode() not in stored


def test_a_call_cancelled_by_its_client_is_logged_as_cancelled(
    make_server, evaluator: Evaluator, tmp_path: Path, monkeypatch, caplog
) -> None:
    entered, release = threading.Event(), threading.Event()
    real = evaluator.evaluate

    def slow(case, detail=Detail.FULL):
        entered.set()
        release.wait(30)
        return real(case, detail)

    monkeypatch.setattr(evaluator, "evaluate", slow)
    db = tmp_path / "audit.db"
    running = make_server(audit_db=db)
    caplog.set_level("INFO", logger="cdss.access")
    with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
        future = Stub(channel).Evaluate.future(evaluate_request(PERONEAL_CASE), timeout=60)
        assert entered.wait(30)
        future.cancel()  # type: ignore[no-untyped-call]
        time.sleep(1.0)  # let the cancellation reach the server before the answer is ready
        release.set()
        deadline = time.monotonic() + 30
        while "evaluate CANCELLED" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
    assert "evaluate CANCELLED" in caplog.text
    assert "DEADLINE_EXCEEDED" not in caplog.text
    store = AuditStore(db)
    try:
        assert [r.status for r in store.latest(5)] == ["CANCELLED"]
    finally:
        store.close()


def test_refused_calls_are_written_in_batches_and_flushed_on_close(evaluator: Evaluator) -> None:
    from cdss.audit import Entry, RefusalLog

    batches: list[int] = []

    class Counting:
        def record_many(self, entries: list[Entry]) -> list[int]:
            batches.append(len(entries))
            return list(range(len(entries)))

    refusals = RefusalLog(Counting(), max_pending=5000)  # type: ignore[arg-type]
    rulebase = evaluator.compiled.rulebase
    for _ in range(3000):
        refusals.add(Entry(rulebase, "anonymous", "", "", "UNAUTHENTICATED", b"", None, 0.0))
    refusals.close()
    assert sum(batches) == 3000 and refusals.dropped == 0
    assert len(batches) < 3000  # a flood costs a few commits, not one per call


class _Details(grpc.HandlerCallDetails):
    """What grpc hands an interceptor about a call (the fields the interceptors read)."""

    def __init__(self, method: str) -> None:
        self.method = method
        self.invocation_metadata: tuple[tuple[str, str], ...] = ()


def test_the_interceptors_wrap_a_method_once_and_again_only_for_a_new_handler() -> None:
    """The gate and the observer make a method's handler on its first call and reuse it while
    grpc gives them the same one (they used to wrap it anew on every call); another method or
    a new handler gets its own."""
    from cdss.admission import Gate
    from cdss.metrics import Observer

    def unary(request: Any, context: Any) -> Any:
        return request

    first = grpc.unary_unary_rpc_method_handler(unary)
    second = grpc.unary_unary_rpc_method_handler(unary)
    gate = Gate(None, 5.0)
    observer = Observer("1", "sha256:x")
    try:
        current = {"handler": first}

        def through_gate(details: Any) -> Any:
            return gate.intercept_service(lambda _: current["handler"], details)

        ping, evaluate = _Details("/s/Ping"), _Details("/s/Evaluate")
        a = observer.intercept_service(through_gate, ping)
        assert a is observer.intercept_service(through_gate, ping)
        assert a is not observer.intercept_service(through_gate, evaluate)
        assert a is not None and a.stream_unary is not None  # the gate's form, then wrapped
        current["handler"] = second
        b = observer.intercept_service(through_gate, ping)
        assert b is not a
        assert b is observer.intercept_service(through_gate, ping)
    finally:
        gate.close()
