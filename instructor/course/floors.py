"""The lab's package floors, read from ``requirements.txt`` (their one home).

``requirements.txt`` lists what a student needs, each as ``name>=version``.
The student notebook's setup cell checks the packages the lab imports against
these floors; JupyterLab is the app the notebook opens in, not something the
lab imports (Colab, VS Code and hubs bring their own), so it is not checked.
"""

import re
from pathlib import Path

from instructor.layout import REPO_ROOT

REQUIREMENTS = REPO_ROOT / "requirements.txt"
#: Requirements that are the notebook's front end rather than imported by the lab.
FRONT_END = ("jupyterlab",)

_FLOOR = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*(?P<version>[0-9][0-9.]*)$"
)


def read_floors(path: Path = REQUIREMENTS) -> dict[str, str]:
    """Return ``{name: version}`` for every requirement in ``path``, in order.

    Raises
    ------
    ValueError
        If a requirement is not of the form ``name>=version``: the student
        requirements are lower bounds, never pins.
    """
    floors = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _FLOOR.match(line)
        if match is None:
            raise ValueError(
                f"{path.name} line {number}: expected 'name>=version', got {line!r}"
            )
        floors[match["name"].lower()] = match["version"]
    return floors


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
