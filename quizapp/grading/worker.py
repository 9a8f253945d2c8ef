"""The warm grading worker: imports torch once, then grades jobs read from stdin.

Protocol: one `Job` per line on stdin (`quizapp.grading.job`), one JSON answer per line on
stdout; the first line written is `{"ready": true}`. Ops:

- `grade` -> a `CodeVerdict` as `to_wire()` gives it, plus the job's `id`;
- `selfcheck` -> the reference itself pushed through the sandbox, plus a check that every
  known mistake differs from it on some case;
- `probe` -> the sandbox layers a trivial submission actually ran under on this machine;
- `ping` -> `{"pong": true}`.

SIGUSR1 cancels the check in progress: the confined child is killed through its pidfd and
the job is answered `{"status": "cancelled"}`; the worker stays warm for the next job. The
signal only writes a byte to a pipe the result wait selects on, so it never interrupts the
framed exchange with the zygote; a signal that arrives between jobs is dropped.

Per job the worker builds the cases, has the zygote (`zygote`) fork a confined child
(`sandbox`) that runs the submission, computes the reference outputs itself while the child
runs, then reads the child's report (`results`) and compares (`compare`, `feedback`). The
wall-clock limit is kept by the zygote, which has nothing else to do while the child runs.
The child only ever sends tensors and numbers back, so nothing it does to its own copy of
torch can change the comparison.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import importlib
import importlib.util
import inspect
import json
import os
import random
import resource
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional  # noqa: F401 - loaded once here, so submissions start warm

from quizapp import locations
from quizapp.decks.variants import resolve_solver
from quizapp.grading import cancel, feedback, linux, results, sandbox, wire
from quizapp.grading.child_run import Ended, run_child
from quizapp.grading.compare import mismatch
from quizapp.grading.identity import Identity, choose_identity, sweep
from quizapp.grading.job import BadJob, Job
from quizapp.grading.verdict import CodeVerdict, Status
from quizapp.grading.zygote import Zygote, ZygoteGone

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    # What runs while the child does: the reference solver's outputs.
    Overlap = Callable[[], list[torch.Tensor | float]]

WORKER_MEMORY_HEADROOM = 3 * 2**30  # address space the worker may add to what it has at start
LAYERS_OFF_ENV = locations.SANDBOX_OFF
PROBE_SOURCE = "def probe():\n    return 1.0\n"


# ------------------------------------------------------------------------------ set-up


@dataclass(frozen=True)
class Setting:
    """What stays the same for every job of this worker."""

    identity: Identity
    zygote: Zygote
    plan: sandbox.Plan


def layers_wanted(environ: Mapping[str, str] = os.environ) -> frozenset[str]:
    return sandbox.ALL_LAYERS - locations.sandbox_layers_off(environ)


@functools.cache
def hidden_sources() -> tuple[str, ...]:
    """Directories a submission must not read: the solvers package and, in a source checkout,
    the version history next to it (it holds the same code)."""
    spec = importlib.util.find_spec("quizapp.solvers")
    if spec is None or not spec.submodule_search_locations:
        return ()
    folders = [Path(p).resolve() for p in spec.submodule_search_locations]
    folders += [f.parent / ".git" for f in folders if (f.parent / ".git").is_dir()]
    return tuple(str(f) for f in folders if f.is_dir())


def python_dirs() -> tuple[str, ...]:
    """The folders Python and torch load from: the prefixes and the site-packages folders.

    Folders on `sys.path` that are neither (a source checkout, the current folder) are left
    out: they may hold the solvers, notes or a progress database.
    """
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    found = {os.path.realpath(p) for p in prefixes}
    for entry in sys.path:
        real = os.path.realpath(entry or ".")
        if os.path.basename(real) in ("site-packages", "dist-packages") or real.endswith(".zip"):
            found.add(real)
    found.add(os.path.realpath(os.path.dirname(os.path.dirname(torch.__file__))))
    hidden = hidden_sources()
    keep = [
        p
        for p in found
        if os.path.exists(p)
        and not any(h == p or h.startswith(p.rstrip("/") + "/") for h in hidden)
    ]
    # a prefix that contains the checkout (hidden sources inside it) is not bound whole
    return tuple(sorted(keep))


def make_stage() -> str:
    """The empty folder each child mounts its new root on (removed when the worker exits)."""
    stage = tempfile.mkdtemp(prefix="quizapp-root-")
    os.chmod(stage, 0o755)
    atexit.register(_remove_quietly, stage)
    return stage


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.rmdir(path)


def limit_own_memory() -> None:
    """Cap the worker itself, so no result can make it grow without bound."""
    with contextlib.suppress(ValueError, OSError):
        vm = sandbox._vm_bytes()
        if vm:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = vm + WORKER_MEMORY_HEADROOM
            if hard == resource.RLIM_INFINITY or cap < hard:
                resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


# --------------------------------------------------------------------------- solvers


def build_cases(ref: str, seed: int) -> list[dict]:
    cases = resolve_solver(ref)(random.Random(seed))
    if not isinstance(cases, list) or not cases or not all(isinstance(c, dict) for c in cases):
        raise ValueError(f"{ref} must return a non-empty list of keyword-argument dicts")
    return cases


def _fresh(kwargs: dict) -> dict:
    return {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}


def solve(function: Callable[..., Any], cases: list[dict]) -> list[torch.Tensor | float]:
    """Outputs of a trusted solver on every case, as tensors or floats."""
    outputs: list[torch.Tensor | float] = []
    for kwargs in cases:
        value = function(**_fresh(kwargs))
        outputs.append(value.detach() if isinstance(value, torch.Tensor) else float(value))
    return outputs


# ---------------------------------------------------------------------------- judging


def _problems(job: Job, expected: list, outputs: list) -> list[str | None]:
    return [mismatch(e, g, job.rtol, job.atol) for e, g in zip(expected, outputs, strict=False)]


def grade(job: Job, setting: Setting) -> CodeVerdict:
    """Run one submission and turn what happened into a verdict for the student."""
    cases = build_cases(job.cases, job.seed)
    total = len(cases)
    reference = resolve_solver(job.reference)
    child, expected = run_child(job, cases, setting, overlap=lambda: solve(reference, cases))
    if child.ended is Ended.TIMEOUT:
        return feedback.timeout(job.timeout_s, total)
    if child.ended is Ended.MEMORY:
        return feedback.memory(job.memory_mb, child.detail, total)
    if child.ended is Ended.CRASHED:
        return feedback.crashed(child.detail, total)
    if child.ended is Ended.INVALID or child.report is None:
        return feedback.invalid(total)
    report = child.report
    answer = _judge(job, cases, expected, report)
    answer.layers = tuple(report.get("layers", []))
    return answer


def _judge(job: Job, cases: list[dict], expected: list, report: dict) -> CodeVerdict:
    total = len(cases)
    outputs = report["outputs"][:total]
    problems = _problems(job, expected, outputs)
    passed = sum(p is None for p in problems)
    printed = feedback.printed(report)
    if report.get("error") is not None:
        status, text = feedback.error(report["error"], cases, job.function)
        return feedback.verdict(status, text + printed, passed, total)
    if len(outputs) < total:
        text = "**Your code stopped before returning every result.**"
        return feedback.verdict(Status.CRASHED, text + printed, passed, total)
    if passed == total:
        return feedback.verdict(Status.CORRECT, feedback.correct(total) + printed, passed, total)
    first = next(i for i, p in enumerate(problems) if p is not None)
    hint = known_mistake(job, cases, outputs)
    text = feedback.incorrect(passed, total, first, cases[first], problems[first] or "", hint)
    return feedback.verdict(Status.INCORRECT, text + printed, passed, total)


def known_mistake(job: Job, cases: list[dict], outputs: list) -> str:
    """The hint of the first known-mistake solver whose outputs the submission reproduces."""
    for solver, hint in job.known_mistakes:
        try:
            wrong = solve(resolve_solver(solver), cases)
        except Exception:  # noqa: BLE001 - a broken mistake solver just gives no hint
            continue
        if all(p is None for p in _problems(job, wrong, outputs)) and len(outputs) == len(wrong):
            return hint
    return ""


def selfcheck(job: Job, setting: Setting) -> CodeVerdict:
    """Push the reference through the sandbox as a submission (its module's source, as a
    student could have written it); check known mistakes are distinguishable."""
    cases = build_cases(job.cases, job.seed)
    total = len(cases)
    reference = resolve_solver(job.reference)
    source = Path(inspect.getsourcefile(reference) or "").read_text(encoding="utf-8")
    as_submission = dataclasses.replace(job, source=source, function=reference.__name__)
    child, expected = run_child(
        as_submission, cases, setting, overlap=lambda: solve(reference, cases)
    )
    if child.ended is not Ended.REPORTED or child.report is None or child.report.get("error"):
        error = child.report and child.report.get("error")
        text = f"the reference fails its own cases: {child.ended} {child.detail} {error or ''}"
        return feedback.verdict(Status.ERROR, text.strip(), 0, total)
    outputs = child.report["outputs"]
    bad = [p for p in _problems(job, expected, outputs) if p is not None]
    if len(outputs) < total:
        bad.append("missing outputs")
    if bad:
        return feedback.verdict(
            Status.ERROR, f"the reference fails its own cases: {bad[0]}", 0, total
        )
    for solver, _ in job.known_mistakes:
        wrong = solve(resolve_solver(solver), cases)
        if all(p is None for p in _problems(job, expected, wrong)):
            text = f"known mistake {solver} gives the reference's outputs on every case"
            return feedback.verdict(Status.ERROR, text, 0, total)
    return feedback.verdict(Status.CORRECT, "ok", total, total)


def probe(job: Job, setting: Setting) -> CodeVerdict:
    """Which layers a trivial submission really ran under, as the child itself reported."""
    trivial = Job(op="grade", function="probe", source=PROBE_SOURCE, timeout_s=job.timeout_s)
    child, _ = run_child(trivial, [{}], setting)
    layers = child.report.get("layers", []) if child.report else []
    ok = child.ended is Ended.REPORTED
    answer = feedback.verdict(Status.CORRECT if ok else Status.ERROR, child.detail, 0, 0)
    answer.layers = tuple(layers)
    return answer


# ------------------------------------------------------------------------------ the loop


def handle(job: Job, setting: Setting) -> dict:
    """The answer line for one job (without its id)."""
    if job.op == "ping":
        return {"pong": True}
    return answer_of(job, setting).to_wire()


def answer_of(job: Job, setting: Setting) -> CodeVerdict:
    try:
        if job.op == "selfcheck":
            return selfcheck(job, setting)
        if job.op == "probe":
            return probe(job, setting)
        return grade(job, setting)
    except ZygoteGone:
        raise
    except cancel.Cancelled:
        return feedback.verdict(Status.CANCELLED, "The check was cancelled.", 0, 0)
    except Exception as err:  # noqa: BLE001 - a bad job must not take the worker down
        text = f"The grader could not run this question: {type(err).__name__}: {err}"
        return feedback.verdict(Status.ERROR, text, 0, 0)


def _warm_up() -> None:
    """Run the report round trip once so its lazy imports happen here, not in a child."""
    report = {"outputs": [{"kind": "tensor", "value": torch.ones(2)}], "error": None}
    results.load_report(wire.encode(report))


def main() -> None:
    """Read jobs from stdin until it closes; answer each on the protocol stream."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    linux.make_undumpable()  # before the zygote forks: neither can be read through /proc
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    _warm_up()
    identity = choose_identity()
    plan = sandbox.Plan(
        stage=make_stage(),
        python_dirs=python_dirs(),
        hidden=hidden_sources(),
        uid=identity.uid,
        gid=identity.gid,
        max_processes=identity.max_processes,
        layers=layers_wanted(),
    )
    zygote = Zygote(plan)  # before any solver is imported: see `zygote`
    cancel.listen()  # after the zygote forked (it gets no cancel pipe), before "ready"
    for module in ("attention", "masking", "contrastive", "clip"):
        with contextlib.suppress(ImportError):
            importlib.import_module(f"quizapp.solvers.{module}")
    limit_own_memory()
    setting = Setting(identity, zygote, plan)
    protocol.write(json.dumps({"ready": True, "pid": os.getpid(), "zygote": zygote.pid}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = Job.from_line(line)
        except BadJob as err:
            answer = feedback.verdict(Status.ERROR, f"bad job: {err}", 0, 0).to_wire()
            protocol.write(json.dumps(answer) + "\n")
            continue
        cancel.drop_stale()
        try:
            result = handle(job, setting)
        except ZygoteGone:
            os._exit(75)  # the app restarts the worker and retries the job
        result["id"] = job.id
        protocol.write(json.dumps(result) + "\n")
        if "pidns" not in zygote.ns_layers:  # inside a PID namespace the zygote does it
            sweep(identity)


if __name__ == "__main__":
    main()
