"""Hostile submissions: each is contained with a clear verdict, the grader keeps working,
and a progress DB whose path the submission knows stays untouched."""

from __future__ import annotations

import os
import sqlite3
import textwrap
import threading
import time
from pathlib import Path

import pytest

from quizapp import locations
from quizapp.decks.content import Library, load_file
from quizapp.grading.code import CodeGrader

TIMEOUT_S = 2.0

GOOD = textwrap.dedent("""
    import torch

    def score_captions(image_embedding, caption_embeddings):
        return torch.nn.functional.cosine_similarity(caption_embeddings, image_embedding[None], dim=1)
""")


def hostile(body: str) -> str:
    """A submission whose function body is `body` (it may return a right answer afterwards)."""
    return (
        "import os, sys, math\nimport torch\n\n"
        "def score_captions(image_embedding, caption_embeddings):\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + "\n    return torch.nn.functional.cosine_similarity(caption_embeddings, image_embedding[None], dim=1)\n"
    )


@pytest.fixture(scope="module")
def question():
    library, seen = Library(), {}
    load_file(locations.bundled_content_dir() / "clip-code.yaml", library, seen)
    return library.questions["clip.caption-scores"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("progress") / "progress.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE reviews (id INTEGER PRIMARY KEY, grade TEXT)")
        con.execute("INSERT INTO reviews (grade) VALUES ('good')")
    con.close()
    return path


@pytest.fixture(scope="module")
def grader(db, question):
    previous = os.environ.get("QUIZAPP_DB")
    os.environ["QUIZAPP_DB"] = str(db)
    g = CodeGrader(timeout_s=TIMEOUT_S, memory_mb=512)
    g.start()
    assert g.grade(question, GOOD, seed=0).correct  # warm: timings below are checks only
    yield g
    g.close()
    if previous is None:
        os.environ.pop("QUIZAPP_DB", None)
    else:
        os.environ["QUIZAPP_DB"] = previous


@pytest.fixture
def contained(grader, question, db):
    """Grade a hostile submission; afterwards the grader works and the DB is unchanged."""
    before = (db.read_bytes(), os.stat(db).st_mtime_ns)

    def run(source):
        started = time.monotonic()
        verdict = grader.grade(question, source, seed=0)
        elapsed = time.monotonic() - started
        assert (db.read_bytes(), os.stat(db).st_mtime_ns) == before
        after = grader.grade(question, GOOD, seed=1)
        assert after.status == "correct", after.feedback
        return verdict, elapsed

    return run


def test_infinite_loop_times_out(contained):
    verdict, elapsed = contained(hostile("while True:\n    pass"))
    assert verdict.status == "timeout"
    assert f"Time limit exceeded ({TIMEOUT_S:g} s)" in verdict.feedback
    # The zygote keeps the limit: the verdict comes right after it, not a CPU-limit later.
    assert elapsed < TIMEOUT_S + 1.0


def test_sleeping_forever_times_out_on_wall_clock(contained):
    verdict, _ = contained(hostile("import time\ntime.sleep(1000)"))
    assert verdict.status == "timeout"


@pytest.mark.parametrize(
    "body",
    [
        "x = torch.ones(2**34)",
        "x = [0] * 10**10",
        "chunks = []\nwhile True:\n    chunks.append(bytearray(10**8))",
    ],
)
def test_memory_bombs_hit_the_memory_limit(roomy_grader, question, body):
    """A time limit of its own: touching 512 MB on a busy machine can take seconds, and this
    test is about memory, not time."""
    verdict = roomy_grader.grade(question, hostile(body), seed=0)
    assert verdict.status == "memory", verdict.feedback
    assert "Memory limit exceeded" in verdict.feedback
    assert roomy_grader.grade(question, GOOD, seed=1).correct


@pytest.fixture(scope="module")
def roomy_grader():
    with CodeGrader(timeout_s=20.0, memory_mb=512) as g:
        g.start()
        yield g


def test_exit_without_results_is_a_crash(contained):
    verdict, _ = contained(hostile("os._exit(0)"))
    assert verdict.status == "crashed"
    assert "before returning results" in verdict.feedback


def test_sys_exit_is_reported_as_an_exception(contained):
    verdict, _ = contained(hostile("sys.exit(3)"))
    assert verdict.status == "error"
    assert "SystemExit" in verdict.feedback


@pytest.mark.parametrize(
    "body", ["import ctypes\nctypes.string_at(0)", "import faulthandler\nfaulthandler._sigsegv()"]
)
def test_segfault_is_a_crash(contained, body):
    verdict, _ = contained(hostile(body))
    assert verdict.status == "crashed"
    assert "SIGSEGV" in verdict.feedback


def test_fork_loop_is_refused(contained):
    verdict, _ = contained(hostile("while True:\n    os.fork()"))
    assert verdict.status == "error"
    assert "starting processes is not allowed" in verdict.feedback


def test_writing_to_the_db_fails_and_leaves_it_untouched(contained, db):
    body = f"""
    path = {str(db)!r}
    with open(path, "r+b") as handle:
        handle.write(b"owned")
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status == "error"
    assert "Error" in verdict.feedback


@pytest.mark.parametrize(
    "body",
    [
        "import sqlite3\nsqlite3.connect({db!r}).execute('DROP TABLE reviews')",
        "os.remove({db!r})",
        "os.rename({db!r}, {db!r} + '.bak')",
        "os.symlink({db!r}, 'link')\nopen('link', 'wb').write(b'x')",
    ],
)
def test_other_ways_of_changing_the_db_fail(contained, db, body):
    verdict, _ = contained(hostile(body.format(db=str(db))))
    assert verdict.status == "error", verdict.feedback


def test_db_path_is_not_in_the_environment(contained):
    body = """
    assert "QUIZAPP_DB" not in os.environ, "leaked"
    try:
        env = open("/proc/self/environ", "rb").read()
    except PermissionError:
        env = b""
    assert b"QUIZAPP_DB" not in env, "leaked"
    if os.geteuid() == 0 or os.getuid() == 0:
        raise RuntimeError("still root")
    """
    verdict, _ = contained(hostile(body))
    if os.geteuid() == 0 or "still root" not in verdict.feedback:
        assert verdict.status == "correct", verdict.feedback


def test_patching_the_comparison_does_not_help(contained):
    body = """
    torch.testing.assert_close = lambda *a, **k: None
    torch.allclose = lambda *a, **k: True
    torch.equal = lambda *a, **k: True
    torch.Tensor.__eq__ = lambda self, other: True
    return torch.zeros(caption_embeddings.shape[0])
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status == "incorrect"


def test_object_that_equals_everything_is_wrong(contained):
    body = """
    class Liar:
        def __eq__(self, other):
            return True
        def __getattr__(self, name):
            return lambda *a, **k: True
    return Liar()
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status == "incorrect"
    assert "returned a `Liar`" in verdict.feedback


def test_printing_100_mb_is_capped(contained):
    verdict, _ = contained(hostile('print("x" * 100_000_000)\nfor i in range(1000):\n    print(i)'))
    assert verdict.status == "correct"
    assert "Your code printed" in verdict.feedback
    assert len(verdict.feedback) < 5_000


def test_opening_a_socket_is_refused(contained):
    body = """
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("1.1.1.1", 443))
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status == "error"
    assert "network access is not allowed" in verdict.feedback


@pytest.mark.parametrize(
    "body",
    [
        "import subprocess\nsubprocess.run(['true'])",
        "os.system('true')",
        "os.execv('/bin/true', ['true'])",
    ],
)
def test_spawning_programs_is_refused(contained, body):
    verdict, _ = contained(hostile(body))
    assert verdict.status == "error"
    assert "starting programs is not allowed" in verdict.feedback


@pytest.mark.parametrize(
    "body",
    [
        "from quizapp.solvers.clip import score_captions as ref\nreturn ref(image_embedding, caption_embeddings)",
        "import quizapp.grading.worker",
        "ref = [m for n, m in sys.modules.items() if n.startswith('quizapp.solvers')][0]",
        "import importlib\nimportlib.import_module('quizapp.solvers.clip')",
    ],
)
def test_the_reference_cannot_be_imported(contained, body):
    verdict, _ = contained(hostile(body))
    assert verdict.status == "error"


def test_recursion_bomb_is_an_error(contained):
    body = """
    def down(n):
        return down(n + 1)
    down(0)
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status == "error"
    assert "RecursionError" in verdict.feedback


def test_unbounded_recursion_with_raised_limit_is_contained(contained):
    body = """
    sys.setrecursionlimit(10**8)
    def down(n):
        return down(n + 1) + 1
    down(0)
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status in {"crashed", "error", "memory", "timeout"}


def test_killing_the_worker_is_survived(grader, question):
    os.kill(grader.worker_pid, 9)
    verdict = grader.grade(question, GOOD, seed=2)
    assert verdict.status == "correct", verdict.feedback


def test_syntax_error_and_missing_function(grader, question):
    verdict = grader.grade(question, "import torch\n\ndef score_captions(a, b)\n    return a\n")
    assert verdict.status == "error"
    assert "line 3" in verdict.feedback
    verdict = grader.grade(question, "def score(a, b):\n    return a\n")
    assert verdict.status == "error"
    assert "does not define `score_captions`" in verdict.feedback
    assert "score" in verdict.feedback


def test_grade_from_several_threads(grader, question):
    results = []

    def work(seed):
        results.append(grader.grade(question, GOOD, seed=seed))

    threads = [threading.Thread(target=work, args=(s,)) for s in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [v.status for v in results] == ["correct"] * 6


def test_warm_check_is_fast(grader, question):
    grader.grade(question, GOOD, seed=0)
    times = []
    for seed in range(10):
        started = time.perf_counter()
        assert grader.grade(question, GOOD, seed=seed).correct
        times.append(time.perf_counter() - started)
    assert sorted(times)[len(times) // 2] < 0.25


# ------------------------------------------------------------- the reference is out of reach

SEARCH_FOR_SOLVERS = """
def from_solvers(value):
    return callable(value) and str(getattr(value, "__module__", "")).startswith("quizapp.solvers")

def reachable(frame):
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            for value in list(scope.values()):
                yield value
                inner = getattr(value, "__dict__", None) if not isinstance(value, dict) else value
                if isinstance(inner, dict):
                    yield from list(inner.values())
        frame = frame.f_back

roots = [sys._getframe()]
try:
    raise ValueError
except ValueError as err:
    roots.append(err.__traceback__.tb_frame)
def gen():
    yield sys._getframe()
roots.append(next(gen()))
found = [v for root in roots for v in reachable(root) if from_solvers(v)]
found += [m for n, m in list(sys.modules.items()) if n.startswith("quizapp.solvers")]
if found:
    raise RuntimeError(f"found the reference: {found[0]!r}")
"""


def test_no_solver_is_reachable_from_any_frame(contained):
    """Children are forked from a process that never imported a solver."""
    verdict, _ = contained(hostile(SEARCH_FOR_SOLVERS))
    assert verdict.status == "correct", verdict.feedback


def test_worker_module_globals_cannot_load_the_reference(contained):
    body = """
    f = sys._getframe()
    while f is not None:
        resolve = f.f_globals.get("resolve")
        if callable(resolve):
            return resolve("clip:score_captions")(image_embedding, caption_embeddings)
        f = f.f_back
    return torch.zeros(caption_embeddings.shape[0])
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status != "correct", verdict.feedback


def test_reference_sources_cannot_be_read(contained):
    import quizapp.solvers as solvers

    path = os.path.join(os.path.dirname(os.path.realpath(solvers.__file__)), "clip.py")
    verdict, _ = contained(hostile(f"open({path!r}).read()"))
    assert verdict.status == "error", verdict.feedback


@pytest.mark.skipif(os.geteuid() != 0, reason="the private uid and its process limit need root")
def test_no_program_can_be_started_even_without_an_audit_event(contained):
    """_posixsubprocess.fork_exec raises no audit event; the process limit stops it anyway."""
    body = """
    import _posixsubprocess
    r, w = os.pipe()
    try:
        _posixsubprocess.fork_exec(["/bin/true"], [b"/bin/true"], True, (), None, None, -1, -1, -1, -1, -1, -1, r, w, False, False, 0, None, None, None, -1, None, False)
    except OSError:
        pass
    else:
        raise RuntimeError("a program was started")
    """
    verdict, _ = contained(hostile(body))
    assert verdict.status == "correct", verdict.feedback


def test_asking_for_more_threads_is_a_clear_error(contained):
    verdict, _ = contained(hostile("torch.set_num_threads(2)"))
    assert verdict.status == "error"
    assert "single thread" in verdict.feedback


def wait_until_dead(pid: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.01)


def children_of(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                status = Path(f"/proc/{name}/status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(name))
    return found


def test_a_dead_zygote_is_replaced(grader, question):
    """Children come from the zygote; if it dies the worker is restarted, not left broken."""
    assert grader.grade(question, GOOD, seed=3).correct
    worker = grader.worker_pid
    children = children_of(worker)  # the zygote (and a submission child not yet reaped)
    assert children
    for child in children:
        os.kill(child, 9)
    for child in children:  # dead (a zombie), so the zygote inside is being killed too
        wait_until_dead(child)
    time.sleep(0.2)  # the kernel kills the namespace the zygote led
    verdict = grader.grade(question, GOOD, seed=4)
    assert verdict.status == "correct", verdict.feedback
    assert grader.worker_pid != worker


def test_the_zygote_dies_with_the_worker(grader, question):
    assert grader.grade(question, GOOD, seed=5).correct
    worker = grader.worker_pid
    children = children_of(worker)  # the zygote, and any child it has not yet been told of
    assert children
    os.kill(worker, 9)
    deadline = time.monotonic() + 5
    while any(os.path.exists(f"/proc/{c}") for c in children) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not [c for c in children if os.path.exists(f"/proc/{c}")]
    assert grader.grade(question, GOOD, seed=6).correct
