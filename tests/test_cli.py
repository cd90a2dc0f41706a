"""The command line's help: descriptions, examples, options, defaults, exit status.

The parser is walked as an object (every command, every option), the defaults
it shows are compared with the library's own objects, and the exit status each
command documents is compared with what it returns where that is cheap to
trigger (no kernel, no worker).
"""

import argparse
import inspect
import re
import subprocess
import sys

import nbformat
import pytest

from instructor.__main__ import main, parser
from instructor.authoring.bundle import write_bundle
from instructor.grading import confinement
from instructor.grading.grader import grade_all
from instructor.grading.sandbox import Limits
from instructor.layout import REPO_ROOT, SOURCE_NOTEBOOK, STUDENT_NOTEBOOK
from instructor.platforms import gradescope, nbgrader
from instructor.reports.class_report.build import REPORT_DIR, make_report
from instructor.reports.gradebook import ID_COLUMNS

COMMANDS = ("release", "execute", "validate", "grade", "gradescope", "export", "report")


def _commands():
    """``{name: (subparser, one-line help)}`` of the top-level parser."""
    top = parser()
    (action,) = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    summaries = {choice.dest: choice.help for choice in action._choices_actions}
    return {name: (sub, summaries[name]) for name, sub in action.choices.items()}


def _options(sub):
    return [a for a in sub._actions if not isinstance(a, argparse._HelpAction)]


def _option(command, flag):
    sub, _ = _commands()[command]
    (action,) = [a for a in _options(sub) if flag in a.option_strings]
    return action


def _help(argv, capsys):
    """What ``--help`` prints, with its exit status checked."""
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--help"])
    assert stopped.value.code == 0
    return capsys.readouterr().out


def _flat(text):
    return " ".join(text.split())


def _exit_status(command, capsys):
    """``{code: meaning}`` from the exit status section of a command's help."""
    text = _help([command], capsys)
    section = text.split("exit status:\n", 1)[1]
    found = {}
    for code, meaning in re.findall(r"^  (\d+)  (.*(?:\n {5}.*)*)", section, re.M):
        found[int(code)] = _flat(meaning)
    return found


def test_the_commands_are_the_documented_ones():
    assert tuple(_commands()) == COMMANDS


def test_the_top_level_help_lists_every_command_with_one_line(capsys):
    text = _help([], capsys)
    for name, (_, summary) in _commands().items():
        assert summary and "\n" not in summary
        assert _flat(summary) in _flat(text.split(name, 1)[1]), name
    assert "exit status" in text
    for code in (0, 1, 2):
        assert re.search(rf"^  {code}  \S", text, re.M), code


def test_the_top_level_help_imports_none_of_the_library():
    probe = (
        "import sys\n"
        "from instructor.__main__ import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('nbformat', 'numpy'))))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    assert "grade submitted notebooks" in ran.stdout
    assert ran.stdout.rstrip().endswith("[]")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_description_examples_and_exit_status(command, capsys):
    sub, _ = _commands()[command]
    text = _help([command], capsys)
    assert len(sub.description.split()) >= 15
    assert _flat(sub.description) in _flat(text)
    examples = text.split("examples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert 1 <= len(examples) <= 3
    for example in examples:
        assert example.strip().startswith(f"python -m instructor {command}")
    status = _exit_status(command, capsys)
    assert set(status) == {0, 1, 2}
    assert "usage error" in status[2]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_has_help_and_shows_its_default(command):
    sub, _ = _commands()[command]
    for action in _options(sub):
        name = action.option_strings or action.dest
        assert action.help and len(action.help.split()) >= 3, (command, name)
        has_default = action.default not in (None, False, argparse.SUPPRESS)
        if has_default and not action.required:
            assert "(default: " in action.help, (command, name)


@pytest.mark.parametrize("command", ["grade", "gradescope"])
def test_the_limits_shown_are_the_graders(command, capsys):
    assert _option(command, "--timeout").default == Limits().timeout
    assert _option(command, "--memory").default == Limits().memory_mb
    text = _flat(_help([command], capsys))
    assert f"may run (default: {Limits().timeout})" in text
    assert f"in MB (default: {Limits().memory_mb})" in text


def test_the_isolation_levels_are_the_confinements(capsys):
    isolation = _option("grade", "--isolation")
    assert tuple(isolation.choices) == confinement.LEVELS
    default = inspect.signature(grade_all).parameters["isolation"].default
    assert isolation.default == default
    assert f"(default: {default})" in _flat(_help(["grade"], capsys))


def test_the_id_columns_named_are_the_rosters():
    help_text = _flat(_option("grade", "--id-column").help)
    assert ", ".join(ID_COLUMNS) in help_text


def test_the_notebook_defaults_are_the_layouts(capsys):
    for command in ("release", "validate", "execute"):
        assert _option(command, "--source").default == SOURCE_NOTEBOOK
    for command in ("release", "validate", "report"):
        assert _option(command, "--student").default == STUDENT_NOTEBOOK
    text = _flat(_help(["release"], capsys))
    assert "(default: instructor/source/kmeans_lab.ipynb in the repository)" in text
    assert "(default: notebooks/kmeans_lab.ipynb in the repository)" in text


def test_the_release_branch_is_the_bundles():
    default = inspect.signature(write_bundle).parameters["branch"].default
    assert _option("release", "--branch").default == default


def test_the_gradescope_settings_are_the_autograders(capsys):
    visibility = _option("gradescope", "--hidden-visibility")
    assert visibility.default == gradescope.Settings().hidden_visibility
    text = _flat(_help(["gradescope"], capsys))
    assert ", ".join(gradescope.VISIBILITIES) in text


def test_the_nbgrader_timeout_shown_is_the_courses(capsys):
    default = inspect.signature(nbgrader.write_course).parameters["timeout"].default
    text = _flat(_help(["export"], capsys))
    assert f"(default: {default})" in text
    assert f"c.Execute.timeout = {default}\n" in nbgrader.config_text()


def test_the_report_folder_shown_is_the_reports(capsys):
    assert inspect.signature(make_report).parameters["out"].default is None
    assert f"(default: GRADEBOOK/{REPORT_DIR})" in _flat(_help(["report"], capsys))


# ---------------------------------------------------------------- exit status


@pytest.mark.parametrize("command", COMMANDS)
def test_a_usage_error_exits_as_documented(command, capsys):
    documented = _exit_status(command, capsys)
    with pytest.raises(SystemExit) as stopped:
        main([command, "--no-such-option"])
    assert stopped.value.code == 2
    assert "usage error" in documented[2]
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m instructor")
    assert ": error: " in err


def test_grade_on_a_folder_without_notebooks_exits_as_documented(tmp_path, capsys):
    documented = _exit_status("grade", capsys)
    (tmp_path / "empty").mkdir()
    code = main(["grade", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "no notebook" in documented[2]
    assert "cannot grade: no notebooks" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def _source_with_a_broken_graded_cell(path):
    nb = nbformat.v4.new_notebook()
    header = "# GRADED FUNCTION: find_closest_centroids\n"
    nb.cells = [nbformat.v4.new_code_cell(header + "answer = 42\n")]
    nbformat.write(nb, path)
    return path


def test_validate_on_a_broken_source_exits_as_documented(tmp_path, capsys):
    documented = _exit_status("validate", capsys)
    source = _source_with_a_broken_graded_cell(tmp_path / "source.ipynb")
    student = tmp_path / "student.ipynb"
    code = main(["validate", "--source", str(source), "--student", str(student)])
    assert code == 1
    assert "the lab disagrees" in documented[1]
    out = capsys.readouterr().out
    assert "FAIL  the graded cell 'find_closest_centroids' does not define" in out
    assert not student.exists()


@pytest.mark.parametrize("command", ["validate", "execute", "release"])
def test_a_missing_source_exits_as_documented(command, tmp_path, capsys):
    documented = _exit_status(command, capsys)
    missing = tmp_path / "nowhere.ipynb"
    argv = [command, "--source", str(missing)]
    if command == "release":
        argv += ["--student", str(tmp_path / "s.ipynb"), "--out", str(tmp_path / "b")]
    assert main(argv) == 2
    assert "usage error, or" in documented[2]
    err = capsys.readouterr().err
    assert err.startswith(f"cannot {command}: ")
    assert str(missing) in err
    assert "Traceback" not in err


def test_refusals_exit_as_documented(tmp_path, capsys):
    cases = {
        "gradescope": (
            ["--out", str(tmp_path / "a.zip"), "--hidden-visibility", "soon"],
            "an unknown visibility",
        ),
        "export": (
            ["otter", "--out", str(tmp_path / "otter"), "--timeout", "60"],
            "--timeout given with otter",
        ),
        "report": ([str(tmp_path)], "not a gradebook"),
        "release": (
            ["--bundle-url", "ftp://x", "--out", str(tmp_path / "b")],
            "--bundle-url is not a web address",
        ),
    }
    for command, (argv, reason) in cases.items():
        documented = _exit_status(command, capsys)
        assert main([command, *argv]) == 2, command
        assert reason in documented[2], command
        assert capsys.readouterr().err.startswith("cannot "), command
    assert list(tmp_path.iterdir()) == []
