"""The worker–zygote protocol: typed, framed messages with a per-check sequence number.

Every message is one frame: a fixed header (magic, kind, sequence number, body length),
then the body. A `Spawn` carries the result pipe, a `Started` the child's pidfd where the
kernel has them; no other frame may carry a descriptor. The worker numbers its checks, and
every answer must name the check it is about, so a message that arrives late or twice is
a `ProtocolError`, never a number read as something else. Whoever sees a `ProtocolError`
stops talking: the worker replaces the zygote (by restarting), the zygote exits.

Decoding is strict and total: any byte string either becomes one of the typed messages
below or raises `ProtocolError` (tests fuzz it); a peer that says nothing until the
deadline gives `TimeoutError`.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import struct
import time
from dataclasses import dataclass
from enum import IntEnum

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable

MAGIC = b"QZP2"
HEADER = struct.Struct("!4sBxxxQI")  # magic, kind, (pad), sequence number, body length
MAX_BODY = 1 << 28  # a spawn request holds the cases; nothing else is more than a few bytes
NUMBER = struct.Struct("!q")
EXITED = struct.Struct("!qB")


class Kind(IntEnum):
    READY = 1  # zygote -> worker, seq 0: which namespaces it holds (a bit mask)
    SPAWN = 2  # worker -> zygote: a pickled ChildRequest, with the result pipe
    STARTED = 3  # zygote -> worker: the child's pid, with a pidfd where there are pidfds
    EXITED = 4  # zygote -> worker: the child's wait status and whether it was timed out
    ACK = 5  # worker -> zygote: the exit is read; the zygote may reap the child


class ProtocolError(Exception):
    """A frame that is malformed, unexpected, or about another check."""


@dataclass(frozen=True)
class Frame:
    kind: Kind
    seq: int
    body: bytes
    fds: tuple[int, ...] = ()

    def close_fds(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)


_FDS_ALLOWED = {Kind.SPAWN: 1, Kind.STARTED: 1}
_BODY_SIZE = {Kind.READY: NUMBER.size, Kind.STARTED: NUMBER.size, Kind.EXITED: EXITED.size,
              Kind.ACK: 0}  # fmt: skip


def encode(kind: Kind, seq: int, body: bytes = b"") -> bytes:
    return HEADER.pack(MAGIC, kind, seq, len(body)) + body


def parse_header(data: bytes) -> tuple[Kind, int, int]:
    """(kind, seq, body length) of a header, or ProtocolError."""
    if len(data) != HEADER.size:
        raise ProtocolError("short header")
    magic, kind, seq, size = HEADER.unpack(data)
    if magic != MAGIC:
        raise ProtocolError("not a frame")
    try:
        typed = Kind(kind)
    except ValueError:
        raise ProtocolError(f"unknown frame kind {kind}") from None
    expected = _BODY_SIZE.get(typed)
    if size > MAX_BODY or (expected is not None and size != expected):
        raise ProtocolError(f"{typed.name} frame of {size} bytes")
    return typed, seq, size


def send(
    sock: socket.socket, kind: Kind, seq: int, body: bytes = b"", fds: Iterable[int] = ()
) -> None:
    data = encode(kind, seq, body)
    if fds:
        sent = socket.send_fds(sock, [data[: HEADER.size]], list(fds))
        if sent != HEADER.size:
            raise ProtocolError("header not sent whole")
        sock.sendall(data[HEADER.size :])
    else:
        sock.sendall(data)


def receive(sock: socket.socket, deadline: float | None) -> Frame:
    """The next frame; TimeoutError if none began before `deadline` (None: wait for ever),
    ProtocolError for anything else that is not a whole, well-formed frame."""
    fds: list[int] = []
    try:
        header = _recv_exactly(sock, HEADER.size, deadline, fds)
        kind, seq, size = parse_header(header)
        if len(fds) > _FDS_ALLOWED.get(kind, 0):
            raise ProtocolError(f"{kind.name} frame with descriptors")
        body = _recv_exactly(sock, size, None if deadline is None else deadline + 10.0, None)
    except BaseException:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        raise
    return Frame(kind, seq, body, tuple(fds))


def _recv_exactly(
    sock: socket.socket, size: int, deadline: float | None, fds: list[int] | None
) -> bytes:
    """`size` bytes; descriptors that come with the first bytes go to `fds` (None: none
    may come). TimeoutError only before the first byte; after it a stall is a ProtocolError."""
    data = bytearray()
    while len(data) < size:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError if not data else ProtocolError("frame cut short")
            ready, _, _ = select.select([sock], [], [], remaining)
            if not ready:
                continue
        try:
            if fds is not None and not data:
                chunk, got, _, _ = socket.recv_fds(sock, size, 2)
                fds.extend(got)
            else:
                chunk = sock.recv(min(size - len(data), 1 << 20))
        except OSError as err:
            raise ProtocolError(f"cannot read: {err}") from None
        if not chunk:
            raise ProtocolError("closed")
        data += chunk
    return bytes(data)


def number(frame: Frame) -> int:
    return NUMBER.unpack(frame.body)[0]


def exited(status: int, timed_out: bool) -> bytes:
    return EXITED.pack(status, int(timed_out))


def read_exited(frame: Frame) -> tuple[int, bool]:
    status, timed_out = EXITED.unpack(frame.body)
    if timed_out > 1:
        raise ProtocolError("bad EXITED frame")
    return status, bool(timed_out)


def expect(frame: Frame, kind: Kind, seq: int) -> Frame:
    """`frame` if it is `kind` about check `seq`; else its descriptors are closed and
    ProtocolError raised."""
    if frame.kind is not kind or frame.seq != seq:
        frame.close_fds()
        raise ProtocolError(f"expected {kind.name} #{seq}, got {frame.kind.name} #{frame.seq}")
    return frame
