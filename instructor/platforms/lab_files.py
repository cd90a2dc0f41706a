"""Copy the files a student's notebook runs with into an export's folder."""

import shutil
from pathlib import Path

from instructor.authoring.bundle import DATA_FILES, LAB_FILES, LAB_PACKAGES
from instructor.layout import REPO_ROOT


def copy_lab_files(folder: Path) -> list[str]:
    """Copy the lab's modules, ``labkit/`` and ``data/`` into ``folder``.

    The same files as the student bundle (:mod:`instructor.authoring.bundle`): never
    the source notebook or anything else in ``instructor/``.  Returns the
    paths written, relative to ``folder``.
    """
    written = []
    for name in LAB_FILES:
        shutil.copy2(REPO_ROOT / name, folder / name)
        written.append(name)
    for package in LAB_PACKAGES:
        for source in sorted((REPO_ROOT / package).rglob("*.py")):
            name = source.relative_to(REPO_ROOT).as_posix()
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
            written.append(name)
    (folder / "data").mkdir(exist_ok=True)
    for name in DATA_FILES:
        shutil.copy2(REPO_ROOT / "data" / name, folder / "data" / name)
        written.append(f"data/{name}")
    return written
