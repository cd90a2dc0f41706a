"""The lab's case data: what a case is, and the inputs the checks share.

A :class:`Case` is one set of inputs for an exercise with its right answer;
:data:`ARGUMENTS` names each exercise's arguments; :data:`LINE` is the
three-point line on which k-means++'s choice frequencies are known.
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
#: Accepted frequency of the pair {0, 1}: 0.1 +- 5.5 standard deviations.
LINE_BAND = (0.07, 0.13)


class Seeded:
    """Stands for the random generator a case passes, in its description."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text
