"""The lab's requirements: lower bounds for students, exact pins for CI."""

import re

import nbformat
import pytest
from lab_imports import imported_packages

from instructor.course.floors import notebook_floors, read_floors
from instructor.layout import REPO_ROOT, STUDENT_NOTEBOOK

LOCK = REPO_ROOT / "requirements-lock.txt"


def version_tuple(text):
    return tuple(int(re.match(r"\d*", part)[0] or 0) for part in text.split(".")[:3])


def locked():
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin in the lock file: {line}"
            pins[name.lower().replace("_", "-")] = version
    return pins


#: Imported by the lab but installed with the front end: the kernel's IPython.
WITH_THE_FRONT_END = {"ipython"}


def imported_by_the_lab():
    """The packages the student notebook, utils.py, public_tests.py and labkit
    import."""
    sources = [
        path.read_text(encoding="utf-8")
        for path in [
            REPO_ROOT / "utils.py",
            REPO_ROOT / "public_tests.py",
            *sorted((REPO_ROOT / "labkit").rglob("*.py")),
        ]
    ]
    for cell in nbformat.read(STUDENT_NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            sources.append("\n".join(x for x in lines if not x.startswith(("%", "!"))))
    return imported_packages(sources, own={"utils", "public_tests", "labkit"})


def test_student_requirements_hold_every_package_the_lab_imports():
    imported = imported_by_the_lab()
    assert {"numpy", "pillow"} <= imported, "the imports are found"
    assert imported - WITH_THE_FRONT_END <= set(read_floors())


def test_the_notebook_checks_the_floor_of_every_package_the_lab_imports():
    assert set(notebook_floors()) == imported_by_the_lab() - WITH_THE_FRONT_END


def test_a_pin_in_the_student_requirements_is_refused(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("numpy>=1.26.4\nscipy==1.17.1\n")
    with pytest.raises(ValueError, match="line 2: expected 'name>=version'"):
        read_floors(path)


def test_the_lock_pins_every_package_at_or_above_its_floor():
    pins = locked()
    for name, floor in read_floors().items():
        assert name in pins, f"{name} is not in requirements-lock.txt"
        assert version_tuple(pins[name]) >= version_tuple(floor), name


def test_the_lock_pins_the_tools_the_tests_need():
    pins = locked()
    tools = ("requirements-dev.txt", "requirements-platforms.txt")
    lines = [
        line for name in tools for line in (REPO_ROOT / name).read_text().splitlines()
    ]
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-r"):
            name = re.split(r"[<>=;\[ ]", line, maxsplit=1)[0].lower()
            assert name in pins, f"{name} is not in requirements-lock.txt"


def test_conda_environment_has_the_same_floors():
    lines = (REPO_ROOT / "environment.yml").read_text().splitlines()
    listed = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
    assert "conda-forge" in listed
    assert "python>=3.10" in listed
    for name, floor in read_floors().items():
        assert f"{name}>={floor}" in listed, name


def test_python_floor_is_310_everywhere():
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.10"' in pyproject
    assert 'target-version = "py310"' in pyproject
