"""What a test session may not change in the repository, as a comparable state.

The instructor's published release (``release/``), gradebooks (``gradebook/``,
the guides' ``--out``, and ``grading/``) and the committed student notebook
(``notebooks/``) are digested file by file; so is every file ``git status``
lists (changed, staged or untracked), so a test that edits an already-edited
file is seen too.  Without git, or outside a git work tree, only the folders
are digested.
"""

import hashlib
import subprocess
from pathlib import Path

#: The repository's folders that hold an instructor's work, ignored by git.
GUARDED = ("release", "grading", "gradebook", "notebooks")


def _digest(path):
    if path.is_symlink():
        return "symlink -> " + str(path.readlink())
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return "folder" if path.is_dir() else "missing"


def git_status(root):
    """``git status`` entries of ``root`` as ``{path: status}``; None without git."""
    try:
        listing = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain=v1", "-z"]
            + ["--untracked-files=all", "--ignore-submodules"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8", errors="surrogateescape")
    except (OSError, subprocess.SubprocessError):
        return None
    entries = {}
    fields = iter(listing.split("\0"))
    for field in fields:
        if not field:
            continue
        status, path = field[:2], field[3:]
        if "R" in status or "C" in status:
            next(fields, None)  # the path it was renamed or copied from
        entries[path] = status
    return entries


def repo_state(root):
    """``{description: digest}`` of everything a test session must leave alone."""
    root = Path(root)
    state = {}
    for folder in GUARDED:
        for path in sorted((root / folder).rglob("*")):
            if "__pycache__" not in path.parts:
                state[path.relative_to(root).as_posix()] = _digest(path)
    status = git_status(root)
    for path, code in (status or {}).items():
        state.setdefault(path, _digest(root / path))
        state[f"git status of {path}"] = code
    return state


def changes(before, after):
    """The descriptions whose digests differ between two :func:`repo_state` answers."""
    return sorted(key for key in {*before, *after} if before.get(key) != after.get(key))
