"""Every attack class of `attacks.py`, as an ordinary user, as an ordinary user whose machine
has no user namespaces, and as root, each against a positive control.

The control runs the same attack outside the sandbox as the same user: it must do its
damage, so a broken attack makes the test fail instead of passing for the wrong reason.
As root the tests create an ordinary account and drop to it in a subprocess; that account
must be able to run this Python (see `ordinary_user`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

RUNNER = Path(__file__).with_name("attacks.py")


def _attack_names() -> list[str]:
    spec = importlib.util.spec_from_file_location("attacks", RUNNER)
    assert spec is not None and spec.loader is not None  # a file next to this one
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.ATTACKS)


ATTACKS = _attack_names()
ACCOUNT = "quizapp-student"
IS_ROOT = os.geteuid() == 0


@functools.cache
def ordinary_account() -> tuple[int, int] | None:
    """(uid, gid) of an ordinary account to run attacks as; None where there is none."""
    if not IS_ROOT:
        return os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam(ACCOUNT)
    except KeyError:
        if not shutil.which("useradd"):
            return None
        subprocess.run(["useradd", "--system", "--no-create-home", ACCOUNT], check=False)
        try:
            entry = pwd.getpwnam(ACCOUNT)
        except KeyError:
            return None
    return entry.pw_uid, entry.pw_gid


def run(names: str, mode: str, *, as_root: bool = False, off: str = "") -> dict:
    account = None if as_root else ordinary_account()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": "/tmp",
        "QUIZAPP_SANDBOX_OFF": off,
    }
    kwargs: dict[str, Any] = {}
    if account and IS_ROOT:
        kwargs = {"user": account[0], "group": account[1], "extra_groups": []}
    done = subprocess.run(
        [sys.executable, str(RUNNER), names, mode],
        capture_output=True,
        text=True,
        timeout=600,
        cwd="/tmp",
        env=env,
        **kwargs,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def reachable():
    """Skip where the ordinary account cannot even start this Python (e.g. it lives under a
    home folder of mode 0700); .ci/run makes it reachable."""
    account = ordinary_account()
    if account is None:
        pytest.skip("no ordinary account could be created (useradd missing)")
    if IS_ROOT:
        probe = subprocess.run(
            [sys.executable, "-c", "import torch, quizapp"],
            capture_output=True,
            user=account[0],
            group=account[1],
            extra_groups=[],
            cwd="/tmp",
            check=False,
        )
        if probe.returncode != 0:
            pytest.skip(
                f"the account {ACCOUNT} cannot run {sys.executable}; grant it traverse "
                "permission on the folders above (chmod o+x) to run these tests"
            )


@pytest.fixture(scope="module")
def controls(reachable):
    return run("all", "control")


@pytest.fixture(scope="module")
def ordinary(reachable):
    return run("all", "sandbox")


@pytest.fixture(scope="module")
def no_user_namespaces(reachable):
    return run("all", "sandbox", off="userns")


@pytest.fixture(scope="module")
def as_root():
    if not IS_ROOT:
        pytest.skip("the root case needs root")
    return run("all", "sandbox", as_root=True)


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_works_outside_the_sandbox(controls, name):
    assert controls[name]["worked"], controls[name]


def _contained(results: dict, name: str, same_user_outside: bool = True) -> None:
    result = results[name]
    assert not result["worked"], result
    # The attack catches its own failures and returns a wrong answer: a syntax error or a
    # crash of the snippet would mean the attack never ran.
    assert result["status"] == "incorrect", result["feedback"][:2000]
    if same_user_outside:  # root may open any process's memory; an ordinary user may not
        assert not result["worker_open_from_outside"]


@pytest.mark.parametrize("name", list(ATTACKS))
def test_contained_for_an_ordinary_user(ordinary, controls, name):
    assert controls[name]["worked"]
    _contained(ordinary, name)


@pytest.mark.parametrize("name", list(ATTACKS))
def test_contained_without_user_namespaces(no_user_namespaces, controls, name):
    assert controls[name]["worked"]
    _contained(no_user_namespaces, name)


@pytest.mark.parametrize("name", list(ATTACKS))
def test_contained_as_root(as_root, name):
    _contained(as_root, name, same_user_outside=False)


def test_layers_reported_for_an_ordinary_user(ordinary):
    layers = set(ordinary["layers"])
    assert {"seccomp", "rlimits", "audit"} <= layers
    if "userns" in layers:  # machines that allow unprivileged user namespaces
        assert {"pidns", "mountns"} <= layers


def test_without_user_namespaces_the_other_layers_remain(no_user_namespaces):
    layers = set(no_user_namespaces["layers"])
    assert not layers & {"userns", "pidns", "mountns"}
    assert {"seccomp", "rlimits", "audit"} <= layers


# ------------------------------------------------------------------ each layer on its own

KERNEL_LAYERS = ("namespaces", "landlock", "seccomp", "audit", "private-uid")


def only(layer: str) -> str:
    """QUIZAPP_SANDBOX_OFF value that leaves `layer` as the only confining layer."""
    return ",".join(name for name in KERNEL_LAYERS if name != layer)


@functools.cache
def alone(layer: str) -> dict:
    return run("all", "sandbox", off=only(layer))


def _stopped(results: dict) -> set[str]:
    return {name for name in ATTACKS if not results[name]["worked"]}


def test_namespaces_alone_stop_every_attack(reachable, controls):
    results = alone("namespaces")
    if "mountns" not in results["layers"]:
        pytest.skip("this machine gives ordinary users no mount namespace")
    assert _stopped(results) == set(ATTACKS)


def test_landlock_alone_guards_files_network_and_signals(reachable, controls):
    results = alone("landlock")
    if "landlock" not in results["layers"]:
        pytest.skip("this kernel has no Landlock")
    stopped = _stopped(results)
    files = {"write_home", "truncate_db", "delete_db", "pth_file", "tmp_via_torch"}
    assert files | {"read_secrets", "proc_mem", "pipe_of_another_process"} <= stopped


def test_seccomp_alone_stops_processes_sockets_and_signals(reachable, controls):
    results = alone("seccomp")
    assert "seccomp" in results["layers"]
    assert {"tcp_exfiltrate", "fork_detached", "sigstop"} <= _stopped(results)


def test_the_audit_hook_alone_is_no_wall_against_native_calls(reachable, controls):
    """The reason for the kernel layers: native code needs no audit event to write files."""
    results = alone("audit")
    assert results["write_home"]["worked"], results["write_home"]
    assert results["read_secrets"]["worked"], results["read_secrets"]
