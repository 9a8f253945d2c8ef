"""Each layer of the submission sandbox on its own, so that one layer cannot hide a gap in
another: the audit hook (the only file barrier without root), the mount namespace (which
also stops native code), and the process limit."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.grading import sandbox

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
        sys.addaudithook(sandbox._audit_hook(os.path.realpath(work), (os.path.realpath(hidden),)))
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


# ------------------------------------------------------------------------- mount namespace


needs_mounts = pytest.mark.skipif(
    not has_sys_admin(), reason="mount namespaces need root (CAP_SYS_ADMIN)"
)


@needs_mounts
def test_mounts_stop_native_writes_outside_the_work_directory(dirs):
    """Without any audit hook: programs and torch's C++ can write only in the work dir."""
    work, outside, hidden = dirs
    limits = sandbox.Limits(cpu_s=5, memory_mb=512, workdir=str(work), hidden=(str(hidden),))
    mounts_before = Path("/proc/self/mountinfo").read_text()

    def action():
        import torch

        assert sandbox._isolate(limits), "not isolated"
        subprocess.run(["touch", str(outside / "by-program")], capture_output=True)
        subprocess.run(["touch", str(work / "by-program")], check=True)
        with contextlib.suppress(RuntimeError):
            torch.from_file(str(outside / "by-torch"), shared=True, size=16)
        try:
            return (hidden / "reference.py").read_text()
        except OSError:
            return "hidden"

    assert in_child(action) == "hidden"
    assert (work / "by-program").exists()
    assert list(outside.iterdir()) == []
    assert Path("/proc/self/mountinfo").read_text() == mounts_before  # nothing leaked out


@needs_mounts
def test_mounts_leave_the_work_directory_writable_for_torch(dirs):
    work, _, hidden = dirs
    limits = sandbox.Limits(cpu_s=5, memory_mb=512, workdir=str(work), hidden=(str(hidden),))

    def action():
        import torch

        assert sandbox._isolate(limits), "not isolated"
        torch.save(torch.ones(3), str(work / "t.pt"))
        return float(torch.load(str(work / "t.pt")).sum())

    assert in_child(action) == "3.0"
