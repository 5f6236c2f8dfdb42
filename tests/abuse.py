"""Abusive clients for tests and `make chaos`: calls whose request never arrives in full."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
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


def _frame(kind: int, flags: int, stream: int, payload: bytes) -> bytes:
    return (
        len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload
    )


def _literal(name: str, value: str) -> bytes:
    """An HPACK literal header field without indexing (names and values under 127 bytes)."""
    return b"\0" + bytes([len(name)]) + name.encode() + bytes([len(value)]) + value.encode()


def half_sent_call(port: int, method: str = EVALUATE, sent: int = 10) -> socket.socket:
    """A raw HTTP/2 connection with one gRPC call whose message announces 1,000 bytes and
    sends only `sent` of them: the slow client of issue 14, below any gRPC library."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    headers = b"".join(
        _literal(k, v)
        for k, v in (
            (":method", "POST"), (":scheme", "http"), (":path", method),
            (":authority", f"127.0.0.1:{port}"), ("content-type", "application/grpc"),
            ("te", "trailers"),
        )
    )  # fmt: skip
    body = b"\0" + (1000).to_bytes(4, "big") + b"\x0a" * sent
    sock.sendall(
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        + _frame(0x4, 0, 0, b"")  # SETTINGS
        + _frame(0x1, 0x4, 1, headers)  # HEADERS, END_HEADERS, the stream left open
        + _frame(0x0, 0, 1, body)  # part of the message, no END_STREAM
    )
    return sock


def ended_by_server(sock: socket.socket, timeout: float) -> bool:
    """Read frames (acknowledging SETTINGS and PING) until the server ends stream 1 (RST_STREAM,
    trailers with END_STREAM, or GOAWAY); False if it has not after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    buffer = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            return False
        if not chunk:
            return True  # connection closed
        buffer += chunk
        while len(buffer) >= 9:
            length = int.from_bytes(buffer[:3], "big")
            if len(buffer) < 9 + length:
                break
            kind, flags = buffer[3], buffer[4]
            stream = int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF
            payload, buffer = buffer[9 : 9 + length], buffer[9 + length :]
            if kind == 0x4 and not flags & 0x1:
                sock.sendall(_frame(0x4, 0x1, 0, b""))  # SETTINGS ACK
            elif kind == 0x6 and not flags & 0x1:
                sock.sendall(_frame(0x6, 0x1, 0, payload))  # PING ACK
            elif kind == 0x7 or (stream == 1 and (kind == 0x3 or flags & 0x1)):
                return True
    return False
