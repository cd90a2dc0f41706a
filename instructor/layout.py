"""Where the lab's files live, relative to the repository root."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The lab's assignment name, as nbgrader and otter know it.
ASSIGNMENT = "kmeans_lab"
#: The notebook's file name: the source, the student's, and in every bundle
#: and platform folder.
NOTEBOOK_NAME = f"{ASSIGNMENT}.ipynb"
SOURCE_NOTEBOOK = REPO_ROOT / "instructor" / "source" / NOTEBOOK_NAME
STUDENT_NOTEBOOK = REPO_ROOT / "notebooks" / NOTEBOOK_NAME
#: The student bundle folder ``release`` writes by default, relative to where it runs.
RELEASE_FOLDER = Path("release") / ASSIGNMENT
