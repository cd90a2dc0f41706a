"""instructor release --out and instructor validate."""

import ast
import hashlib
import shutil
import subprocess
import zipfile

import nbformat
import pytest
from lab_copy import edit, lab_copy

from instructor import markers
from instructor.__main__ import main
from instructor.authoring import bundle as bundle_module
from instructor.authoring.bundle import (
    DATA_FILES,
    MARKER,
    NOTEBOOK_FILES,
    NOTEBOOK_NAME,
    ZIP_NAME,
    bundle_digest,
)
from instructor.authoring.validate import check_lab
from instructor.course import exercises
from instructor.layout import REPO_ROOT, SOURCE_NOTEBOOK, STUDENT_NOTEBOOK


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """The zip a student is handed, released with no URLs: ``{path: text}``."""
    root = tmp_path_factory.mktemp("bundle")
    student = root / "student.ipynb"
    assert main(["release", "--student", str(student), "--out", str(root / "out")]) == 0
    with zipfile.ZipFile(root / ZIP_NAME) as archive:
        texts = {
            name: archive.read(name).decode("utf-8", errors="replace")
            for name in archive.namelist()
        }
    assert texts == folder_texts(root / "out"), "the zip and the folder differ"
    return texts


def folder_texts(folder):
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file() and path.name != MARKER:
            texts[path.relative_to(folder).as_posix()] = path.read_bytes().decode(
                "utf-8", errors="replace"
            )
    return texts


def test_bundle_holds_what_a_student_needs_and_nothing_else(bundle):
    assert sorted(bundle) == [
        "LICENSE",
        "README.md",
        "binder/requirements.txt",
        "binder/runtime.txt",
        "data/README.md",
        "data/ex7data2.mat",
        "data/grace_hopper.jpg",
        "data/grace_hopper_small.png",
        "data/make_data.py",
        "environment.yml",
        "kmeans_lab.ipynb",
        "labkit/__init__.py",
        "labkit/answers/__init__.py",
        "labkit/answers/cases.py",
        "labkit/answers/diagnosis.py",
        "labkit/answers/errors.py",
        "labkit/answers/judging.py",
        "labkit/answers/messages.py",
        "labkit/answers/runner.py",
        "labkit/checks.py",
        "labkit/colours.py",
        "labkit/compression.py",
        "labkit/data.py",
        "labkit/environment.py",
        "labkit/kmeans.py",
        "labkit/mistakes.py",
        "labkit/plots.py",
        "labkit/progress.py",
        "labkit/starts.py",
        "public_tests.py",
        "requirements.txt",
        "utils.py",
    ]


def test_bundle_notebook_is_the_student_notebook(bundle):
    assert bundle["kmeans_lab.ipynb"] == STUDENT_NOTEBOOK.read_text()


def test_bundle_carries_the_licence_requirements_and_binder_settings(bundle):
    assert bundle["LICENSE"] == (REPO_ROOT / "LICENSE").read_text()
    assert bundle["LICENSE"].startswith("MIT License")
    requirements = (REPO_ROOT / "requirements.txt").read_text()
    assert bundle["requirements.txt"] == requirements
    assert bundle["binder/requirements.txt"] == requirements
    assert bundle["binder/runtime.txt"] == "python-3.13\n"


def test_student_readme_without_urls_has_no_links(bundle):
    readme = bundle["README.md"]
    assert "pip install -r requirements.txt" in readme
    assert "jupyter lab kmeans_lab.ipynb" in readme
    assert "http" not in readme


def test_student_readme_links_to_colab_binder_and_the_download(tmp_path):
    url = "https://example.org/course/kmeans_lab_bundle.zip"
    args = ["release", "--student", str(tmp_path / "s.ipynb")]
    args += ["--out", str(tmp_path / "out"), "--bundle-url", url]
    args += ["--repo-url", "https://github.com/some-course/kmeans-lab"]
    assert main(args) == 0
    readme = (tmp_path / "out" / "README.md").read_text()
    assert (
        "(https://colab.research.google.com/github/some-course/kmeans-lab/blob/main/"
        "kmeans_lab.ipynb)" in readme
    )
    assert (
        "(https://mybinder.org/v2/gh/some-course/kmeans-lab/main?"
        "labpath=kmeans_lab.ipynb)" in readme
    )
    assert f"[Download the lab]({url})" in readme
    notebook = nbformat.read(tmp_path / "out" / "kmeans_lab.ipynb", as_version=4)
    assert f'BUNDLE_URL = "{url}"' in notebook.cells[3].source


def test_release_refuses_a_repo_url_it_cannot_link_to(tmp_path, capsys):
    args = ["release", "--student", str(tmp_path / "s.ipynb")]
    args += ["--out", str(tmp_path / "out"), "--repo-url", "ftp://example.org/x"]
    assert main(args) == 2
    assert "--repo-url must be https://github.com/OWNER/REPO" in capsys.readouterr().err


def test_release_refuses_a_bundle_url_that_is_not_a_web_address(tmp_path, capsys):
    args = ["release", "--student", str(tmp_path / "s.ipynb")]
    args += ["--out", str(tmp_path / "out"), "--bundle-url", "release/bundle.zip"]
    assert main(args) == 2
    assert "--bundle-url must be a web address" in capsys.readouterr().err


def test_the_same_release_makes_the_same_zip(tmp_path):
    zips = []
    for run in ("first", "second"):
        out = tmp_path / run / "out"
        assert (
            main(["release", "--student", str(tmp_path / "s.ipynb"), "--out", str(out)])
            == 0
        )
        zips.append((out.parent / ZIP_NAME).read_bytes())
    assert zips[0] == zips[1]


def test_no_solution_line_anywhere_in_the_bundle(bundle):
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    solution = [
        line.strip()
        for _, cell in markers.graded_cells(source)
        for line in markers.solution_lines(cell.source)
        if any(ch.isalnum() for ch in line) and not line.strip().startswith("#")
    ]
    assert solution
    for name, text in bundle.items():
        lines = {line.strip() for line in text.splitlines()}
        assert not lines & set(solution), name
        assert markers.BEGIN_SOLUTION not in text, name


def test_no_hidden_test_text_anywhere_in_the_bundle(bundle):
    case_names = [
        hidden.case.name
        for name in exercises.names()
        for hidden in exercises.hidden_cases(name)
    ]
    for name, text in bundle.items():
        assert "hidden_tests" not in text, name
        for case_name in case_names:
            assert case_name not in text, (name, case_name)


def test_release_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path, capsys):
    (tmp_path / "mine.txt").write_text("precious")
    args = ["release", "--student", str(tmp_path / "s.ipynb"), "--out", str(tmp_path)]
    assert main(args) == 2
    assert "not a bundle written by `release`" in capsys.readouterr().err
    assert (tmp_path / "mine.txt").read_text() == "precious"


def test_release_replaces_its_own_earlier_bundle(tmp_path):
    out = tmp_path / "bundle"
    student = str(tmp_path / "s.ipynb")
    assert main(["release", "--student", student, "--out", str(out)]) == 0
    (out / "stale.txt").write_text("left over")
    assert main(["release", "--student", student, "--out", str(out)]) == 0
    assert not (out / "stale.txt").exists()


def test_a_release_from_a_missing_source_leaves_the_last_bundle_whole(tmp_path, capsys):
    out = tmp_path / "bundle"
    student = str(tmp_path / "s.ipynb")
    assert main(["release", "--student", student, "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    missing = str(tmp_path / "no_such_source.ipynb")
    args = ["release", "--source", missing, "--student", student, "--out", str(out)]
    assert main(args) == 2
    assert "no_such_source.ipynb" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.worker
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


@pytest.mark.worker
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
    assert any("passes its public test (PublicTestFailure" in f for f in failed)


@pytest.mark.worker
def test_validate_fails_when_a_graded_function_has_no_tests(tmp_path):
    source = broken_source(
        tmp_path,
        "def kMeans_init_centroids(X, K, rng=None):",
        "# GRADED FUNCTION: kMeans_init_centroids\n"
        "def kMeans_init_centroids(X, K, rng=None):",
    )
    failed = failures(check_lab(source, STUDENT_NOTEBOOK))
    assert "kMeans_init_centroids has hidden tests" in failed


@pytest.mark.worker
def test_validate_fails_when_the_student_notebook_is_stale(tmp_path):
    stale = tmp_path / "student.ipynb"
    stale.write_text(STUDENT_NOTEBOOK.read_text().replace("Exercise 1", "Exercise one"))
    failed = failures(check_lab(SOURCE_NOTEBOOK, stale))
    assert failed == ["student.ipynb is what `release` generates"]


def test_release_refuses_to_replace_a_zip_it_did_not_write(tmp_path, capsys):
    (tmp_path / ZIP_NAME).write_bytes(b"someone else's zip")
    student = tmp_path / "s.ipynb"
    args = ["release", "--student", str(student), "--out", str(tmp_path / "out")]
    assert main(args) == 2
    assert "was not written with the bundle" in capsys.readouterr().err
    assert (tmp_path / ZIP_NAME).read_bytes() == b"someone else's zip"
    assert not student.exists(), "nothing is written when release refuses"


def setup_value(nb, name):
    """The value of the ``name = ...`` line of the notebook's setup cell."""
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    [value] = [
        node.value
        for node in ast.parse(setup.source).body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == [name]
    ]
    return ast.literal_eval(value)


def test_the_setup_cell_unpacks_the_files_bundle_py_checks():
    """The notebook's copy of the list must run before any lab file exists."""
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    assert setup_value(source, "LAB_FILES") == NOTEBOOK_FILES


def test_the_notebook_files_are_in_the_bundle_and_hold_every_data_file_used(bundle):
    for wanted in NOTEBOOK_FILES:
        assert any(
            name.startswith(wanted) if wanted.endswith("/") else name == wanted
            for name in bundle
        ), f"{wanted} is in NOTEBOOK_FILES but not in the bundle"
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    code = [cell.source for cell in source.cells if cell.cell_type == "code"]
    code += [
        text
        for name, text in bundle.items()
        if name.endswith(".py") and not name.startswith("data/")
    ]
    for name in DATA_FILES:
        if any(f'"{name}"' in text for text in code):
            assert f"data/{name}" in NOTEBOOK_FILES, f"the lab loads data/{name}"
    assert "data/README.md" not in NOTEBOOK_FILES


def released_digest(folder):
    """The ``BUNDLE_SHA256`` the release wrote into the bundle's notebook."""
    return setup_value(
        nbformat.read(folder / NOTEBOOK_NAME, as_version=4), "BUNDLE_SHA256"
    )


def zip_files(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


URL = "https://example.org/course/kmeans_lab_bundle.zip"


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum")
def test_the_checksum_is_sha256sum_of_the_files_the_notebook_runs_with(tmp_path):
    out = tmp_path / "out"
    args = ["release", "--student", str(tmp_path / "s.ipynb"), "--out", str(out)]
    assert main([*args, "--bundle-url", URL]) == 0
    names = ["utils.py", "public_tests.py", "data/ex7data2.mat"]
    names += ["data/grace_hopper_small.png", "data/grace_hopper.jpg"]
    names += [p.relative_to(out).as_posix() for p in (out / "labkit").rglob("*.py")]
    manifest = subprocess.run(
        ["sha256sum", "--", *sorted(names)], cwd=out, capture_output=True, check=True
    ).stdout
    assert released_digest(out) == hashlib.sha256(manifest).hexdigest()


def test_only_the_files_the_notebook_runs_with_move_the_checksum(bundle):
    files = {name: text.encode() for name, text in bundle.items()}
    digest = bundle_digest(files)
    same = [
        {**files, "binder/apt.txt": b"graphviz\n"},
        {**files, "README.md": files["README.md"] + b"typo fixed\n"},
        {**files, "data/make_data.py": b"# rewritten\n"},
        {**files, NOTEBOOK_NAME: b"{}"},
        {name: data for name, data in files.items() if name != "LICENSE"},
    ]
    for changed in same:
        assert bundle_digest(changed) == digest
    different = [
        {**files, "utils.py": files["utils.py"] + b"# fixed\n"},
        {**files, "labkit/extra.py": b""},
        {name: data for name, data in files.items() if name != "data/grace_hopper.jpg"},
    ]
    for changed in different:
        assert bundle_digest(changed) != digest


def test_a_re_release_says_whether_handed_out_notebooks_keep_working(
    tmp_path, monkeypatch, capsys
):
    """Edit the lab as an instructor would between releases, in a copy of it."""
    lab = lab_copy(tmp_path / "lab")
    monkeypatch.setattr(bundle_module, "REPO_ROOT", lab)
    out = tmp_path / "release" / "kmeans_lab"
    args = ["release", "--student", str(tmp_path / "s.ipynb"), "--out", str(out)]

    def release():
        capsys.readouterr()
        assert main([*args, "--bundle-url", URL]) == 0
        printed = capsys.readouterr().out
        return released_digest(out), zip_files(out.parent / ZIP_NAME), printed

    first, first_zip, printed = release()
    assert "replaces" not in printed, "nothing was replaced"
    readme = bundle_module.STUDENT_README
    monkeypatch.setattr(
        bundle_module, "STUDENT_README", readme.replace("from the top", "from its top")
    )
    monkeypatch.setattr(bundle_module, "BINDER_PYTHON", "3.12")
    edit(lab / "data" / "README.md", "# Data", "# The data")
    edit(lab / "requirements.txt", "numpy", "NumPy")
    second, second_zip, printed = release()
    for name in ("README.md", "binder/runtime.txt", "data/README.md"):
        assert second_zip[name] != first_zip[name], f"the test did not change {name}"
    assert second == first
    assert "notebooks already handed out keep working with this bundle" in printed

    edit(lab / "labkit" / "data.py", '"ex7data2.mat"', '"ex7data2.mat"  # points')
    third, _, printed = release()
    assert third != first
    assert (
        "the files the notebook runs with changed since the bundle it replaces "
        "(labkit/data.py): notebooks already handed out will ask their students "
        "to download the notebook again"
    ) in printed
