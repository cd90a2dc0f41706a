"""The Gradescope autograder: the zip, and runs of it in Gradescope's layout.

Each run builds Gradescope's folders under a temporary root (the zip
unpacked in ``source/``, ``run_autograder`` copied beside it, the student's
files in ``submission/``) and runs ``run_autograder`` with ``AUTOGRADER_ROOT``
pointing there and this venv's interpreter, in an environment that does not
reach the repository: what it needs must be in the zip.

Runs happen two ways: here as the test's user (bubblewrap works where the
tests run), and in a look-alike of Gradescope's container
(``tests/docker_sim.py``: root with Docker's default capabilities and a
seccomp filter denying namespaces, as Docker's default profile does), where
bubblewrap cannot run and the worker drops to nobody itself.  The look-alike
is a simulation, not Gradescope.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest
from docker_sim import DOCKER_CAPABILITIES, run_in_container, unavailable
from lab_imports import imported_packages
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version
from submissions import FIND_ONE_BASED, PLUSPLUS_LOOP, notebook

from instructor.__main__ import main
from instructor.course import exercises
from instructor.grading import grader
from instructor.grading.grader import FunctionGrade, Grade
from instructor.layout import REPO_ROOT, SOURCE_NOTEBOOK
from instructor.markers import solution_lines
from instructor.platforms import gradescope

pytestmark = pytest.mark.worker

LIMITS = ["--timeout", "8", "--memory", "512"]
INSTRUCTOR_ENTRY = "Autograder details (instructors only)"
HIDDEN_TESTS = "/autograder/source/instructor/course/hidden_tests.py"


def need_bash():
    """Gradescope runs Linux containers: its scripts are bash."""
    if shutil.which("bash") is None:
        pytest.skip("Gradescope's scripts need bash")


def need_container():
    reason = unavailable()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    assert main(["gradescope", "--out", str(out), *LIMITS]) == 0
    return out


def lay_out(zip_path, tmp_path, files):
    """Gradescope's /autograder for ``files`` ({name: bytes or notebook})."""
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
    root.chmod(0o755)
    return root


def read_results(root):
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def run_autograder(zip_path, tmp_path, files, code=0, python=sys.executable):
    """Run the autograder on ``files`` here; return results.json's data."""
    need_bash()
    root = lay_out(zip_path, tmp_path, files)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AUTOGRADER_ROOT": str(root),
        "AUTOGRADER_PYTHON": python,
    }
    finished = subprocess.run(
        ["bash", str(root / "run_autograder")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == code, finished.stderr
    return read_results(root)


#: Run after run_autograder in the container: can nobody read the hidden tests?
NOBODY_READS = (
    "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "
    f"cat {HIDDEN_TESTS} > /dev/null 2>&1 && echo 'nobody: read' || "
    "echo 'nobody: denied'"
)


def run_in_gradescope_container(
    zip_path, tmp_path, files, capabilities=DOCKER_CAPABILITIES
):
    """Run the autograder as root in the look-alike container.

    Returns (exit code of run_autograder, results.json's data, what the
    container printed).
    """
    need_container()
    root = lay_out(zip_path, tmp_path, files)
    script = f'bash /autograder/run_autograder; echo "exit: $?"; {NOBODY_READS}'
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": "/tmp",
        "AUTOGRADER_PYTHON": sys.executable,
    }
    finished = run_in_container(
        root, tmp_path, ["bash", "-c", script], env, capabilities
    )
    said = finished.stdout + finished.stderr
    assert finished.returncode == 0, said
    code = int(finished.stdout.split("exit: ")[1].split()[0])
    return code, read_results(root), said


def by_exercise(results):
    """{exercise: [tests]} from the tests' names ("<exercise>...: <case>")."""
    grouped = {}
    for test in results["tests"][1:-1]:
        grouped.setdefault(test["name"].split(":")[0].split(" ")[0], []).append(test)
    return grouped


def instructor_entry(results):
    entry = results["tests"][-1]
    assert entry["name"] == INSTRUCTOR_ENTRY
    return entry


def student_text(results):
    """Everything a student reads before the due date."""
    texts = [results["output"]]
    texts += [
        f"{t['name']} {t.get('output', '')} {t.get('score', '')}"
        for t in results["tests"]
        if t["visibility"] == "visible"
    ]
    return "\n".join(texts)


def case_points(name):
    """The points of every case the grader runs: the public ones (0), then hidden."""
    return [hidden.points for hidden in exercises.grader_cases(name)]


# ------------------------------------------------------------------ the zip


def test_zip_has_what_gradescope_asks_for_at_its_root(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    # The grader's modules, the checks it shares with the public tests, the worker.
    assert {
        "instructor/grading/grader.py",
        "instructor/grading/worker.py",
        "labkit/answers/__init__.py",
        "labkit/answers/judging.py",
    } <= names
    assert {
        "instructor/course/hidden_tests.py",
        "instructor/course/exercises.py",
    } <= names


def test_zip_carries_every_file_the_grade_depends_on(autograder_zip):
    """What the cache's fingerprint covers, Gradescope runs: all in the zip."""
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
    fingerprinted = {
        path.relative_to(REPO_ROOT).as_posix() for path in grader.fingerprinted_files()
    }
    assert fingerprinted <= names
    # Not a vacuous check: the grader's code, its checks and the course's cases.
    assert {
        "instructor/grading/grader.py",
        "instructor/grading/worker.py",
        "labkit/answers/judging.py",
        "public_tests.py",
        "instructor/course/exercises.py",
    } <= fingerprinted


def zip_requirements(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        text = archive.read("requirements.txt").decode()
    return [Requirement(line) for line in text.splitlines()]


def zip_imports(autograder_zip):
    """The packages the zip's Python files import by name (not the bindings
    its worker imports only where the platform has them)."""
    with zipfile.ZipFile(autograder_zip) as archive:
        files = [name for name in archive.namelist() if name.endswith(".py")]
        sources = [archive.read(name) for name in files]
    own = {name.split("/")[0].removesuffix(".py") for name in files}
    return imported_packages(sources, own)


def lab_bounds():
    """{name: Requirement} of requirements.txt and requirements-dev.txt."""
    found = {}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO_ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                requirement = Requirement(line)
                found[requirement.name.lower()] = requirement
    return found


def test_zip_requirements_are_the_lab_s_lower_bounds_never_a_pin(autograder_zip):
    """numpy for arrays, nbformat for old notebooks, tqdm for the progress bar,
    the worker's Landlock and seccomp bindings, and IPython for graded cells
    with a %magic line: each with the lab's own
    lower bound, so pip picks a release with a wheel for the image's Python."""
    requirements = zip_requirements(autograder_zip)
    required = {r.name.lower() for r in requirements}
    imported = zip_imports(autograder_zip)
    assert {"numpy", "nbformat"} <= imported, "the imports are found"
    assert imported <= required, imported - required
    bounds = lab_bounds()
    for requirement in requirements:
        assert [s.operator for s in requirement.specifier] == [">="], requirement
        assert requirement.specifier == bounds[requirement.name.lower()].specifier
        assert str(requirement.marker) == str(bounds[requirement.name.lower()].marker)


def test_zip_requirements_install_on_python_3_10(autograder_zip):
    """Offline: the versions ``nox -s oldest`` installs on Python 3.10 satisfy them.

    The oldest session installs every lab package at its floor on Python
    3.10 and runs this test there, so the check below is, on 3.10, that the
    zip's requirements are met by a 3.10 installation (numpy 1.26.4); on
    newer Pythons it checks them against the running stack.  The floor of
    each lab package (what the oldest session pins) must meet them too.
    """
    floors = {n.lower(): Version(v) for n, v in _floors().items()}
    py310 = {"python_version": "3.10", "sys_platform": "linux"}
    for requirement in zip_requirements(autograder_zip):
        name = requirement.name.lower()
        if name in floors:
            assert requirement.specifier.contains(floors[name], prereleases=True)
        if requirement.marker is not None and not requirement.marker.evaluate(py310):
            continue
        installed = Version(_installed_version(name))
        assert requirement.specifier.contains(installed, prereleases=True), (
            requirement,
            installed,
        )
    assert Marker('sys_platform == "linux"').evaluate(py310)


def test_a_grader_import_without_a_lower_bound_is_named():
    with pytest.raises(ValueError, match="the grader imports scikit-image, which"):
        gradescope.grader_requirements({"numpy", "scikit_image"})


def _floors():
    from instructor.course.floors import read_floors

    return read_floors()


def _installed_version(name):
    from importlib.metadata import version

    return version(name)


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


def test_setup_sh_accepts_python_3_10_and_closes_the_grader_s_files(
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
    # The version check, run on this Python and on a fake 3.9 and 3.10.
    check = next(line for line in text.splitlines() if "sys.version_info" in line)
    program = check.split("'")[1]
    for version, refused in (((3, 9, 18), True), ((3, 10, 12), False)):
        fake = f"import sys; sys.version_info = {version!r}; {program}"
        finished = subprocess.run([sys.executable, "-c", fake])
        assert (finished.returncode != 0) == refused, version
    # libseccomp is required, bubblewrap optional (`||`), the sources root-only.
    assert "libseccomp2" in text
    assert "apt-get install -y --no-install-recommends bubblewrap ||" in text
    assert 'chmod -R go-rwx "$root/source"' in text


def test_the_zip_is_the_same_for_the_same_grader(autograder_zip, tmp_path):
    again = tmp_path / "again.zip"
    assert main(["gradescope", "--out", str(again), *LIMITS]) == 0
    assert again.read_bytes() == autograder_zip.read_bytes()


# ------------------------------------------------------------------ the runs


def test_a_right_submission_scores_full_marks(autograder_zip, tmp_path):
    results = run_autograder(autograder_zip, tmp_path, {"kmeans_lab.ipynb": notebook()})
    assert results["score"] == 20
    assert results["output_format"] == "md"
    tests = by_exercise(results)
    for name in ("find_closest_centroids", "compute_centroids"):
        assert [t["score"] for t in tests[name]] == case_points(name)
        assert [t["max_score"] for t in tests[name]] == case_points(name)
        assert all(t["status"] == "passed" for t in tests[name])
        # The public test's own cases at once, the hidden ones after the due date.
        public = exercises.visible_case_names(name)
        assert public, name
        for test in tests[name]:
            case = test["name"].split(": ", 1)[1]
            shown = "visible" if case in public else "after_due_date"
            assert test["visibility"] == shown, test["name"]
    # The optional exercise left as its stub: extra credit worth nothing here.
    assert all(t["max_score"] == 0 for t in tests["kMeans_plusplus_init"])
    assert all(t["score"] == 0 for t in tests["kMeans_plusplus_init"])
    first = results["tests"][0]
    assert first["visibility"] == "visible"
    assert first["output"].startswith("**kmeans_lab.ipynb** was graded.")
    # The hidden cases wait for the due date: no total anywhere a student looks;
    # the public cases are shown at once, passed, and worth nothing.
    passed = sum(
        1 for name in tests for t in tests[name] if t["visibility"] == "visible"
    )
    assert (
        f"Shown now: {passed} of {passed} cases passed (worth no points"
        in (results["output"])
    )
    assert "20 / 20" not in student_text(results)
    assert "your total, are shown after the due date" in results["output"]
    entry = instructor_entry(results)
    assert entry["visibility"] == "hidden"
    assert (entry["score"], entry["max_score"]) == (0, 0)
    assert entry["output"].startswith("**Total: 20 / 20 points**")
    assert "Isolation: strict." in entry["output"]


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
    tests = results["tests"][1:-1]
    assert [t["name"] for t in tests] == [
        "find_closest_centroids",
        "compute_centroids",
        "kMeans_plusplus_init (extra credit)",
    ]
    assert [t["max_score"] for t in tests] == [10, 10, 0]
    assert all(
        t["score"] == 0 and f"Not graded: {reason}" in t["output"] for t in tests
    )
    assert all(t["visibility"] == "visible" for t in tests)
    assert instructor_entry(results)["visibility"] == "hidden"


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
    assert {t["visibility"] for t in results["tests"][:-1]} == {"visible"}
    # Nothing hidden from students: the summary gives the total.
    assert results["output"].startswith("**kmeans_lab.ipynb: 20 / 20 points**")


def grade_with(functions, settings):
    """results.json's data for a grade made of ``functions``, in-process."""
    grade = Grade("sam", "graded", functions)
    tests = gradescope._tests_for_grade(grade, settings)
    return tests, gradescope._summary("kmeans\\_lab.ipynb", grade, tests, settings)


def test_public_cases_are_visible_at_once_and_the_summary_counts_only_them():
    """Public cases (none in the table today) teach before the deadline."""
    find = FunctionGrade(
        "find_closest_centroids",
        7.0,
        10.0,
        tests=[
            grader.TestResult("public one", 3.0, 3.0, "passed", hidden=False),
            grader.TestResult(
                "public two", 0.0, 2.0, "returned *bold* <b>x</b>", hidden=False
            ),
            grader.TestResult("hidden one", 4.0, 5.0, "passed"),
        ],
    )
    compute = FunctionGrade(
        "compute_centroids",
        10.0,
        10.0,
        tests=[grader.TestResult("h", 10.0, 10.0, "passed")],
    )
    tests, summary = grade_with([find, compute], gradescope.Settings())
    visibility = {t["name"].split(": ")[1]: t["visibility"] for t in tests}
    assert visibility == {
        "public one": "visible",
        "public two": "visible",
        "hidden one": "after_due_date",
        "h": "after_due_date",
    }
    assert "Shown now: 1 of 2 cases passed (3 / 5 points)" in summary
    assert "The other 2 cases, and your total, are shown after the due date" in summary
    assert "17" not in summary
    # Student-controlled text in Markdown output cannot format.
    failed = next(t for t in tests if t["name"].endswith("public two"))
    assert "\\*bold\\*" in failed["output"] and "<b>" not in failed["output"]


def test_a_grader_error_writes_results_that_blame_the_autograder(
    tmp_path, monkeypatch, capsys
):
    """A bug in the grader must not look like a zero: it says so, and exits 1."""
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    nbformat.write(notebook(), root / "submission" / "kmeans_lab.ipynb")

    def broken_grader(path, limits, plan, course):
        return None, Grade("kmeans_lab", "grader error (KeyError: 'x')"), None

    monkeypatch.setattr(gradescope, "grade_submission", broken_grader)
    monkeypatch.setenv("AUTOGRADER_ROOT", str(root))
    assert gradescope.main() == 1
    results = read_results(root)
    assert "not your submission's fault" in results["output"]
    assert "the score of 0 is not a grade" in results["output"]
    assert "KeyError" in instructor_entry(results)["output"]
    assert "KeyError" not in student_text(results)
    assert "grader error" in capsys.readouterr().err


def test_a_grader_that_cannot_start_still_leaves_results(autograder_zip, tmp_path):
    """run_autograder writes results.json itself when Python is not there."""
    results = run_autograder(
        autograder_zip,
        tmp_path,
        {"kmeans_lab.ipynb": notebook()},
        code=127,
        python=str(tmp_path / "no-python"),
    )
    assert results["score"] == 0
    assert "The autograder failed before grading (exit code 127)" in results["output"]
    assert "not your submission's fault" in results["output"]


def test_an_unknown_visibility_is_refused(tmp_path, capsys):
    out = tmp_path / "a.zip"
    argv = ["gradescope", "--out", str(out), "--hidden-visibility", "soon"]
    assert main(argv) == 2
    assert "visibility must be one of hidden, after_due_date" in capsys.readouterr().err
    assert not out.exists()


# ------------------------------------- as root in Gradescope's container (simulated)

#: A graded cell that tries to read the hidden tests and the settings, and to
#: overwrite the results; whatever it reads comes back as its answer (0 points).
HOSTILE_FIND = f"""
def find_closest_centroids(X, centroids):
    d = X[:, None, :] - centroids[None, :, :]
    right = np.argmin((d**2).sum(axis=2), axis=1)
    got = []
    for path in ("{HIDDEN_TESTS}", "/autograder/source/autograder.json"):
        try:
            with open(path, "rb") as file:
                got.append(file.read(64))
        except OSError:
            pass
    for path in ("/autograder/results/results.json", "/autograder/results/planted"):
        try:
            with open(path, "w") as file:
                file.write('{{"score": 1000}}')
            got.append(b"wrote results")
        except OSError:
            pass
    if got:
        leaked = np.frombuffer(b"".join(got), dtype=np.uint8)
        return np.resize(leaked, right.shape).astype(right.dtype)
    return right
"""


def test_in_gradescope_s_container_a_right_submission_is_graded_as_nobody(
    autograder_zip, tmp_path
):
    code, results, said = run_in_gradescope_container(
        autograder_zip, tmp_path, {"kmeans_lab.ipynb": notebook()}
    )
    assert code == 0, said
    assert results["score"] == 20
    for name in ("find_closest_centroids", "compute_centroids"):
        assert [t["score"] for t in by_exercise(results)[name]] == case_points(name)
    assert "20 / 20" not in student_text(results)
    details = instructor_entry(results)["output"]
    assert details.startswith("**Total: 20 / 20 points**")
    for layer in (
        "runs as uid 65534 (not root)",
        "(Landlock)",
        "(seccomp)",
        "the grader's files are closed to uid 65534 (file modes)",
    ):
        assert layer in details
    # bubblewrap is installed here, and the container denies it namespaces.
    assert "Creating new namespace failed: Operation not permitted" in details
    assert "Python 3." in details
    assert "nobody: denied" in said


def test_in_gradescope_s_container_a_broken_submission_gets_zero_and_why(
    autograder_zip, tmp_path
):
    code, results, said = run_in_gradescope_container(
        autograder_zip, tmp_path, {"kmeans_lab.ipynb": b'{"cells": [{"sour'}
    )
    assert code == 0, said
    assert results["score"] == 0
    assert "corrupt JSON" in results["output"]
    assert all(t["score"] == 0 for t in results["tests"])


def test_in_gradescope_s_container_a_hostile_submission_reads_and_writes_nothing(
    autograder_zip, tmp_path
):
    nb = notebook(find=HOSTILE_FIND)
    code, results, said = run_in_gradescope_container(
        autograder_zip, tmp_path, {"kmeans_lab.ipynb": nb}
    )
    assert code == 0, said
    # Blocked: it answered the right indices, and the results are the grader's.
    assert results["score"] == 20
    find = by_exercise(results)["find_closest_centroids"]
    assert [t["score"] for t in find] == case_points("find_closest_centroids")
    assert sorted(p.name for p in (tmp_path / "autograder" / "results").iterdir()) == [
        "results.json"
    ]
    # Even without Landlock, the file modes keep nobody out of the hidden tests.
    assert "nobody: denied" in said


def test_in_a_container_without_setuid_grading_refuses_and_names_the_fix(
    autograder_zip, tmp_path
):
    """Item 10: no bubblewrap and no CAP_SETUID: the autograder's fault, said so."""
    capabilities = [c for c in DOCKER_CAPABILITIES if c != "setuid"]
    code, results, said = run_in_gradescope_container(
        autograder_zip, tmp_path, {"kmeans_lab.ipynb": notebook()}, capabilities
    )
    assert code == 1, said
    assert "not your submission's fault" in results["output"]
    details = instructor_entry(results)["output"]
    assert "it lacks CAP_SETUID" in details
    assert "Give the container CAP_SETUID and CAP_SETGID" in details
