"""Write the student bundle: the folder and the zip a student is handed.

The bundle holds the student notebook, ``data/``, ``utils.py`` (with the
``labkit`` package behind it), ``public_tests.py``, the lab's requirements,
the licence, a student README with the links to open the lab, and Binder's
configuration; never the source notebook, the hidden tests or anything else
in ``instructor/``.  ``kmeans_lab_bundle.zip`` beside the folder holds the
same files.

A notebook opened alone (Colab, an LMS download) fetches the zip from the
``--bundle-url`` it was released with, checks the files it runs with
(:data:`NOTEBOOK_FILES`) against :func:`bundle_digest`, which the release
writes into its setup cell, and unpacks those files only.  The digest leaves
the rest of the bundle out, so a re-release that changes only a README, the
Binder files or the data's notes keeps every handed-out notebook working.
"""

import hashlib
import shutil
from collections.abc import Mapping
from pathlib import Path

from instructor.authoring.release import release_settings, student_notebook_text
from instructor.course import exercises
from instructor.files import write_zip
from instructor.layout import NOTEBOOK_NAME, REPO_ROOT

#: Modules copied from the repository root as they are.
LAB_MODULES = ("utils.py", "public_tests.py")
#: Other files copied from the repository root as they are.
LAB_FILES = (*LAB_MODULES, "requirements.txt", "LICENSE")
#: Packages copied whole (their Python files, subpackages included) from the
#: repository root.
LAB_PACKAGES = ("labkit",)
#: Data files the lab loads, copied into the bundle's data/ folder.
DATA_USED = ("ex7data2.mat", "grace_hopper_small.png", "grace_hopper.jpg")
#: Data files for reading (where the data comes from), copied beside them.
DATA_NOTES = ("README.md", "make_data.py")
DATA_FILES = DATA_USED + DATA_NOTES
#: What a notebook opened alone unpacks from the bundle and runs with, and
#: all that :func:`bundle_digest` covers; a name ending in "/" is a folder.
#: The setup cell runs before any lab file exists, so it holds a copy (its
#: own ``LAB_FILES``, not this module's), which a test keeps equal to this.
NOTEBOOK_FILES = (
    *LAB_MODULES,
    *(f"{package}/" for package in LAB_PACKAGES),
    *(f"data/{name}" for name in DATA_USED),
)
ZIP_NAME = "kmeans_lab_bundle.zip"
#: The branch of the students' repository the README's links open by default.
BRANCH = "main"
#: Marks a folder as a bundle this tool wrote, so it may replace it.
MARKER = ".kmeans-lab-bundle"
#: The Python that Binder builds the lab with: the newest one CI tests.
BINDER_PYTHON = "3.13"

STUDENT_README = """\
# K-means clustering and image compression: student lab

{links}## On your own computer

1. Install the lab's packages (a virtual environment is a good idea):

       pip install -r requirements.txt

   or, with Anaconda or Miniforge, `conda env create -f environment.yml`
   then `conda activate kmeans-lab`.

2. Open the lab and follow it from the top:

       jupyter lab kmeans_lab.ipynb

## Working on the lab

Write your code only between `### START CODE HERE ###` and `### END CODE HERE ###`.
Run the public test below each exercise: it tells you what is wrong and often why.
Passing it is a good sign, but the grader runs more cases than the public tests.

To hand in, submit `kmeans_lab.ipynb` renamed to your student id (for example
`jdoe42.ipynb`). Keep each graded cell's first line, `# GRADED FUNCTION: <name>`,
and do not rename the functions: that line is how the grader finds your code.

`data/` holds the 2-D data set and the photo (see `data/README.md` for where
they come from); `utils.py` has the lab's helpers and plots. The lab is free
software under the MIT licence (`LICENSE`).

## Graded exercises

{exercises}
"""


def exercise_table() -> str:
    """The student README's table of graded exercises, from the exercise table."""
    lines = ["| function | points | public test |", "|---|---|---|"]
    for exercise in exercises.EXERCISES:
        points = f"{exercise.max_points():g}"
        if exercise.optional:
            points += " (optional: bonus points)"
        lines.append(f"| `{exercise.name}` | {points} | `{exercise.public_test}` |")
    return "\n".join(lines)


def github_repo(repo_url: str) -> tuple[str, str] | None:
    """``(owner, name)`` of a GitHub repository URL, else None."""
    prefix = "https://github.com/"
    if not repo_url.startswith(prefix):
        return None
    parts = repo_url[len(prefix) :].strip("/").removesuffix(".git").split("/")
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


def student_links(
    repo_url: str | None = None, bundle_url: str | None = None, branch: str = BRANCH
) -> str:
    """The README's list of ways to open the lab, as Markdown lines.

    Colab opens the notebook alone, so its link needs the bundle URL to fetch
    the lab's files from; Binder builds the whole repository.  Both links
    need the bundle published to a public GitHub repository at ``repo_url``.
    """
    links: list[str] = []
    repo = github_repo(repo_url) if repo_url else None
    if repo_url and repo is None:
        raise ValueError(
            f"--repo-url must be https://github.com/OWNER/REPO, got {repo_url!r}"
        )
    if repo and bundle_url:
        owner, name = repo
        links.append(
            "- [Open in Colab](https://colab.research.google.com/github/"
            f"{owner}/{name}/blob/{branch}/{NOTEBOOK_NAME}): the notebook fetches "
            "the lab's files when it starts."
        )
    if repo:
        owner, name = repo
        links.append(
            f"- [Launch on Binder](https://mybinder.org/v2/gh/{owner}/{name}/"
            f"{branch}?labpath={NOTEBOOK_NAME}): JupyterLab in your browser, "
            "nothing to install."
        )
    if bundle_url:
        links.append(
            f"- [Download the lab]({bundle_url}) (`{ZIP_NAME}`), unzip it and "
            "follow the steps below."
        )
    if not links:
        return ""
    return "## Open the lab\n\n" + "\n".join(links) + "\n\n"


def notebook_uses(name: str) -> bool:
    """Whether the bundle's file ``name`` is one of :data:`NOTEBOOK_FILES`."""
    return any(
        name.startswith(wanted) if wanted.endswith("/") else name == wanted
        for wanted in NOTEBOOK_FILES
    )


def bundle_digest(files: Mapping[str, bytes]) -> str:
    """SHA-256 of the files the notebook runs with, as its setup cell checks it.

    ``files`` maps each path inside the zip to its bytes.  The digest is that
    of a ``sha256sum``-style manifest, one line per file of
    :data:`NOTEBOOK_FILES`, sorted by path: the notebook itself (it cannot
    hold its own checksum), the READMEs, the licence, the requirements, the
    Binder files and the data's notes are left out, so changing them keeps
    the digest.
    """
    manifest = "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n"
        for name in sorted(files)
        if notebook_uses(name)
    )
    return hashlib.sha256(manifest.encode()).hexdigest()


def notebook_files(folder: str | Path) -> dict[str, bytes] | None:
    """``{path: bytes}`` of the files the notebook runs with in a bundle folder.

    None if ``folder`` holds no bundle written by :func:`write_bundle`.
    """
    folder = Path(folder)
    if not (folder / MARKER).is_file():
        return None
    return {
        name: data
        for name, data in _bundle_files(folder).items()
        if notebook_uses(name)
    }


def changed_files(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> list[str]:
    """The paths whose bytes differ between two :func:`notebook_files` answers.

    Empty exactly when a notebook released with ``before`` accepts ``after``.
    """
    return sorted(
        name for name in {*before, *after} if before.get(name) != after.get(name)
    )


def _prepare(out: Path) -> None:
    if out.exists():
        if (out / MARKER).exists():
            shutil.rmtree(out)
        elif not out.is_dir() or any(out.iterdir()):
            raise ValueError(
                f"{out} exists and is not a bundle written by `release`; "
                "choose an empty or new folder"
            )
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by python -m instructor release\n")


def _copy_lab_files(out: Path, links: str) -> None:
    readme = STUDENT_README.format(links=links, exercises=exercise_table())
    (out / "README.md").write_text(readme, encoding="utf-8")
    for name in LAB_FILES:
        shutil.copy2(REPO_ROOT / name, out / name)
    shutil.copy2(REPO_ROOT / "environment.yml", out / "environment.yml")
    for package in LAB_PACKAGES:
        for source in sorted((REPO_ROOT / package).rglob("*.py")):
            target = out / source.relative_to(REPO_ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for name in DATA_FILES:
        shutil.copy2(REPO_ROOT / "data" / name, out / "data" / name)
    binder = out / "binder"
    binder.mkdir()
    (binder / "runtime.txt").write_text(f"python-{BINDER_PYTHON}\n")
    shutil.copy2(REPO_ROOT / "requirements.txt", binder / "requirements.txt")


def _bundle_files(out: Path) -> dict[str, bytes]:
    """``{path in the zip: bytes}`` for every file of the folder but the marker."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != MARKER
    }


def write_bundle(
    out: str | Path,
    source_path: str | Path,
    bundle_url: str | None = None,
    repo_url: str | None = None,
    branch: str = BRANCH,
) -> tuple[Path, Path]:
    """Write the student bundle into the folder ``out`` and the zip beside it.

    Parameters
    ----------
    out : Path
        The bundle folder; ``kmeans_lab_bundle.zip`` goes into its parent.
    source_path : Path
        The source notebook the student notebook is generated from.
    bundle_url : str, optional
        Where the zip will be published; written into the notebook, which
        then fetches the lab's files from there when opened alone.
    repo_url : str, optional
        The public GitHub repository the bundle folder will be pushed to, for
        the README's Colab and Binder links.
    branch : str, default "main"
        That repository's branch.

    Returns
    -------
    (Path, Path)
        The bundle folder and the zip.

    Raises
    ------
    ValueError
        If ``out`` exists, is not empty and was not written by this tool, or
        ``repo_url`` is not a GitHub repository URL.
    """
    out = Path(out)
    links = student_links(repo_url, bundle_url, branch)
    archive = out.parent / ZIP_NAME
    if archive.exists() and not (out / MARKER).exists():
        raise ValueError(
            f"{archive} exists and was not written with the bundle in {out}; "
            "move it away or choose another --out"
        )
    # The source is read and released before anything in ``out`` is touched:
    # a missing or broken source leaves the last release as it was.
    student_notebook_text(source_path, release_settings(bundle_url, None))
    _prepare(out)
    _copy_lab_files(out, links)
    digest = bundle_digest(_bundle_files(out)) if bundle_url else None
    settings = release_settings(bundle_url, digest)
    (out / NOTEBOOK_NAME).write_text(
        student_notebook_text(source_path, settings), encoding="utf-8"
    )
    write_zip(archive, dict(sorted(_bundle_files(out).items())))
    return out, archive
