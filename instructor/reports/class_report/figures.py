"""The report's figures: score distributions, as PNG bytes with a text alternative.

Drawn with matplotlib's object API (no pyplot, no global state), so the
report can be made in a thread or a server.  Each figure comes with its alt
text and the table of the numbers it shows, for readers who cannot see it.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

#: Bars of a score histogram: tenths of the maximum.
BINS = 10


@dataclass
class Histogram:
    """Scores binned into tenths of the maximum: the figure and its table."""

    title: str
    maximum: float
    counts: list[int]
    edges: list[float]

    def rows(self) -> list[tuple[str, int]]:
        """``[(range, students)]``: the histogram as a table."""
        rows = []
        for i, count in enumerate(self.counts):
            low, high = self.edges[i], self.edges[i + 1]
            closing = "]" if i == len(self.counts) - 1 else ")"
            rows.append((f"[{low:g}, {high:g}{closing}", count))
        return rows

    def alt(self) -> str:
        """One sentence saying what the bars show."""
        total = sum(self.counts)
        top = max(range(len(self.counts)), key=self.counts.__getitem__)
        low, high = self.edges[top], self.edges[top + 1]
        return (
            f"Histogram of {self.title} for {total} students, out of "
            f"{self.maximum:g} points; the most common range is {low:g} to "
            f"{high:g} points ({self.counts[top]} students)."
        )


def histogram(title: str, scores: Sequence[float], maximum: float) -> Histogram:
    """Bin ``scores`` (out of ``maximum``) into :data:`BINS` equal ranges."""
    maximum = maximum if maximum > 0 else 1.0
    edges = np.linspace(0.0, maximum, BINS + 1)
    counts, _ = np.histogram(np.clip(scores, 0.0, maximum), bins=edges)
    return Histogram(
        title, maximum, [int(c) for c in counts], [float(e) for e in edges]
    )


def histograms_png(histograms: Sequence[Histogram]) -> bytes:
    """One PNG (bytes) with a small histogram per entry, side by side."""
    figure = Figure(figsize=(3.0 * len(histograms), 2.4), dpi=80, layout="tight")
    axes = figure.subplots(1, len(histograms), squeeze=False)[0]
    for ax, entry in zip(axes, histograms, strict=True):
        width = entry.edges[1] - entry.edges[0]
        ax.bar(
            entry.edges[:-1],
            entry.counts,
            width=width * 0.9,
            align="edge",
            color="#3b6ea5",
            edgecolor="#1d3a5a",
        )
        ax.set_title(entry.title, fontsize=9)
        ax.set_xlabel(f"points (of {entry.maximum:g})", fontsize=8)
        ax.set_ylabel("students", fontsize=8)
        ax.set_xlim(0, entry.maximum)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.tick_params(labelsize=7)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
