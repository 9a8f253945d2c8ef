"""The worker–zygote protocol (`frames`, `Zygote`): typed frames, one sequence number per
check, and nothing a peer sends can raise anything but the protocol's own errors.

The fuzz tests play the zygote's side of the socket with arbitrary bytes and frames; the
worker's side must answer with a check, `ZygoteGone` (the worker then restarts with a
new zygote) or a timeout, never another exception and never a descriptor left open.
"""

from __future__ import annotations

import os
import socket
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.grading import frames, sandbox
from quizapp.grading.zygote import ChildRequest, Zygote, ZygoteGone

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def open_fds() -> set[int]:
    return {int(n) for n in os.listdir("/proc/self/fd")}


def fake_zygote() -> tuple[Zygote, socket.socket]:
    """A worker-side `Zygote` whose peer is the test (no process is started)."""
    ours, theirs = socket.socketpair()
    zygote = Zygote.__new__(Zygote)
    zygote.pid, zygote.sock, zygote._seq, zygote._pending = 0, ours, 0, None
    zygote.ns_layers = set()
    return zygote, theirs


REQUEST = ChildRequest("", "f", [], sandbox.Confinement(1, 64, "/tmp", sandbox.Plan("/tmp")))


def test_a_frame_round_trips_with_its_descriptor():
    a, b = socket.socketpair()
    r, w = os.pipe()
    frames.send(a, frames.Kind.STARTED, 7, frames.NUMBER.pack(42), [w])
    frame = frames.receive(b, time.monotonic() + 5)
    assert (frame.kind, frame.seq, frames.number(frame), len(frame.fds)) == (
        frames.Kind.STARTED, 7, 42, 1
    )  # fmt: skip
    frame.close_fds()
    for fd in (r, w):
        os.close(fd)


def test_an_answer_about_another_check_is_a_protocol_error():
    """The desync of the old protocol: a stale exit status read as the next child's pid."""
    zygote, peer = fake_zygote()
    frames.send(peer, frames.Kind.EXITED, 0, frames.exited(4096 << 8, False))
    r, w = os.pipe()
    with pytest.raises(ZygoteGone):
        zygote.spawn(REQUEST, w)
    for fd in (r, w):
        os.close(fd)


def test_the_matching_answer_gives_a_check_with_its_pidfd():
    zygote, peer = fake_zygote()
    r, w = os.pipe()
    child = os.pidfd_open(os.getpid())
    frames.send(peer, frames.Kind.STARTED, 1, frames.NUMBER.pack(1234), [child])
    os.close(child)
    check = zygote.spawn(REQUEST, w)
    assert (check.seq, check.pid) == (1, 1234) and check.pidfd is not None
    request = frames.receive(peer, time.monotonic() + 5)
    assert (request.kind, request.seq, len(request.fds)) == (frames.Kind.SPAWN, 1, 1)
    request.close_fds()
    frames.send(peer, frames.Kind.EXITED, 1, frames.exited(0, False))
    assert zygote.exit_status(check, time.monotonic() + 5) == (0, False)
    assert frames.receive(peer, time.monotonic() + 5).kind is frames.Kind.ACK
    check.close()
    for fd in (r, w):
        os.close(fd)


@SETTINGS
@given(st.binary(min_size=0, max_size=frames.HEADER.size * 2))
def test_no_header_bytes_raise_anything_but_a_protocol_error(data):
    try:
        kind, _seq, size = frames.parse_header(data)
    except frames.ProtocolError:
        return
    assert isinstance(kind, frames.Kind) and 0 <= size <= frames.MAX_BODY


frame_kinds = st.sampled_from(list(frames.Kind)) | st.integers(0, 255)


@st.composite
def peer_bytes(draw) -> bytes:
    """What a broken or hostile zygote could write: frames of any kind, number and size,
    whole or cut short, or plain garbage."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            parts.append(draw(st.binary(max_size=40)))
            continue
        kind, seq = draw(frame_kinds), draw(st.integers(0, 3))
        body = draw(st.binary(max_size=12))
        header = frames.HEADER.pack(frames.MAGIC, kind, seq, len(body))
        parts.append((header + body)[: draw(st.integers(0, len(header) + len(body)))])
    return b"".join(parts)


@SETTINGS
@given(peer_bytes(), st.booleans())
def test_no_bytes_from_the_zygote_raise_out_of_the_worker(data, send_fd):
    before = open_fds()
    zygote, peer = fake_zygote()
    r, w = os.pipe()
    if send_fd and data:
        socket.send_fds(peer, [data[:1]], [r])
        peer.sendall(data[1:])
    else:
        peer.sendall(data)
    peer.shutdown(socket.SHUT_WR)
    try:
        check = zygote.spawn(REQUEST, w)
        try:
            zygote.exit_status(check, time.monotonic() + 0.2)
        finally:
            check.close()
    except (ZygoteGone, TimeoutError):
        pass
    for fd in (r, w):
        os.close(fd)
    peer.close()
    zygote.sock.close()
    assert open_fds() <= before  # every descriptor that came with a frame was closed


@SETTINGS
@given(peer_bytes())
def test_no_bytes_raise_out_of_the_frame_reader(data):
    a, b = socket.socketpair()
    a.sendall(data)
    a.close()
    try:
        while True:
            frame = frames.receive(b, time.monotonic() + 0.2)
            frame.close_fds()
    except (frames.ProtocolError, TimeoutError):
        pass
    b.close()
