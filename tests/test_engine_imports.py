"""The grading engine imports no course content.

``instructor/grading/`` runs any course's cases: the exercises, the hidden
cases, the public tests and the student helpers (``utils.py``) are the
course's, handed to it by its callers.
"""

import ast
from pathlib import Path

from instructor.layout import REPO_ROOT

ENGINE = REPO_ROOT / "instructor" / "grading"
#: Modules of course content, by dotted prefix.
COURSE = ("instructor.course", "public_tests", "utils")
#: Engine modules that still import the course's table, with the reason; the
#: test fails if one stops (remove it here) or another starts.
NOT_YET = {
    # Reads the exercise table (names, cases, checks, points) at import: to
    # be passed in by its callers (__main__, validate, gradescope, tests).
    "grader.py": {"instructor.course"},
}


def course_imports(path):
    """The course modules ``path`` imports, anywhere in it (by their prefix)."""
    found = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            found.update(
                prefix
                for prefix in COURSE
                if name == prefix or name.startswith(prefix + ".")
            )
    return found


def test_the_grading_engine_imports_no_course_content():
    found = {
        path.name: imports
        for path in sorted(ENGINE.glob("*.py"))
        if (imports := course_imports(path))
    }
    assert found == NOT_YET


def test_the_walk_sees_every_form_of_import(tmp_path):
    lines = {
        "import public_tests": {"public_tests"},
        "import utils as u": {"utils"},
        "from instructor.course import exercises": {"instructor.course"},
        "from instructor import course": {"instructor.course"},
        "def f():\n    from instructor.course.hidden_tests import RNG": {
            "instructor.course"
        },
        "import utilsx\nfrom instructor.courses import x": set(),
    }
    for source, expected in lines.items():
        path = tmp_path / "module.py"
        path.write_text(source + "\n")
        assert course_imports(path) == expected, source
