"""The worker's results channel, and the cache fingerprint: what the grader trusts."""

import json
import os
import struct

import nbformat
import numpy as np
import pytest
from submissions import notebook

from instructor import grader
from instructor.channel import ProtocolError, next_message
from instructor.grader import grader_fingerprint
from instructor.sandbox import Limits
from instructor.worker import send

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
    names = {path.name for path in grader.grader_files()}
    assert {"grader.py", "sandbox.py", "worker.py", "channel.py"} <= names
    assert {"confinement.py", "hidden_tests.py", "public_tests.py"} <= names


def test_the_fingerprint_changes_with_code_limits_isolation_and_numpy(
    tmp_path, monkeypatch
):
    code = tmp_path / "instructor" / "grader.py"
    code.parent.mkdir()
    code.write_text("x = 1\n")
    monkeypatch.setattr(grader, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(grader, "grader_files", lambda: [code])
    base = grader_fingerprint(Limits(), {"level": "strict"})
    assert grader_fingerprint(Limits(), {"level": "strict"}) == base
    assert grader_fingerprint(Limits(timeout=5), {"level": "strict"}) != base
    assert grader_fingerprint(Limits(), {"level": "trusted"}) != base
    monkeypatch.setattr(grader.np, "__version__", "0.0")
    assert grader_fingerprint(Limits(), {"level": "strict"}) != base
    monkeypatch.undo()
    monkeypatch.setattr(grader, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(grader, "grader_files", lambda: [code])
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
    rows, count = grader.grade_all([folder], out, progress=False, log=print)
    assert count == 1 and rows[0]["total"] == "20"
