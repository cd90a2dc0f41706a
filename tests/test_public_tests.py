"""Check the verdicts of public_tests.py on right and wrong implementations.

Every correct style in ``implementations.py`` must pass its public test and
print the success line; every wrong one must fail with an ``AssertionError``
whose message names the mistake.
"""

import contextlib
import inspect
import io
import re
import warnings

import implementations as impl
import nbformat
import numpy as np
import pytest

import public_tests
from instructor import markers
from instructor.layout import SOURCE_NOTEBOOK
from labkit import answers, environment

RUNNERS = {
    "kMeans_plusplus_init": public_tests.kMeans_plusplus_init_test,
    "find_closest_centroids": public_tests.find_closest_centroids_test,
    "compute_centroids": public_tests.compute_centroids_test,
    "kMeans_init_centroids": public_tests.kMeans_init_centroids_test,
}


def assert_passes(exercise, target, capsys):
    """Run the public test of ``exercise`` on ``target``; it must pass."""
    RUNNERS[exercise](target)
    out = capsys.readouterr().out
    more = "" if exercise == "kMeans_init_centroids" else r" \(the grader runs more\)"
    assert re.fullmatch(rf"{exercise}: all \d+ public tests passed{more}\.\n", out), out


def assert_fails_naming(exercise, target, phrase, capsys):
    """Run the public test of ``exercise`` on ``target``; it must name ``phrase``."""
    with pytest.raises(AssertionError) as caught:
        RUNNERS[exercise](target)
    message = " ".join(str(caught.value).split())
    assert phrase in message.lower(), message
    assert capsys.readouterr().out == "", "a failing run must not print success"


# --------------------------------------------------------------------------
# What graded cells may use: no right or wrong answer here reaches beyond it
# --------------------------------------------------------------------------

EVERY_IMPLEMENTATION = [
    pytest.param(value, id=name)
    for name, value in vars(impl).items()
    if inspect.isfunction(value) and name != "in_notebook"
]


@pytest.mark.parametrize("target", EVERY_IMPLEMENTATION)
def test_no_implementation_is_flagged_by_the_environment_check(target):
    """NumPy, the standard library, same-file helpers and data globals only."""
    assert environment.reach_problem(target) is None


# --------------------------------------------------------------------------
# find_closest_centroids
# --------------------------------------------------------------------------

CORRECT_CLOSEST = [
    pytest.param(impl.closest_double_loop_norm, id="double-loop-norm"),
    pytest.param(impl.closest_loop_broadcast, id="loop-over-examples-broadcast"),
    pytest.param(impl.closest_full_broadcast, id="full-broadcast-mKn"),
    pytest.param(impl.closest_matrix_product, id="matrix-product-expansion"),
    pytest.param(impl.closest_running_minimum, id="loop-over-centroids-running-min"),
    pytest.param(impl.closest_pure_python, id="pure-python-math-dist"),
    pytest.param(impl.closest_int32, id="returns-int32"),
    # run_kMeans and centroids[idx] accept a list of indices: so do the tests.
    pytest.param(impl.closest_list, id="returns-list"),
]

WRONG_CLOSEST = [
    pytest.param(impl.closest_one_based, "1-based", id="one-based"),
    pytest.param(impl.closest_float_indices, "float indices", id="float-indices"),
    pytest.param(impl.closest_l1, "l1 (manhattan)", id="l1-distance"),
    pytest.param(impl.closest_farthest, "farthest", id="argmax-farthest"),
    pytest.param(
        impl.closest_two_features,
        "hard-coded to 2",
        id="two-features-named",
    ),
    pytest.param(impl.closest_skips_last_centroid, "last centroid", id="range-K-1"),
    pytest.param(impl.closest_column, "flatten it", id="shape-m-by-1"),
    pytest.param(
        impl.closest_distance_matrix, "look like the distances", id="distance-matrix"
    ),
    pytest.param(impl.closest_modifies_X, "work on a copy", id="modifies-X"),
    pytest.param(impl.closest_never_filled, "never filled", id="idx-never-filled"),
    pytest.param(impl.closest_max_norm, "max-norm", id="max-norm"),
    pytest.param(impl.closest_int_distances, "integer array", id="int-distances"),
    pytest.param(impl.closest_missing_return, "return idx", id="missing-return"),
    pytest.param(impl.closest_returns_tuple, "return only idx", id="returns-tuple"),
    pytest.param(
        impl.closest_hard_coded_K, "goes past the last one", id="K-hard-coded-3"
    ),
    pytest.param(
        impl.closest_global_K, "the notebook's k is 3", id="notebook-K-not-argument"
    ),
    pytest.param(
        impl.closest_global_centroids,
        "global `initial_centroids`, not its argument `centroids`",
        id="global-initial-centroids",
    ),
    pytest.param(impl.closest_global_X, "global `x`", id="global-X"),
    pytest.param(
        impl.closest_undefined_global,
        "uses `initial_centroids`, which is not one of its arguments (x, centroids)",
        id="global-not-yet-defined",
    ),
    pytest.param(impl.closest_stale_idx, "global `idx`", id="stale-global-idx"),
]


@pytest.mark.parametrize("target", CORRECT_CLOSEST)
def test_correct_find_closest_passes(target, capsys):
    assert_passes("find_closest_centroids", target, capsys)


@pytest.mark.parametrize(("target", "phrase"), WRONG_CLOSEST)
def test_wrong_find_closest_is_named(target, phrase, capsys):
    assert_fails_naming("find_closest_centroids", target, phrase, capsys)


@pytest.mark.parametrize("target", CORRECT_CLOSEST)
def test_correct_find_closest_agrees_with_brute_force(target):
    """Our 'correct' styles really are correct, judged apart from public_tests."""
    rng = np.random.default_rng(0)
    X, centroids = rng.random((200, 3)), rng.random((7, 3))
    expected = [
        min(range(7), key=lambda k, x=x: np.sum((x - centroids[k]) ** 2)) for x in X
    ]
    assert np.asarray(target(X, centroids)).tolist() == expected


# --------------------------------------------------------------------------
# compute_centroids
# --------------------------------------------------------------------------

CORRECT_CENTROIDS = [
    pytest.param(impl.centroids_loop_mean, id="loop-mean-guarded"),
    pytest.param(impl.centroids_bincount, id="bincount-weights"),
    pytest.param(impl.centroids_add_at, id="add-at"),
    pytest.param(impl.centroids_one_hot, id="one-hot-matrix-product"),
    pytest.param(impl.centroids_pure_python, id="pure-python-sums"),
    pytest.param(impl.centroids_list, id="returns-list-of-arrays"),
    pytest.param(impl.centroids_as_list, id="returns-list-of-lists"),
]

WRONG_CENTROIDS = [
    pytest.param(impl.centroids_sum, "sum of each cluster", id="sum-not-mean"),
    pytest.param(impl.centroids_median, "median", id="median-not-mean"),
    pytest.param(impl.centroids_divide_by_m, "dividing by m", id="divide-by-m"),
    pytest.param(impl.centroids_two_features, "hard-coded to 2", id="n-hard-coded-2"),
    pytest.param(impl.centroids_skips_last, "(the last one)", id="range-K-1"),
    pytest.param(
        impl.centroids_drops_last_row, "last centroid is missing", id="K-1-rows"
    ),
    pytest.param(impl.centroids_nan_for_empty, "nan", id="nan-for-empty-cluster"),
    pytest.param(
        impl.centroids_warns_then_patches,
        "right answer, but with a warning",
        id="runtime-warning-then-nan-to-num",
    ),
    pytest.param(impl.centroids_integer, "integer centroids", id="integer-dtype"),
    pytest.param(impl.centroids_modifies_X, "work on a copy", id="modifies-X"),
    pytest.param(
        impl.centroids_mean_without_axis, "without axis=0", id="mean-without-axis"
    ),
    pytest.param(impl.centroids_rounded, "rounded to 2 decimals", id="rounded"),
    pytest.param(impl.centroids_hard_coded_K, "hard-coded to 3", id="K-hard-coded"),
    pytest.param(
        impl.centroids_global_K, "notebook's global k = 3", id="notebook-K-not-argument"
    ),
    pytest.param(impl.centroids_global_X, "global `x`", id="global-X"),
    pytest.param(
        impl.centroids_initial_shape,
        "global `initial_centroids` has this shape",
        id="shape-of-initial-centroids",
    ),
    pytest.param(impl.centroids_stale_idx, "global `idx`", id="stale-global-idx"),
    pytest.param(impl.centroids_no_minlength, "minlength=k", id="bincount-minlength"),
    pytest.param(impl.centroids_mean_axis_1, "axis=0", id="mean-axis-1"),
    pytest.param(impl.centroids_missing_return, "return centroids", id="no-return"),
    pytest.param(
        impl.centroids_returns_tuple, "return only centroids", id="returns-tuple"
    ),
    pytest.param(impl.centroids_never_filled, "never filled", id="never-filled"),
]


@pytest.mark.parametrize("target", CORRECT_CENTROIDS)
def test_correct_compute_centroids_passes(target, capsys):
    assert_passes("compute_centroids", target, capsys)


@pytest.mark.parametrize(("target", "phrase"), WRONG_CENTROIDS)
def test_wrong_compute_centroids_is_named(target, phrase, capsys):
    assert_fails_naming("compute_centroids", target, phrase, capsys)


@pytest.mark.parametrize("target", CORRECT_CENTROIDS)
def test_correct_compute_centroids_agrees_without_warning(target):
    """Our 'correct' styles really are correct and quiet, even with empty clusters."""
    rng = np.random.default_rng(1)
    X = rng.random((50, 3))
    idx = rng.choice([0, 2, 3, 5], size=50)  # clusters 1, 4 and 6 are empty
    expected = np.zeros((7, 3))
    for k in (0, 2, 3, 5):
        expected[k] = X[idx == k].mean(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = np.asarray(target(X, idx, 7))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------
# kMeans_init_centroids
# --------------------------------------------------------------------------

CORRECT_INIT = [
    pytest.param(impl.init_choice, id="choice-without-replacement"),
    pytest.param(impl.init_permutation, id="permutation-of-row-numbers"),
    pytest.param(impl.init_permuted_rows, id="permuted-copy-of-X"),
    pytest.param(impl.init_choice_rows, id="choice-on-rows"),
]

WRONG_INIT = [
    pytest.param(impl.init_with_replacement, "picked twice", id="with-replacement"),
    # Unseeded: two runs agree by chance with probability 1 / (20*19*18*17*16).
    pytest.param(impl.init_ignores_rng, "same seed differ", id="ignores-rng-unseeded"),
    pytest.param(
        impl.init_fixed_seed, "every seed gives the same", id="ignores-rng-fixed-seed"
    ),
    pytest.param(
        impl.init_first_rows, "every seed gives the same", id="always-first-K-rows"
    ),
    pytest.param(impl.init_no_value_error, "expected a valueerror", id="K-above-m"),
    pytest.param(impl.init_rejects_K_equal_m, "raised valueerror", id="refuses-K-eq-m"),
    pytest.param(
        impl.init_permuted_columns, "one of the examples", id="permuted-columns"
    ),
    pytest.param(impl.init_shuffles_X, "work on a copy", id="shuffles-X"),
    pytest.param(
        impl.init_returns_indices, "expected an array of shape", id="returns-indices"
    ),
    pytest.param(impl.init_not_examples, "one of the examples", id="not-rows-of-X"),
]


@pytest.mark.parametrize("target", CORRECT_INIT)
def test_correct_kmeans_init_passes(target, capsys):
    assert_passes("kMeans_init_centroids", target, capsys)


@pytest.mark.parametrize(("target", "phrase"), WRONG_INIT)
def test_wrong_kmeans_init_is_named(target, phrase, capsys):
    assert_fails_naming("kMeans_init_centroids", target, phrase, capsys)


# --------------------------------------------------------------------------
# Stubs
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exercise", ["find_closest_centroids", "compute_centroids", "kMeans_init_centroids"]
)
def test_a_stub_stops_the_test_with_its_one_sentence(exercise, capsys):
    sentence = f"{exercise} is not written yet: replace this line with your code."

    def stub(*args):
        raise NotImplementedError(sentence)

    with pytest.raises(NotImplementedError) as caught:
        RUNNERS[exercise](stub)
    assert str(caught.value) == sentence
    assert caught.value._render_traceback_() == [sentence]
    assert capsys.readouterr().out == ""


def test_the_optional_stub_is_skipped_with_one_line(capsys):
    def stub(X, K, rng):
        raise NotImplementedError("kMeans_plusplus_init is not written yet")

    public_tests.kMeans_plusplus_init_test(stub)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "optional exercise is skipped" in out, out


# --------------------------------------------------------------------------
# What the student sees: one short error, the case and its inputs
# --------------------------------------------------------------------------


def test_a_failure_shows_the_case_its_inputs_and_the_mistake_only():
    with pytest.raises(AssertionError) as caught:
        public_tests.find_closest_centroids_test(impl.closest_max_norm)
    shown = caught.value._render_traceback_()
    assert shown[0] == (
        'find_closest_centroids_test failed on the case "2-D, where Euclidean, L1 '
        'and max-norm distances pick differently", called with'
    )
    assert shown[1] == "    X = np.array([[5.6, 0.], [0., 10.]])"
    assert shown[2] == (
        "    centroids = np.array([[0., 0.], [8.6, 3.], [0., 11.5], [1.1, 11.1]])"
    )
    assert "max-norm" in " ".join(shown[3:])
    assert len(shown) <= 8
    assert not any("public_tests.py" in line or "File " in line for line in shown)


def test_a_failure_raised_in_ipython_renders_without_frames():
    """What a notebook shows: IPython prints _render_traceback_ instead of frames."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.user_ns.update(public_tests=public_tests, bad=impl.closest_max_norm)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            shell.run_cell("public_tests.find_closest_centroids_test(bad)")
    finally:
        InteractiveShell.clear_instance()
    shown = out.getvalue()
    assert "max-norm" in shown and "Traceback" not in shown, shown
    assert "public_tests.py" not in shown and "labkit" not in shown, shown


def test_big_inputs_are_described_by_shape():
    case = answers.Case("big", (np.zeros((40, 3)), np.zeros((16, 3))), None)
    assert answers.describe_inputs("find_closest_centroids", case) == [
        "    X = an array of shape (40, 3), dtype float64",
        "    centroids = an array of shape (16, 3), dtype float64",
    ]


@pytest.mark.parametrize(
    ("exercise", "args", "advice", "otherwise"),
    [
        (
            "find_closest_centroids",
            (np.zeros((6, 2)), np.zeros((3, 2))),
            "use the centroids you are given.",
            "",
        ),
        (
            "compute_centroids",
            (np.zeros((6, 2)), np.zeros(6, dtype=int), 3),
            "use the argument K (3 here).",
            " Is K hard-coded? Use the argument K (or centroids.shape[0]).",
        ),
    ],
    ids=["closest", "centroids"],
)
def test_an_index_past_K_names_the_notebooks_K_only_when_it_differs(
    exercise, args, advice, otherwise
):
    """A loop past K = 3 with a notebook K of 5 names that K; a K of 3 does not."""
    case = answers.Case("loop", args, None)
    error = "IndexError: index 3 is out of bounds for axis 0 with size 3"
    told, identifier = answers.explain_error(exercise, case, error, {"K": 5})
    assert identifier.endswith("loop_past_K")
    assert told.endswith(f". The notebook's K is 5: {advice}"), told
    same, _ = answers.explain_error(exercise, case, error, {"K": 3})
    assert "notebook's K" not in same
    assert same == told.removesuffix(f" The notebook's K is 5: {advice}") + otherwise


# --------------------------------------------------------------------------
# kMeans_plusplus_init
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [impl.plusplus_loops, impl.plusplus_vectorised],
    ids=["loops", "vectorised"],
)
def test_correct_plusplus_passes(target, capsys):
    assert_passes("kMeans_plusplus_init", target, capsys)


@pytest.mark.parametrize(
    ("target", "phrase"),
    [
        (impl.plusplus_distance_weights, "proportional to d(x), not d(x)^2"),
        (impl.plusplus_uniform, "two centroids in one cluster"),
        (impl.plusplus_ignores_rng, "same seed differ"),
        (impl.plusplus_first_centroid_only, "its weight d(x)^2 is 0"),
        (impl.plusplus_first_is_X0, "always x[0]"),
        (impl.plusplus_farthest_first, "taking the farthest example"),
    ],
    ids=[
        "D-weights",
        "uniform",
        "ignores-rng",
        "first-centroid-only",
        "first-X0",
        "farthest-first",
    ],
)
def test_wrong_plusplus_is_named(target, phrase, capsys):
    assert_fails_naming("kMeans_plusplus_init", target, phrase, capsys)


def test_a_shape_taken_from_a_notebook_global_is_named_by_its_identifier():
    with pytest.raises(answers.PublicTestFailure) as caught:
        public_tests.compute_centroids_test(impl.centroids_initial_shape)
    assert caught.value.mistake == "centroids.global_shape"


def test_farthest_first_plusplus_is_named_by_its_identifier():
    with pytest.raises(answers.PublicTestFailure) as caught:
        public_tests.kMeans_plusplus_init_test(impl.plusplus_farthest_first)
    assert caught.value.mistake == "plusplus.farthest"


def test_plusplus_line_probability_matches_the_hand_derivation():
    """Exact enumeration of the first two picks gives P({0, 1}) = 0.1."""
    points = [0.0, 1.0, 3.0]
    probability = 0.0
    for first in points:
        weights = {p: (p - first) ** 2 for p in points}
        total = sum(weights.values())
        for second, weight in weights.items():
            if {first, second} == {0.0, 1.0}:
                probability += (1 / 3) * weight / total
    assert probability == pytest.approx(0.1)
    low, high = answers.LINE_BAND
    assert low < probability < high


# --------------------------------------------------------------------------
# Hints scaffold: pasting their code never passes
# --------------------------------------------------------------------------


def _hint_blocks(markdown):
    return re.findall(r"```python\n(.*?)```", markdown, re.DOTALL)


def _with_hint_pasted(graded_source, code):
    """The graded cell with its solution region replaced by ``code``."""
    lines = graded_source.splitlines()
    [(start, end, indent)] = list(markers.solution_regions(graded_source))
    pasted = [indent + line if line else line for line in code.splitlines()]
    lines[start : end + 1] = pasted
    return "\n".join(lines)


@pytest.mark.parametrize(
    "exercise", ["find_closest_centroids", "compute_centroids", "kMeans_plusplus_init"]
)
def test_pasting_the_hints_code_does_not_pass(exercise, capsys):
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    position = next(
        i for i, c in enumerate(nb.cells) if markers.graded_name(c) == exercise
    )
    explanation = nb.cells[position - 1]
    assert explanation.cell_type == "markdown" and "Hint 1" in explanation.source
    blocks = _hint_blocks(explanation.source)
    assert blocks, "each exercise's hints hold a skeleton"
    assert len(re.findall(r"<summary><b>Hint", explanation.source)) >= 3
    for code in ["".join(blocks), *blocks]:
        namespace = {"np": np}
        exec(_with_hint_pasted(nb.cells[position].source, code), namespace)
        with pytest.raises(AssertionError):
            RUNNERS[exercise](namespace[exercise])
        assert "passed" not in capsys.readouterr().out
