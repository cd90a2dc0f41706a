"""The grading engine imports no course content, directly or through others.

``instructor/grading/`` runs any course's cases: the exercises, the hidden
cases, the public tests and the student helpers (``utils.py``) are the
course's, handed to it by its callers (``course=``).  The walk follows every
import of an ``instructor`` module to its file, so an engine module that
imports, say, ``instructor.reports.feedback``, which imports the course, is
caught too.
"""

import ast
from pathlib import Path

from instructor.layout import REPO_ROOT

ENGINE = REPO_ROOT / "instructor" / "grading"
#: Modules of course content, by dotted prefix.
COURSE = ("instructor.course", "public_tests", "utils")
#: Engine modules that still import the course, with the reason; the test
#: fails if one stops (remove it here) or another starts.
NOT_YET: dict[str, set[str]] = {}


def course_prefix(name):
    """The prefix in :data:`COURSE` of module ``name``, or None."""
    return next(
        (p for p in COURSE if name == p or name.startswith(p + ".")),
        None,
    )


def imported_names(path):
    """Every dotted name ``path`` imports, anywhere in it (``from a import b``
    gives ``a`` and ``a.b``: ``b`` may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_files(name, root=REPO_ROOT):
    """The files importing ``name`` runs inside ``root``: its packages' and its own."""
    parts = name.split(".")
    files = []
    for end in range(1, len(parts) + 1):
        base = root.joinpath(*parts[:end])
        for candidate in (base / "__init__.py", base.with_suffix(".py")):
            if candidate.is_file():
                files.append(candidate)
    return files


def course_imports(path, root=REPO_ROOT):
    """``{course prefix: the chain of files that leads to it}`` for ``path``.

    Follows the imports of ``instructor`` modules inside ``root``
    transitively; a course module is reported, not followed.
    """
    found = {}
    seen = {Path(path)}
    todo = [(Path(path), (Path(path).name,))]
    while todo:
        current, chain = todo.pop()
        for name in sorted(imported_names(current)):
            if prefix := course_prefix(name):
                found.setdefault(prefix, (*chain, name))
            elif name == "instructor" or name.startswith("instructor."):
                for file in module_files(name, root):
                    if file not in seen:
                        seen.add(file)
                        relative = file.relative_to(root).as_posix()
                        todo.append((file, (*chain, relative)))
    return found


def test_the_grading_engine_imports_no_course_content():
    found = {
        path.name: imports
        for path in sorted(ENGINE.glob("*.py"))
        if (imports := course_imports(path))
    }
    assert {name: set(chains) for name, chains in found.items()} == NOT_YET, found


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
        assert set(course_imports(path, tmp_path)) == expected, source


def test_the_walk_follows_imports_through_other_instructor_modules(tmp_path):
    """engine -> reports.feedback -> course: caught, with the chain."""
    package = tmp_path / "instructor"
    (package / "reports").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "reports" / "__init__.py").write_text("")
    (package / "reports" / "feedback.py").write_text(
        "from instructor.course import exercises\n"
    )
    (package / "quiet.py").write_text("from instructor import reports\n")
    engine = tmp_path / "grader.py"
    engine.write_text("from instructor.reports.feedback import render\n")
    assert course_imports(engine, tmp_path) == {
        "instructor.course": (
            "grader.py",
            "instructor/reports/feedback.py",
            "instructor.course",
        )
    }
    # A module whose imports stay clear of the course is not reported.
    engine.write_text("import instructor.quiet\n")
    assert course_imports(engine, tmp_path) == {}
