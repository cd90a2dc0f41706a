"""The catalogue of named mistakes: one stable identifier and one sentence each.

The checks of :mod:`labkit.answers` (which the public tests and the grader
share) name a wrong answer's mistake by its identifier, e.g.
``closest.argmin_axis0``; the sentence a student reads is the one here, and
nowhere else.  Identifiers never change once released (a gradebook may record
them for a class report); sentences may be reworded.

A sentence may hold ``{fields}``, filled from the case (``K``, ``m``, ``n``,
``top``, ``name``, ...) by :func:`sentence`.
"""

#: ``{identifier: sentence}``.  Prefixes: ``closest.`` (find_closest_centroids),
#: ``centroids.`` (compute_centroids), ``state.`` (an answer that depends on
#: earlier calls), ``error.`` (an exception, in the student's terms).
MISTAKES = {
    # ------------------------------------------------------------------ common
    "common.returns_none": (
        "your function returned None. Does it end with `return {what}`? (A "
        "function without a return statement returns None.)"
    ),
    "common.returns_tuple": (
        "your function returned a tuple (several values separated by commas). "
        "Return only {what}, an array of shape {shape}."
    ),
    # ------------------------------------------------------------ find_closest
    "closest.one_based": "1-based indices. Python counts from 0.",
    "closest.per_centroid": (
        "one index per centroid, the example nearest to each centroid, instead of "
        "one per example. That is np.argmin(distances, axis=0) over an (m, K) "
        "distance array (take axis=1), distances from centroids to X instead of "
        "from X to centroids, or the parameters in the order (centroids, X)."
    ),
    "closest.l1": (
        "the L1 (Manhattan) distance, a sum of absolute differences, gives this. "
        "Use the Euclidean distance, np.sum((X[i] - centroids[k]) ** 2) for the "
        "squared one (the square root never changes which centroid is nearest)."
    ),
    "closest.max_norm": (
        "the max-norm (L-infinity) distance, the largest absolute difference, "
        "gives this. Use the Euclidean distance, np.sum((X[i] - centroids[k]) ** 2) "
        "for the squared one."
    ),
    "closest.int_distances": (
        "storing the distances, or the squared distances, in an integer array "
        "(np.zeros(K, dtype=int) cuts 2.83 to 2 and 0.8 to 0) gives this. Keep "
        "distances in a float array: np.zeros(K) is float."
    ),
    "closest.argmax": "taking the farthest centroid (argmax) gives this. Take the "
    "nearest: np.argmin.",
    "closest.two_features": (
        "a distance over the first two features only gives this: the number of "
        "features is hard-coded to 2. Use all n = X.shape[1]."
    ),
    "closest.no_axis": (
        "every index is 0. Either each example's distances collapsed to one "
        "number: np.sum(...) or np.linalg.norm(...) without axis=1 adds up the "
        "differences to every centroid at once, and the argmin of one number is 0 "
        "(sum over the features only, axis=1, one distance per centroid); or idx "
        "is never filled in (store the argmin in idx[i])."
    ),
    "closest.signed": (
        "signed differences gives this: without squaring (or abs), a negative "
        "difference makes a centroid look close. Square the differences before "
        "summing them."
    ),
    "closest.first_example": (
        "every example got the centroid nearest to X[0]: the distances use X[0] "
        "(or another fixed row) where they should use X[i], the example of this "
        "iteration."
    ),
    "closest.skips_first": (
        "centroid 0 is never chosen: the loop over centroids starts at 1. Use "
        "range(K), which starts at 0."
    ),
    "closest.skips_last": (
        "the last centroid (index {last}) is never chosen. Loop over range(K) with "
        "K = centroids.shape[0], not range(K - 1)."
    ),
    "closest.sorted_centroids": (
        "these are indices into the centroids sorted, not as given. idx[i] must "
        "number centroids in the order of the argument: do not sort them."
    ),
    "closest.best_not_updated": (
        "the best distance so far is never updated: when a centroid is closer, "
        "set both idx[i] = k and the best distance to its distance."
    ),
    "closest.min_not_argmin": (
        "these are the smallest distances themselves: np.min gives the distance, "
        "np.argmin the index of the centroid that has it."
    ),
    "closest.distances_to_X": (
        "the distances are measured to the first K examples (X[k]) instead of "
        "the centroids (centroids[k])."
    ),
    "closest.idx_size_K": (
        "idx was made with K = {K} entries, one per centroid, but it needs one per "
        "example: np.zeros(m, dtype=int) with m = X.shape[0] (here {m})."
    ),
    "closest.loop_past_K": (
        "your loop over centroids goes past the last one, K - 1 = {last}. Loop over "
        "range(K) with K = centroids.shape[0]."
    ),
    "closest.broadcast_rows": (
        "X - centroids pairs row i of X with row i of centroids, which only works "
        "when m = K. Give them new axes, X[:, np.newaxis, :] - centroids[np.newaxis, "
        ":, :] (shape (m, K, n)), or loop over the examples."
    ),
    "closest.where_sequence": (
        "np.where(d == d.min())[0] is an array of every index at the minimum, two "
        "or more on a tie, and idx[i] holds one number. Use np.argmin(d), which "
        "returns the first."
    ),
    "closest.loop_reuses_K": (
        "an empty array of distances: a loop variable reuses the name K (for K in "
        "range(K)), so K shrinks with every example. Give the loop its own "
        "variable: for k in range(K)."
    ),
    # -------------------------------------------------------- compute_centroids
    "centroids.sum": "the sum of each cluster instead of its mean gives this.",
    "centroids.divide_by_m": (
        "dividing by m (all examples) instead of the cluster's size gives this."
    ),
    "centroids.divide_by_K": (
        "dividing by K (the number of clusters) instead of the cluster's size "
        "gives this."
    ),
    "centroids.floor_division": (
        "floor division (//) rounds every mean down: divide with /."
    ),
    "centroids.mean_no_axis": (
        "np.mean without axis=0 (the mean of every number in the cluster, not of "
        "each feature) gives this."
    ),
    "centroids.median": "the median instead of the mean gives this.",
    "centroids.rounded": (
        "the means are rounded to {decimals} decimal{plural}. Return them "
        "unrounded: round only when you print."
    ),
    "centroids.integer": (
        "integer centroids: the means are truncated. Start from np.zeros((K, n)), "
        "which is float."
    ),
    "centroids.integer_sums": (
        "the sums are kept in an integer array, which drops each example's "
        "fraction as it is added. Start the sums from np.zeros((K, n)), float."
    ),
    "centroids.never_filled": "every row is still zero: centroids is never filled in.",
    "centroids.skips_first": (
        "centroid 0 is all zeros: the loop over clusters starts at 1. Use range(K)."
    ),
    "centroids.skips_last": (
        "centroid {last} (the last one) is all zeros: loop over range(K), not "
        "range(K - 1)."
    ),
    "centroids.only_last": (
        "only the last centroid is filled in: np.zeros((K, n)) inside the loop "
        "starts centroids again at every cluster. Create it once, before the loop."
    ),
    "centroids.return_in_loop": (
        "only centroid 0 is computed: the return statement is inside the loop, so "
        "the function returns after the first cluster. Move it after the loop."
    ),
    "centroids.one_based": (
        "row k holds the mean of cluster k + 1: clusters are numbered from 0, as "
        "idx is. Use X[idx == k] for row k."
    ),
    "centroids.example_not_cluster": (
        "row k comes from the example X[idx[k]], not from cluster k: the members "
        "of cluster k are X[idx == k]."
    ),
    "centroids.keeps_last": (
        "each cluster counts only its last example. `sums[k] = X[i]` replaces where "
        "`+=` adds, and `sums[idx] += X` adds each cluster once because NumPy "
        "buffers repeated indices (np.add.at(sums, idx, X) adds them all)."
    ),
    "centroids.not_equal": (
        "each row is the mean of the examples outside the cluster: X[idx != k] "
        "selects them. Use X[idx == k]."
    ),
    "centroids.drops_empty": (
        "an empty cluster lost its row, so the rows after it are numbered wrong. "
        "Keep one row per cluster, K in all; an empty cluster's row stays zeros."
    ),
    "centroids.bincount_short": (
        "np.bincount(idx) has only max(idx) + 1 = {top} entries when the last "
        "clusters are empty, not K = {K}: pass minlength=K."
    ),
    "centroids.global_shape": (
        "{rows} rows come from the notebook, not from the arguments: its global "
        "`{name}` has this shape{also}. Make centroids np.zeros((K, X.shape[1])) "
        "with the argument K."
    ),
    "centroids.mean_axis_1": (
        "np.mean(points, axis=1) averages each example's features, one number per "
        "example; the centroid averages the examples, one number per feature: axis=0."
    ),
    "centroids.integer_accumulator": (
        "an integer array cannot hold a float sum: start the sums from "
        "np.zeros((K, n)), which is float."
    ),
    "closest.wrong_length": (
        "expected one index per example, shape (m,) = ({m},). Make idx with one "
        "entry per row of X (m = X.shape[0]) and fill each one."
    ),
    "closest.global_X": (
        "your function works on a notebook global instead of its argument X. Use "
        "the function's arguments, never the notebook's variables."
    ),
    "closest.float_indices": (
        "expected integer indices. Create idx with np.zeros(m, dtype=int), or use "
        "np.argmin."
    ),
    "closest.out_of_range": (
        "indices must run from 0 to {last} (one per centroid), got values from "
        "{low} to {high}."
    ),
    "closest.global_centroids": (
        "the centroids your function measured against are the notebook's global "
        "`{name}`, not its argument `centroids`. Use the function's arguments, "
        "never the notebook's variables."
    ),
    "closest.wrong": (
        "{count} of {m} examples are assigned wrongly; e.g. example {i}, X[{i}] = "
        "{row}, expected centroid {want}, got {got}."
    ),
    "centroids.nan_for_empty": (
        "the mean of an empty cluster. Only average clusters that have points; "
        "an empty cluster's row stays zeros."
    ),
    "centroids.hard_coded_K": (
        "only the first {filled} of K = {K} centroids are computed, the rest are "
        "zeros: K hard-coded to {filled}? Loop over range(K) with the argument K."
    ),
    "centroids.global_K": (
        "only the first {filled} of K = {K} centroids are computed, the rest are "
        "zeros: the notebook's global K = {filled}? Loop over range(K) with the "
        "argument K."
    ),
    "centroids.loop_past_K": "Your loop goes past the last centroid, K - 1 = {last}.",
    "centroids.runtime_warning": (
        "the right answer, but with a warning: {warning}. An empty cluster should "
        "be skipped, not averaged."
    ),
    "centroids.wrong": (
        "{count} of {K} centroids are wrong; e.g. {where} ({points} points in "
        "centroid {k})."
    ),
    "error.undefined_name": (
        "Your function uses `{name}`, which is not one of its arguments ({names}) "
        "nor defined inside it. Use the function's arguments, never the "
        "notebook's variables."
    ),
    "error.other_length": (
        "X[idx == k] needs an X and an idx of the same length ({m} here): your "
        "function uses {where} ({length} rows) instead of its argument {which}. "
        "Use the function's arguments, never the notebook's variables."
    ),
    "error.modifies_input": (
        "your function modified its input argument {position}; work on a copy."
    ),
    # --------------------------------------------------------------- k-means++
    "plusplus.farthest": (
        "That is what taking the farthest example (argmax of D(x)) gives: "
        "k-means++ draws the next centroid at random, with probability "
        "proportional to D(x)^2, e.g. rng.choice(m, p=D2 / D2.sum())."
    ),
    # ------------------------------------------------------------------- state
    "state.cache": (
        'this is your function\'s answer to the earlier case "{earlier}", whose '
        "inputs differ (same shape): it keeps a result from an earlier call (a "
        "cache, or a global). Compute every answer from the arguments of this call."
    ),
    "state.global_centroids": (
        'these are the nearest of the centroids of the earlier case "{earlier}": '
        "your function keeps centroids from an earlier call (in a global). Use the "
        "argument centroids of this call."
    ),
    "state.random": (
        "two calls with the same inputs gave different answers: your function "
        "draws random numbers. Nothing here is random: compute the answer from the "
        "arguments."
    ),
    # ------------------------------------------------------------------ errors
    "error.shadowed_name": (
        "a variable of yours has the name of a function you call (sum, min, max, "
        "len, ...), so the name now means your array. Rename the variable."
    ),
    "error.read_only": (
        "your function tried to change one of its arguments in place, which the "
        "lab does not allow: work on a copy (new arrays, or X = X.copy() first), "
        "never on the arrays you are given."
    ),
    "error.ellipsis": (
        "the `...` in the hint are blanks for you to fill in, not code to run."
    ),
}


def sentence(identifier, **values):
    """The sentence of mistake ``identifier``, its ``{fields}`` filled from ``values``.

    Raises
    ------
    KeyError
        If ``identifier`` is not in :data:`MISTAKES`.
    """
    return MISTAKES[identifier].format(**values)


class _Generic(dict):
    """Fields a class-level sentence has no case for: said in general words."""

    WORDS = {"what": "...", "shape": "the expected shape", "top": "the top"}

    def __missing__(self, field):
        return self.WORDS.get(field, field)


def general_sentence(identifier):
    """The sentence of mistake ``identifier`` for no case in particular, or None.

    For a class report, where one sentence stands for many students' cases:
    each ``{field}`` becomes a general word (``{K}`` stays ``K``).
    """
    text = MISTAKES.get(identifier)
    if text is None:
        return None
    text = text.format_map(_Generic())
    return text[:1].upper() + text[1:]  # alone, not after "Case ...: "
