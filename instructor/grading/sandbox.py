"""Run a submission's graded functions in a confined worker, and collect results.

The worker (``instructor/grading/worker.py``) computes; this module starts it under
the isolation plan (see :mod:`instructor.grading.confinement`) with a wall-clock
timeout, a memory cap and a cap on what it prints and sends back, and turns
the way it ended into a reason a student can read.

Everything passes through pipes the grader opened: the job goes in on the
worker's stdin, results come back on its stdout (messages read by
:mod:`instructor.grading.channel`, bounded before anything is allocated), what the
student's code prints comes back on stderr and is only counted.  The grader
opens no file the worker could have touched, so there is no FIFO, link or
archive for a submission to plant.
"""

import contextlib
import io
import json
import math
import os
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from instructor.grading import cgroups
from instructor.grading.channel import ProtocolError, next_message
from instructor.grading.code import WORKER
from instructor.grading.confinement import (
    IsolationError,
    Plan,
    slot_uid,
    worker_command,
)
from instructor.grading.course import GradedCase
from instructor.grading.status import Problem
from instructor.grading.worker import (
    EXIT_CODES,
    HEADER_LENGTH,
    INPUTS_LENGTH,
    MAX_NOTE_CHARS,
    MAX_NOTES,
    OUT_OF_MEMORY,
)
from labkit.answers import Case
from labkit.environment import import_policy

#: How often the grader looks at its workers, in seconds.
POLL_SECONDS = 0.01
#: How long to wait for a dead worker's pipes to drain, in seconds.
DRAIN_SECONDS = 2.0
#: Room for results beyond twice the inputs (answers, inputs as they were after).
RESULTS_SLACK_BYTES = 16 * 2**20

#: Environment of the worker: one thread per numerical library, so ``-j N``
#: really runs N workers on N cores, and nothing inherited from the grader.
WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    # The worker's uid may have no passwd entry where it runs (bubblewrap shows
    # no /etc): libraries that ask for a home (IPython 8 on import) get one
    # that exists nowhere, so nothing is read from or written to a real home.
    "HOME": "/nonexistent",
}


class GraderError(RuntimeError):
    """The grader failed on its own, not the submission: no score must be written.

    Raised here when a worker cannot be started or confined, and by
    :mod:`instructor.platforms.gradescope` when a run cannot be graded.
    """


@dataclass
class Limits:
    """What one worker may use."""

    timeout: float = 60.0
    memory_mb: int = 2048
    output_mb: int = 16


@dataclass
class CaseOutcome:
    """What the student's function did on one case."""

    result: NDArray[Any] | None = None
    result_type: str | None = None
    args_after: list[Any] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    out_of_memory: bool = False


@dataclass
class RunOutcome:
    """How the worker ended, and the per-case outcomes if it finished.

    ``problem`` is a short label (``timeout``, ``crashed``, ``too much
    output``, ``out of memory``, ``error in the graded cell``) and ``detail``
    a sentence for the feedback; both are None when the worker finished.
    ``ipython`` lists the IPython commands of the graded cell (``%timeit``,
    ``!pip``) that were noted and not run.
    """

    problem: Problem | None = None
    detail: str | None = None
    cases: list[CaseOutcome] = field(default_factory=list)
    ipython: list[str] = field(default_factory=list)


@dataclass
class Job:
    """One graded function to run: its name, graded cell and hidden cases."""

    name: str
    source: str
    cases: Sequence[GradedCase]


@dataclass
class Confinement:
    """What a worker reported it applied before any student code ran."""

    applied: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------
# The job the worker reads
# --------------------------------------------------------------------------


def _job_payload(jobs: list[Job], plan: Plan, limits: Limits) -> tuple[bytes, int]:
    """The bytes sent on the worker's stdin, and the size of the inputs.

    Each job's cases are the course's (:class:`~instructor.grading.course.GradedCase`:
    ``case.args``, ``seeds``, ``layout(j)``, ``takes_rng(j)``); nothing of the
    course is imported here.

    Each graded cell's source is at most ``MAX_GRADED_CELL_CHARS`` long
    (:mod:`instructor.grading.submission` refuses longer ones unsent), so the JSON
    block stays far below what its 4-byte length allows; what comes back
    about a cell (a syntax error, the IPython commands noted) is capped in
    the worker well below the results channel's header cap.
    """
    arrays: dict[str, NDArray[Any]] = {}
    described: list[dict[str, Any]] = []
    imports = import_policy()  # what a graded cell may use: the contract's one home
    for n, job in enumerate(jobs):
        specs = []
        for i, hidden in enumerate(job.cases):
            args: list[dict[str, Any]] = []
            for j, arg in enumerate(hidden.case.args):
                if isinstance(arg, np.ndarray):
                    arrays[f"n{n}c{i}a{j}"] = arg
                    args.append({"kind": "array", "layout": hidden.layout(j)})
                elif hidden.takes_rng(j):
                    args.append({"kind": "rng"})
                else:
                    args.append({"kind": "value", "value": arg})
            specs.append({"args": args, "seeds": list(hidden.seeds)})
        described.append(
            {"name": job.name, "source": job.source, "cases": specs, "imports": imports}
        )
    cpu_seconds = (math.ceil(limits.timeout) + 1) * max(1, len(jobs))
    request = {
        "jobs": described,
        "plan": plan.worker_plan(limits.memory_mb * 2**20, cpu_seconds),
    }
    buffer = io.BytesIO()
    # NumPy's stubs match the unpacked arrays against ``allow_pickle``.
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    head, inputs = json.dumps(request).encode("utf-8"), buffer.getvalue()
    payload = (
        struct.pack(HEADER_LENGTH, len(head))
        + head
        + struct.pack(INPUTS_LENGTH, len(inputs))
    )
    return payload + inputs, sum(a.nbytes for a in arrays.values())


# --------------------------------------------------------------------------
# A running worker
# --------------------------------------------------------------------------


class _Reader(threading.Thread):
    """Read a pipe into memory until it closes or ``cap`` bytes have come."""

    def __init__(self, pipe: IO[bytes], cap: int) -> None:
        super().__init__(daemon=True)
        self.pipe, self.cap = pipe, cap
        self.data = bytearray()
        self.overflow = False

    def run(self) -> None:
        fd = self.pipe.fileno()
        with contextlib.suppress(OSError, ValueError):
            while True:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    break
                room = self.cap + 1 - len(self.data)
                self.data += chunk[:room]
                if len(self.data) > self.cap:
                    self.overflow = True
                    break


def _feed(pipe: IO[bytes], payload: bytes) -> None:
    with contextlib.suppress(OSError, ValueError):
        pipe.write(payload)
    with contextlib.suppress(OSError, ValueError):
        pipe.close()


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the worker and anything in its session."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()


class _Slots:
    """Numbers for the workers running at once: the lowest free one is taken."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.taken: set[int] = set()

    def take(self) -> int:
        with self.lock:
            slot = next(n for n in range(len(self.taken) + 1) if n not in self.taken)
            self.taken.add(slot)
            return slot

    def give_back(self, slot: int) -> None:
        with self.lock:
            self.taken.discard(slot)


_SLOTS = _Slots()


class _Worker:
    """One worker process: its pipes, its cgroup, and what came back so far."""

    def __init__(self, plan: Plan, jobs: list[Job], limits: Limits, cwd: str) -> None:
        self.slot: int | None = _SLOTS.take()
        self.group: cgroups.Group | None = None
        try:
            self._start(replace(plan, uid=slot_uid(self.slot)), jobs, limits, cwd)
        except BaseException:
            self._release()
            raise

    def _start(self, plan: Plan, jobs: list[Job], limits: Limits, cwd: str) -> None:
        payload, inputs_bytes = _job_payload(jobs, plan, limits)
        self.limit = 2 * inputs_bytes + RESULTS_SLACK_BYTES
        if plan.cgroup is not None:
            try:
                self.group = cgroups.Group(plan.cgroup, limits.memory_mb * 2**20)
            except OSError as error:
                raise GraderError(
                    f"could not make the worker's cgroup ({error}); it worked when "
                    "grading started"
                ) from None
        self.process = subprocess.Popen(
            worker_command(plan, WORKER),
            cwd=cwd,
            env={**WORKER_ENV, "PATH": os.environ.get("PATH", "")},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            # In its group before it (or bubblewrap) runs anything: all it
            # starts is charged there.
            preexec_fn=None if self.group is None else self.group.join,
        )
        # Both pipes exist: stdout and stderr are PIPE.
        self.results = _Reader(self.process.stdout, self.limit)  # type: ignore[arg-type]
        self.printed = _Reader(self.process.stderr, limits.output_mb * 2**20)  # type: ignore[arg-type]
        self.results.start()
        self.printed.start()
        threading.Thread(
            target=_feed, args=(self.process.stdin, payload), daemon=True
        ).start()
        self.position = 0
        self.messages: list[tuple[dict[str, Any], dict[str, NDArray[Any]]]] = []

    def read_messages(self) -> None:
        """Parse the messages that have fully arrived; raise ProtocolError."""
        while True:
            found = next_message(self.results.data, self.position, self.limit)
            if found is None:
                return
            header, arrays, self.position = found
            self.messages.append((header, arrays))

    def out_of_memory(self) -> bool:
        """Whether the kernel killed the worker for its cgroup's memory."""
        return self.group is not None and self.group.out_of_memory()

    def stop(self) -> None:
        if self.group is not None:
            self.group.kill()
        _kill(self.process)
        self.process.wait()
        for reader in (self.results, self.printed):
            reader.join(DRAIN_SECONDS)
        for pipe in (self.process.stdout, self.process.stderr):
            with contextlib.suppress(OSError):
                pipe.close()  # type: ignore[union-attr]  # PIPE: never None
        self._release()

    def _release(self) -> None:
        if self.group is not None:
            self.group.remove()
            self.group = None
        if self.slot is not None:
            _SLOTS.give_back(self.slot)
            self.slot = None


def exit_meaning(returncode: int) -> str:
    """The worker's exit code in words: its own codes (``worker.EXIT_CODES``) named."""
    meaning = EXIT_CODES.get(returncode)
    return f"exit code {returncode}" + (f": {meaning}" if meaning else "")


def _signal_number(returncode: int, plan: Plan) -> int | None:
    """The signal that ended the worker, or None."""
    if returncode < 0:
        return -returncode
    if plan.bwrap is not None and returncode > 128:
        return returncode - 128  # bubblewrap reports a killed child this way
    return None


def _ending(
    returncode: int, limits: Limits, plan: Plan, out_of_memory: bool = False
) -> tuple[Problem, str]:
    """(problem, detail) for a worker that ended before finishing a job."""
    number = _signal_number(returncode, plan)
    if out_of_memory and number == signal.SIGKILL:
        return (
            Problem.OUT_OF_MEMORY,
            f"used more than the {limits.memory_mb} MB allowed (shared memory "
            "included)",
        )
    if number is not None:
        if number == getattr(signal, "SIGXFSZ", None):
            return (
                Problem.CRASHED,
                "it tried to write a file, which submissions may not do",
            )
        if number == getattr(signal, "SIGXCPU", None):
            return (
                Problem.TIMEOUT,
                f"used more than {math.ceil(limits.timeout) + 1} s of CPU",
            )
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return Problem.CRASHED, f"the process was killed by {name}"
    if returncode == OUT_OF_MEMORY:
        return (
            Problem.OUT_OF_MEMORY,
            f"used more than the {limits.memory_mb} MB allowed",
        )
    return (
        Problem.CRASHED,
        f"the process exited with code {returncode} (a call to sys.exit or os._exit?)",
    )


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


def _text_or_none(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ProtocolError("a message field is not text")
    return value


def _notes(header: dict[str, Any]) -> list[str]:
    """The IPython commands a job's message reports; ProtocolError if malformed."""
    notes = header.get("ipython", [])
    if (
        not isinstance(notes, list)
        or len(notes) > MAX_NOTES
        or not all(isinstance(n, str) and len(n) <= MAX_NOTE_CHARS for n in notes)
    ):
        raise ProtocolError("the IPython commands are not a short list of text")
    return notes


def _inputs_after(i: int, case: Case, arrays: dict[str, NDArray[Any]]) -> list[Any]:
    """The case's array inputs as the worker says they were after the call.

    The verdict "modified its input" compares these with the grader's own
    copy of the inputs (``case.args``, which never leaves this process): the
    worker only reports, and an honest worker reports every array input, so
    a missing one is a malformed message (that submission "crashed"), never
    "unchanged".  A graded cell can still forge an unchanged report, since it
    runs in the worker that writes the message; but each case's inputs are
    fresh copies made in the worker from the grader's bytes, so a forgery
    touches no other case or student, and it earns no more than working on
    a copy (``X = X.copy()``, one line) would.
    """
    after = []
    for j, arg in enumerate(case.args):
        if isinstance(arg, np.ndarray):
            reported = arrays.get(f"c{i}a{j}after")
            if reported is None:
                raise ProtocolError(f"case {i} has no report of its input {j + 1}")
            after.append(reported)
        else:
            after.append(arg)
    return after


def _outcome(
    job: Job, header: dict[str, Any], arrays: dict[str, NDArray[Any]]
) -> RunOutcome:
    """A job's RunOutcome from its message; ProtocolError if malformed."""
    notes = _notes(header)
    if header.get("syntax_error") is not None:
        return RunOutcome(Problem.SYNTAX_ERROR, _text_or_none(header["syntax_error"]))
    if header.get("setup_error") is not None:
        return RunOutcome(
            Problem.CELL_ERROR,
            _text_or_none(header["setup_error"]),
            ipython=notes,
        )
    entries = header.get("cases")
    if not isinstance(entries, list) or len(entries) != len(job.cases):
        raise ProtocolError("the results do not have one entry per case")
    outcomes = []
    for i, (hidden, entry) in enumerate(zip(job.cases, entries, strict=True)):
        if not isinstance(entry, dict):
            raise ProtocolError("a case's entry is not an object")
        caught = entry.get("warnings", [])
        if not isinstance(caught, list) or not all(isinstance(w, str) for w in caught):
            raise ProtocolError("a case's warnings are not a list of text")
        error = _text_or_none(entry.get("error"))
        outcomes.append(
            CaseOutcome(
                result=arrays.get(f"c{i}result"),
                result_type=_text_or_none(entry.get("type")),
                args_after=[] if error else _inputs_after(i, hidden.case, arrays),
                error=error,
                warnings=caught,
                out_of_memory=entry.get("out_of_memory") is True,
            )
        )
    return RunOutcome(cases=outcomes, ipython=notes)


def _confinement(header: dict[str, Any], plan: Plan) -> Confinement:
    """Check the worker's first message against what ``plan`` requires."""
    if header.get("kind") != "hello":
        raise GraderError("the worker did not report its confinement first")
    confinement = Confinement(
        list(header.get("applied", [])), header.get("skipped", {})
    )
    # Layers the grader gives around the worker, and those it could not.
    confinement.applied += [*plan.layers, *(["bubblewrap"] if plan.bwrap else [])]
    confinement.skipped.update(dict(plan.missing))
    missing = [name for name in plan.require if name not in confinement.applied]
    if missing:
        reasons = "; ".join(
            f"{name}: {confinement.skipped.get(name, 'not applied')}"
            for name in missing
        )
        raise GraderError(f"the worker could not be confined ({reasons})")
    return confinement


def _run_once(
    jobs: list[Job], limits: Limits, plan: Plan
) -> tuple[Confinement | None, dict[str, RunOutcome]]:
    """Run ``jobs`` in one worker; return its confinement and the outcomes it got.

    The first job it did not finish gets the reason (timeout, crash, ...); the
    jobs after it get no outcome, to be run again in a fresh worker.
    """
    outcomes: dict[str, RunOutcome] = {}
    problem: tuple[Problem, str] | None = None
    confinement: Confinement | None = None
    with tempfile.TemporaryDirectory(prefix="kmeans-grade-") as folder:
        worker = _Worker(plan, jobs, limits, folder)
        deadline = time.monotonic() + limits.timeout
        returncode = None
        try:
            while True:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    returncode = worker.process.wait(timeout=POLL_SECONDS)
                if returncode is not None:
                    worker.results.join(DRAIN_SECONDS)
                try:
                    worker.read_messages()
                except ProtocolError as error:
                    problem = (
                        Problem.CRASHED,
                        f"its results could not be read ({error})",
                    )
                while worker.messages:
                    header, arrays = worker.messages.pop(0)
                    if confinement is None:
                        confinement = _confinement(header, plan)
                        continue
                    job = jobs[len(outcomes)] if len(outcomes) < len(jobs) else None
                    if job is None or header.get("index") != len(outcomes):
                        problem = (
                            Problem.CRASHED,
                            "it sent results for the wrong function",
                        )
                        break
                    try:
                        outcomes[job.name] = _outcome(job, header, arrays)
                    except ProtocolError as error:
                        outcomes[job.name] = RunOutcome(
                            Problem.CRASHED, f"its results could not be read ({error})"
                        )
                    deadline = time.monotonic() + limits.timeout
                if worker.printed.overflow:
                    problem = (
                        Problem.TOO_MUCH_OUTPUT,
                        f"printed more than {limits.output_mb} MB",
                    )
                finished = confinement is not None and len(outcomes) == len(jobs)
                if problem or finished or returncode is not None:
                    break
                if time.monotonic() > deadline:
                    problem = (
                        Problem.TIMEOUT,
                        f"still running after {limits.timeout:g} s",
                    )
                    break
        finally:
            out_of_memory = worker.out_of_memory()
            worker.stop()
    returncode = worker.process.returncode
    if confinement is None:
        # Sent before any student code runs: its absence is the grader's problem.
        said = bytes(worker.printed.data[-400:]).decode("utf-8", "replace").strip()
        raise GraderError(
            f"the worker did not start properly ({exit_meaning(returncode)}"
            + (f"; it said: {said}" if said else "")
            + ")"
        )
    if len(outcomes) < len(jobs):
        if problem is None:
            problem = _ending(returncode, limits, plan, out_of_memory)
        outcomes[jobs[len(outcomes)].name] = RunOutcome(*problem)
    return confinement, outcomes


def run_graded_functions(
    jobs: list[Job], limits: Limits, plan: Plan
) -> tuple[dict[str, RunOutcome], Confinement | None]:
    """Run each graded function of a submission on its hidden cases.

    The functions run one after another in a single worker process, which
    saves starting Python and NumPy for each.  Each still has its own
    timeout, and a function that hangs, crashes or floods the output is
    charged alone: the functions after it run again in a fresh worker.

    Parameters
    ----------
    jobs : list of Job
    limits : Limits
    plan : instructor.grading.confinement.Plan

    Returns
    -------
    outcomes : dict
        ``{name: RunOutcome}``.  ``problem`` is None when the function's job
        finished (each case then has its own outcome, which may be an error),
        else why it did not.
    confinement : Confinement or None
        What the first worker applied (None if no job needed a worker).

    Raises
    ------
    GraderError
        If a worker could not be confined as ``plan`` requires.
    """
    outcomes: dict[str, RunOutcome] = {}
    pending, first = list(jobs), None
    while pending:
        confinement, done = _run_once(pending, limits, plan)
        first = first or confinement
        outcomes.update(done)
        pending = [job for job in pending if job.name not in outcomes]
    return outcomes, first


def probe(plan: Plan, limits: Limits) -> Confinement:
    """Start one worker with nothing to run: what confinement does it get?

    Raises
    ------
    IsolationError
        If it cannot apply what ``plan`` requires, saying what is missing.
    """
    try:
        confinement, _ = _run_once([], limits, plan)
    except GraderError as error:
        message = f"{plan.level} isolation is not available here: {error}"
        raise IsolationError(message) from None
    if confinement is None:
        raise IsolationError(
            f"{plan.level} isolation: a worker could not start ({sys.executable})"
        )
    return confinement
