"""Run one graded function in a worker subprocess with limits, and collect results.

The worker (``instructor/worker.py``) computes; this module starts it with a
wall-clock timeout, a memory cap and a cap on output, and turns the way it
ended into a reason a student can read.
"""

import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .hidden_tests import RNG

WORKER = Path(__file__).resolve().parent / "worker.py"
#: How often the grader looks for finished jobs, in seconds.
POLL_SECONDS = 0.01
#: The worker's exit code when memory ran out outside the student's function.
OUT_OF_MEMORY = 86

#: Environment of the worker: one thread per numerical library, so ``-j N``
#: really runs N workers on N cores, and nothing inherited from the grader.
WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
}


@dataclass
class Limits:
    """What one worker may use."""

    timeout: float = 60.0
    memory_mb: int = 2048
    output_mb: int = 16


@dataclass
class CaseOutcome:
    """What the student's function did on one case."""

    result: object = None
    result_type: str | None = None
    args_after: list = field(default_factory=list)
    error: str | None = None
    warnings: list = field(default_factory=list)
    out_of_memory: bool = False


@dataclass
class RunOutcome:
    """How the worker ended, and the per-case outcomes if it finished.

    ``problem`` is a short label (``timeout``, ``crashed``, ``too much
    output``, ``out of memory``, ``error in the graded cell``) and ``detail``
    a sentence for the feedback; both are None when the worker finished.
    """

    problem: str | None = None
    detail: str | None = None
    cases: list = field(default_factory=list)


def _write_job(job_dir, name, source, cases, limits):
    arrays, specs = {}, []
    for i, hidden in enumerate(cases):
        args = []
        for j, arg in enumerate(hidden.case.args):
            if isinstance(arg, np.ndarray):
                arrays[f"c{i}a{j}"] = arg
                args.append({"kind": "array", "layout": hidden.layout(j)})
            elif arg is RNG:
                args.append({"kind": "rng"})
            else:
                args.append({"kind": "value", "value": arg})
        specs.append({"args": args, "seeds": list(hidden.seeds)})
    np.savez(job_dir / "inputs.npz", **arrays)
    job = {
        "name": name,
        "source": source,
        "memory_bytes": limits.memory_mb * 2**20,
        "cpu_seconds": math.ceil(limits.timeout) + 1,
        "output_bytes": limits.output_mb * 2**20,
        "cases": specs,
    }
    (job_dir / "job.json").write_text(json.dumps(job), encoding="utf-8")


def _ending(returncode, limits):
    """(problem, detail) for a worker that ended without writing its report."""
    if returncode < 0:
        number = -returncode
        if number == signal.SIGXFSZ:
            return "too much output", f"printed more than {limits.output_mb} MB"
        if number == signal.SIGXCPU:
            return "timeout", f"used more than {math.ceil(limits.timeout) + 1} s of CPU"
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return "crashed", f"the process was killed by {name}"
    if returncode == OUT_OF_MEMORY:
        return "out of memory", f"used more than the {limits.memory_mb} MB allowed"
    return (
        "crashed",
        f"the process exited with code {returncode} (a call to sys.exit or os._exit?)",
    )


def _read_outcomes(job_dir, cases):
    report = json.loads((job_dir / "report.json").read_text(encoding="utf-8"))
    if report["setup_error"]:
        return RunOutcome("error in the graded cell", report["setup_error"])
    with np.load(job_dir / "outputs.npz", allow_pickle=False) as stored:
        outputs = {key: stored[key] for key in stored.files}
    outcomes = []
    for i, (hidden, entry) in enumerate(zip(cases, report["cases"], strict=True)):
        after = [
            outputs.get(f"c{i}a{j}after", arg) for j, arg in enumerate(hidden.case.args)
        ]
        outcomes.append(
            CaseOutcome(
                result=outputs.get(f"c{i}result"),
                result_type=entry["type"],
                args_after=after,
                error=entry["error"],
                warnings=entry["warnings"],
                out_of_memory=entry["out_of_memory"],
            )
        )
    return RunOutcome(cases=outcomes)


@dataclass
class Job:
    """One graded function to run: its name, graded cell and hidden cases."""

    name: str
    source: str
    cases: list


def _start_worker(folder, jobs, limits):
    """Write the jobs into ``folder`` and start one worker on all of them."""
    job_dirs = []
    for number, job in enumerate(jobs):
        job_dir = folder / f"job{number}"
        job_dir.mkdir()
        _write_job(job_dir, job.name, job.source, job.cases, limits)
        job_dirs.append(job_dir)
    # The worker runs from a copy, so nothing in the job points at the repo.
    worker = folder / "worker.py"
    shutil.copyfile(WORKER, worker)
    env = {**WORKER_ENV, "PATH": os.environ.get("PATH", "")}
    with open(folder / "output.txt", "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-I", str(worker), *map(str, job_dirs)],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, job_dirs


def _watch(process, job_dirs, limits):
    """Wait for the worker, giving each job its own timeout.

    Returns how many jobs finished, the exit code (None on a timeout).
    """
    done, deadline = 0, time.monotonic() + limits.timeout
    returncode = None
    while True:
        try:
            returncode = process.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            returncode = None
        while done < len(job_dirs) and (job_dirs[done] / "report.json").exists():
            done, deadline = done + 1, time.monotonic() + limits.timeout
        if returncode is not None or done == len(job_dirs):
            break
        if time.monotonic() > deadline:
            break
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # and anything it started
    process.wait()
    return done, returncode


def _run_once(jobs, limits):
    """Run ``jobs`` in one worker; return outcomes of those it got through.

    The first job it did not finish gets the reason (timeout, crash, ...); the
    jobs after it get no outcome, to be run again in a fresh worker.
    """
    outcomes = {}
    with tempfile.TemporaryDirectory(prefix="kmeans-grade-") as folder:
        process, job_dirs = _start_worker(Path(folder), jobs, limits)
        done, returncode = _watch(process, job_dirs, limits)
        for job, job_dir in zip(jobs[:done], job_dirs[:done], strict=True):
            try:
                outcomes[job.name] = _read_outcomes(job_dir, job.cases)
            except Exception as error:  # noqa: BLE001 - a forged or broken report
                outcomes[job.name] = RunOutcome(
                    "crashed", f"its results could not be read ({type(error).__name__})"
                )
        if done < len(jobs):
            if returncode is None:
                problem = ("timeout", f"still running after {limits.timeout:g} s")
            else:
                problem = _ending(returncode, limits)
            outcomes[jobs[done].name] = RunOutcome(*problem)
    return outcomes


def run_graded_functions(jobs, limits):
    """Run each graded function of a submission on its hidden cases.

    The functions run one after another in a single worker process, which
    saves starting Python and NumPy for each.  Each still has its own
    timeout, and a function that hangs, crashes or floods the output is
    charged alone: the functions after it run again in a fresh worker.

    Parameters
    ----------
    jobs : list of Job
    limits : Limits

    Returns
    -------
    dict
        ``{name: RunOutcome}``.  ``problem`` is None when the function's job
        finished (each case then has its own outcome, which may be an error),
        else why it did not.
    """
    outcomes, pending = {}, list(jobs)
    while pending:
        outcomes.update(_run_once(pending, limits))
        pending = [job for job in pending if job.name not in outcomes]
    return outcomes
