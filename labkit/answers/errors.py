"""Errors the student's function raised, explained in a sentence.

A bare NumPy error (``index 3 is out of bounds for axis 0 with size 3``) is
read from its one-line text and told as the mistake that most likely raised
it, in the student's terms.
"""

import re

import numpy as np

from .. import mistakes
from .cases import ARGUMENTS
from .diagnosis import _global_int, _global_named

# --------------------------------------------------------------------------
# Errors the student's function raised, explained
# --------------------------------------------------------------------------


def error_text(error):
    """One line naming an exception, as the grader's worker describes it."""
    lines = str(error).strip().splitlines()
    kind = type(error).__name__
    return f"{kind}: {lines[0]}" if lines else kind


def _ran_with_shape(run, shape_of):
    """Whether a case of ``run`` returned an answer of shape ``shape_of(case)``."""
    return any(
        outcome.error is None and np.shape(outcome.result) == shape_of(other)
        for other, outcome in run
    )


def _notebook_K(namespace, K, advice):  # noqa: N802 - K as in the lab
    """`` The notebook's K is 3: <advice>.`` if the notebook's global K is not ``K``.

    Returns None when the notebook has no integer K, or its K is ``K``.
    """
    global_K = _global_int(namespace, "K")
    if global_K is None or global_K == K:
        return None
    return f" The notebook's K is {global_K}: {advice}."


def explain_error(exercise, case, error, namespace=None, run=()):
    """Say what an error raised by the student's function most likely means.

    ``error`` is the exception or its one-line description (``"Kind: text"``,
    as :func:`error_text` and the grader's worker write it): the public test
    and the grader explain the same text the same way.  ``run`` as for
    :func:`~.judging.check_closest`.  Returns ``(message, identifier or None)``.
    """
    if isinstance(error, BaseException):
        error = error_text(error)
    kind, _, text = error.partition(": ")
    said = f"your function raised {error}"
    args = dict(zip(ARGUMENTS[exercise], case.args, strict=False))
    X = args.get("X")
    numbers = [int(n) for n in re.findall(r"\d+", text)]

    def named(identifier, **values):
        text = mistakes.sentence(identifier, **values)
        return f"{said.rstrip('.')}. {text[:1].upper()}{text[1:]}", identifier

    if "read-only" in text:
        return named("error.read_only")
    if kind == "TypeError" and "ellipsis" in text:
        return named("error.ellipsis")
    if kind == "TypeError" and "object is not callable" in text and "ndarray" in text:
        return named("error.shadowed_name")
    found = re.match(r"name '(\w+)' is not defined", text)
    if kind == "NameError" and found:
        names = ", ".join(ARGUMENTS[exercise])
        return named("error.undefined_name", name=found.group(1), names=names)
    if exercise == "find_closest_centroids":
        m, K = X.shape[0], args["centroids"].shape[0]
        shapes = re.findall(r"\(([\d,]+)\)", text)
        if "could not be broadcast" in text and len(shapes) >= 2:
            rows = {s.split(",")[0] for s in shapes[:2]}
            if rows == {str(m), str(K)} and m != K:
                return named("closest.broadcast_rows")
        if "setting an array element with a sequence" in text:
            return named("closest.where_sequence")
        if "argmin of an empty sequence" in text:
            return named("closest.loop_reuses_K")
        if kind == "IndexError" and "out of bounds for axis 0 with size" in text:
            size = numbers[-1] if numbers else None
            if (
                size == K
                and m > K
                and (_ran_with_shape(run, lambda c: (c.args[1].shape[0],)))
            ):
                return named("closest.idx_size_K", K=K, m=m)
            if size == m and m < K:
                return named("closest.distances_to_X")
            if size == K:
                extra = (
                    _notebook_K(namespace, K, "use the centroids you are given") or ""
                )
                message, identifier = named("closest.loop_past_K", last=K - 1)
                return message + extra, identifier
    if exercise == "compute_centroids" and kind in ("ValueError", "IndexError"):
        idx, K = args["idx"], args["K"]
        top = int(idx.max()) + 1 if idx.size else 0
        mixed = "broadcast" in text or "boolean index" in text
        if mixed and top < K and top in numbers and K in numbers:
            return named("centroids.bincount_short", top=top, K=K)
    if (
        exercise == "compute_centroids"
        and "Cannot cast ufunc" in text
        and "int" in text
    ):
        return named("centroids.integer_accumulator")
    if kind == "IndexError" and "boolean index did not match" in text:
        m = X.shape[0]
        sizes = [int(n) for n in re.findall(r"(?:axis|dimension) is (\d+)", text)]
        rows, flags = (sizes + [m, m])[:2]
        if rows != m:
            length, which = rows, "X"
        else:
            length, which = flags, "idx"
        other = _global_named(
            namespace,
            lambda v: v.shape[0] == length and (v.ndim == 2) == (which == "X"),
        )
        where = f"the notebook's global `{other}`" if other else f"an array of {length}"
        return named("error.other_length", m=m, where=where, length=length, which=which)
    if kind == "IndexError" and "out of bounds for axis 0" in text:
        K = args.get("K", None)
        who = (
            _notebook_K(namespace, K, f"use the argument K ({K} here)")
            or " Is K hard-coded? Use the argument K (or centroids.shape[0])."
        )
        message, identifier = named("centroids.loop_past_K", last=K - 1)
        return message + who, identifier
    if exercise == "compute_centroids" and kind == "ValueError":
        sizes = set(np.bincount(args["idx"]).tolist())
        if "could not broadcast input array from shape" in text and any(
            f"({size},)" in text.split("into")[0] for size in sizes
        ):
            return named("centroids.mean_axis_1")
    return said, None
