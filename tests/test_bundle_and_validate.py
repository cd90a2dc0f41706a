"""instructor release --out and instructor validate."""

import nbformat
import pytest

from instructor import hidden_tests, markers
from instructor.__main__ import main
from instructor.bundle import MARKER
from instructor.layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK
from instructor.validate import check_lab


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundle")
    student = root / "student.ipynb"
    assert main(["release", "--student", str(student), "--out", str(root / "out")]) == 0
    return root / "out"


def bundle_texts(folder):
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file():
            texts[path.relative_to(folder).as_posix()] = path.read_bytes().decode(
                "utf-8", errors="replace"
            )
    return texts


def test_bundle_holds_what_a_student_needs_and_nothing_else(bundle):
    assert sorted(bundle_texts(bundle)) == [
        MARKER,
        "README.md",
        "data/README.md",
        "data/ex7data2.mat",
        "data/grace_hopper.jpg",
        "data/grace_hopper_small.png",
        "data/make_data.py",
        "kmeans_lab.ipynb",
        "labkit/__init__.py",
        "labkit/checks.py",
        "labkit/colours.py",
        "labkit/compression.py",
        "labkit/data.py",
        "labkit/kmeans.py",
        "labkit/plots.py",
        "labkit/starts.py",
        "public_tests.py",
        "requirements.txt",
        "utils.py",
    ]


def test_bundle_notebook_is_the_student_notebook(bundle):
    assert (bundle / "kmeans_lab.ipynb").read_text() == STUDENT_NOTEBOOK.read_text()


def test_no_solution_line_anywhere_in_the_bundle(bundle):
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    solution = [
        line.strip()
        for _, cell in markers.graded_cells(source)
        for line in markers.solution_lines(cell.source)
        if any(ch.isalnum() for ch in line) and not line.strip().startswith("#")
    ]
    assert solution
    for name, text in bundle_texts(bundle).items():
        lines = {line.strip() for line in text.splitlines()}
        assert not lines & set(solution), name
        assert markers.BEGIN_SOLUTION not in text, name


def test_no_hidden_test_text_anywhere_in_the_bundle(bundle):
    case_names = [
        hidden.case.name
        for name in hidden_tests.HIDDEN_TESTS
        for hidden in hidden_tests.hidden_cases(name)
    ]
    for name, text in bundle_texts(bundle).items():
        assert "hidden_tests" not in text, name
        for case_name in case_names:
            assert case_name not in text, (name, case_name)


def test_release_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path, capsys):
    (tmp_path / "mine.txt").write_text("precious")
    with pytest.raises(ValueError, match="not a bundle written by `release`"):
        main(
            ["release", "--student", str(tmp_path / "s.ipynb"), "--out", str(tmp_path)]
        )
    assert (tmp_path / "mine.txt").read_text() == "precious"


def test_release_replaces_its_own_earlier_bundle(tmp_path):
    out = tmp_path / "bundle"
    student = str(tmp_path / "s.ipynb")
    assert main(["release", "--student", student, "--out", str(out)]) == 0
    (out / "stale.txt").write_text("left over")
    assert main(["release", "--student", student, "--out", str(out)]) == 0
    assert not (out / "stale.txt").exists()


def test_validate_passes_on_the_lab(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out
    assert "the reference compute_centroids passes every hidden test (10 / 10" in out
    assert "the blank find_closest_centroids fails every hidden test (0 / 10" in out


def broken_source(tmp_path, replace, by):
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace(replace, by)
    path = tmp_path / "source.ipynb"
    nbformat.write(nb, path)
    return path


def failures(results):
    return [description for passed, description in results if not passed]


def test_validate_fails_when_the_reference_is_wrong(tmp_path):
    source = broken_source(
        tmp_path,
        "idx = np.argmin(scores, axis=1)",
        "idx = np.argmax(scores, axis=1)",
    )
    failed = failures(check_lab(source, STUDENT_NOTEBOOK))
    # Only the K = 1 case (1 point) has its farthest centroid also the nearest.
    assert (
        "the reference find_closest_centroids passes every hidden test (1 / 10 points)"
        in failed
    )
    assert any("passes its public test (AssertionError" in f for f in failed)


def test_validate_fails_when_a_graded_function_has_no_tests(tmp_path):
    source = broken_source(
        tmp_path,
        "def kMeans_init_centroids(X, K, rng=None):",
        "# GRADED FUNCTION: kMeans_init_centroids\n"
        "def kMeans_init_centroids(X, K, rng=None):",
    )
    failed = failures(check_lab(source, STUDENT_NOTEBOOK))
    assert "kMeans_init_centroids has hidden tests" in failed


def test_validate_fails_when_the_student_notebook_is_stale(tmp_path):
    stale = tmp_path / "student.ipynb"
    stale.write_text(STUDENT_NOTEBOOK.read_text().replace("Exercise 1", "Exercise one"))
    failed = failures(check_lab(SOURCE_NOTEBOOK, stale))
    assert failed == ["student.ipynb is what `release` generates"]
