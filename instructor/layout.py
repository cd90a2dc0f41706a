"""Where the lab's files live, relative to the repository root."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_NOTEBOOK = REPO_ROOT / "instructor" / "source" / "kmeans_lab.ipynb"
STUDENT_NOTEBOOK = REPO_ROOT / "notebooks" / "kmeans_lab.ipynb"
#: The student bundle folder ``release`` writes by default, relative to where it runs.
RELEASE_FOLDER = Path("release") / "kmeans_lab"
