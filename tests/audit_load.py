"""Load that is cut off by killing servers: which answers were acknowledged."""

from __future__ import annotations

import copy
import os
import signal
import threading
import time
from collections.abc import Callable

import grpc

from cdss._proto import foot_drop_service_pb2_grpc
from tests.conftest import PERONEAL_CASE, evaluate_request

Stub = foot_drop_service_pb2_grpc.FootDropDecisionSupportStub


def acknowledged_until_killed(
    addresses: list[str], kill: Callable[[], None], clients: int = 8, before_kill: int = 100
) -> list[str]:
    """Run `clients` clients (spread over addresses) until `before_kill` answers came back,
    then call kill() (no warning), and return the case ids of every answer acknowledged."""
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(n: int) -> None:
        with grpc.insecure_channel(addresses[n % len(addresses)]) as channel:
            stub = Stub(channel)
            i = 0
            while not stop.is_set():
                data = copy.deepcopy(PERONEAL_CASE)
                data["case_id"] = f"kill-{n}-{i}"
                try:
                    stub.Evaluate(evaluate_request(data), timeout=5)
                    with lock:
                        acknowledged.append(data["case_id"])
                except grpc.RpcError:
                    pass
                i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < before_kill and time.monotonic() < deadline:
        time.sleep(0.1)  # load well under way (slow machines need longer)
    kill()
    stop.set()
    for t in threads:
        t.join(30)
    return acknowledged


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
