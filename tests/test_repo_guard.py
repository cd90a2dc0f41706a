"""The session guard of conftest.py sees every way a test could touch the repository."""

import shutil
import subprocess

import pytest
from repo_guard import changes, git_status, repo_state


def git(root, *args):
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path):
    """A small git repository laid out like the lab's, with a release in it."""
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "kmeans_lab.ipynb").write_text("{}")
    (root / "utils.py").write_text("x = 1\n")
    (root / ".gitignore").write_text("/release/\n/output/\n")
    (root / "release" / "kmeans_lab").mkdir(parents=True)
    (root / "release" / "kmeans_lab" / "kmeans_lab.ipynb").write_text("released")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "lab")
    return root


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="no git")


@needs_git
@pytest.mark.parametrize(
    ("write", "seen"),
    [
        (lambda r: r / "release" / "kmeans_lab" / "kmeans_lab.ipynb", "release/"),
        (lambda r: r / "release" / "kmeans_lab_bundle.zip", "release/"),
        (lambda r: r / "notebooks" / "kmeans_lab.ipynb", "notebooks/"),
        (lambda r: r / "utils.py", "utils.py"),
        (lambda r: r / "new_file.txt", "new_file.txt"),
    ],
    ids=["released notebook", "new zip", "student notebook", "tracked", "untracked"],
)
def test_the_guard_sees_a_write(repo, write, seen):
    before = repo_state(repo)
    write(repo).write_text("written by a test")
    found = changes(before, repo_state(repo))
    assert found and all(seen in change for change in found), found


@needs_git
def test_the_guard_sees_a_second_edit_of_an_edited_file(repo):
    (repo / "utils.py").write_text("x = 2  # the instructor's edit, not committed\n")
    before = repo_state(repo)
    (repo / "utils.py").write_text("x = 3\n")
    assert changes(before, repo_state(repo)) == ["utils.py"]


@needs_git
def test_the_guard_sees_a_release_removed_and_ignores_what_it_does_not_guard(repo):
    before = repo_state(repo)
    (repo / "output").mkdir()
    (repo / "output" / "figure.png").write_text("a figure")
    assert changes(before, repo_state(repo)) == []
    shutil.rmtree(repo / "release")
    assert changes(before, repo_state(repo)) == [
        "release/kmeans_lab",
        "release/kmeans_lab/kmeans_lab.ipynb",
    ]


def test_without_git_the_guard_still_watches_the_release(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    (tmp_path / "release").mkdir()
    assert git_status(tmp_path) is None
    before = repo_state(tmp_path)
    (tmp_path / "release" / "kmeans_lab_bundle.zip").write_bytes(b"zip")
    assert changes(before, repo_state(tmp_path)) == ["release/kmeans_lab_bundle.zip"]
