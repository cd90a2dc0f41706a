"""The lab's package floors, read from ``requirements.txt`` (their one home).

``requirements.txt`` lists what a student needs, each as ``name>=version``.
The student notebook's setup cell checks the packages the lab imports against
these floors; JupyterLab is the app the notebook opens in, not something the
lab imports (Colab, VS Code and hubs bring their own), so it is not checked.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from instructor.layout import REPO_ROOT

REQUIREMENTS = REPO_ROOT / "requirements.txt"
#: The tools' and the grader's bindings' lower bounds (``-r requirements.txt``).
DEV_REQUIREMENTS = REPO_ROOT / "requirements-dev.txt"
#: Requirements that are the notebook's front end rather than imported by the lab.
FRONT_END = ("jupyterlab",)

#: ``name>=version``, perhaps ``,<version`` and ``; marker``: the lines of both
#: requirement files.
_LOWER_BOUND = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*(?P<version>[0-9][0-9a-z.]*)"
    r"(?:\s*,\s*<\s*(?P<below>[0-9][0-9a-z.]*))?\s*(?:;\s*(?P<marker>.+))?$"
)


def normal_name(name: str) -> str:
    """A package's name as pip compares them (PEP 503): ``PyYAML`` is ``pyyaml``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(path: Path) -> Iterator[tuple[int, str, re.Match[str]]]:
    """``(line number, line, match)`` for each requirement of ``path``.

    ``-r`` lines (another file) are left out.

    Raises
    ------
    ValueError
        If a requirement is not a lower bound, ``name>=version``.
    """
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        match = _LOWER_BOUND.match(line)
        if match is None:
            raise ValueError(
                f"{path.name} line {number}: expected 'name>=version', got {line!r}"
            )
        yield number, line, match


def read_floors(path: Path = REQUIREMENTS) -> dict[str, str]:
    """Return ``{name: version}`` for every requirement in ``path``, in order.

    Raises
    ------
    ValueError
        If a requirement is not of the form ``name>=version``: the student
        requirements are lower bounds, never pins.
    """
    floors = {}
    for number, line, match in _requirements(path):
        if match["below"] or match["marker"]:
            raise ValueError(
                f"{path.name} line {number}: expected 'name>=version', got {line!r}"
            )
        floors[match["name"].lower()] = match["version"]
    return floors


def lower_bounds(path: Path = DEV_REQUIREMENTS) -> dict[str, str]:
    """``{normal name: "name>=version[,<version][ ; marker]"}`` for ``path``.

    For ``requirements-dev.txt``, whose lines may carry an upper bound or an
    environment marker; its ``-r`` line (the lab's own file) is left to
    :func:`read_floors`.
    """
    found: dict[str, str] = {}
    for _, _, match in _requirements(path):
        text = f"{match['name']}>={match['version']}"
        if match["below"]:
            text += f",<{match['below']}"
        if match["marker"]:
            text += f" ; {match['marker'].strip()}"
        found[normal_name(match["name"])] = text
    return found


def notebook_floors(path: Path = REQUIREMENTS) -> dict[str, str]:
    """The floors the notebook's setup cell checks: all but the front end."""
    return {
        name: version
        for name, version in read_floors(path).items()
        if name not in FRONT_END
    }


def pinned_to_floors(path: Path = REQUIREMENTS) -> str:
    """``requirements.txt`` with every floor as an exact pin, as file text."""
    return "".join(
        f"{name}=={version}\n" for name, version in read_floors(path).items()
    )
