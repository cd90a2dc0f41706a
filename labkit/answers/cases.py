"""The lab's case data: what a case is, and the inputs the checks share.

A :class:`Case` is one set of inputs for an exercise with its right answer;
:data:`ARGUMENTS` names each exercise's arguments; :data:`LINE` is the
three-point line on which k-means++'s choice frequencies are known.  The
public tests' generated data (pixels around a 16-colour palette, spread-out
examples, tight clusters) is made here, so that ``public_tests.py`` shows
its cases and what each test checks at a glance.
"""

from dataclasses import dataclass, field

import numpy as np

#: The arguments of each exercise, by name, for messages.
ARGUMENTS = {
    "find_closest_centroids": ("X", "centroids"),
    "compute_centroids": ("X", "idx", "K"),
    "kMeans_init_centroids": ("X", "K", "rng"),
    "kMeans_plusplus_init": ("X", "K", "rng"),
}


@dataclass
class Case:
    """One set of inputs for an exercise, with the answer and known wrong answers.

    ``expected`` for ``find_closest_centroids`` is a list holding, per example,
    the tuple of acceptable indices (more than one on an exact tie); for
    ``compute_centroids`` it is the (K, n) array of centroids.  ``mistakes``
    maps the description of a plausible mistake to the answer it gives.
    """

    name: str
    args: tuple
    expected: object
    mistakes: dict = field(default_factory=dict)


#: Three points on a line, 0, 1 and 3.  With the first centroid uniform and the
#: second drawn with probability proportional to D(x)^2, the pair {0, 1} comes
#: out with probability (1/3)(1/10) + (1/3)(1/5) = 0.1 (from 0: D^2 = 1, 9;
#: from 1: D^2 = 1, 4; from 3: D^2 = 9, 4 gives {0, 1} never).  Proportional to
#: D it would be (1/3)(1/4 + 1/3) = 0.194; uniform, 1/3.
LINE = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]])
LINE_SEEDS = 3000
#: How far a frequency over many seeded runs may stray from the probability a
#: right k-means++ gives, in standard deviations of that frequency (the public
#: and the hidden frequency tests both use it).  The seeds are fixed, but each
#: right way of drawing (``rng.choice``, a cumulative sum) draws differently,
#: so a right answer lands anywhere in the spread: past 5.5 standard
#: deviations with probability 4e-8, while the mistakes stay far outside
#: (weights D(x), a uniform choice, the farthest point: 17 or more).
FREQUENCY_SIGMAS = 5.5


def frequency_band(probability, runs):
    """``(low, high)``: the frequencies a right answer gives over ``runs`` runs."""
    spread = FREQUENCY_SIGMAS * (probability * (1 - probability) / runs) ** 0.5
    return probability - spread, probability + spread


#: Accepted frequency of the pair {0, 1}: 0.1 +- 0.030.
LINE_BAND = frequency_band(0.1, LINE_SEEDS)


class Seeded:
    """Stands for the random generator a case passes, in its description."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


# --------------------------------------------------------------------------
# Generated case data of the public tests (``public_tests.py``)
# --------------------------------------------------------------------------

#: 16 colours, at least 0.43 apart from each other: 8 corners of the RGB cube,
#: 6 edge and face midpoints and 2 inner points, in a scrambled order.
PALETTE_16 = np.array(
    [
        [0.5, 0.5, 0.5],
        [1.0, 1.0, 1.0],
        [0.0, 0.0, 0.5],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 1.0],
        [0.25, 0.75, 0.25],
        [0.0, 0.0, 0.0],
        [1.0, 1.0, 0.5],
        [0.0, 1.0, 0.0],
        [0.5, 0.0, 0.0],
        [1.0, 0.0, 1.0],
        [0.0, 0.5, 0.0],
        [0.5, 1.0, 1.0],
        [0.0, 0.0, 1.0],
        [1.0, 0.5, 1.0],
        [1.0, 1.0, 0.0],
    ]
)

#: Offsets shorter than 0.2 (under half the palette's spacing), in steps of 1/255:
#: a colour plus an offset is still nearest to that colour.
OFFSETS = np.array([[0, 0, 0], [10, -12, 7], [-20, 5, 15], [3, 3, -25], [-8, -9, -10]])
OFFSETS = OFFSETS / 255.0

#: 30 examples in 2-D, all different.
SPREAD = (np.arange(60.0) * 7 % 61).reshape(30, 2)
#: 16 float32 pixels, all different.
PIXELS = (np.arange(48).reshape(16, 3) * 5 % 256 / 255).astype(np.float32)


def pixels_near_palette():
    """Pixels each within 0.2 of one :data:`PALETTE_16` colour, and that colour.

    Returns ``(pixels, expected)``: a (40, 3) array, palette colour k plus
    one to three of :data:`OFFSETS`, and per pixel the tuple ``(k,)``, as
    ``find_closest_centroids``' cases expect it.
    """
    # Pixels: palette colour k plus one to three small offsets -> centroid k.
    order = [7, 0, 15, 3, 12, 9, 1, 14, 5, 11, 2, 8, 13, 4, 10, 6]
    pixels, pixel_idx = [], []
    for position, k in enumerate(order):
        for offset in OFFSETS[: 1 + position % 3]:
            pixels.append(np.clip(PALETTE_16[k] + offset, 0.0, 1.0))
            pixel_idx.append((k,))
    return np.array(pixels), pixel_idx


def clusters_around_palette():
    """Clusters whose means are the :data:`PALETTE_16` colours, shuffled.

    Returns ``(pixels, idx)``: cluster k holds 1, 2 or 3 points placed
    symmetrically around ``PALETTE_16[k]`` (c; c + d, c - d; or all three),
    so its mean is ``PALETTE_16[k]``; ``idx`` (int32) says which cluster.
    """
    pixels, pixel_idx = [], []
    for k, colour in enumerate(PALETTE_16):
        d = OFFSETS[1 + k % 4] / 4
        for point in (
            [colour],
            [colour + d, colour - d],
            [colour + d, colour - d, colour],
        )[k % 3]:
            pixels.append(point)
            pixel_idx.append(k)
    order = np.argsort(np.arange(len(pixels)) * 7 % len(pixels))
    pixels = np.array(pixels)[order]
    pixel_idx = np.array(pixel_idx, dtype=np.int32)[order]
    return pixels, pixel_idx


def four_tight_clusters():
    """20 points in four tight clusters (0.01 across) at corners 100 apart."""
    corners = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]])
    nudges = np.array([[0, 0], [0.01, 0], [0, 0.01], [-0.01, 0], [0, -0.01]])
    return np.concatenate([corner + nudges for corner in corners])
