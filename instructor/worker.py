"""Run one graded function on a grading job's inputs, alone in a subprocess.

The grader starts this file as ``python -I worker.py JOB_DIR...``, one job
folder per graded function, run in order.  It is
self-contained (it imports nothing from the lab) and it only *computes*: it
runs the graded cell, calls the function on every case's inputs and saves the
results, the inputs as they were afterwards, and any error or warning.  The
comparison with the expected answers happens in the grader, outside this
process, so nothing the student's code patches here can change a verdict.

Files in each JOB_DIR:

``job.json`` (read)
    ``{"name", "source", "memory_bytes", "output_bytes", "cpu_seconds",
    "cases": [{"args":
    [{"kind": "array", "layout": "C" | "F" | "strided"} | {"kind": "rng"} |
    {"kind": "value", "value": ...}], "seeds": [int, ...]}]}``; a case with
    seeds is called once per seed and its result is the stack of the answers.
``inputs.npz`` (read)
    Array argument j of case i as ``c{i}a{j}``.
``outputs.npz`` (written)
    ``c{i}result`` and ``c{i}a{j}after``.
``report.json`` (written last, whole: its arrival tells the grader the job is done)
    ``{"setup_error": str | None, "cases": [{"error", "type", "warnings",
    "out_of_memory"}]}``.

``SystemExit`` raised by the student's code is not caught: the worker ends
without a report, and the grader says the function crashed.
"""

import json
import os
import resource
import signal
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np

# Bound before any student code runs, so patching numpy or json cannot
# change how results are written.
_save = np.savez
_dumps = json.dumps
_replace = os.replace
_asarray = np.asarray
_ndarray = np.ndarray


def die_with_parent():
    """Ask Linux to kill this worker if the grader dies (no orphaned workers)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the grader's timeout still applies


def limit_resources(memory_bytes, output_bytes, cpu_seconds):
    """Cap address space, CPU time and the size of any file written (stdout too).

    The CPU cap is inherited by anything the student's code starts, so a
    process that escapes the grader's timeout still stops soon after.

    Python ignores SIGXFSZ, turning a write past the cap into an OSError the
    student's code could catch; the default action ends the worker instead,
    so the grader can say the output was too large.
    """
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)


def arrange(array, layout):
    """Return ``array`` in the memory layout a case asks for."""
    if layout == "F":
        return np.asfortranarray(array)
    if layout == "strided":
        doubled = np.repeat(array, 2, axis=-1)
        return doubled[..., ::2]
    return np.ascontiguousarray(array)


def make_args(case, i, inputs, seed):
    """The arguments of case ``i``; a generator from ``seed`` where it takes one."""
    args = []
    for j, arg in enumerate(case["args"]):
        if arg["kind"] == "array":
            args.append(arrange(inputs[f"c{i}a{j}"].copy(), arg["layout"]))
        elif arg["kind"] == "rng":
            args.append(np.random.default_rng(seed))
        else:
            args.append(arg["value"])
    return args


def describe(error):
    """One line naming an exception raised by the student's code."""
    kind = "MemoryError" if isinstance(error, MemoryError) else type(error).__name__
    text = str(error).strip().splitlines()
    return f"{kind}: {text[0]}" if text else kind


def write_report(job_dir, report):
    """Write report.json whole (the grader takes its arrival as "job done")."""
    partial = job_dir / "report.json.partial"
    partial.write_text(_dumps(report), encoding="utf-8")
    _replace(partial, job_dir / "report.json")


def run(job_dir):
    job = json.loads((job_dir / "job.json").read_text(encoding="utf-8"))
    with np.load(job_dir / "inputs.npz", allow_pickle=False) as stored:
        inputs = {key: stored[key] for key in stored.files}
    name = job["name"]
    report = {"setup_error": None, "cases": []}
    outputs = {}
    namespace = {"__name__": "graded_cell", "np": np}
    try:
        exec(compile(job["source"], f"<graded cell {name}>", "exec"), namespace)
        function = namespace.get(name)
        if not callable(function):
            raise NameError(f"the graded cell does not define a function {name}()")
    except Exception as error:  # noqa: BLE001 - student code may raise anything
        report["setup_error"] = describe(error)
        write_report(job_dir, report)
        return
    out_of_memory = False
    for i, case in enumerate(job["cases"]):
        entry = {"error": None, "type": None, "warnings": [], "out_of_memory": False}
        if out_of_memory:
            # Running out again would only use up the time limit.
            entry["error"] = "not run: an earlier case ran out of memory"
            report["cases"].append(entry)
            continue
        seeds = case.get("seeds") or [None]
        answers = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for seed in seeds:
                args = make_args(case, i, inputs, seed)
                try:
                    answers.append(function(*args))
                except Exception as error:  # noqa: BLE001 - SystemExit ends the worker
                    entry["error"] = describe(error)
                    entry["out_of_memory"] = isinstance(error, MemoryError)
                    out_of_memory = entry["out_of_memory"]
                    break
        entry["warnings"] = [describe_warning(w) for w in caught]
        if entry["error"] is None:
            entry["type"] = type(answers[0]).__name__
            try:
                arrays = [_asarray(answer) for answer in answers]
                if any(array.dtype == object for array in arrays):
                    raise TypeError("object array")
                if case.get("seeds"):
                    if len({array.shape for array in arrays}) > 1:
                        raise ValueError("shapes differ")
                    outputs[f"c{i}result"] = np.stack(arrays)
                else:
                    outputs[f"c{i}result"] = arrays[0]
            except Exception:  # noqa: BLE001
                entry["error"] = (
                    f"returned a {entry['type']}, not an array of numbers of one shape"
                )
        for j, arg in enumerate(args):
            if isinstance(arg, _ndarray):
                outputs[f"c{i}a{j}after"] = _asarray(arg)
        report["cases"].append(entry)
    _save(job_dir / "outputs.npz", **outputs)
    write_report(job_dir, report)


def run_all(job_dirs):
    """Run the jobs one after another, under limits set from their job files."""
    jobs = [json.loads((d / "job.json").read_text(encoding="utf-8")) for d in job_dirs]
    die_with_parent()
    limit_resources(
        jobs[0]["memory_bytes"],
        jobs[0]["output_bytes"],
        sum(job["cpu_seconds"] for job in jobs),
    )
    for job_dir in job_dirs:
        run(job_dir)


def describe_warning(caught):
    return f"{caught.category.__name__}: {caught.message}"


#: Exit code of a worker that ran out of memory outside the student's function.
OUT_OF_MEMORY = 86

if __name__ == "__main__":
    try:
        run_all([Path(arg) for arg in sys.argv[1:]])
    except MemoryError:
        traceback.print_exc()
        sys.exit(OUT_OF_MEMORY)
