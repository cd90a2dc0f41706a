"""Write the self-contained student bundle: what a student downloads.

The bundle holds the student notebook, ``data/``, ``utils.py`` (with the
``labkit`` package behind it),
``public_tests.py``, ``requirements.txt`` and a short README; never the
source notebook, the hidden tests or anything else in ``instructor/``.
"""

import shutil
from pathlib import Path

from . import exercises
from .layout import REPO_ROOT

#: Files copied from the repository root as they are.
LAB_FILES = ("utils.py", "public_tests.py", "requirements.txt")
#: Packages copied whole (their Python files) from the repository root.
LAB_PACKAGES = ("labkit",)
#: Data files copied into the bundle's data/ folder.
DATA_FILES = (
    "ex7data2.mat",
    "grace_hopper_small.png",
    "grace_hopper.jpg",
    "README.md",
    "make_data.py",
)
NOTEBOOK_NAME = "kmeans_lab.ipynb"
#: Marks a folder as a bundle this tool wrote, so it may replace it.
MARKER = ".kmeans-lab-bundle"

STUDENT_README = """\
# K-means clustering and image compression: student lab

1. Install the lab's packages (a virtual environment is a good idea):

       pip install -r requirements.txt

2. Open the lab and follow it from the top:

       jupyter lab kmeans_lab.ipynb

Write your code only between `### START CODE HERE ###` and `### END CODE HERE ###`.
Run the public test below each exercise: it tells you what is wrong and often why.
Passing it is a good sign, but the grader runs more cases than the public tests.

To hand in, submit `kmeans_lab.ipynb` renamed to your student id (for example
`jdoe42.ipynb`). Keep each graded cell's first line, `# GRADED FUNCTION: <name>`,
and do not rename the functions: that line is how the grader finds your code.

`data/` holds the 2-D data set and the photo (see `data/README.md` for where
they come from); `utils.py` has the lab's helpers and plots.

## Graded exercises

{exercises}
"""


def exercise_table():
    """The student README's table of graded exercises, from the exercise table."""
    lines = ["| function | points | public test |", "|---|---|---|"]
    for exercise in exercises.EXERCISES:
        points = f"{exercise.max_points():g}"
        if exercise.optional:
            points += " (optional: bonus points)"
        lines.append(f"| `{exercise.name}` | {points} | `{exercise.public_test}` |")
    return "\n".join(lines)


def write_bundle(out, student_notebook_text):
    """Write the student bundle into the folder ``out``; return its path.

    Raises
    ------
    ValueError
        If ``out`` exists, is not empty and was not written by this tool.
    """
    out = Path(out)
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
    (out / NOTEBOOK_NAME).write_text(student_notebook_text, encoding="utf-8")
    readme = STUDENT_README.format(exercises=exercise_table())
    (out / "README.md").write_text(readme, encoding="utf-8")
    for name in LAB_FILES:
        shutil.copy2(REPO_ROOT / name, out / name)
    for package in LAB_PACKAGES:
        (out / package).mkdir()
        for source in sorted((REPO_ROOT / package).glob("*.py")):
            shutil.copy2(source, out / package / source.name)
    for name in DATA_FILES:
        shutil.copy2(REPO_ROOT / "data" / name, out / "data" / name)
    return out
