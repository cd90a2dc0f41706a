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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .hidden_tests import RNG

WORKER = Path(__file__).resolve().parent / "worker.py"
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


def run_graded_function(name, source, cases, limits):
    """Run graded function ``name`` (defined by ``source``) on ``cases``.

    Parameters
    ----------
    name : str
        The function's name.
    source : str
        The graded cell's code.
    cases : list of HiddenCase
        The inputs to call the function on.
    limits : Limits

    Returns
    -------
    RunOutcome
        ``problem`` is None when the worker finished (each case then has its
        own outcome, which may be an error), else why it did not.
    """
    with tempfile.TemporaryDirectory(prefix="kmeans-grade-") as folder:
        job_dir = Path(folder)
        _write_job(job_dir, name, source, cases, limits)
        # The worker runs from a copy, so nothing in the job points at the repo.
        worker = job_dir / "worker.py"
        shutil.copyfile(WORKER, worker)
        env = {**WORKER_ENV, "PATH": os.environ.get("PATH", "")}
        with open(job_dir / "output.txt", "wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-I", str(worker), str(job_dir)],
                cwd=job_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                returncode = process.wait(timeout=limits.timeout)
            except subprocess.TimeoutExpired:
                returncode = None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # and anything it started
            if returncode is None:
                process.wait()
                return RunOutcome(
                    "timeout", f"still running after {limits.timeout:g} s"
                )
        if not (job_dir / "report.json").exists():
            return RunOutcome(*_ending(returncode, limits))
        try:
            return _read_outcomes(job_dir, cases)
        except Exception as error:  # noqa: BLE001 - a forged or broken report
            return RunOutcome(
                "crashed", f"its results could not be read ({type(error).__name__})"
            )
