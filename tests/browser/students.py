"""The students whose notebooks the browser test runs, and a deliberately broken copy.

Each student is the released notebook with some graded cells replaced: by the
reference solution from the source notebook, or by a loop version from
``tests/implementations.py``; the rest stay the stubs the release wrote.
"""

import inspect

import implementations as impl
import nbformat

from instructor import markers
from instructor.course import exercises
from instructor.layout import SOURCE_NOTEBOOK

#: The loop answers of the student who writes everything with loops: the
#: blog's double loop over examples and centroids (``np.linalg.norm`` per
#: pair, the slowest common answer), a loop over the clusters, and a
#: k-means++ that loops over the examples.  How long its Run All takes is
#: measured in benchmarks/loop_student.py, not asserted here.
LOOP_ANSWERS = {
    "find_closest_centroids": impl.closest_double_loop_norm,
    "compute_centroids": impl.centroids_loop_mean,
    "kMeans_plusplus_init": impl.plusplus_loops,
}


def reference_sources():
    """``{name: graded cell source}`` of the source notebook's reference solutions."""
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    return {name: cell.source for name, cell in markers.graded_cells(source)}


def loop_source(name):
    """A graded cell holding the loop answer for ``name``, renamed to ``name``."""
    function = LOOP_ANSWERS[name]
    code = inspect.getsource(function).replace(
        f"def {function.__name__}(", f"def {name}(", 1
    )
    return f"# GRADED FUNCTION: {name}\n\n\n{code}"


def with_answers(nb, answers):
    """A copy of ``nb`` whose graded cells named in ``answers`` hold those sources."""
    nb = nbformat.from_dict(nb)
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    for cell in nb.cells:
        name = markers.graded_name(cell)
        if name in answers:
            cell.source = answers[name]
    return nb


def blank(nb):
    """The student who has written nothing."""
    return with_answers(nb, {})


def required_only(nb):
    """The student who wrote the required exercises and left the optional one."""
    reference = reference_sources()
    return with_answers(
        nb,
        {
            name: reference[name]
            for name in reference
            if not exercises.is_optional(name)
        },
    )


def all_loops(nb):
    """The student who wrote every exercise, optional included, with loops."""
    return with_answers(nb, {name: loop_source(name) for name in LOOP_ANSWERS})


def all_reference(nb):
    """Every exercise with the reference solution."""
    return with_answers(nb, reference_sources())


#: Cells the broken copy adds: one writes to stderr and prints NaN, one
#: shows a figure wider than the notebook's column (20 inches: about 2,000
#: pixels in a column of about 850) and leaves a matplotlib object's repr as
#: its result, and one raises.
STDERR_CELL = (
    "import sys\n\n"
    'print("a warning of our own", file=sys.stderr)\n'
    "print(f\"cost {float('nan'):.4f}\")"
)
WIDE_FIGURE_CELL = (
    "wide_fig, wide_ax = plt.subplots(figsize=(20, 3))\n"
    'wide_ax.plot([0, 1], [0, 1])\nwide_ax.set_title("far too wide")'
)
RAISING_CELL = 'raise RuntimeError("broken on purpose")'


def broken(nb):
    """Every exercise answered, plus a stderr and NaN cell, a too-wide figure, a raise.

    The two first come after the imports cell; the raising cell is last, so
    Run All still runs everything before it.
    """
    nb = all_reference(nb)
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    after_imports = code[1] + 1
    nb.cells[after_imports:after_imports] = [
        nbformat.v4.new_code_cell(STDERR_CELL),
        nbformat.v4.new_code_cell(WIDE_FIGURE_CELL),
    ]
    nb.cells.append(nbformat.v4.new_code_cell(RAISING_CELL))
    return nb


def expected_figures(nb):
    """``[figures per code cell]`` for ``nb``'s code cells, from the source's run.

    The released notebook has the source notebook's cells in the same order;
    the source's stored outputs say how many figures each code cell shows:
    ``instructor execute`` keeps each figure's text (``<Figure size ...>``) and
    drops its picture.  The cells the broken copy adds are counted from what
    they do.
    """
    extra = {WIDE_FIGURE_CELL: 1, STDERR_CELL: 0, RAISING_CELL: 0}
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    stored = iter(
        sum(
            output.get("data", {}).get("text/plain", "").startswith("<Figure size")
            for output in cell.outputs
        )
        for cell in source.cells
        if cell.cell_type == "code"
    )
    counts = [
        extra[cell.source] if cell.source in extra else next(stored)
        for cell in nb.cells
        if cell.cell_type == "code"
    ]
    assert next(stored, None) is None, "the notebook has fewer cells than the source"
    return counts
