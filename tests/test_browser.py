"""The lab as a student sees it: JupyterLab in headless Chromium, Run All, every figure.

The student bundle (``python -m instructor release`` output, not this
repository) is served with ``jupyter lab`` on 127.0.0.1 and opened in Debian's
Chromium through Playwright at 1280 x 800; each student's notebook is run
with Run > Run All Cells and read back from the page.  Screenshots of every
figure and of the first error box go to ``output/browser/<student>/``.

Marked ``browser``: ``pytest -m browser`` runs it alone.  Without Playwright
or Chromium it is skipped, unless ``LAB_BROWSER_TEST=required`` (``.ci/run``
sets it), when it fails instead.
"""

import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from browser import checks, students
from browser.jupyterlab import LabServer, browser, find_chromium, read_page, run_all

from instructor import markers
from instructor.authoring.bundle import NOTEBOOK_NAME
from instructor.authoring.release import stub_message
from instructor.layout import REPO_ROOT

pytestmark = pytest.mark.browser

#: Where the screenshots go, one folder per student.
SHOTS = REPO_ROOT / "output" / "browser"
#: Bounds on one Run All (generous: the machine's 2 cores are shared).
#: A hang guard, not a speed check: the loop student's time is measured in
#: benchmarks/loop_student.py.
RUN_TIMEOUT = {"blank": 120, "required": 300, "loops": 900, "broken": 300}
#: The most lines a failing exercise may show in its error box: the
#: friendly sentence and the few lines that say where, not a traceback wall.
MAX_ERROR_LINES = 8


def _missing_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    if find_chromium() is None:
        return "no Chromium found (apt-get install chromium, or set CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``(served, server, context)``: the served folder, the server, the browser."""
    reason = _missing_browser()
    if reason is not None:
        if os.environ.get("LAB_BROWSER_TEST") == "required":
            pytest.fail(f"the browser test is required here, but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    work = tmp_path_factory.mktemp("browser")
    bundle = work / "bundle"
    subprocess.run(
        [sys.executable, "-m", "instructor", "release"]
        + ["--student", str(work / "student.ipynb"), "--out", str(bundle)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    served = work / "served"
    served.mkdir()
    server = LabServer(served, work / "jupyter").start()
    try:
        with sync_playwright() as playwright:
            with browser(playwright, find_chromium(), work / "profile") as context:
                yield bundle, served, server, context
                assert context.blocked == [], "the page asked for more than 127.0.0.1"
    finally:
        server.stop()


_runs = {}


def run_student(lab, name, make):
    """Run All for one student, once per session; return ``(cells, seconds, nb)``."""
    if name in _runs:
        return _runs[name]
    bundle, served, server, context = lab
    released = nbformat.read(bundle / NOTEBOOK_NAME, as_version=4)
    nb = make(released)
    folder = served / name
    shutil.copytree(bundle, folder)
    nbformat.write(nb, folder / NOTEBOOK_NAME)
    shots = SHOTS / name
    shutil.rmtree(shots, ignore_errors=True)
    notebook = f"{name}/{NOTEBOOK_NAME}"
    page, seconds = run_all(context, server, notebook, name, RUN_TIMEOUT[name])
    try:
        cells = read_page(page, shots)
    finally:
        page.close()
        server.shut_down_kernels()
    print(f"browser: {name} ran all in {seconds:.1f} s; screenshots in {shots}")
    _runs[name] = cells, seconds, nb
    return _runs[name]


def graded_code_cells(nb):
    """``[(code cell number, name)]`` of the graded cells, in order."""
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    return [
        (i, markers.graded_name(c))
        for i, c in enumerate(code)
        if markers.graded_name(c)
    ]


def report(found, name):
    lines = "\n".join(f"  {kind}: {message}" for kind, message in found)
    return f"{len(found)} problem(s) on the page ({SHOTS / name}):\n{lines}"


def test_a_blank_student_stops_at_the_first_exercise_with_a_short_error(lab):
    cells, _, nb = run_student(lab, "blank", students.blank)
    [(first, name), (second, _), *_] = graded_code_cells(nb)
    ran = [cell.number for cell in cells if cell.ran]
    stopped = ran[-1]
    assert first < stopped < second, (
        f"Run All stopped at code cell {stopped}, not between the first "
        f"exercise (cell {first}) and the second (cell {second})"
    )
    found = checks.problems(cells, students.expected_figures(nb), stops_at=stopped)
    assert not found, report(found, "blank")
    box = checks.error_box(cells, stopped)
    assert stub_message(name) in box.text, box.text
    lines = [line for line in box.text.splitlines() if line.strip()]
    assert len(lines) <= MAX_ERROR_LINES, (
        f"the error box of code cell {stopped} shows {len(lines)} lines before "
        f"and around its sentence (a traceback wall); see {box.screenshot}"
    )


def test_a_student_who_skips_the_optional_exercise_runs_all(lab):
    cells, _, nb = run_student(lab, "required", students.required_only)
    found = checks.problems(cells, students.expected_figures(nb))
    assert not found, report(found, "required")


def test_a_loop_student_runs_all_and_is_told_how_long_first(lab):
    """The double loop student's Run All completes, every photo run announced.

    No timing assertion: benchmarks/loop_student.py measures the time.
    """
    cells, seconds, nb = run_student(lab, "loops", students.all_loops)
    found = checks.problems(cells, students.expected_figures(nb))
    announced, estimates = checks.announced_seconds(cells)
    print(
        f"browser: loops took {seconds:.1f} s; {estimates} estimates announced "
        f"{announced:.0f} s"
    )
    photo_runs = sum(
        "find_closest_centroids" in cell.source
        and ("X_img" in cell.source or "photo_path" in cell.source)
        and ("utils.announce" in cell.source)
        for cell in nb.cells
        if cell.cell_type == "code"
    )
    if estimates < photo_runs:
        found.append(
            ("slow", f"{estimates} estimates printed for {photo_runs} photo runs")
        )
    ran = [cell.number for cell in cells if cell.ran]
    code_cells = sum(cell.cell_type == "code" for cell in nb.cells)
    if len(ran) != code_cells:
        found.append(("stopped", f"Run All ran {len(ran)} of {code_cells} code cells"))
    assert not found, report(found, "loops")


def test_a_broken_copy_is_caught(lab):
    """Extra cells: stderr and NaN, a too-wide figure with a repr, a raise."""
    cells, _, nb = run_student(lab, "broken", students.broken)
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    stderr, wide = (
        code.index(students.STDERR_CELL),
        code.index(students.WIDE_FIGURE_CELL),
    )
    raising = len(code) - 1
    found = checks.problems(cells, students.expected_figures(nb))

    def blamed(kind, number):
        return [
            m for k, m in found if k == kind and m.startswith(f"code cell {number} ")
        ]

    assert any("a warning of our own" in m for m in blamed("error", stderr)), found
    assert blamed("nan", stderr), found
    assert blamed("shrunk", wide), found
    assert blamed("repr", wide), found
    assert blamed("alt", wide), found
    assert any("broken on purpose" in m for m in blamed("error", raising)), found
