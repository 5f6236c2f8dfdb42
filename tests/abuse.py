"""Abusive clients for tests and `make chaos`: calls whose request never arrives in full."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence

import grpc

EVALUATE = "/cdss.v1.FootDropDecisionSupport/Evaluate"


@contextlib.contextmanager
def stalled_calls(
    address: str,
    count: int,
    *,
    method: str = EVALUATE,
    metadata: Sequence[tuple[str, str]] = (),
    connections: int = 0,
) -> Iterator[list[grpc.CallFuture[bytes]]]:
    """`count` calls that send their headers and never their request (each on one of
    `connections` connections, default one per call), held open until the block ends."""
    release = threading.Event()

    def never() -> Iterator[bytes]:
        release.wait()
        return
        yield b""  # pragma: no cover - makes this a generator that sends nothing

    options = [("grpc.use_local_subchannel_pool", 1)]  # a connection of its own
    channels = [
        grpc.insecure_channel(address, options=options) for _ in range(connections or count)
    ]
    calls: list[grpc.CallFuture[bytes]] = []
    try:
        for i in range(count):
            call = channels[i % len(channels)].stream_unary(method, None, None)
            calls.append(call.future(never(), metadata=tuple(metadata)))
        yield calls
    finally:
        release.set()
        for f in calls:
            f.cancel()  # type: ignore[no-untyped-call]
        for ch in channels:
            ch.close()
