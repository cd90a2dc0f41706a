"""instructor grade: submissions of every kind, graded into exact grades and statuses.

Each submission is the student notebook with its graded cells filled in (or
broken) the way a student might.  The expected points follow from which
hidden cases a mistake can pass, reasoned out next to each submission.
"""

import csv
import json
import shutil

import implementations as impl
import nbformat
import numpy as np
import pytest
from rendered import markdown_text
from submissions import (
    COMPUTE_ADD_AT,
    COMPUTE_BINCOUNT,
    COMPUTE_LOOP,
    COMPUTE_NAN_FOR_EMPTY,
    COMPUTE_PATCHES_NUMPY,
    COMPUTE_SYNTAX_ERROR,
    COMPUTE_SYS_EXIT,
    COMPUTE_UNBOUNDED_MEMORY,
    FIND_BROADCAST,
    FIND_HANGS,
    FIND_IMPORTS_PUBLIC_TESTS,
    FIND_LOOP,
    FIND_MATRIX,
    FIND_ONE_BASED,
    FIND_OS_EXIT,
    FIND_PRINTS_FOREVER,
    PLUSPLUS_D_WEIGHTS,
    PLUSPLUS_LOOP,
    PLUSPLUS_UNIFORM,
    cell_text,
    notebook,
    read_csv,
)

from instructor.__main__ import main
from instructor.course import exercises
from instructor.grading.grader import grade_all
from instructor.grading.sandbox import Limits
from instructor.grading.worker import arrange
from instructor.markers import graded_name


def duplicated_and_moved():
    """Two find cells (first wrong, last right); compute moved to the end."""
    nb = notebook()
    cells = nb.cells
    find_at = next(
        i for i, c in enumerate(cells) if graded_name(c) == "find_closest_centroids"
    )
    wrong = nbformat.v4.new_code_cell(
        cell_text("find_closest_centroids", FIND_ONE_BASED)
    )
    cells.insert(find_at, wrong)
    compute_at = next(
        i for i, c in enumerate(cells) if graded_name(c) == "compute_centroids"
    )
    moved = cells.pop(compute_at)
    moved.metadata = {"deletable": True, "tags": ["mine"], "nbgrader": {"grade": False}}
    cells.append(moved)
    return nb


#: student -> (notebook or raw bytes, find points, compute points, status)
SUBMISSIONS = {
    "alice_loops": (notebook(FIND_LOOP, COMPUTE_LOOP), 10, 10, "graded"),
    "bob_vectorised": (notebook(FIND_BROADCAST, COMPUTE_BINCOUNT), 10, 10, "graded"),
    "carol_matrix": (notebook(FIND_MATRIX, COMPUTE_ADD_AT), 10, 10, "graded"),
    # NaN for empty clusters fails the four cases with empty clusters (2+2+1+1
    # points) and passes the four without (1+1+1+1).
    # NaN rows fail the four cases with empty clusters, 1 point each.
    "dave_nan_for_empty": (notebook(compute=COMPUTE_NAN_FOR_EMPTY), 10, 6, "graded"),
    # 1-based indices are wrong for every example of every case.
    "erin_one_based": (notebook(find=FIND_ONE_BASED), 0, 10, "graded"),
    "frank_hangs": (
        notebook(find=FIND_HANGS),
        0,
        10,
        "timeout in find_closest_centroids",
    ),
    "grace_sys_exit": (
        notebook(compute=COMPUTE_SYS_EXIT),
        10,
        0,
        "crashed in compute_centroids",
    ),
    "heidi_os_exit": (
        notebook(find=FIND_OS_EXIT),
        0,
        10,
        "crashed in find_closest_centroids",
    ),
    "ivan_hoards_memory": (
        notebook(compute=COMPUTE_UNBOUNDED_MEMORY),
        10,
        0,
        "out of memory in compute_centroids",
    ),
    "judy_prints_forever": (
        notebook(find=FIND_PRINTS_FOREVER),
        0,
        10,
        "too much output in find_closest_centroids",
    ),
    # Graded cells may not import public_tests: the cell fails to run.
    "ken_patches_tests": (
        notebook(find=FIND_IMPORTS_PUBLIC_TESTS),
        0,
        10,
        "error in the graded cell in find_closest_centroids",
    ),
    # Patching numpy inside the worker cannot change the grader's comparison.
    "mallory_patches_numpy": (notebook(compute=COMPUTE_PATCHES_NUMPY), 10, 0, "graded"),
    "oscar_syntax_error": (
        notebook(compute=COMPUTE_SYNTAX_ERROR),
        10,
        0,
        "syntax error in compute_centroids",
    ),
    "victor_no_header": (notebook(compute=None), 10, 0, "missing compute_centroids"),
    "walter_duplicated_moved": (duplicated_and_moved(), 10, 10, "graded"),
}


def blank_lines_and_bom():
    """Graded cells starting with a byte-order mark and blank lines."""
    nb = notebook()
    for cell in nb.cells:
        if graded_name(cell) in ("find_closest_centroids", "compute_centroids"):
            cell.source = "\ufeff\n\n" + cell.source
    return nb


def nbformat_3():
    """The correct notebook saved in the older nbformat 3."""
    return nbformat.convert(notebook(), 3)


FIND_OUT_OF_RANGE = """
def find_closest_centroids(X, centroids):
    return np.arange(X.shape[0])
"""
COMPUTE_TIMEDELTAS = """
def compute_centroids(X, idx, K):
    return np.zeros((K, X.shape[1]), dtype="m8[s]")
"""
FIND_REAL_TIME_SIGNAL = """
import os

def find_closest_centroids(X, centroids):
    os.kill(os.getpid(), 40)
"""
FIND_FORGES_REPORT = """
import json, os

def find_closest_centroids(X, centroids):
    with open("report.json", "w") as file:
        json.dump({"setup_error": None, "cases": [0, 1, 2]}, file)
    os._exit(0)
"""
#: Right indices as a list, which run_kMeans and centroids[idx] accept too.
FIND_LIST = """
def find_closest_centroids(X, centroids):
    d = X[:, None, :] - centroids[None, :, :]
    return np.argmin((d**2).sum(axis=2), axis=1).tolist()
"""
#: Right centroids as a list of rows.
COMPUTE_LIST = """
def compute_centroids(X, idx, K):
    rows = []
    for k in range(K):
        members = X[idx == k]
        rows.append(members.mean(axis=0) if len(members) else np.zeros(X.shape[1]))
    return [list(row) for row in rows]
"""
#: The right indices, computed and never returned.
FIND_NO_RETURN = """
def find_closest_centroids(X, centroids):
    d = X[:, None, :] - centroids[None, :, :]
    idx = np.argmin((d**2).sum(axis=2), axis=1)
"""
#: A tuple of index and distance arrays: "return only idx".
FIND_TUPLE = """
def find_closest_centroids(X, centroids):
    d = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return np.argmin(d, axis=1), d.min(axis=1)
"""
SUBMISSIONS.update(
    {
        "lena_lists": (
            notebook(find=FIND_LIST, compute=COMPUTE_LIST),
            10,
            10,
            "graded",
        ),
        "tom_tuple": (notebook(find=FIND_TUPLE), 0, 10, "graded"),
        "nora_no_return": (notebook(find=FIND_NO_RETURN), 0, 10, "graded"),
    }
)

#: Submissions that once crashed the grader itself; each must get its own verdict.
HOSTILE = {
    # Indices up to m - 1 >= K in every case: wrong everywhere, named as such.
    "quinn_out_of_range": (notebook(find=FIND_OUT_OF_RANGE), 0, 10, "graded"),
    "rita_timedeltas": (notebook(compute=COMPUTE_TIMEDELTAS), 10, 0, "graded"),
    "sven_signal_40": (
        notebook(find=FIND_REAL_TIME_SIGNAL),
        0,
        10,
        "crashed in find_closest_centroids",
    ),
    # The worker may write no file: opening report.json raises in every case.
    "tess_forged_report": (notebook(find=FIND_FORGES_REPORT), 0, 10, "graded"),
    "ursula_bom_blank_lines": (blank_lines_and_bom(), 10, 10, "graded"),
}
SUBMISSIONS.update(HOSTILE)

#: student -> (notebook, k-means++ bonus points).  Weights D instead of D^2
#: lose only the 3-point frequency case; uniform picks also lose the 3-point
#: tight-clusters case (two of 8 clusters share a pick in some of 100 runs).
BONUS = {
    "xena_plusplus": (notebook(plusplus=PLUSPLUS_LOOP), 10),
    "yuri_plusplus_d": (notebook(plusplus=PLUSPLUS_D_WEIGHTS), 7),
    "zack_plusplus_uniform": (notebook(plusplus=PLUSPLUS_UNIFORM), 4),
    # Right draws, but more centroids than examples stops the loop instead of
    # raising the ValueError the contract asks for: the 1-point case "K = 201
    # for m = 200 examples" is lost, as the public test fails it too.
    "wes_plusplus_never_raises": (
        notebook(
            plusplus=PLUSPLUS_LOOP.replace(
                'raise ValueError("fewer distinct examples than K")', "break"
            )
        ),
        9,
    ),
}
BROKEN_FILES = {
    "vera_deep_json": (b"[" * 100_000 + b"]" * 100_000, "corrupt JSON"),
    "peggy_truncated": (b'{"cells": [{"cell_type": "code", "sour', "corrupt JSON"),
    "trent_a_list": (b"[1, 2, 3]", "not a notebook (no list of cells)"),
    "uma_an_image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a notebook"),
    "emma_empty": (b"", "the file is empty"),
    "pia_renamed_py": (
        b"import numpy as np\n\n\ndef find_closest_centroids(X, centroids):\n",
        "not a Jupyter notebook: it looks like Python code "
        "(was a .py renamed to .ipynb?)",
    ),
    "tina_plain_text": (
        b"Sorry, I could not finish the lab.\n",
        "not a Jupyter notebook: a notebook is a JSON file, and this is plain text",
    ),
}

LIMITS = Limits(timeout=8.0, memory_mb=512, output_mb=4)


def write_submissions(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for student, (nb, *_) in {**SUBMISSIONS, **BONUS}.items():
        nbformat.write(nb, folder / f"{student}.ipynb")
    for student, (data, _) in BROKEN_FILES.items():
        (folder / f"{student}.ipynb").write_bytes(data)
    nbformat.write(nbformat_3(), folder / "olga_nbformat3.ipynb", version=3)
    (folder / "notes.txt").write_text("not a submission: ignored")
    return folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The whole folder graded once, two at a time."""
    root = tmp_path_factory.mktemp("grading")
    submissions = write_submissions(root / "submissions")
    rows, count = grade_all(
        [submissions],
        root / "out",
        jobs=2,
        limits=LIMITS,
        progress=False,
        course=exercises,
    )
    return root, rows, count


# ---------------------------------------------------------------- the gradebook


def test_grades_csv_has_one_row_per_notebook_with_the_declared_columns(graded):
    root, rows, count = graded
    assert count == len(SUBMISSIONS) + len(BROKEN_FILES) + len(BONUS) + 1
    with open(root / "out" / "grades.csv", newline="", encoding="utf-8") as file:
        header = next(csv.reader(file))
    assert header == [
        "student",
        "name",
        "canvas_id",
        "find_closest_centroids",
        "compute_centroids",
        "kMeans_plusplus_init",
        "total",
        "max_total",
        "status",
        "graded_at",
        "grader",
    ]
    assert sorted(read_csv(root / "out" / "grades.csv")) == sorted(
        [*SUBMISSIONS, *BROKEN_FILES, *BONUS, "olga_nbformat3"]
    )


@pytest.mark.parametrize("student", list(SUBMISSIONS))
def test_each_submission_gets_its_exact_grade_and_status(graded, student):
    root, _, _ = graded
    row = read_csv(root / "out" / "grades.csv")[student]
    _, find, compute, status = SUBMISSIONS[student]
    assert (row["find_closest_centroids"], row["compute_centroids"]) == (
        str(find),
        str(compute),
    )
    assert (row["total"], row["max_total"]) == (str(find + compute), "20")
    assert row["status"] == status


@pytest.mark.parametrize("student", list(BONUS))
def test_the_optional_exercise_adds_bonus_points(graded, student):
    root, _, _ = graded
    row = read_csv(root / "out" / "grades.csv")[student]
    bonus = BONUS[student][1]
    assert row["kMeans_plusplus_init"] == str(bonus)
    assert (row["total"], row["max_total"], row["status"]) == (
        str(20 + bonus),
        "20",
        "graded",
    )


def test_a_stub_left_in_the_optional_exercise_scores_no_bonus(graded):
    root, _, _ = graded
    row = read_csv(root / "out" / "grades.csv")["alice_loops"]
    assert row["kMeans_plusplus_init"] == "0"
    assert "raised NotImplementedError" in feedback(root, "alice_loops")


@pytest.mark.parametrize("student", list(BROKEN_FILES))
def test_a_broken_file_scores_zero_with_its_reason(graded, student):
    root, _, _ = graded
    row = read_csv(root / "out" / "grades.csv")[student]
    assert (row["total"], row["max_total"]) == ("0", "20")
    assert row["status"].startswith(BROKEN_FILES[student][1])


def test_an_nbformat_3_notebook_is_upgraded_and_graded(graded):
    root, _, _ = graded
    row = read_csv(root / "out" / "grades.csv")["olga_nbformat3"]
    assert (row["total"], row["status"]) == ("20", "graded")


def test_out_of_range_indices_are_named(graded):
    root, _, _ = graded
    assert "indices must run from 0 to" in feedback(root, "quinn_out_of_range")


def test_points_declared_next_to_the_hidden_tests_add_up():
    assert exercises.max_points("find_closest_centroids") == 10
    assert exercises.max_points("compute_centroids") == 10
    assert exercises.max_points("kMeans_plusplus_init") == 10
    assert exercises.is_optional("kMeans_plusplus_init")


# ---------------------------------------------------------------- feedback


def feedback(root, student):
    return (root / "out" / "feedback" / f"{student}.md").read_text(encoding="utf-8")


def test_every_submission_has_a_feedback_file(graded):
    root, _, _ = graded
    written = {p.stem for p in (root / "out" / "feedback").glob("*.md")}
    assert written == {*SUBMISSIONS, *BROKEN_FILES, *BONUS, "olga_nbformat3"}


def test_feedback_lists_every_test_with_points_and_an_actionable_message(graded):
    root, _, _ = graded
    text = feedback(root, "dave_nan_for_empty")
    assert "**Total: 16 / 20 points.** Status: graded." in text
    assert "## compute_centroids: 6 / 10 points" in text
    section = text.split("## compute_centroids")[1].split("## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    hidden = [line for line in lines if exercises.PUBLIC_PREFIX not in line]
    public = [line for line in lines if exercises.PUBLIC_PREFIX in line]
    failed = [line for line in hidden if line.startswith("- failed")]
    passed = [line for line in hidden if line.startswith("- passed")]
    assert len(failed) == 4 and len(passed) == 6
    assert all("the mean of an empty cluster" in line for line in failed)
    # Of the public test's own cases, the one with empty clusters fails, worth 0.
    public_failed = [line for line in public if line.startswith("- failed (0 / 0)")]
    assert len(public_failed) == 1 and "empty" in public_failed[0]


def test_feedback_names_a_wrong_answer_kind(graded):
    root, _, _ = graded
    assert "1-based indices" in feedback(root, "erin_one_based")


def test_feedback_names_a_missing_return(graded):
    root, _, _ = graded
    text = markdown_text(feedback(root, "nora_no_return"))
    # The public test's sentence for the same answer.
    assert "your function returned None. Does it end with `return" in text
    assert "raised returned" not in text
    tuple_text = markdown_text(feedback(root, "tom_tuple"))
    assert "returned a tuple" in tuple_text and "Return only idx" in tuple_text


def test_feedback_holds_nothing_meant_for_the_instructor(graded):
    root, _, _ = graded
    for path in (root / "out" / "feedback").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "Isolation" not in text and "Applied:" not in text, path.name
    info = json.loads((root / "out" / "grading-info.json").read_text())
    assert info["isolation"] == "strict" and info["applied"]


def test_feedback_says_which_duplicate_counted(graded):
    root, _, _ = graded
    text = feedback(root, "walter_duplicated_moved")
    assert "found 2 graded cells for this function" in text
    assert "only the last one was graded" in text


@pytest.mark.parametrize(
    ("student", "reason"),
    [
        ("frank_hangs", "timeout: still running after 8 s"),
        ("heidi_os_exit", "exited with code 3"),
        ("grace_sys_exit", "exited with code 0"),
        ("ivan_hoards_memory", "MemoryError"),
        ("judy_prints_forever", "printed more than 4 MB"),
        (
            "ken_patches_tests",
            "ImportError: graded cells may use only NumPy and Python's standard "
            "library; `public_tests` is not available when your cell is graded",
        ),
        ("oscar_syntax_error", "syntax error: expected ':' (line 2)"),
        (
            "victor_no_header",
            "no cell starts with '# GRADED FUNCTION: compute_centroids'",
        ),
    ],
)
def test_feedback_gives_the_reason_a_function_scored_zero(graded, student, reason):
    root, _, _ = graded
    assert reason in markdown_text(feedback(root, student))


# ---------------------------------------------------------------- reruns


def test_rerun_reuses_unchanged_and_regrades_changed(graded, tmp_path):
    root, rows, _ = graded
    folder = tmp_path / "again"
    submissions = write_submissions(folder / "submissions")
    (submissions / "frank_hangs.ipynb").unlink()  # a timeout is always re-graded
    out = folder / "out"
    out.mkdir()
    for name in ("grades.csv", ".grading-cache.json"):
        (out / name).write_bytes((root / "out" / name).read_bytes())
    shutil.copytree(root / "out" / "records", out / "records")
    _, count = grade_all(
        [submissions], out, limits=LIMITS, progress=False, course=exercises
    )
    assert count == 0
    nbformat.write(
        notebook(FIND_LOOP, COMPUTE_LOOP), submissions / "erin_one_based.ipynb"
    )
    new_rows, count = grade_all(
        [submissions], out, limits=LIMITS, progress=False, course=exercises
    )
    assert count == 1
    erin = next(r for r in new_rows if r["student"] == "erin_one_based")
    assert erin["total"] == "20"
    unchanged = {"erin_one_based", "frank_hangs"}
    assert [r for r in new_rows if r["student"] not in unchanged] == [
        r for r in rows if r["student"] not in unchanged
    ]


def test_a_submission_without_its_record_is_graded_again(graded, tmp_path):
    """The class report reads records/: a missing one is made again."""
    root, _, _ = graded
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    shutil.copy(root / "submissions" / "alice_loops.ipynb", submissions)
    out = tmp_path / "out"
    shutil.copytree(root / "out", out)
    _, count = grade_all(
        [submissions], out, limits=LIMITS, progress=False, course=exercises
    )
    assert count == 0
    (out / "records" / "alice_loops.json").unlink()
    _, count = grade_all(
        [submissions], out, limits=LIMITS, progress=False, course=exercises
    )
    assert count == 1
    record = json.loads((out / "records" / "alice_loops.json").read_text())
    assert record["student"] == "alice_loops" and record["status"] == "graded"


def test_a_timeout_is_not_reused_on_the_next_run(graded):
    root, _, _ = graded
    cache = json.loads((root / "out" / ".grading-cache.json").read_text())
    assert cache["students"]["frank_hangs"]["digest"] is None
    assert cache["students"]["alice_loops"]["digest"] is not None


def test_gradebook_is_replaced_whole_and_leaves_no_temporary_files(graded):
    root, _, _ = graded
    names = sorted(p.name for p in (root / "out").iterdir())
    assert names == [
        ".grading-cache.json",
        "feedback",
        "grades.csv",
        "grading-info.json",
        "records",
    ]
    records = sorted(p.name for p in (root / "out" / "records").iterdir())
    assert records == sorted(f"{s}.json" for s in read_csv(root / "out" / "grades.csv"))
    cache = json.loads((root / "out" / ".grading-cache.json").read_text())
    assert set(cache["students"]) == {
        *SUBMISSIONS,
        *BROKEN_FILES,
        *BONUS,
        "olga_nbformat3",
    }


# ---------------------------------------------------------------- the command


@pytest.mark.worker
def test_grade_command_grades_one_notebook(tmp_path, capsys):
    path = tmp_path / "zoe.ipynb"
    nbformat.write(notebook(FIND_LOOP, COMPUTE_ADD_AT), path)
    code = main(["grade", str(path), "--out", str(tmp_path / "out"), "--timeout", "30"])
    assert code == 0
    assert read_csv(tmp_path / "out" / "grades.csv")["zoe"]["total"] == "20"
    assert "graded 1 submission(s)" in capsys.readouterr().out


def test_grade_command_fails_only_when_it_cannot_run(tmp_path, capsys):
    assert main(["grade", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert "no such notebook or folder" in capsys.readouterr().err


def test_two_submissions_with_one_student_id_cannot_be_graded(tmp_path, capsys):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        nbformat.write(notebook(), tmp_path / folder / "sam.ipynb")
    args = [
        "grade",
        str(tmp_path / "a"),
        str(tmp_path / "b"),
        "--out",
        str(tmp_path / "o"),
    ]
    assert main(args) == 2
    assert "two submissions have the student id 'sam'" in capsys.readouterr().err


# ---------------------------------------------------------------- hidden cases


def run_in_process(function, hidden):
    args = [
        arrange(arg.copy(), hidden.layout(j)) if isinstance(arg, np.ndarray) else arg
        for j, arg in enumerate(hidden.case.args)
    ]
    return function(*args)


CORRECT = {
    "find_closest_centroids": impl.CLOSEST_STYLES,
    "compute_centroids": impl.CENTROID_STYLES,
}


@pytest.mark.parametrize(
    ("name", "function"),
    [(name, f) for name, functions in CORRECT.items() for f in functions],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_correct_style_passes_every_hidden_case(name, function):
    check = exercises.checker(name)
    for hidden in exercises.hidden_cases(name):
        check(hidden.case, run_in_process(function, hidden))


def test_hidden_cases_use_every_layout_float32_and_large_K():
    for name in ("find_closest_centroids", "compute_centroids"):
        cases = exercises.hidden_cases(name)
        layouts = {hidden.layout(j) for hidden in cases for j in range(2)}
        assert layouts == {"C", "F", "strided"}
        assert any(h.case.args[0].dtype == np.float32 for h in cases)
        assert max(h.case.args[0].shape[1] for h in cases) >= 8
    sizes = [
        len(h.case.args[1]) for h in exercises.hidden_cases("find_closest_centroids")
    ]
    assert max(sizes) >= 64


def test_strided_layout_really_is_not_contiguous():
    array = arrange(np.arange(12.0).reshape(4, 3), "strided")
    assert not array.flags.c_contiguous and not array.flags.f_contiguous
    np.testing.assert_array_equal(array, np.arange(12.0).reshape(4, 3))
