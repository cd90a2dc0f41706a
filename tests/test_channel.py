"""The worker's results channel, and the cache fingerprint: what the grader trusts."""

import dataclasses
import json
import os
import struct
import subprocess

import nbformat
import numpy as np
import pytest
from submissions import notebook

from instructor.course import exercises
from instructor.course.hidden_tests import HiddenCase
from instructor.grading import grader, sandbox
from instructor.grading.channel import ProtocolError, next_message
from instructor.grading.confinement import make_plan, worker_command
from instructor.grading.grader import grader_fingerprint
from instructor.grading.sandbox import Limits
from instructor.grading.worker import NOT_CONFINED, OUT_OF_MEMORY, send
from labkit.answers import Case

LIMIT = 1 << 20


def sent(header, arrays=None):
    """The bytes the worker's ``send`` writes for one message."""
    read, write = os.pipe()
    try:
        send(write, header, arrays)
        os.close(write)
        data = b""
        while chunk := os.read(read, 1 << 16):
            data += chunk
    finally:
        os.close(read)
    return data


def raw(header):
    head = json.dumps(header).encode()
    return struct.pack(">I", len(head)) + head


def test_a_message_comes_back_as_sent_in_any_layout():
    arrays = {
        "c0result": np.arange(12, dtype=np.int32).reshape(3, 4).T,
        "c0a0after": np.asfortranarray(np.linspace(0, 1, 6).reshape(2, 3)),
        "c1result": np.array([True, False]),
        "empty": np.zeros((0, 3)),
    }
    data = sent({"kind": "job", "index": 0}, arrays)
    header, got, end = next_message(data, 0, LIMIT)
    assert end == len(data)
    assert header["kind"] == "job" and header["index"] == 0
    assert got.keys() == arrays.keys()
    for key, array in arrays.items():
        assert got[key].dtype == array.dtype
        np.testing.assert_array_equal(got[key], array)


def test_two_messages_are_read_one_after_the_other():
    data = sent({"n": 1}) + sent({"n": 2}, {"a": np.ones(3)})
    first, _, end = next_message(data, 0, LIMIT)
    second, arrays, last = next_message(data, end, LIMIT)
    assert (first["n"], second["n"], last) == (1, 2, len(data))
    np.testing.assert_array_equal(arrays["a"], np.ones(3))


def test_a_message_not_yet_whole_waits():
    data = sent({"kind": "job"}, {"a": np.ones(100)})
    for cut in (0, 3, 10, len(data) - 1):
        assert next_message(data[:cut], 0, LIMIT) is None


def claims(dtype="<f8", shape=(2**28,)):
    described = [{"key": "c0result", "dtype": dtype, "shape": list(shape)}]
    return raw({"kind": "job", "arrays": described})


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(claims(), id="2 GiB claimed, nothing sent"),
        pytest.param(claims(shape=(2**16, 2**16)), id="2 GiB over two axes"),
        pytest.param(struct.pack(">I", 2**31), id="header of 2 GiB"),
        pytest.param(claims(dtype="|O8", shape=(1,)), id="object array"),
        pytest.param(claims(dtype="V8", shape=(1,)), id="raw bytes"),
        pytest.param(claims(dtype="<U10", shape=(1,)), id="text"),
        pytest.param(claims(dtype="i4,O", shape=(1,)), id="structured"),
        pytest.param(claims(shape=(-1,)), id="negative shape"),
        pytest.param(claims(shape=(1.5,)), id="fractional shape"),
        pytest.param(struct.pack(">I", 4) + b"\xff\xfe{}", id="not UTF-8"),
        pytest.param(struct.pack(">I", 2) + b"[]", id="not an object"),
        pytest.param(raw({"kind": "job"}), id="no list of arrays"),
        pytest.param(raw({"arrays": [["c0", "<f8"]]}), id="array not described"),
    ],
)
def test_a_malformed_or_oversized_message_is_refused_before_allocating(data):
    with pytest.raises(ProtocolError):
        next_message(data, 0, LIMIT)


@pytest.mark.parametrize(
    "dtype", ["<i3", "|b2", "<f3", "<u16", "<M8[foo]", "<m8[99999999999999999999Y]"]
)
def test_a_type_the_pattern_admits_but_numpy_refuses_is_a_protocol_error(dtype):
    # Each of these fits the channel's dtype pattern; NumPy raises TypeError
    # for every one, which must reach the grader as the message's fault.
    with pytest.raises(ProtocolError, match="type"):
        next_message(claims(dtype=dtype, shape=(1,)) + bytes(64), 0, LIMIT)


def _mutations(rng, data, count):
    """``count`` damaged copies of ``data``: bytes flipped, cut, or repeated."""
    for _ in range(count):
        damaged = bytearray(data)
        for _ in range(int(rng.integers(1, 4))):
            where = int(rng.integers(0, len(damaged)))
            damaged[where] = int(rng.integers(0, 256))
        yield bytes(damaged[: int(rng.integers(4, len(damaged) + 1))])


def _forged_headers(rng, count):
    """Headers whose fields have the right names and arbitrary JSON values."""
    values = [None, True, 0, -1, 1.5, 2**70, "", "<f8", "<i3", "x" * 50, [], {}, [1]]
    values += [[2**31], [0, -0], "M8[us]", "<c32", {"key": "a"}, [[1, 2]]]
    for _ in range(count):
        described = [
            {
                name: values[int(rng.integers(len(values)))]
                for name in ("key", "dtype", "shape")
                if rng.random() < 0.9
            }
            for _ in range(int(rng.integers(0, 3)))
        ]
        yield raw({"kind": "job", "arrays": described}) + bytes(256)


def test_whatever_a_worker_writes_only_protocol_errors_come_back():
    # The worker runs the student's code and may write anything on the results
    # pipe: damaged copies of real messages and forged headers either parse or
    # raise ProtocolError, never another exception that would stop the grader.
    rng = np.random.default_rng(2026)
    good = sent(
        {"kind": "job", "index": 0, "cases": [{"error": None}]},
        {"c0result": np.arange(6).reshape(2, 3), "c0a0after": np.eye(2)},
    )
    candidates = [*_mutations(rng, good, 3000), *_forged_headers(rng, 3000)]
    parsed = refused = 0
    for data in candidates:
        try:
            found = next_message(data, 0, LIMIT)
        except ProtocolError:
            refused += 1
        else:
            parsed += found is not None
    # Both outcomes occur, so the corpus really reaches the parser's checks.
    assert refused > 1000 and parsed > 10


def test_the_results_may_not_exceed_the_limit_in_total():
    data = sent({"kind": "job"}, {"a": np.zeros(1000), "b": np.zeros(1000)})
    assert next_message(data, 0, 20_000) is not None
    with pytest.raises(ProtocolError, match="larger than"):
        next_message(data, 0, 12_000)


# ---------------------------------------------------------------- the cache


def test_the_fingerprint_covers_every_grader_file_and_public_tests():
    names = {path.name for path in grader.fingerprinted_files()}
    assert {"grader.py", "sandbox.py", "worker.py", "channel.py"} <= names
    assert {"confinement.py", "hidden_tests.py", "public_tests.py"} <= names


def test_the_fingerprint_changes_with_code_limits_isolation_and_numpy(
    tmp_path, monkeypatch
):
    code = tmp_path / "instructor" / "grader.py"
    code.parent.mkdir()
    code.write_text("x = 1\n")
    monkeypatch.setattr(grader, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(grader, "fingerprinted_files", lambda: [code])
    base = grader_fingerprint(Limits(), {"level": "strict"})
    assert grader_fingerprint(Limits(), {"level": "strict"}) == base
    assert grader_fingerprint(Limits(timeout=5), {"level": "strict"}) != base
    assert grader_fingerprint(Limits(), {"level": "trusted"}) != base
    monkeypatch.setattr(grader.np, "__version__", "0.0")
    assert grader_fingerprint(Limits(), {"level": "strict"}) != base
    monkeypatch.undo()
    monkeypatch.setattr(grader, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(grader, "fingerprinted_files", lambda: [code])
    code.write_text("x = 2\n")
    assert grader_fingerprint(Limits(), {"level": "strict"}) != base


@pytest.mark.worker
@pytest.mark.parametrize("text", ["[]", "{", '{"students": []}', '{"grader": 1}'])
def test_a_malformed_cache_is_ignored_and_everything_graded(tmp_path, text):
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    nbformat.write(notebook(), folder / "sam.ipynb")
    (out / grader.CACHE_FILE).write_text(text)
    rows, count = grader.grade_all(
        [folder], out, progress=False, log=print, course=exercises
    )
    assert count == 1 and rows[0]["total"] == "20"


# ------------------------------------------------- a real worker and the grader


def run_worker(jobs, plan, limits):
    """Start a real worker (``python -I worker.py`` under ``plan``) on ``jobs``.

    Returns its exit code and every byte it wrote on its results pipe.
    """
    payload, _ = sandbox._job_payload(jobs, plan, limits)
    finished = subprocess.run(
        worker_command(plan, sandbox.WORKER),
        input=payload,
        capture_output=True,
        env={**sandbox.WORKER_ENV, "PATH": os.environ.get("PATH", "")},
        cwd="/",
        timeout=120,
        check=False,
    )
    return finished.returncode, finished.stdout


def a_plan(**changes):
    # No cgroup: an exit code, not the kernel's kill, must end the worker.
    return dataclasses.replace(make_plan("trusted"), cgroup=None, **changes)


@pytest.mark.worker
def test_a_real_workers_messages_are_read_by_the_channel():
    X = np.arange(12.0).reshape(4, 3)
    source = "def double(X, k):\n    return X * k\n"
    case = HiddenCase(1, Case("double", (X, 3), None))
    code, data = run_worker([sandbox.Job("double", source, [case])], a_plan(), Limits())
    assert code == 0
    hello, _, end = next_message(data, 0, LIMIT)
    assert hello["kind"] == "hello"
    header, arrays, last = next_message(data, end, LIMIT)
    assert last == len(data), "two messages, nothing else on the results pipe"
    assert header["kind"] == "job" and header["index"] == 0
    assert header["cases"][0]["error"] is None
    np.testing.assert_array_equal(arrays["c0result"], 3 * X)
    np.testing.assert_array_equal(arrays["c0a0after"], X)


@pytest.mark.worker
def test_the_workers_exit_codes_are_the_ones_the_sandbox_names():
    # Not confined: the job requires Landlock and the worker's test hook refuses it.
    plan = a_plan(require=("landlock",), refuse=("landlock",), landlock=True)
    code, data = run_worker([], plan, Limits())
    assert code == NOT_CONFINED
    assert "could not apply a confinement" in sandbox.exit_meaning(code)
    assert next_message(data, 0, LIMIT)[0]["kind"] == "hello"
    # Out of memory outside the graded function: its answer fits in the memory
    # allowed, the copies the worker makes to send it do not.
    limits = Limits(memory_mb=1024)
    source = "def big(n):\n    return np.ones(n)\n"
    case = HiddenCase(1, Case("big", (400 * 2**20 // 8,), None))
    code, _ = run_worker([sandbox.Job("big", source, [case])], a_plan(), limits)
    assert code == OUT_OF_MEMORY
    assert "out of memory" in sandbox.exit_meaning(code)
    assert sandbox._ending(code, limits, a_plan()) == (
        "out of memory",
        "used more than the 1024 MB allowed",
    )
