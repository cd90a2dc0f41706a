"""A submissions folder is hostile input: links, pipes, unreadable files and odd
names each get a zero row with the reason, and never stop the run, hide a
classmate's row or take her grade.

One honest notebook runs a worker (20 points); every other entry is judged
without one.
"""

import os
import unicodedata
from types import SimpleNamespace

import nbformat
import pytest
from submissions import notebook, read_csv

from instructor.__main__ import main
from instructor.grading import submission
from instructor.grading.discovery import MAX_ID_BYTES, find_submissions
from instructor.layout import SOURCE_NOTEBOOK

ESCAPE = "\x1b]52;c;aGk=\x07\x1b[2K"
LONG = "x" * 245


@pytest.fixture
def hostile_folder(tmp_path, monkeypatch):
    folder = tmp_path / "submissions"
    folder.mkdir()
    nbformat.write(notebook(), folder / "ann.ipynb")
    # A link named after nobody to a classmate's notebook, one to the
    # solutions, one into /proc.
    (folder / "copycat.ipynb").symlink_to(folder / "ann.ipynb")
    (folder / "solutions.ipynb").symlink_to(SOURCE_NOTEBOOK)
    (folder / "mem.ipynb").symlink_to("/proc/self/mem")
    os.mkfifo(folder / "pipe.ipynb")
    (folder / "locked.ipynb").write_bytes(b"{}")
    os.chmod(folder / "locked.ipynb", 0)
    (folder / f"{LONG}.ipynb").write_bytes(b"{}")
    (folder / f"evil{ESCAPE}.ipynb").write_bytes(b"{}")
    with open(os.fsencode(folder) + b"/Jos\xe9.ipynb", "wb") as file:  # Latin-1
        file.write(b"{}")

    # Root reads a file whatever its mode: make opening it fail as it does
    # for anyone else (in the submission reader alone).
    def refuse_locked(path, *args, **kwargs):
        if os.fsdecode(path).endswith("locked.ipynb"):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return os.open(path, *args, **kwargs)

    monkeypatch.setattr(
        submission, "os", SimpleNamespace(**{**vars(os), "open": refuse_locked})
    )
    return folder


@pytest.mark.worker
def test_hostile_entries_get_zero_rows_and_the_honest_student_full_marks(
    tmp_path, hostile_folder, capsys
):
    out = tmp_path / "gradebook"
    code = main(["grade", str(hostile_folder), "--out", str(out), "--timeout", "30"])
    stdout, stderr = capsys.readouterr()
    assert code == 0
    rows = read_csv(out / "grades.csv")
    assert (rows["ann"]["total"], rows["ann"]["status"]) == ("20", "graded")
    for student in ("copycat", "solutions", "mem"):
        assert rows[student]["total"] == "0"
        assert rows[student]["status"].startswith("a symbolic link, not a regular")
    assert rows["pipe"]["status"].startswith("a named pipe, not a regular file")
    assert rows["locked"]["status"].startswith("cannot be read (")
    odd = {
        r["status"].split(": ", 1)[1]: r
        for r in rows.values()
        if "bad-name" in r["student"]
    }
    assert sorted(odd) == [
        "its name holds control characters (rename the file)",
        "its name is not valid UTF-8 (rename the file)",
        f"its name is too long (245 bytes, at most {MAX_ID_BYTES})",
    ]
    assert all(r["total"] == "0" for r in odd.values())
    assert len(rows) == 9
    # The console never prints what a student put in a name raw.
    assert "\x1b" not in stdout + stderr and "\x07" not in stdout + stderr
    assert "zero for pipe: a named pipe" in stdout


def test_a_read_failure_is_named(tmp_path):
    path = tmp_path / "locked.ipynb"
    path.write_bytes(b"{}")
    os.chmod(path, 0)
    if os.geteuid() != 0:
        found = submission.read_submission(path, [])
        assert found.problem.startswith("cannot be read (Permission denied")
        return
    # As root, read it as nobody, who cannot: a forked child.
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
            problem = submission.read_submission(path, []).problem
            os.write(writer, problem.encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(pid, 0)
    assert said.startswith("cannot be read (Permission denied")


@pytest.mark.parametrize(
    "twin",
    [unicodedata.normalize("NFD", "José"), "JOSÉ"],
    ids=["NFD", "case"],
)
def test_two_names_of_one_student_are_an_error_naming_both(tmp_path, twin):
    (tmp_path / "José.ipynb").write_bytes(b"{}")
    (tmp_path / f"{twin}.ipynb").write_bytes(b"{}")
    with pytest.raises(ValueError, match="the student id|differ only in case") as error:
        find_submissions([tmp_path], log=print)
    assert str(tmp_path / "José.ipynb") in str(error.value)


def test_links_inside_a_student_folder_are_not_followed(tmp_path):
    submitted = tmp_path / "submitted"
    (submitted / "ann" / "lab").mkdir(parents=True)
    (submitted / "ann" / "lab" / "kmeans_lab.ipynb").write_bytes(b"{}")
    # Bob's folder is a link to Ann's; Cy's holds a link to a folder of hers.
    (submitted / "bob").symlink_to(submitted / "ann")
    (submitted / "cy").mkdir()
    (submitted / "cy" / "lab").symlink_to(submitted / "ann" / "lab")
    said = []
    found = {f.student: f for f in find_submissions([submitted], log=said.append)}
    assert sorted(found) == ["ann", "bob"]
    assert found["ann"].problem is None
    assert found["bob"].problem.startswith("a symbolic link")
    assert any("no row for cy" in line for line in said)
