"""The text of a wrong answer: the failure it raises and how values are shown.

:class:`CheckFailed` carries the sentence a student reads; :func:`name_mistake`
takes that sentence from the catalogue of named mistakes
(:mod:`labkit.mistakes`).
"""

import re

import numpy as np

from .. import mistakes
from .cases import ARGUMENTS


class CheckFailed(AssertionError):
    """A wrong answer to ``case``; ``problem`` says what is wrong and why.

    ``mistake`` is the identifier of the named mistake (a key of
    :data:`labkit.mistakes.MISTAKES`, or a name of its own for a message not
    in the catalogue), or None when the message names none.
    """

    def __init__(self, case, problem, mistake=None):
        super().__init__(f"Case '{case.name}': {problem}")
        self.case = case
        self.problem = problem
        self.mistake = mistake


def fail(case, problem, mistake=None):
    """Raise :class:`CheckFailed` for ``case``, naming ``mistake`` if known."""
    raise CheckFailed(case, problem, mistake)


def array_text(values):
    """A short one-line rendering of an array, for messages."""
    text = np.array2string(
        np.asarray(values), precision=4, separator=", ", threshold=24
    )
    text = " ".join(text.split())
    return re.sub(r"\s+(?=[,\]])", "", re.sub(r"\[\s+", "[", text))


def describe_inputs(exercise, case):
    """One line per argument of ``case``: small arrays in full, big ones by shape."""
    lines = []
    for name, value in zip(ARGUMENTS[exercise], case.args, strict=False):
        if isinstance(value, np.ndarray):
            if value.size <= 24:
                text = f"np.array({array_text(value)})"
                if value.dtype not in (np.float64, np.int64):
                    text = text[:-1] + f", dtype=np.{value.dtype})"
            else:
                text = f"an array of shape {value.shape}, dtype {value.dtype}"
        else:
            text = repr(value)
        lines.append(f"    {name} = {text}")
    return lines


def name_mistake(case, shown, identifier, **values):
    """Fail ``case`` naming mistake ``identifier`` after ``shown`` (what came back)."""
    text = mistakes.sentence(identifier, **values)
    fail(case, f"{shown}: {text}" if shown else text, identifier)
