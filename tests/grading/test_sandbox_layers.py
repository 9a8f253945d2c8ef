"""Each layer of the submission sandbox on its own, in a forked process, so that one layer
cannot hide a gap in another: the audit hook, the seccomp filter, Landlock and the new root.
(`test_attacks.py` runs whole attacks against each layer through the real grader.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.grading import audit, landlock, linux, seccomp

CAP_SYS_ADMIN = 21


def has_sys_admin() -> bool:
    """Whether this process may create mount namespaces (root with CAP_SYS_ADMIN)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return bool(int(line.split()[1], 16) >> CAP_SYS_ADMIN & 1)
    return False


def in_child(action) -> str:
    """Run `action()` in a forked process (hooks and namespaces die with it); its result."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_fd)
            text = str(action())
        except BaseException as err:  # noqa: BLE001
            text = f"raised {type(err).__name__}: {err}"
        os.write(write_fd, text.encode()[:8000])
        os._exit(0)
    os.close(write_fd)
    chunks = []
    while chunk := os.read(read_fd, 1 << 16):
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()


@pytest.fixture
def dirs(tmp_path):
    """A work directory, a writable directory outside it and a directory of secrets."""
    work, outside, hidden = (tmp_path / name for name in ("work", "outside", "hidden"))
    for folder in (work, outside, hidden):
        folder.mkdir()
    (hidden / "reference.py").write_text("SECRET = 42\n")
    return work, outside, hidden


# ------------------------------------------------------------------------------ audit hook


def hooked(work, hidden, body):
    """`body()` run under the audit hook alone, in the work directory."""

    def action():
        os.chdir(work)
        sys.addaudithook(audit.audit_hook(os.path.realpath(work), (os.path.realpath(hidden),)))
        try:
            body()
        except PermissionError as err:
            return f"refused: {err}"
        return "allowed"

    return in_child(action)


def test_hook_checks_the_destination_of_rename_and_link(dirs):
    work, outside, hidden = dirs

    def rename():
        Path("x").write_text("x")
        os.replace("x", outside / "moved")

    def link():
        Path("y").write_text("y")
        os.link("y", outside / "linked")

    assert hooked(work, hidden, rename).startswith("refused")
    assert hooked(work, hidden, link).startswith("refused")
    assert list(outside.iterdir()) == []


def test_hook_allows_renames_inside_the_work_directory(dirs):
    work, _, hidden = dirs

    def rename():
        Path("a").write_text("a")
        os.mkdir("sub")
        os.replace("a", "sub/b")

    assert hooked(work, hidden, rename) == "allowed"
    assert (work / "sub" / "b").read_text() == "a"


def test_hook_refuses_directory_descriptors_outside_the_work_directory(dirs):
    """The open event does not carry dir_fd, so a descriptor of another directory would
    make any relative path there look like one in the work directory."""
    work, outside, hidden = dirs

    def create_relative():
        fd = os.open(outside, os.O_RDONLY)
        os.close(os.open("planted", os.O_CREAT | os.O_WRONLY, dir_fd=fd))

    assert hooked(work, hidden, create_relative).startswith("refused")
    assert list(outside.iterdir()) == []


def test_hook_refuses_changes_relative_to_a_dir_fd(dirs):
    work, _, hidden = dirs

    def mkdir_relative():
        os.mkdir("d", dir_fd=os.open(".", os.O_RDONLY))

    assert hooked(work, hidden, mkdir_relative).startswith("refused")


def test_hook_refuses_reading_hidden_sources(dirs):
    work, _, hidden = dirs
    result = hooked(work, hidden, lambda: (hidden / "reference.py").read_text())
    assert result.startswith("refused")


# ----------------------------------------------------------------------------- seccomp


def filtered(body):
    """`body()` under the seccomp filter alone; its result or the error it raised."""

    def action():
        linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
        seccomp.install(os.getpid())
        return body()

    return in_child(action)


def test_seccomp_refuses_new_processes_but_not_threads():
    import threading

    def fork_then_thread():
        try:
            pid = linux.libc().fork()
        except OSError as err:
            return f"fork refused {err}"
        if pid == 0:
            os._exit(0)
        if pid > 0:
            return "forked"
        results = []
        thread = threading.Thread(target=lambda: results.append(1))
        thread.start()
        thread.join()
        return f"fork refused; thread ran {results}"

    assert filtered(fork_then_thread) == "fork refused; thread ran [1]"


def test_seccomp_refuses_sockets_and_programs():
    import socket

    def body():
        out = []
        try:
            socket.socket()
            out.append("socket")
        except OSError:
            out.append("no socket")
        try:
            os.execv("/bin/true", ["true"])
        except OSError:
            out.append("no exec")
        return " ".join(out)

    assert filtered(body) == "no socket no exec"


def test_seccomp_lets_signals_go_only_to_itself():
    import signal

    victim = subprocess.Popen(["sleep", "30"])
    try:

        def body():
            try:
                os.kill(victim.pid, signal.SIGTERM)
                return "signalled"
            except PermissionError:
                pass
            signal.signal(signal.SIGUSR1, lambda *a: None)
            os.kill(os.getpid(), signal.SIGUSR1)
            return "self only"

        assert filtered(body) == "self only"
        assert victim.poll() is None
    finally:
        victim.kill()
        victim.wait()


# ---------------------------------------------------------------------------- landlock

needs_landlock = pytest.mark.skipif(landlock.abi_version() < 1, reason="no Landlock here")


@needs_landlock
def test_landlock_alone_limits_reads_and_writes(dirs, tmp_path):
    work, outside, hidden = dirs
    secret = tmp_path / "secret.txt"
    secret.write_text("s")

    def action():
        linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
        landlock.restrict(["/usr", "/lib", "/etc"], [str(work)])
        out = []
        for label, do in (
            ("write work", lambda: (work / "a").write_text("a")),
            ("write outside", lambda: (outside / "b").write_text("b")),
            ("read secret", lambda: secret.read_text()),
            ("read /etc", lambda: Path("/etc/hostname").exists() and os.listdir("/etc")),
        ):
            try:
                do()
                out.append(f"{label}: ok")
            except OSError:
                out.append(f"{label}: refused")
        return "; ".join(out)

    assert in_child(action) == (
        "write work: ok; write outside: refused; read secret: refused; read /etc: ok"
    )
    assert list(outside.iterdir()) == []
