"""python -m instructor export, without the platforms' own tools."""

import nbformat

from instructor.__main__ import main
from instructor.course import exercises
from instructor.course.solutions import load_reference
from instructor.grading import grader
from instructor.platforms.hidden_program import kernel_program
from instructor.platforms.nbgrader import ASSIGNMENT, NOTEBOOK_NAME, hidden_tests_id
from instructor.platforms.otter import NOTEBOOK_NAME as MASTER_NAME


def test_export_refuses_to_overwrite_a_course(tmp_path, capsys):
    course = tmp_path / "course"
    assert main(["export", "nbgrader", "--out", str(course)]) == 0
    notebook = course / "source" / ASSIGNMENT / NOTEBOOK_NAME
    notebook.write_text("the instructor's own edits")
    assert main(["export", "nbgrader", "--out", str(course)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert notebook.read_text() == "the instructor's own edits"


def test_each_exercise_has_a_locked_test_cell_worth_its_points(tmp_path):
    course = tmp_path / "course"
    assert main(["export", "nbgrader", "--out", str(course), "--timeout", "90"]) == 0
    nb = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK_NAME, as_version=4)
    meta = [c.metadata["nbgrader"] for c in nb.cells if "nbgrader" in c.metadata]
    tests = {m["grade_id"]: m for m in meta if m["grade"]}
    for name in exercises.names():
        test = tests[hidden_tests_id(name)]
        assert test["points"] == exercises.max_points(name)
        assert test["locked"] and not test["solution"]
    answers = [m["grade_id"] for m in meta if m["solution"]]
    assert answers == list(exercises.names())
    assert "c.Execute.timeout = 90" in (course / "nbgrader_config.py").read_text()
    assert not (course / "source" / ASSIGNMENT / "instructor").exists()


def test_the_kernel_program_scores_the_reference_full_and_nothing_zero():
    namespace = {"__name__": "kmeans_lab_hidden"}
    exec(compile(kernel_program(), "<hidden cases>", "exec"), namespace)
    for name, function in load_reference().items():
        assert namespace["grade"](name, function) == exercises.max_points(name)
        assert namespace["grade"](name, None) == 0
        verdicts = namespace["case_verdicts"](name, lambda *args: None)
        assert [v[1] for v in verdicts] == [0] * len(verdicts)
        cases = exercises.hidden_cases(name)
        for verdict, hidden in zip(verdicts, cases, strict=True):
            # Raising earns only beside right answers, and None answers nothing.
            said = grader.NO_ANSWER if hidden.raises else "returned None"
            assert said in verdict[3], verdict


def test_the_otter_master_has_one_hidden_test_per_case_with_its_points(tmp_path):
    assert main(["export", "otter", "--out", str(tmp_path)]) == 0
    nb = nbformat.read(tmp_path / MASTER_NAME, as_version=4)
    assert nb.cells[0].cell_type == "raw"
    assert nb.cells[0].source.startswith("# ASSIGNMENT CONFIG\nname: kmeans_lab")
    tests = [c.source for c in nb.cells if c.source.startswith('""" # BEGIN TEST')]
    cases = [h for name in exercises.names() for h in exercises.hidden_cases(name)]
    assert len(tests) == len(cases)
    for test, hidden in zip(tests, cases, strict=True):
        assert "hidden: true" in test
        assert f"points: {hidden.points:g}\n" in test
    questions = [c.source for c in nb.cells if c.source.startswith("# BEGIN QUESTION")]
    assert questions == [f"# BEGIN QUESTION\nname: {n}" for n in exercises.names()]
    assert (tmp_path / "labkit" / "answers" / "judging.py").is_file()
    assert not (tmp_path / "instructor").exists()


def test_otter_refuses_nbgraders_timeout(tmp_path, capsys):
    code = main(["export", "otter", "--out", str(tmp_path), "--timeout", "60"])
    assert code == 2
    assert "--timeout is nbgrader's cell limit" in capsys.readouterr().err
    assert not (tmp_path / MASTER_NAME).exists()
