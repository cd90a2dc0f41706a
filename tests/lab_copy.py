"""A copy of the repository files the release reads, for re-release tests.

A test points :mod:`instructor.authoring.bundle` at the copy (``monkeypatch.setattr(
bundle, "REPO_ROOT", copy)``) and edits it as an instructor would edit the
lab between two releases, without touching the repository.
"""

import shutil

from instructor.authoring import bundle
from instructor.layout import REPO_ROOT


def lab_copy(folder):
    """Copy what :func:`~instructor.authoring.bundle.write_bundle` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in (*bundle.LAB_FILES, "environment.yml"):
        shutil.copy2(REPO_ROOT / name, folder / name)
    for package in bundle.LAB_PACKAGES:
        shutil.copytree(
            REPO_ROOT / package,
            folder / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    (folder / "data").mkdir()
    for name in bundle.DATA_FILES:
        shutil.copy2(REPO_ROOT / "data" / name, folder / "data" / name)
    return folder


def edit(path, old, new):
    """Replace the one ``old`` of the text file ``path`` by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path, text):
    """Add ``text`` at the end of the text file ``path``."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
