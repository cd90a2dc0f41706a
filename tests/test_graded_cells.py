"""Graded cells as Jupyter runs them, read by a grader whose own work is bounded.

* A notebook over the size limit, one with too many JSON values, and a graded
  cell over the length limit each get a zero with the reason, while the
  grader's own peak memory (measured in a subprocess, from the kernel's
  high-water mark) stays under the bound the limits give (``MAX_READING_BYTES``).
* A graded cell with IPython lines (``%timeit``, ``!pip``, ``%%time``, ``?``)
  is graded as Jupyter runs it; a syntax error still says its line.
* "Modified its input" is judged against the grader's own copy of the inputs,
  and a worker report missing an input is charged to its author.

Everything is graded by the real grader at the default (strict) isolation,
beside an honest classmate who keeps 20 / 20.
"""

import contextlib
import io
import json
import os
import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pytest
from rendered import markdown_text
from submissions import (
    COMPUTE_BINCOUNT,
    COMPUTE_LOOP,
    FIND_BROADCAST,
    FIND_LOOP,
    cell_text,
    notebook,
    read_csv,
)

import public_tests
from instructor.course import exercises
from instructor.grading.grader import grade_all
from instructor.grading.sandbox import Limits
from instructor.grading.submission import (
    MAX_GRADED_CELL_CHARS,
    MAX_NOTEBOOK_BYTES,
    MAX_NOTEBOOK_VALUES,
    MAX_READING_BYTES,
)
from instructor.layout import REPO_ROOT
from instructor.markers import graded_name

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="strict isolation is Linux only"
    ),
]

LIMITS = Limits(timeout=8.0, memory_mb=512, output_mb=4)
FIND = "find_closest_centroids"


def notebook_json(nb):
    """A notebook as the plain JSON dict nbformat writes."""
    return json.loads(nbformat.writes(nb))


def with_find_source(source):
    """The right notebook whose find cell's source is exactly ``source``."""
    nb = notebook()
    for cell in nb.cells:
        if graded_name(cell) == FIND:
            cell.source = source
    return nb


# ---------------------------------------------------------------- the grader's memory


def huge_notebook():
    """Right answers and 60 MB of figure output: refused before it is read."""
    nb = notebook_json(notebook())
    image = {"image/png": "A" * (60 * 2**20)}
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "display_data", "data": image, "metadata": {}}]
    return json.dumps(nb)


def long_graded_cell():
    """A right find cell padded to 20 MB in 20,000 long comment lines."""
    padding = ("# " + "x" * 1000 + "\n") * 20_000
    source = cell_text(FIND, FIND_BROADCAST) + "\n" + padding
    return nbformat.writes(with_find_source(source))


def many_line_graded_cell():
    """A right find cell padded to 20 MB in 2.3 million short lines (30 MB of JSON)."""
    source = cell_text(FIND, FIND_BROADCAST) + "\n" + "x = 1234\n" * 2_300_000
    return json.dumps(notebook_json(with_find_source(source)))


def value_bomb():
    """Right answers and 10 million empty objects (30 MB) in the metadata."""
    nb = notebook_json(notebook())
    text = json.dumps(nb)
    return text[:-1] + ', "junk": [' + ",".join(["{}"] * 10_000_000) + "]}"


#: name -> (notebook text, find points, compute points, status starts with; or
#: a function of the notebook's text giving it)
BIG = {
    "huge_notebook": (
        huge_notebook,
        0,
        0,
        # The size as the file has it: 60 MB of output plus the notebook itself.
        lambda text: (
            f"the notebook is too large ({len(text.encode()) / 2**20:.1f} "
            f"MB, at most {MAX_NOTEBOOK_BYTES // 2**20} MB)"
        ),
    ),
    "long_graded_cell": (
        long_graded_cell,
        0,
        10,
        "graded cell too large in find_closest_centroids",
    ),
    "many_line_graded_cell": (
        many_line_graded_cell,
        0,
        0,
        "the notebook holds too many values",
    ),
    "value_bomb": (value_bomb, 0, 0, "the notebook holds too many values"),
}

#: Grades a folder twice in one process: an honest student alone (which
#: loads everything grading needs), then the honest student again beside the
#: big file; prints the exit codes, the resident memory before the second run
#: and the peak during it, in bytes.  The peak is the kernel's high-water mark
#: of this process's memory (VmHWM), reset to the current size before the
#: second run: ``getrusage``'s ru_maxrss would start at the pytest process's
#: size, which Linux carries over a fork and exec, and hide any growth below it.
MEASURE = """
import json, sys
from instructor.__main__ import main

def status(key):
    with open("/proc/self/status") as file:
        line = next(line for line in file if line.startswith(key + ":"))
    return int(line.split()[1]) * 1024

first = main(["grade", sys.argv[1], "--out", sys.argv[2], "--timeout", "20"])
with open("/proc/self/clear_refs", "w") as file:
    file.write("5")  # the high-water mark starts again from here
before = status("VmRSS")
second = main(["grade", sys.argv[3], "--out", sys.argv[4], "--timeout", "20"])
after = status("VmHWM")
print(json.dumps({"codes": [first, second], "before": before, "after": after}))
"""


@pytest.mark.parametrize("name", list(BIG))
def test_a_huge_submission_is_a_zero_and_the_grader_stays_small(tmp_path, name):
    make, find, compute, status = BIG[name]
    warm, folder = tmp_path / "warm", tmp_path / "class"
    warm.mkdir()
    folder.mkdir()
    for where in (warm, folder):
        nbformat.write(notebook(FIND_LOOP, COMPUTE_LOOP), where / "honest.ipynb")
    text = make()
    (folder / f"{name}.ipynb").write_text(text, encoding="utf-8")
    if callable(status):
        status = status(text)
    command = [sys.executable, "-c", MEASURE, str(warm), str(tmp_path / "out1")]
    command += [str(folder), str(tmp_path / "out2")]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["codes"] == [0, 0]
    rows = read_csv(tmp_path / "out2" / "grades.csv")
    assert (rows["honest"]["total"], rows["honest"]["status"]) == ("20", "graded")
    row = rows[name]
    assert (row[FIND], row["compute_centroids"]) == (str(find), str(compute))
    assert row["status"].startswith(status)
    # Reading one notebook within the limits costs at most MAX_READING_BYTES
    # (3 x 32 MB for the file, its text and the parsed strings, and 128 bytes
    # for each of 250,000 values); compiling a 10 MB cell in the grader once
    # cost 1.1 GB.
    grew = measured["after"] - measured["before"]
    assert grew < MAX_READING_BYTES, f"the grader grew by {grew / 2**20:.0f} MB"


def test_the_limits_leave_room_for_a_real_notebook():
    lab = (REPO_ROOT / "instructor" / "source" / "kmeans_lab.ipynb").read_bytes()
    assert len(lab) * 100 < MAX_NOTEBOOK_BYTES
    assert (lab.count(b",") + lab.count(b"[") + lab.count(b"{")) * 50 < (
        MAX_NOTEBOOK_VALUES
    )
    cells = json.loads(lab)["cells"]
    assert max(len("".join(c["source"])) for c in cells) * 100 < MAX_GRADED_CELL_CHARS


# ---------------------------------------------------------------- IPython lines


def find_with(before="", after="", first=""):
    """A right find cell with IPython lines before or after the function."""
    code = textwrap.dedent(before) + textwrap.dedent(FIND_BROADCAST).strip("\n")
    return first + cell_text(FIND, code) + textwrap.dedent(after)


BAD_DEF = "def find_closest_centroids(X, centroids)\n    return X\n"

#: student -> (find cell, find points, status, text the feedback holds)
IPYTHON = {
    "ivy_timeit": (
        find_with("%timeit np.zeros(3)\n"),
        10,
        "graded",
        "these IPython commands of the graded cell did nothing: %timeit",
    ),
    "pat_pip": (
        find_with("!pip list\nfiles = !ls\n"),
        10,
        "graded",
        "did nothing: !pip, !ls",
    ),
    "hal_help": (find_with(after="\nnp.argmin?\n"), 10, "graded", "did nothing: ?"),
    # %%time runs the cell in Jupyter: the function is defined.
    "tim_time_cell": (find_with(first="%%time\n"), 10, "graded", "10 / 10 points"),
    "lin_time_line": (
        find_with("%time warm = np.zeros(3)\n"),
        10,
        "graded",
        "10 / 10 points",
    ),
    # %%writefile only writes the cell in Jupyter: nothing is defined there either.
    "wes_writefile": (
        find_with(first="%%writefile find.py\n"),
        0,
        "error in the graded cell in find_closest_centroids",
        "the graded cell does not define a function find_closest_centroids()",
    ),
    # Syntax errors still say their line, counted in the cell as Jupyter shows it.
    "sid_syntax_after_magic": (
        cell_text(FIND, "%timeit 1\n" + BAD_DEF),
        0,
        "syntax error in find_closest_centroids",
        "syntax error: expected ':' (line 3)",
    ),
    "tia_syntax_in_time_body": (
        "\n%%time\n" + cell_text(FIND, BAD_DEF),
        0,
        "syntax error in find_closest_centroids",
        "syntax error: expected ':' (line 4)",
    ),
    "lee_syntax_in_time_line": (
        find_with("import numpy as np\n%time warm = (1\n"),
        0,
        "syntax error in find_closest_centroids",
        "syntax error: '(' was never closed (line 3)",
    ),
    "sal_plain_syntax_error": (
        cell_text(FIND, "import numpy as np\n\n" + BAD_DEF),
        0,
        "syntax error in find_closest_centroids",
        "syntax error: expected ':' (line 4)",
    ),
}

# ---------------------------------------------------------------- mutated inputs

#: The right indices, then the input changed in place.
FIND_MUTATES = """
def find_closest_centroids(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    X[0, 0] += 1.0
    return np.argmin(d, axis=1)
"""
#: The same, hiding the change by making the worker report no input.
FIND_HIDES_MUTATION = """
import sys

def find_closest_centroids(X, centroids):
    sys.modules["__main__"]._ndarray = type("NotAnArray", (), {})
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    X[0, 0] += 1.0
    return np.argmin(d, axis=1)
"""
MUTATION = {
    "mia_mutates": (
        cell_text(FIND, FIND_MUTATES),
        0,
        "graded",
        "your function modified its input argument 1; work on a copy",
    ),
    # The patch stays in the worker: compute's report is refused too.
    "fay_hides_mutation": (
        cell_text(FIND, FIND_HIDES_MUTATION),
        0,
        "crashed in find_closest_centroids; crashed in compute_centroids",
        "its results could not be read (case 0 has no report of its input 1)",
    ),
}
#: Points of compute_centroids where not the right 10.
COMPUTE_POINTS = {"fay_hides_mutation": 0}
CELLS = {**IPYTHON, **MUTATION}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("cells")
    folder = root / "submissions"
    folder.mkdir()
    nbformat.write(notebook(FIND_LOOP, COMPUTE_BINCOUNT), folder / "honest.ipynb")
    for student, (source, *_) in CELLS.items():
        nbformat.write(with_find_source(source), folder / f"{student}.ipynb")
    rows, count = grade_all(
        [folder],
        root / "out",
        jobs=2,
        limits=LIMITS,
        progress=False,
        log=print,
        course=exercises,
    )
    assert count == len(CELLS) + 1
    return root


def feedback(root, student):
    return markdown_text((root / "out" / "feedback" / f"{student}.md").read_text())


@pytest.mark.parametrize("student", list(CELLS))
def test_a_graded_cell_is_graded_as_jupyter_runs_it(graded, student):
    _, points, status, said = CELLS[student]
    rows = read_csv(graded / "out" / "grades.csv")
    row = rows[student]
    compute = COMPUTE_POINTS.get(student, 10)
    assert (row[FIND], row["compute_centroids"]) == (str(points), str(compute))
    assert row["status"] == status
    assert said in feedback(graded, student)
    assert (rows["honest"]["total"], rows["honest"]["status"]) == ("20", "graded")


def test_an_ordinary_cell_gets_no_note_about_ipython(graded):
    assert "IPython" not in feedback(graded, "honest")
    assert "IPython" not in feedback(graded, "tim_time_cell")


@pytest.mark.slow
@pytest.mark.parametrize(
    "student",
    [s for s, (_, points, *_) in IPYTHON.items() if points == 10],
)
def test_the_same_cell_passes_the_public_tests_in_ipython(student):
    """In a notebook IPython has transformed the cell before it runs: no change."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.user_ns["np"] = np
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            ran = shell.run_cell(IPYTHON[student][0])
        assert ran.success, ran.error_in_exec or ran.error_before_exec
        public_tests.find_closest_centroids_test(shell.user_ns[FIND])
    finally:
        InteractiveShell.clear_instance()


def test_without_ipython_a_magic_line_is_refused_with_the_reason(monkeypatch):
    from instructor.grading import worker

    for name in [m for m in sys.modules if m.split(".")[0] == "IPython"] + ["IPython"]:
        monkeypatch.setitem(sys.modules, name, None)  # importing IPython fails
    with pytest.raises(worker.CellSyntaxError, match="IPython is not installed"):
        worker.graded_code(IPYTHON["ivy_timeit"][0], FIND, {}, {})
    # An ordinary cell never needs IPython.
    namespace = {"np": np}
    exec(worker.graded_code(cell_text(FIND, FIND_LOOP), FIND, namespace, {}), namespace)
    assert callable(namespace[FIND])


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("# GRADED FUNCTION: f\ndef f(): pass", "f"),
        ("\n  \n# GRADED FUNCTION: f\n", "f"),
        # Jupyter wants a cell magic first: the header may follow it.
        ("%%time\n# GRADED FUNCTION: f\n", "f"),
        ("\n%%capture out\n\n# GRADED FUNCTION: f\n", "f"),
        # A line magic is code: the header must come first.
        ("%timeit 1\n# GRADED FUNCTION: f\n", None),
        ("x = 1\n# GRADED FUNCTION: f\n", None),
        # Only the cell's first 4,096 characters are searched.
        ("\n" * 5000 + "# GRADED FUNCTION: f\n", None),
    ],
)
def test_a_graded_cell_is_found_by_its_header(source, name):
    from instructor.grading.submission import cell_header

    assert cell_header(source) == name
