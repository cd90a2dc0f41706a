"""The Gradescope autograder: the zip, and runs of it in Gradescope's layout.

Each run builds Gradescope's folders under a temporary root (the zip
unpacked in ``source/``, ``run_autograder`` copied beside it, the student's
files in ``submission/``), runs ``run_autograder`` with ``AUTOGRADER_ROOT``
pointing there and this venv's interpreter, in an environment that does not
reach the repository: what it needs must be in the zip.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest
from submissions import FIND_ONE_BASED, PLUSPLUS_LOOP, notebook

from instructor import exercises, gradescope
from instructor.__main__ import main
from instructor.grader import Grade
from instructor.layout import REPO_ROOT, SOURCE_NOTEBOOK
from instructor.markers import solution_lines

LIMITS = ["--timeout", "8", "--memory", "512"]


def need_bash():
    """Gradescope runs Linux containers: its scripts are bash."""
    if shutil.which("bash") is None:
        pytest.skip("Gradescope's scripts need bash")


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    assert main(["gradescope", "--out", str(out), *LIMITS]) == 0
    return out


def run_autograder(zip_path, tmp_path, files):
    """Run the autograder on ``files`` ({name: bytes or notebook}); return results."""
    need_bash()
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    for name, content in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            nbformat.write(content, path)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AUTOGRADER_ROOT": str(root),
        "AUTOGRADER_PYTHON": sys.executable,
    }
    finished = subprocess.run(
        ["bash", str(root / "run_autograder")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def by_exercise(results):
    """{exercise: [tests]} from the tests' names ("<exercise>...: <case>")."""
    grouped = {}
    for test in results["tests"][1:]:
        grouped.setdefault(test["name"].split(":")[0].split(" ")[0], []).append(test)
    return grouped


def case_points(name):
    return [hidden.points for hidden in exercises.hidden_cases(name)]


# ------------------------------------------------------------------ the zip


def test_zip_has_what_gradescope_asks_for_at_its_root(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    # The grader's modules, the checks it shares with the public tests, the worker.
    assert {
        "instructor/grader.py",
        "instructor/worker.py",
        "labkit/answers.py",
    } <= names
    assert {"instructor/hidden_tests.py", "instructor/exercises.py"} <= names
    # The third-party packages the grader imports: numpy for arrays, nbformat
    # for old notebooks, tqdm for the progress bar, the worker's Landlock and
    # seccomp bindings, and IPython for graded cells with a %magic line;
    # pinned as the lock pins them.
    wanted = ("numpy", "nbformat", "tqdm", "landlock", "pyseccomp", "ipython")
    assert requirements.splitlines() == [
        line
        for line in (REPO_ROOT / "requirements-lock.txt").read_text().splitlines()
        if line.split("==")[0] in wanted
    ]


def test_zip_holds_no_solution_and_no_tool_grading_does_not_need(autograder_zip):
    solutions = [
        line.strip()
        for cell in nbformat.read(SOURCE_NOTEBOOK, as_version=4).cells
        if cell.cell_type == "code"
        for line in solution_lines(cell.source)
        if len(line.strip()) > 20
    ]
    assert solutions
    with zipfile.ZipFile(autograder_zip) as archive:
        names = archive.namelist()
        for name in names:
            text = archive.read(name).decode("utf-8")
            for line in solutions:
                assert line not in text, (name, line)
    assert not any(name.endswith(".ipynb") for name in names)
    for tool in (
        "solutions.py",
        "release.py",
        "validate.py",
        "bundle.py",
        "execute.py",
    ):
        assert f"instructor/{tool}" not in names


def test_setup_sh_is_valid_bash_that_installs_the_requirements(
    autograder_zip, tmp_path
):
    need_bash()
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extract("setup.sh", tmp_path)
    script = tmp_path / "setup.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    text = script.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert '-m pip install --quiet -r "$root/source/requirements.txt"' in text


def test_the_zip_is_the_same_for_the_same_grader(autograder_zip, tmp_path):
    again = tmp_path / "again.zip"
    assert main(["gradescope", "--out", str(again), *LIMITS]) == 0
    assert again.read_bytes() == autograder_zip.read_bytes()


# ------------------------------------------------------------------ the runs


def test_a_right_submission_scores_full_marks(autograder_zip, tmp_path):
    results = run_autograder(autograder_zip, tmp_path, {"kmeans_lab.ipynb": notebook()})
    assert results["score"] == 20
    tests = by_exercise(results)
    for name in ("find_closest_centroids", "compute_centroids"):
        assert [t["score"] for t in tests[name]] == case_points(name)
        assert [t["max_score"] for t in tests[name]] == case_points(name)
        assert all(t["status"] == "passed" for t in tests[name])
        assert {t["visibility"] for t in tests[name]} == {"after_due_date"}
    # The optional exercise left as its stub: extra credit worth nothing here.
    assert all(t["max_score"] == 0 for t in tests["kMeans_plusplus_init"])
    assert all(t["score"] == 0 for t in tests["kMeans_plusplus_init"])
    first = results["tests"][0]
    assert first["visibility"] == "visible"
    assert first["output"].startswith("kmeans_lab.ipynb: 20 / 20 points")


def test_the_optional_exercise_is_extra_credit(autograder_zip, tmp_path):
    nb = notebook(plusplus=PLUSPLUS_LOOP)
    results = run_autograder(autograder_zip, tmp_path, {"lab.ipynb": nb})
    assert results["score"] == 30
    extra = by_exercise(results)["kMeans_plusplus_init"]
    assert all(
        t["name"].startswith("kMeans_plusplus_init (extra credit): ") for t in extra
    )
    assert [t["score"] for t in extra] == case_points("kMeans_plusplus_init")
    assert all(t["max_score"] == 0 for t in extra)


def test_a_wrong_submission_is_told_its_mistake_without_the_answers(
    autograder_zip, tmp_path
):
    nb = notebook(find=FIND_ONE_BASED)
    results = run_autograder(autograder_zip, tmp_path, {"sub/kmeans_lab.ipynb": nb})
    assert results["score"] == 10
    find = by_exercise(results)["find_closest_centroids"]
    assert all(t["score"] == 0 and t["status"] == "failed" for t in find)
    assert "1-based indices" in find[0]["output"]
    assert len(find[0]["output"]) < 200  # the 600 expected indices are not there


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({}, "no notebook (.ipynb) in your submission"),
        ({"notes.txt": b"hello"}, "no notebook (.ipynb) in your submission"),
        (
            {"a.ipynb": b"{}", "b.ipynb": b"{}"},
            "2 notebooks in your submission (a.ipynb, b.ipynb)",
        ),
        ({"kmeans_lab.ipynb": b'{"cells": [{"sour'}, "corrupt JSON"),
        ({"kmeans_lab.ipynb": b"[1, 2]"}, "not a notebook (no list of cells)"),
    ],
    ids=["nothing", "no notebook", "two notebooks", "corrupt JSON", "not a notebook"],
)
def test_a_broken_submission_still_gets_results(
    autograder_zip, tmp_path, files, reason
):
    results = run_autograder(autograder_zip, tmp_path, files)
    assert results["score"] == 0
    assert reason in results["output"]
    tests = results["tests"][1:]
    assert [t["name"] for t in tests] == [
        "find_closest_centroids",
        "compute_centroids",
        "kMeans_plusplus_init (extra credit)",
    ]
    assert [t["max_score"] for t in tests] == [10, 10, 0]
    assert all(t["score"] == 0 and reason in t["output"] for t in tests)
    assert all(t["visibility"] == "visible" for t in tests)


def test_checkpoint_copies_are_not_a_second_notebook(autograder_zip, tmp_path):
    files = {
        "kmeans_lab.ipynb": notebook(),
        ".ipynb_checkpoints/kmeans_lab-checkpoint.ipynb": b"{}",
    }
    assert run_autograder(autograder_zip, tmp_path, files)["score"] == 20


def test_hidden_visibility_is_the_instructors_choice(tmp_path):
    out = tmp_path / "visible.zip"
    argv = ["gradescope", "--out", str(out), "--hidden-visibility", "visible"]
    assert main([*argv, *LIMITS]) == 0
    results = run_autograder(out, tmp_path, {"kmeans_lab.ipynb": notebook()})
    assert {t["visibility"] for t in results["tests"]} == {"visible"}


def test_a_grader_error_writes_no_results(tmp_path, monkeypatch, capsys):
    """A bug in the grader must not look like a zero: no results.json, exit 1."""
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    nbformat.write(notebook(), root / "submission" / "kmeans_lab.ipynb")

    def broken_grader(path, limits, plan):
        return None, Grade("kmeans_lab", "grader error (KeyError: 'x')"), None

    monkeypatch.setattr(gradescope, "grade_submission", broken_grader)
    monkeypatch.setenv("AUTOGRADER_ROOT", str(root))
    assert gradescope.main() == 1
    assert not (root / "results" / "results.json").exists()
    assert "grader error" in capsys.readouterr().err


def test_an_unknown_visibility_is_refused(tmp_path, capsys):
    out = tmp_path / "a.zip"
    argv = ["gradescope", "--out", str(out), "--hidden-visibility", "soon"]
    assert main(argv) == 2
    assert "visibility must be one of hidden, after_due_date" in capsys.readouterr().err
    assert not out.exists()
