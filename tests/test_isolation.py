"""The confined worker: every attack in tests/attacks.py is graded, and fails.

One class is graded in one run, two at a time, under each isolation level the
isolation guide lists (strict with bubblewrap; strict as root in a look-alike of
Docker's container, without bubblewrap; strict not root, with Landlock and
seccomp only; trusted): honest students and attackers together.  A blocked attack leaves
its author with the full 10 points for find_closest_centroids (see
tests/attacks.py); the honest students keep 20 / 20, their notebooks and
feedback untouched, and a re-run reuses the cache the attackers tried to
rewrite.
"""

import json
import os
import site
import subprocess
import sys
import tempfile
from pathlib import Path

import docker_sim
import nbformat
import pytest
from attacks import ATTACKS, CHANNEL_ATTACKS, RESOURCE_ATTACKS, attack_notebook
from submissions import (
    COMPUTE_ADD_AT,
    COMPUTE_LOOP,
    FIND_BROADCAST,
    FIND_HANGS,
    FIND_LOOP,
    FIND_MATRIX,
    FIND_PRINTS_FOREVER,
    notebook,
    read_csv,
)

from instructor.__main__ import main
from instructor.course import exercises
from instructor.grading.confinement import (
    NO_BWRAP_VARIABLE,
    REFUSE_VARIABLE,
    STEPS,
    IsolationError,
    is_root,
    make_plan,
)
from instructor.grading.grader import describe_isolation, grade_all
from instructor.grading.sandbox import Limits
from instructor.layout import REPO_ROOT

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="strict isolation is Linux only"
    ),
]

LIMITS = Limits(timeout=8.0, memory_mb=512)
#: The command-line options giving :data:`LIMITS`.
LIMIT_OPTIONS = ["--timeout", "8", "--memory", "512"]
HONEST = {
    "aaron_honest": notebook(FIND_LOOP, COMPUTE_LOOP),
    "bea_honest": notebook(FIND_BROADCAST, COMPUTE_ADD_AT),
    "zoe_honest": notebook(FIND_MATRIX, COMPUTE_LOOP),
    # Graded right after the thread bomb (submissions go in name order), so
    # at -j 2 its worker starts while the bomb's threads are held.
    "attack_thread_bomb_neighbour": notebook(FIND_BROADCAST, COMPUTE_LOOP),
}


RIGHT = """
    d = X[:, None, :] - centroids[None, :, :]
    right = np.argmin((d**2).sum(axis=2), axis=1)
"""


def find(tail, head=""):
    """A find cell computing the right indices, then ending with ``tail``."""
    body = RIGHT + "\n".join("    " + line for line in tail.splitlines())
    return f"{head}\ndef find_closest_centroids(X, centroids):{body}\n"


#: What held before the worker was confined, and must keep holding:
#: student -> (find cell, find points, status).
HELD = {
    # Threads work (clone3 reports ENOSYS and the C library falls back to clone).
    "held_threads": (
        find(
            "box = []\n"
            "worker = threading.Thread(target=lambda: box.append(right.copy()))\n"
            "worker.start()\n"
            "worker.join()\n"
            "return box[0]",
            head="import threading",
        ),
        10,
        "graded",
    ),
    "held_segfault": (
        find("ctypes.string_at(0)\nreturn right", head="import ctypes"),
        0,
        "crashed in find_closest_centroids",
    ),
    # An ndarray subclass whose == always says True is still not an ndarray.
    "held_subclass": (
        find(
            "return right.view(Agree)",
            head="class Agree(np.ndarray):\n    def __eq__(self, other):\n"
            "        return True\n",
        ),
        0,
        "graded",
    ),
    "held_object_dtype": (find("return right.astype(object)"), 0, "graded"),
    "held_masked": (find("return np.ma.masked_array(right, mask=True)"), 0, "graded"),
    "held_lazy_list": (find("return iter(right.tolist())"), 0, "graded"),
}


def write_class(root, shell):
    """The class of honest students and attackers in ``root/submissions``.

    ``shell`` is the pid of a process of the grader's uid standing in for
    the shell later runs start from.  Returns the folder and its files'
    bytes before grading.
    """
    submissions, out = root / "submissions", root / "out"
    submissions.mkdir()
    secret = root / "instructor_secret.txt"
    secret.write_text("secret: the exam answers\n")
    secret.chmod(0o644)  # readable by anyone: only the confinement protects it
    ctx = {
        "repo": str(REPO_ROOT),
        "submissions": str(submissions),
        "out": str(out),
        "secret": str(secret),
        "grader_pid": os.getpid(),
        "memory_mb": LIMITS.memory_mb,
        "tmp": tempfile.gettempdir(),
        "shell": shell,
    }
    for student, nb in HONEST.items():
        nbformat.write(nb, submissions / f"{student}.ipynb")
    for student, (cell, *_) in HELD.items():
        nbformat.write(notebook(find=cell), submissions / f"{student}.ipynb")
    for name, body in {**ATTACKS, **CHANNEL_ATTACKS, **RESOURCE_ATTACKS}.items():
        nbformat.write(attack_notebook(body, ctx), submissions / f"attack_{name}.ipynb")
    return submissions, {p.name: p.read_bytes() for p in submissions.iterdir()}


def _limits_of(pid):
    """A process's limits, nice value and CPUs, as the kernel shows them."""
    with open(f"/proc/{pid}/limits", encoding="ascii") as limits:
        text = limits.read()
    return text, os.getpriority(os.PRIO_PROCESS, pid), os.sched_getaffinity(pid)


def grade_class(root, level="strict"):
    """Write the class into ``root`` and grade it with ``grade -j 2``.

    Returns the grader's exit code, and the notebooks' bytes before
    grading.  Fails if the grader's own limits, or those of a stand-in for
    the shell later runs start from, changed.
    """
    shell = subprocess.Popen(["sleep", "600"])
    try:
        submissions, before = write_class(root, shell.pid)
        grader, standin = _limits_of(os.getpid()), _limits_of(shell.pid)
        os.environ["KMEANS_LAB_SECRET"] = "the grader's environment"
        try:
            code = main(
                ["grade", str(submissions), "--out", str(root / "out"), "-j", "2"]
                + LIMIT_OPTIONS
                + ["--isolation", level]
            )
        finally:
            del os.environ["KMEANS_LAB_SECRET"]
        assert shell.poll() is None, "the stand-in shell was killed"
        assert _limits_of(shell.pid) == standin, "the stand-in shell was changed"
        assert _limits_of(os.getpid()) == grader, "the grader's limits were changed"
    finally:
        shell.kill()
        shell.wait()
    return code, before


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """The class graded once: (root, rows, notebooks' bytes before grading)."""
    root = tmp_path_factory.mktemp("attacked")
    code, before = grade_class(root)
    assert code == 0
    return root, list(read_csv(root / "out" / "grades.csv").values()), before


@pytest.mark.parametrize("name", list(ATTACKS))
def test_a_blocked_attack_leaves_its_author_the_right_answer_only(attacked, name):
    root, _, _ = attacked
    row = read_csv(root / "out" / "grades.csv")[f"attack_{name}"]
    assert (row["find_closest_centroids"], row["compute_centroids"]) == ("10", "10")
    assert (row["total"], row["status"]) == ("20", "graded")


@pytest.mark.parametrize("name", list(CHANNEL_ATTACKS))
def test_forged_results_are_refused_and_charged_to_their_author(attacked, name):
    root, _, _ = attacked
    row = read_csv(root / "out" / "grades.csv")[f"attack_{name}"]
    assert (row["find_closest_centroids"], row["compute_centroids"]) == ("0", "10")
    assert row["status"] == "crashed in find_closest_centroids"
    text = (root / "out" / "feedback" / f"attack_{name}.md").read_text()
    assert "its results could not be read" in text


@pytest.mark.parametrize("student", list(HELD))
def test_what_held_before_confinement_still_holds(attacked, student):
    root, _, _ = attacked
    row = read_csv(root / "out" / "grades.csv")[student]
    _, points, status = HELD[student]
    assert (row["find_closest_centroids"], row["compute_centroids"]) == (
        str(points),
        "10",
    )
    assert row["status"] == status


@pytest.mark.parametrize("student", list(HONEST))
def test_the_honest_class_is_graded_untouched(attacked, student):
    root, _, before = attacked
    row = read_csv(root / "out" / "grades.csv")[student]
    assert (row["total"], row["status"]) == ("20", "graded")
    path = root / "submissions" / f"{student}.ipynb"
    assert path.read_bytes() == before[path.name]
    text = (root / "out" / "feedback" / f"{student}.md").read_text()
    assert "**Total: 20 / 20 points.** Status: graded." in text


def test_no_submission_was_changed_or_added(attacked):
    root, _, before = attacked
    after = {p.name: p.read_bytes() for p in (root / "submissions").iterdir()}
    assert after == before


def test_nothing_was_planted_outside_the_gradebook(attacked):
    for folder in site.getsitepackages():
        assert not (Path(folder) / "zz_kmeans_attack.pth").exists()
    assert not (Path(tempfile.gettempdir()) / "kmeans_attack_fill").exists()


def test_the_gradebook_holds_only_the_grader_s_files(attacked):
    root, rows, _ = attacked
    out = root / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        ".grading-cache.json",
        "feedback",
        "grades.csv",
        "grading-info.json",
        "records",
    ]
    assert list(read_csv(out / "grades.csv").values()) == rows


def test_a_rerun_reuses_every_grade_from_an_intact_cache(attacked):
    root, rows, _ = attacked
    again, count = grade_all(
        [root / "submissions"],
        root / "out",
        limits=LIMITS,
        progress=False,
        log=print,
        course=exercises,
    )
    assert (again, count) == (rows, 0)


def test_the_gradebook_says_how_submissions_were_confined_and_feedback_does_not(
    attacked,
):
    root, _, _ = attacked
    info = json.loads((root / "out" / "grading-info.json").read_text())
    assert info["isolation"] == "strict"
    assert {"landlock", "seccomp", "RLIMIT_AS", "RLIMIT_CPU"} <= set(info["applied"])
    assert info["not_applied"] == {}
    if is_root():
        assert "unprivileged uid" in info["applied"]
    line = describe_isolation(info)
    assert line.startswith("isolation strict: applied ")
    assert "(Landlock)" in line and "(seccomp)" in line
    # Meant for the instructor: not in a student's feedback.
    assert "Isolation" not in (root / "out" / "feedback" / "bea_honest.md").read_text()


# ---------------------------------------------------------------- levels


def grade_one(tmp_path, nb=None, extra=()):
    path = tmp_path / "sam.ipynb"
    nbformat.write(nb or notebook(FIND_BROADCAST, COMPUTE_ADD_AT), path)
    return main(["grade", str(path), "--out", str(tmp_path / "out"), *extra])


def test_strict_refuses_when_a_confinement_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(REFUSE_VARIABLE, "landlock")
    assert grade_one(tmp_path) == 2
    err = capsys.readouterr().err
    assert "cannot grade: strict isolation is not available here" in err
    assert "landlock" in err
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_strict_refuses_when_the_hidden_tests_are_inside_the_runtime(monkeypatch):
    """An instructor/ installed into site-packages would be readable by submissions."""
    monkeypatch.setattr(
        "instructor.grading.confinement.runtime_paths", lambda: ["/usr", str(REPO_ROOT)]
    )
    with pytest.raises(IsolationError, match="keep the lab's repository outside"):
        make_plan("strict")


@pytest.mark.skipif(not is_root(), reason="the grader is not root")
def test_as_root_without_bubblewrap_a_runtime_nobody_cannot_read_is_refused(
    tmp_path, monkeypatch, capsys
):
    """Dropping to nobody without namespaces needs a runtime nobody can read."""
    private = tmp_path / "private-python"
    private.mkdir(mode=0o700)
    monkeypatch.setenv(NO_BWRAP_VARIABLE, "1")
    monkeypatch.setattr(
        "instructor.grading.confinement.runtime_paths", lambda: ["/usr", str(private)]
    )
    for level in ("strict", "trusted"):
        assert grade_one(tmp_path, extra=["--isolation", level]) == 2
        err = capsys.readouterr().err
        assert f"cannot read the Python runtime at {private}" in err
        assert "Grade with a Python every user can read" in err
    with pytest.raises(IsolationError):
        grade_all(
            [tmp_path / "sam.ipynb"], tmp_path / "o", progress=False, course=exercises
        )


@pytest.mark.skipif(not is_root(), reason="the grader is not root")
def test_as_root_without_bubblewrap_nor_setuid_grading_refuses(
    tmp_path, monkeypatch, capsys
):
    """A container that took CAP_SETUID away: the one thing to change is named."""
    monkeypatch.setenv(NO_BWRAP_VARIABLE, "1")
    every_but_setuid = (1 << 41) - 1 & ~(1 << 7)
    monkeypatch.setattr(
        "instructor.grading.confinement._capabilities", lambda: every_but_setuid
    )
    assert grade_one(tmp_path) == 2
    err = capsys.readouterr().err
    assert "never runs student code as root" in err
    assert "it lacks CAP_SETUID (bubblewrap: not installed)" in err
    assert "Give the container CAP_SETUID and CAP_SETGID" in err


@pytest.mark.skipif(not is_root(), reason="the grader is not root")
def test_as_root_a_bubblewrap_that_cannot_make_namespaces_is_probed(
    tmp_path, monkeypatch
):
    """Installed is not enough: a bwrap that fails is left out, and the reason kept."""
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: Creating new namespace failed: "
        "Operation not permitted' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    # As if the runtime were readable by nobody (here it sits under /root).
    monkeypatch.setattr(
        "instructor.grading.confinement.readable_by", lambda uid, path: True
    )
    plan = make_plan("strict")
    assert plan.bwrap is None and plan.drop_root
    assert dict(plan.missing) == {
        "bubblewrap": "bwrap: Creating new namespace failed: Operation not permitted"
    }
    assert "unprivileged uid" in plan.require


#: Every resource limit and mechanism a platform may lack (macOS refuses
#: RLIMIT_AS; Windows has no resource module and no PR_SET_PDEATHSIG).
REFUSED = (
    "RLIMIT_CORE",
    "RLIMIT_FSIZE",
    "RLIMIT_CPU",
    "RLIMIT_AS",
    "RLIMIT_NOFILE",
    "die with the grader",
)


def test_trusted_grades_right_answers_when_every_limit_is_refused(
    tmp_path, monkeypatch
):
    """The fallback of issue 7: limits the platform refuses are skipped, named."""
    monkeypatch.setenv(REFUSE_VARIABLE, ",".join(REFUSED))
    folder = tmp_path / "class"
    folder.mkdir()
    nbformat.write(notebook(FIND_BROADCAST, COMPUTE_ADD_AT), folder / "sam.ipynb")
    nbformat.write(notebook(find=FIND_HANGS), folder / "hal_hangs.ipynb")
    nbformat.write(notebook(find=FIND_PRINTS_FOREVER), folder / "pat_prints.ipynb")
    said = []
    limits = Limits(timeout=3.0, memory_mb=512, output_mb=4)
    rows, _ = grade_all(
        [folder],
        tmp_path / "out",
        limits=limits,
        progress=False,
        isolation="trusted",
        log=said.append,
        course=exercises,
    )
    grades = {row["student"]: row for row in rows}
    assert (grades["sam"]["total"], grades["sam"]["status"]) == ("20", "graded")
    # The grader's own wall clock and output cap still hold without rlimits.
    assert grades["hal_hangs"]["status"] == "timeout in find_closest_centroids"
    assert grades["pat_prints"]["status"] == "too much output in find_closest_centroids"
    assert said[0].startswith("isolation trusted: submissions can read and write")
    warnings = said[1:]
    assert len(warnings) == len(REFUSED)
    assert any("memory cap (RLIMIT_AS) not applied" in line for line in warnings)
    info = json.loads((tmp_path / "out" / "grading-info.json").read_text())
    assert info["isolation"] == "trusted"
    assert set(info["not_applied"]) == set(REFUSED)
    assert "landlock" not in info["applied"]
    line = describe_isolation(info)
    assert line.startswith("isolation trusted: ")
    assert "not applied on this machine: no core dumps (RLIMIT_CORE)" in line
    assert "memory cap (RLIMIT_AS)" in line.split("not applied")[1]
    assert "Isolation" not in (tmp_path / "out" / "feedback" / "sam.md").read_text()


def test_the_grade_command_says_the_trusted_level_in_one_line(tmp_path, capsys):
    assert grade_one(tmp_path, extra=["--isolation", "trusted"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if line.startswith("isolation")] == [
        line for line in err if "read and write" in line
    ]
    assert len([line for line in err if "read and write" in line]) == 1


def test_without_root_a_bubblewrap_that_fails_is_left_out(tmp_path, monkeypatch):
    """Some systems forbid unprivileged user namespaces: Landlock and seccomp hold.

    Run as root, the grader pretends not to be, so its worker keeps the uid:
    the one notebook graded here is an honest one.
    """
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr("instructor.grading.confinement.is_root", lambda: False)
    nbformat.write(notebook(FIND_BROADCAST, COMPUTE_ADD_AT), tmp_path / "sam.ipynb")
    said = []
    rows, _ = grade_all(
        [tmp_path / "sam.ipynb"],
        tmp_path / "out",
        progress=False,
        log=said.append,
        course=exercises,
    )
    assert (rows[0]["total"], rows[0]["status"]) == ("20", "graded")
    assert len(said) == 1
    assert said[0].startswith(
        "warning: private pid, network and mount namespaces (bubblewrap) not "
        "applied: not used: strict isolation is not available here"
    )
    assert "setting up uid map" in said[0]
    info = json.loads((tmp_path / "out" / "grading-info.json").read_text())
    assert {"landlock", "seccomp"} <= set(info["applied"])
    assert "bubblewrap" not in info["applied"]
    assert "setting up uid map" in info["not_applied"]["bubblewrap"]["why"]


# ---------------------------------------------------------------- grader bugs


def test_a_grader_bug_is_counted_printed_and_exits_non_zero(
    tmp_path, monkeypatch, capsys
):
    def broken(*args, **kwargs):
        raise KeyError("a bug in the grader")

    monkeypatch.setattr("instructor.grading.grader.grade_function", broken)
    assert grade_one(tmp_path) == 1
    err = capsys.readouterr().err
    assert "sam: grader error (KeyError: 'a bug in the grader')" in err
    assert "1 submission(s) not graded because of a grader error" in err
    cache = json.loads((tmp_path / "out" / ".grading-cache.json").read_text())
    assert cache["students"]["sam"]["digest"] is None  # graded again next time


# --------------------------------------- as root in a container denying namespaces

#: Grades the class inside the simulated container (see tests/docker_sim.py).
IN_CONTAINER = """
import sys
from pathlib import Path
sys.path[:0] = [{repo!r}, {tests!r}]
from test_isolation import grade_class
sys.exit(grade_class(Path({root!r}), {level!r})[0])
"""
#: An unprivileged user for the grader (no account needs to exist).
NOT_ROOT = 4242


def _grade_in_container(tmp_path_factory, name, as_user=None, level="strict"):
    """Grade the class in the look-alike container; return its root folder."""
    reason = docker_sim.unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp(name)
    (root / "tmp").mkdir()
    command = [sys.executable, "-I", "-c"]
    if as_user is not None:
        for path in (root, root / "tmp"):
            os.chown(path, as_user, as_user)
        command = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}"]
        command += ["--clear-groups", "--", sys.executable, "-I", "-c"]
    script = IN_CONTAINER.format(
        repo=str(REPO_ROOT), tests=str(REPO_ROOT / "tests"), root=str(root), level=level
    )
    finished = docker_sim.run_in_container(
        None,
        tmp_path_factory.mktemp("launcher"),
        [*command, script],
        {
            "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": "/tmp",
            "TMPDIR": str(root / "tmp"),
        },
        shown=[str(REPO_ROOT)],
        shared=[str(root)],
    )
    # The grader's exit code: 0, every submission graded, none a grader error.
    assert finished.returncode == 0, finished.stdout + finished.stderr
    (root / "console.txt").write_text(finished.stdout + finished.stderr)
    return root


@pytest.fixture(scope="module")
def attacked_in_container(tmp_path_factory):
    """The class graded as root in a look-alike of Docker's default container.

    bubblewrap cannot make namespaces there, so each worker drops to nobody
    itself; the repository (hidden tests included) is readable by every user,
    so only the worker's own confinement keeps the attacks out.
    """
    return _grade_in_container(tmp_path_factory, "attacked-in-container")


@pytest.mark.parametrize("name", list(ATTACKS))
def test_in_a_container_a_blocked_attack_leaves_the_right_answer_only(
    attacked_in_container, name
):
    row = read_csv(attacked_in_container / "out" / "grades.csv")[f"attack_{name}"]
    assert (row["find_closest_centroids"], row["compute_centroids"]) == ("10", "10")
    assert (row["total"], row["status"]) == ("20", "graded")


@pytest.mark.parametrize("name", list(CHANNEL_ATTACKS))
def test_in_a_container_forged_results_are_charged_to_their_author(
    attacked_in_container, name
):
    row = read_csv(attacked_in_container / "out" / "grades.csv")[f"attack_{name}"]
    assert (row["find_closest_centroids"], row["compute_centroids"]) == ("0", "10")
    assert row["status"] == "crashed in find_closest_centroids"


def test_in_a_container_the_honest_class_is_graded_untouched(attacked_in_container):
    rows = read_csv(attacked_in_container / "out" / "grades.csv")
    for student in HONEST:
        assert (rows[student]["total"], rows[student]["status"]) == ("20", "graded")
    for student, (_, points, status) in HELD.items():
        assert rows[student]["find_closest_centroids"] == str(points)
        assert rows[student]["status"] == status


def test_in_a_container_workers_ran_as_nobody_without_bubblewrap(
    attacked_in_container,
):
    info = json.loads((attacked_in_container / "out" / "grading-info.json").read_text())
    assert info["isolation"] == "strict"
    assert {"unprivileged uid", "landlock", "seccomp", "RLIMIT_AS"} <= set(
        info["applied"]
    )
    assert "bubblewrap" not in info["applied"]
    assert "Creating new namespace failed" in info["not_applied"]["bubblewrap"]["why"]


# ------------------------------------------- every level, the new attacks


@pytest.fixture(scope="module")
def attacked_not_root(tmp_path_factory):
    """The class graded by an unprivileged user where namespaces are denied.

    The grader runs as uid :data:`NOT_ROOT` (``setpriv``) in the look-alike
    container: bubblewrap cannot make a user namespace, no cgroup can be
    made, and the workers keep the grader's uid.  Landlock, seccomp and
    resource limits (``RLIMIT_NPROC`` among them) are all there is.
    """
    return _grade_in_container(tmp_path_factory, "attacked-not-root", NOT_ROOT)


@pytest.fixture(scope="module")
def attacked_trusted(tmp_path_factory):
    """The class graded at the trusted level, here (as root, with bubblewrap)."""
    root = tmp_path_factory.mktemp("attacked-trusted")
    code, _ = grade_class(root, "trusted")
    assert code == 0
    return root


#: Each isolation level of docs/instructor/isolation.md's table, by the fixture
#: grading the class.
GRADED_AT = {
    "strict": "attacked",
    "strict-docker": "attacked_in_container",
    "strict-not-root": "attacked_not_root",
    "trusted": "attacked_trusted",
}


def _graded_root(request, level):
    found = request.getfixturevalue(GRADED_AT[level])
    return found[0] if isinstance(found, tuple) else found


@pytest.mark.slow
@pytest.mark.parametrize("level", list(GRADED_AT))
def test_every_level_grades_the_honest_class_in_full(request, level):
    root = _graded_root(request, level)
    rows = read_csv(root / "out" / "grades.csv")
    expected = {*HONEST, *HELD, *(f"attack_{n}" for n in ATTACKS)}
    expected |= {f"attack_{n}" for n in {**CHANNEL_ATTACKS, **RESOURCE_ATTACKS}}
    assert set(rows) == expected
    for student in HONEST:
        assert (rows[student]["total"], rows[student]["status"]) == ("20", "graded")
        text = (root / "out" / "feedback" / f"{student}.md").read_text()
        assert "**Total: 20 / 20 points.** Status: graded." in text


#: Calls only seccomp refuses, and trusted has none: clearing its own death
#: signal (bubblewrap's pid namespace still ends it with the grader).
THROUGH_AT_TRUSTED = ("pdeathsig_zero",)


@pytest.mark.parametrize("level", list(GRADED_AT))
def test_every_level_refuses_or_charges_the_resource_attacks(request, level):
    """Strict refuses each one; trusted (no seccomp) may kill the worker instead."""
    rows = read_csv(_graded_root(request, level) / "out" / "grades.csv")
    for name in RESOURCE_ATTACKS:
        row = rows[f"attack_{name}"]
        got = (row["find_closest_centroids"], row["compute_centroids"], row["status"])
        if level != "trusted":
            assert got == ("10", "10", "graded"), name
        elif name == "sysv_shm_over_cap":
            # No seccomp: the segments are made, and the cgroup charges them.
            assert got == ("0", "10", "out of memory in find_closest_centroids")
        elif name in THROUGH_AT_TRUSTED:
            assert got[1:] == ("10", "graded"), name
        else:
            charged = row["status"].split(" in ")[0] in ("out of memory", "crashed")
            refused = got == ("10", "10", "graded")
            assert refused or (got[:2] == ("0", "10") and charged), (name, got)


def test_without_root_every_earlier_attack_still_holds(attacked_not_root):
    rows = read_csv(attacked_not_root / "out" / "grades.csv")
    escaped = [
        name
        for name in ATTACKS
        if (rows[f"attack_{name}"]["total"], rows[f"attack_{name}"]["status"])
        != ("20", "graded")
    ]
    assert escaped == []
    for name in CHANNEL_ATTACKS:
        assert rows[f"attack_{name}"]["status"] == "crashed in find_closest_centroids"


def test_each_level_records_what_held_and_what_it_went_without(request):
    def info(level):
        root = _graded_root(request, level)
        return json.loads((root / "out" / "grading-info.json").read_text())

    here = info("strict")
    assert {"cgroup", "bubblewrap", "landlock", "seccomp"} <= set(here["applied"])
    assert "RLIMIT_NPROC" not in here["applied"]  # the cgroup counts tasks
    assert {"cgroup", "bubblewrap"} <= set(info("trusted")["applied"])
    docker = info("strict-docker")
    assert {"unprivileged uid", "RLIMIT_NPROC", "seccomp"} <= set(docker["applied"])
    assert set(docker["not_applied"]) == {"bubblewrap", "cgroup"}
    plain = info("strict-not-root")
    assert {"RLIMIT_NPROC", "landlock", "seccomp"} <= set(plain["applied"])
    assert "unprivileged uid" not in plain["applied"]
    assert set(plain["not_applied"]) == {"bubblewrap", "cgroup"}
    assert "new namespace" in plain["not_applied"]["bubblewrap"]["why"]
    console = (_graded_root(request, "strict-not-root") / "console.txt").read_text()
    for name in ("bubblewrap", "cgroup"):
        assert f"warning: {STEPS[name]} not applied: " in console


def test_worker_slots_get_uids_of_their_own_only_where_no_account_has_them(
    monkeypatch,
):
    from instructor.grading import confinement

    taken = {confinement.NOBODY - 2}

    def getpwuid(uid):
        if uid in taken:
            return object()
        raise KeyError(uid)

    monkeypatch.setattr(confinement.pwd, "getpwuid", getpwuid)
    uids = [confinement.slot_uid(slot) for slot in range(4)]
    nobody = confinement.NOBODY
    assert uids == [nobody, nobody - 1, nobody, nobody - 3]


# ---------------------------------------------------------------- cgroups


def test_a_cgroup_v2_group_is_made_where_memory_and_pids_are_handed_down(
    tmp_path, monkeypatch
):
    """The grader's own group holds processes; its parent hands the controllers down."""
    from instructor.grading import cgroups

    top = tmp_path / "cgroup"
    (top / "grader").mkdir(parents=True)
    (top / "cgroup.subtree_control").write_text("cpu memory pids\n")
    monkeypatch.setattr(cgroups, "_mounts", lambda: [(str(top), "cgroup2", {"rw"})])
    monkeypatch.setattr(cgroups, "_own_groups", lambda: {"": "/grader"})
    found, why = cgroups.find()
    assert why is None and found.version == 2
    assert {folder for _, folder in found.parents} == {str(top)}
    group = cgroups.Group(found, 300 * 2**20)
    (folder,) = group.folders
    assert folder.parent == top
    assert (folder / "memory.max").read_text() == str(300 * 2**20)
    assert (folder / "pids.max").read_text() == str(cgroups.TASKS)
    assert (folder / "memory.oom.group").read_text() == "1"
    assert group.procs == [str(folder / "cgroup.procs")]


def test_without_a_writable_cgroup_the_reason_is_given(monkeypatch):
    from instructor.grading import cgroups

    monkeypatch.setattr(cgroups, "_mounts", lambda: [])
    monkeypatch.setattr(cgroups, "_own_groups", lambda: {"": "/"})
    found, why = cgroups.find()
    assert found is None
    assert why == (
        "no cgroup v2 mounted; cgroup v1 memory is not mounted or not writable"
    )


THREADS_UNTIL_REFUSED = """
import threading, time
threading.stack_size(65536)
made = 0
try:
    for _ in range(1000):
        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
        made += 1
except RuntimeError:
    pass
print(made)
"""


def test_a_worker_s_cgroup_caps_its_threads_on_this_kernel():
    """A real group here (v1 or v2): threads past the task cap are refused."""
    from instructor.grading import cgroups

    found, why = cgroups.find()
    if found is None:
        pytest.skip(f"no cgroup can be made here: {why}")
    group = cgroups.Group(found, 512 * 2**20)
    try:
        finished = subprocess.run(
            [sys.executable, "-I", "-c", THREADS_UNTIL_REFUSED],
            preexec_fn=group.join,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    finally:
        group.kill()
        group.remove()
    # The main thread counts as one task of the group.
    assert int(finished.stdout) == cgroups.TASKS - 1
    assert not any(folder.exists() for folder in group.folders)


# ------------------------------------------------ each layer holds on its own

#: Tries every call naming another process on ``argv[1]``, behind one layer
#: only (``argv[2]``): seccomp at the caller's own uid, or a uid of its own
#: without seccomp.  Prints the calls that got through.
NAMING_CALLS = """
import ctypes, errno, fcntl, os, resource, signal, sys
target, layer = int(sys.argv[1]), sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
if layer == "seccomp":
    sys.path.insert(0, sys.argv[3])
    import pyseccomp, worker
    worker._seccomp(pyseccomp)
else:
    os.setgroups([])
    os.setresgid(int(layer), int(layer), int(layer))
    os.setresuid(int(layer), int(layer), int(layer))

def ptrace():
    if libc.ptrace(16, target, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "ptrace")

calls = {
    "kill": lambda: os.kill(target, 0),
    "prlimit": lambda: resource.prlimit(target, resource.RLIMIT_NOFILE, (3, 3)),
    "setpriority": lambda: os.setpriority(os.PRIO_PROCESS, target, 19),
    "sched_setaffinity": lambda: os.sched_setaffinity(target, {0}),
    "ptrace": ptrace,
}
through = []
for name, call in calls.items():
    try:
        call()
        through.append(name)
    except OSError:
        pass
# The kernel's signal to a pipe's owner: refused, or never delivered.
r, w = os.pipe()
try:
    fcntl.fcntl(r, fcntl.F_SETOWN, target)
    fcntl.fcntl(r, 10, signal.SIGKILL)
    fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)
    os.write(w, b"x")
except OSError:
    pass
print(" ".join(through))
"""


@pytest.mark.skipif(not is_root(), reason="a uid of its own needs root")
@pytest.mark.parametrize("layer", ["seccomp", "uid"])
def test_each_layer_alone_keeps_a_worker_off_other_processes(layer):
    """Without namespaces: seccomp at the same uid, or another uid without seccomp.

    The target stands in for the grader (root, same uid: only seccomp between
    them) or for a classmate's worker (uid 65534, the attacker 65533: only
    the kernel's permission checks between them).
    """
    from instructor.grading.confinement import NOBODY
    from instructor.grading.sandbox import WORKER

    standin = ["sleep", "60"]
    if layer == "uid":
        standin = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}"]
        standin += ["--clear-groups", "sleep", "60"]
    target = subprocess.Popen(standin)
    try:
        before = _limits_of(target.pid)
        argument = str(WORKER.parent) if layer == "seccomp" else ""
        finished = subprocess.run(
            [
                sys.executable,
                "-I",
                "-c",
                NAMING_CALLS,
                str(target.pid),
                layer if layer == "seccomp" else str(NOBODY - 1),
                argument,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert finished.stdout.split() == []
        assert target.poll() is None, "the stand-in was killed"
        assert _limits_of(target.pid) == before
    finally:
        target.kill()
        target.wait()
