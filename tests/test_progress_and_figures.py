"""Time estimates before long runs, and figures sized to fit a notebook."""

import re

import nbformat
import numpy as np
import pytest

from instructor.layout import SOURCE_NOTEBOOK
from labkit import plots, progress


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "under a second"),
        (12.4, "about 12 s"),
        (89, "about 89 s"),
        (200, "about 3 min"),
    ],
)
def test_duration_text(seconds, text):
    assert progress.duration_text(seconds) == text


def test_announce_runs_the_students_functions_and_prints_one_line(capsys):
    calls = []

    def find(X, centroids):
        calls.append(("find", X.shape, centroids.shape))
        return np.zeros(len(X), dtype=int)

    def compute(X, idx, K):
        calls.append(("compute", X.shape, K))
        return np.zeros((K, X.shape[1]))

    progress.announce("2 runs", [(16384, 16, 10), (16384, 4, 10)], find, compute)
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(progress.ESTIMATE_PREFIX) and line.endswith("for 2 runs.")
    sample = (progress.SAMPLE_ROWS, 3)
    assert calls == [
        ("find", sample, (16, 3)),
        ("compute", sample, 16),
        ("find", sample, (4, 3)),
        ("compute", sample, 4),
    ]


def test_a_slow_estimate_points_to_the_section_that_speeds_it_up(capsys, monkeypatch):
    monkeypatch.setattr(progress, "seconds_per_iteration", lambda *args: 1.0)
    progress.announce("a long run", [(progress.SAMPLE_ROWS, 16, 119)], None, None)
    out = capsys.readouterr().out
    assert out.startswith("Estimate: about 2 min for a long run. ")
    [number] = re.findall(r"Section (\d+)", out)
    headings = [
        line
        for cell in nbformat.read(SOURCE_NOTEBOOK, as_version=4).cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith(f"## {number}. ")
    ]
    assert len(headings) == 1 and "fast" in headings[0], headings


def test_a_quick_estimate_gives_no_advice(capsys, monkeypatch):
    monkeypatch.setattr(progress, "seconds_per_iteration", lambda *args: 0.01)
    progress.announce("a short run", [(progress.SAMPLE_ROWS, 16, 19)], None, None)
    assert capsys.readouterr().out == "Estimate: under a second for a short run.\n"


@pytest.mark.parametrize(
    ("shape", "panel_width"),
    [
        ((128, 128, 3), 3.0),  # the lab's small photo: shown at least 3 inches wide
        ((600, 512, 3), 4.5),  # the portrait: near its natural 5.12 inches
        ((3000, 4000, 3), 4.5),  # a 12 MP landscape phone photo
        ((4000, 3000, 3), 4.5),  # a 12 MP portrait phone photo
        ((4000, 1000, 3), 1.5),  # a tall strip: capped at 6 inches tall
    ],
)
def test_comparison_figure_is_sized_from_the_photo(shape, panel_width):
    width, height = plots.comparison_size(shape)
    assert width == pytest.approx(2 * panel_width + 0.3)
    assert width <= 9.3  # 930 px at 100 dpi: fits a notebook's width unscaled
    panel_height = panel_width * shape[0] / shape[1]
    assert height == pytest.approx(panel_height + 0.5, abs=0.05)
    assert panel_height <= 6.0 + 1e-9
