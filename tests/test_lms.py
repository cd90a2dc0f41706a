"""LMS-ready grades: CSV cells a spreadsheet cannot run, the roster join with
resubmission suffixes, Canvas's import file, and ids that differ only in case.

Most submissions here are broken files: they grade to zero at once, without
a worker, which is all a test of file names and CSV cells needs.  One
correct notebook shows which of a student's files was graded (20 points
against 0 for the others).
"""

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest
from submissions import notebook, read_csv

from instructor.__main__ import main
from instructor.grading.discovery import (
    CanvasName,
    Found,
    find_submissions,
    parse_canvas_name,
)
from instructor.reports.gradebook import (
    FORMULA_STARTS,
    Roster,
    Student,
    canvas_csv,
    csv_text,
    match_submissions,
    neutralise,
    read_roster,
    restore,
)

BROKEN = b"{not json"

# OWASP's list of characters that start a formula in a spreadsheet.
DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("cell", DANGEROUS)
def test_a_formula_cell_becomes_text(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["ada", "20", "Doe, Jane", " =1", "", "'quoted"])
def test_other_cells_are_left_alone(cell):
    assert neutralise(cell) == cell


def test_formula_starts_are_the_six_owasp_lists():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


def test_csv_text_neutralises_header_and_cells():
    text = csv_text(["=h", "b"], [{"=h": "@x", "b": "ok"}, ["-1", "+2"]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["'=h", "b"],
        ["'@x", "ok"],
        ["'-1", "'+2"],
    ]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


@pytest.mark.worker
def test_grades_csv_neutralises_hostile_student_ids(tmp_path, capsys):
    folder = tmp_path / "subs"
    folder.mkdir()
    names = ["=HYPERLINK(x)", "+cmd", "-2+3", "@SUM(A1)", "plain"]
    for name in names:
        (folder / f"{name}.ipynb").write_bytes(BROKEN)
    code, _, _ = run(["grade", str(folder), "--out", str(tmp_path / "out")], capsys)
    assert code == 0
    students = [row[0] for row in read_rows(tmp_path / "out" / "grades.csv")[1:]]
    assert sorted(students) == sorted(
        ["'=HYPERLINK(x)", "'+cmd", "'-2+3", "'@SUM(A1)", "plain"]
    )


def test_ids_differing_only_in_case_are_an_error(tmp_path, capsys):
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "Sam.ipynb").write_bytes(BROKEN)
    (folder / "sam.ipynb").write_bytes(BROKEN)
    code, _, err = run(["grade", str(folder), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert "two student ids differ only in case or Unicode form" in err
    assert "'Sam'" in err and "'sam'" in err
    assert not (tmp_path / "out").exists()


# Canvas's gradebook export: a byte-order mark, the five student columns,
# assignment columns, the "Points Possible" row.
CANVAS_EXPORT = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Old quiz (101)\n"
    "    Points Possible,,,,,5\n"
    '"Doe, Jane",1001,S1001,jdoe42,Lab A,4\n'
    '"Smith, Al",1002,S1002,asmith,Lab A,5\n'
    '"Who, Bea",1003,S1003,bwho,Lab B,3\n'
    "\"=cmd|' /C calc'!A0\",1004,S1004,cd-12,Lab B,1\n"
)


@pytest.fixture
def lms_class(tmp_path):
    """Files as an LMS download names them, and the roster."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "jdoe42.ipynb").write_bytes(BROKEN)
    (folder / "jdoe42-1.ipynb").write_bytes(BROKEN)
    nbformat.write(notebook(), folder / "jdoe42-2.ipynb")  # the latest: 20 points
    (folder / "ASmith.ipynb").write_bytes(BROKEN)  # case differs from the roster
    (folder / "cd-12.ipynb").write_bytes(BROKEN)  # an id that ends in -12
    (folder / "stranger.ipynb").write_bytes(BROKEN)
    roster = tmp_path / "roster.csv"
    roster.write_text(CANVAS_EXPORT, encoding="utf-8")
    return folder, roster


def test_roster_grades_the_latest_file_of_each_student(tmp_path, lms_class, capsys):
    folder, roster = lms_class
    out = tmp_path / "out"
    argv = ["grade", str(folder), "--out", str(out), "--roster", str(roster)]
    code, stdout, _ = run(argv, capsys)
    assert code == 0
    assert "ids from its 'SIS Login ID' column" in stdout
    assert "jdoe42: took jdoe42-2.ipynb (the latest of 3 file(s))" in stdout
    assert "asmith: took ASmith.ipynb (the latest of 1 file(s))" in stdout
    assert "not in the roster, not graded: stranger.ipynb" in stdout
    assert "no submission from bwho (Who, Bea)" in stdout
    rows = read_csv(out / "grades.csv")
    assert sorted(rows) == ["asmith", "cd-12", "jdoe42"]
    assert (rows["jdoe42"]["total"], rows["jdoe42"]["max_total"]) == ("20", "20")
    assert rows["asmith"]["total"] == "0"
    assert rows["jdoe42"]["name"] == "Doe, Jane"  # the roster's name
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        "asmith.md",
        "cd-12.md",
        "jdoe42.md",
    ]


def test_canvas_format_writes_what_canvas_imports(tmp_path, lms_class, capsys):
    folder, roster = lms_class
    out = tmp_path / "out"
    argv = ["grade", str(folder), "--out", str(out), "--roster", str(roster)]
    argv += ["--format", "canvas", "--assignment", "K-means lab (202)"]
    code, stdout, _ = run(argv, capsys)
    assert code == 0
    assert f"wrote {out / 'canvas.csv'}" in stdout
    assert read_rows(out / "canvas.csv") == [
        [
            "Student",
            "ID",
            "SIS User ID",
            "SIS Login ID",
            "Section",
            "K-means lab (202)",
        ],
        ["Points Possible", "", "", "", "", "20"],
        ["Doe, Jane", "1001", "S1001", "jdoe42", "Lab A", "20"],
        ["Smith, Al", "1002", "S1002", "asmith", "Lab A", "0"],
        ["Who, Bea", "1003", "S1003", "bwho", "Lab B", ""],
        ["'=cmd|' /C calc'!A0", "1004", "S1004", "cd-12", "Lab B", "0"],
    ]


def test_canvas_format_without_a_roster_needs_canvas_names(tmp_path, lms_class, capsys):
    folder, _ = lms_class
    out = tmp_path / "o"
    argv = ["grade", str(folder), "--out", str(out), "--format", "canvas"]
    code, _, err = run(argv, capsys)
    assert code == 2 and "give Canvas's gradebook export as --roster" in err
    assert "ASmith.ipynb is not so named" in err  # the first plain name, sorted
    assert not out.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,email\nJane,j@x\n", "has no id column"),
        ("id,name\njdoe,Jane\nJDoe,John\n", "ids that differ only in case"),
        ("id,name\njdoe,Jane\njdoe,John\n", "the same id: 'jdoe' and 'jdoe'"),
    ],
)
def test_a_bad_roster_is_a_clear_error(tmp_path, lms_class, capsys, text, message):
    folder, _ = lms_class
    roster = tmp_path / "bad.csv"
    roster.write_text(text, encoding="utf-8")
    argv = ["grade", str(folder), "--out", str(tmp_path / "o"), "--roster", str(roster)]
    code, _, err = run(argv, capsys)
    assert code == 2 and message in err


def test_a_named_id_column_must_exist(tmp_path, lms_class, capsys):
    folder, roster = lms_class
    argv = ["grade", str(folder), "--out", str(tmp_path / "o"), "--roster"]
    argv += [str(roster), "--id-column", "Login"]
    code, _, err = run(argv, capsys)
    assert code == 2 and "has no column 'Login'" in err


def test_no_matching_submission_is_an_error(tmp_path, capsys):
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "nobody.ipynb").write_bytes(BROKEN)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\njdoe,Jane\n", encoding="utf-8")
    argv = ["grade", str(folder), "--out", str(tmp_path / "o"), "--roster", str(roster)]
    code, _, err = run(argv, capsys)
    assert code == 2 and "no submission belongs to a student of the roster" in err


def test_a_simple_roster_works_but_not_for_canvas(tmp_path):
    roster_file = tmp_path / "r.csv"
    roster_file.write_text("student_id,name\njdoe,Jane\n", encoding="utf-8")
    roster = read_roster(roster_file)
    assert (roster.id_column, roster.name_column) == ("student_id", "name")
    with pytest.raises(ValueError, match="Canvas finds students by ID"):
        canvas_csv(roster, [], "Lab", 20)


def plain(*names, folder=Path("subs")):
    """Found entries for plain file names, as the discovery makes them."""
    return [Found(name.removesuffix(".ipynb"), folder / name) for name in names]


def test_two_files_for_one_version_are_that_student_s_zero_not_a_stop():
    roster = Roster("id", None, [Student("jdoe", ""), Student("amy", "")])
    found = plain("jdoe-1.ipynb", "jdoe-01.ipynb", "amy.ipynb")
    match = match_submissions(roster, found)
    assert match.chosen["amy"].problem is None
    assert "jdoe-01.ipynb, jdoe-1.ipynb; which is the latest cannot be told" in (
        match.chosen["jdoe"].problem
    )


@pytest.mark.parametrize(
    ("names", "taken"),
    [
        # The runs an LMS gives resubmissions: the highest is the latest.
        (("jdoe.ipynb", "jdoe-1.ipynb", "jdoe-2.ipynb"), "jdoe-2.ipynb"),
        (("jdoe-1.ipynb", "jdoe-2.ipynb"), "jdoe-2.ipynb"),
        # One file is always its student's, whatever its number.
        (("jdoe-99.ipynb",), "jdoe-99.ipynb"),
    ],
)
def test_resubmission_numbers_an_lms_gives_pick_the_latest(names, taken):
    roster = Roster("id", None, [Student("jdoe", "")])
    match = match_submissions(roster, plain(*names))
    assert match.chosen["jdoe"].path.name == taken
    assert match.chosen["jdoe"].problem is None
    line = f"jdoe: took {taken} (the latest of {len(names)} file(s))"
    assert match.report() == [line]


@pytest.mark.parametrize(
    "names",
    [
        ("jdoe.ipynb", "jdoe-99.ipynb"),  # a planted high suffix
        ("jdoe.ipynb", "jdoe-1.ipynb", "jdoe-3.ipynb"),  # a gap
        ("jdoe-2.ipynb", "jdoe-3.ipynb"),  # not from 0 or 1
    ],
)
def test_a_planted_suffix_is_no_resubmission(names):
    roster = Roster("id", None, [Student("jdoe", "")])
    match = match_submissions(roster, plain(*names))
    problem = match.chosen["jdoe"].problem
    assert problem.startswith(f"{len(names)} files for jdoe whose numbers are not")
    assert ", ".join(sorted(names)) in problem
    assert match.report() == [f"jdoe: {problem}"]


def test_an_id_ending_in_a_number_is_not_cut_when_the_roster_has_it():
    roster = Roster("id", None, [Student("cd-12", ""), Student("cd", "")])
    match = match_submissions(roster, plain("cd-12.ipynb", "cd-1.ipynb", "cd.ipynb"))
    assert {k: f.path.name for k, f in match.chosen.items()} == {
        "cd-12": "cd-12.ipynb",
        "cd": "cd-1.ipynb",
    }


def test_canvas_format_with_a_roster_canvas_cannot_match_stops_before_grading(
    tmp_path, lms_class, capsys
):
    folder, _ = lms_class
    roster = tmp_path / "simple.csv"
    roster.write_text("student_id,name\njdoe42,Jane\n", encoding="utf-8")
    out = tmp_path / "o"
    argv = ["grade", str(folder), "--out", str(out), "--roster", str(roster)]
    code, _, err = run([*argv, "--format", "canvas"], capsys)
    assert code == 2 and "Canvas finds students by ID" in err
    assert not out.exists()  # nothing was graded


# ---------------------------------------------------------------- Canvas's download

#: (file name as Canvas's "Download Submissions" writes it, content).  Jane
#: submitted three times (the latest, -2, is right); Al once, late; Bea's only
#: file is empty; user 1999 is not in the gradebook export; 1004 sent nothing.
CANVAS_DOWNLOAD = {
    "doejane_1001_5001_kmeans_lab.ipynb": BROKEN,
    "doejane_LATE_1001_5002_kmeans_lab-1.ipynb": BROKEN,
    "doejane_LATE_1001_5003_kmeans_lab-2.ipynb": "right",
    "smithal_LATE_1002_5004_my_lab_copy.ipynb": b"[1]",
    "whobea_1003_5005_kmeans_lab.ipynb": b"",
    "nobodyx_1999_5006_kmeans_lab.ipynb": BROKEN,
}
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@pytest.fixture
def canvas_download(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    for name, content in CANVAS_DOWNLOAD.items():
        if content == "right":
            nbformat.write(notebook(), folder / name)
        else:
            (folder / name).write_bytes(content)
    roster = tmp_path / "export.csv"
    roster.write_text(CANVAS_EXPORT, encoding="utf-8")
    return folder, roster


def test_canvas_names_are_read_as_canvas_writes_them():
    name = parse_canvas_name("doejane_LATE_123456_7890123_kmeans_lab-1.ipynb")
    assert name == CanvasName("doejane", True, "123456", 7890123, "kmeans_lab.ipynb", 1)
    name = parse_canvas_name("smithal_42_7_my_k_means.ipynb")
    assert (name.user_id, name.file_name, name.late, name.resubmission) == (
        "42",
        "my_k_means.ipynb",
        False,
        0,
    )
    for other in ("jdoe.ipynb", "jdoe-1.ipynb", "kmeans_lab.ipynb", "a_b_c.ipynb"):
        assert parse_canvas_name(other) is None


def test_canvas_download_with_the_gradebook_export(tmp_path, canvas_download, capsys):
    folder, roster = canvas_download
    out = tmp_path / "gradebook"
    argv = ["grade", str(folder), "--out", str(out), "--roster", str(roster)]
    argv += ["--format", "canvas", "--assignment", "K-means lab (12345)"]
    code, stdout, _ = run(argv, capsys)
    assert code == 0
    assert "not in the roster, not graded: nobodyx_1999_5006_kmeans_lab.ipynb" in stdout
    assert "took doejane_LATE_1001_5003_kmeans_lab-2.ipynb (the latest of 3)" in stdout
    assert "no submission from cd-12" in stdout
    # Matched by the Canvas ID in each file name, not by the SIS Login ID.
    assert read_rows(out / "canvas.csv") == [
        [*CANVAS_HEADER, "K-means lab (12345)"],
        ["Points Possible", "", "", "", "", "20"],
        ["Doe, Jane", "1001", "S1001", "jdoe42", "Lab A", "20"],
        ["Smith, Al", "1002", "S1002", "asmith", "Lab A", "0"],
        ["Who, Bea", "1003", "S1003", "bwho", "Lab B", "0"],
        ["'=cmd|' /C calc'!A0", "1004", "S1004", "cd-12", "Lab B", ""],
    ]
    rows = read_csv(out / "grades.csv")
    assert sorted(rows) == ["1001", "1002", "1003"]
    assert rows["1002"]["status"] == "not a notebook (no list of cells)"
    assert rows["1003"]["status"] == "the file is empty"


def test_canvas_download_without_a_roster(tmp_path, canvas_download, capsys):
    folder, _ = canvas_download
    out = tmp_path / "gradebook"
    argv = ["grade", str(folder), "--out", str(out), "--format", "canvas"]
    code, _, _ = run(argv, capsys)
    assert code == 0
    # Student and ID from the file names; every Canvas user who sent a file.
    assert read_rows(out / "canvas.csv") == [
        [*CANVAS_HEADER, "K-means lab"],
        ["Points Possible", "", "", "", "", "20"],
        ["doejane", "1001", "", "", "", "20"],
        ["smithal", "1002", "", "", "", "0"],
        ["whobea", "1003", "", "", "", "0"],
        ["nobodyx", "1999", "", "", "", "0"],
    ]


# ---------------------------------------------------------------- nbgrader's folders


def nbgrader_course(root):
    """``submitted/<student>/<assignment>/`` as nbgrader collects it."""
    submitted = root / "submitted"
    files = {
        "ann/kmeans_lab/kmeans_lab.ipynb": "right",
        # A checkpoint Jupyter saved: never a submission.
        "bob/kmeans_lab/.ipynb_checkpoints/kmeans_lab-checkpoint.ipynb": "right",
        "bob/kmeans_lab/kmeans_lab.ipynb": BROKEN,
        # Two notebooks, one the lab's: that one.
        "cy/kmeans_lab/kmeans_lab.ipynb": b"[1]",
        "cy/kmeans_lab/scratch.ipynb": BROKEN,
        # Two notebooks, neither the lab's: a zero listing them.
        "dee/kmeans_lab/a.ipynb": BROKEN,
        "dee/kmeans_lab/b.ipynb": BROKEN,
    }
    for name, content in files.items():
        path = submitted / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "right":
            nbformat.write(notebook(), path)
        else:
            path.write_bytes(content)
    (submitted / "eve" / "kmeans_lab").mkdir(parents=True)  # nothing handed in
    return submitted


@pytest.mark.worker
def test_nbgrader_folders_grade_under_the_folder_names(tmp_path, capsys):
    submitted = nbgrader_course(tmp_path)
    out = tmp_path / "gradebook"
    code, stdout, _ = run(["grade", str(submitted), "--out", str(out)], capsys)
    assert code == 0
    rows = read_csv(out / "grades.csv")
    assert sorted(rows) == ["ann", "bob", "cy", "dee"]
    assert (rows["ann"]["total"], rows["ann"]["status"]) == ("20", "graded")
    assert rows["bob"]["status"].startswith("corrupt JSON")
    assert rows["cy"]["status"] == "not a notebook (no list of cells)"
    assert rows["dee"]["total"] == "0"
    assert "kmeans_lab/a.ipynb, kmeans_lab/b.ipynb" in rows["dee"]["status"]
    assert "no notebook in" in stdout and "no row for eve" in stdout


def test_nbgrader_assignment_folders_given_one_by_one_are_one_student(tmp_path, capsys):
    submitted = nbgrader_course(tmp_path)
    folders = [str(submitted / s / "kmeans_lab") for s in ("ann", "bob")]
    code, _, err = run(["grade", *folders, "--out", str(tmp_path / "o")], capsys)
    assert code == 2
    assert "two submissions have the student id 'kmeans_lab'" in err


# ---------------------------------------------------------------- the ledger


def grade_folder(folder, out, capsys, *extra):
    code, stdout, _ = run(
        ["grade", *map(str, folder), "--out", str(out), *extra], capsys
    )
    assert code == 0
    return read_csv(out / "grades.csv"), stdout


@pytest.mark.worker
def test_regrading_one_student_keeps_every_other_row(tmp_path, capsys):
    folder, out = tmp_path / "submissions", tmp_path / "gradebook"
    folder.mkdir()
    for student in ("amy", "ben", "=cal"):
        (folder / f"{student}.ipynb").write_bytes(BROKEN)
    before, _ = grade_folder([folder], out, capsys)
    assert sorted(before) == ["'=cal", "amy", "ben"]
    for row in before.values():
        graded_at = datetime.fromisoformat(row["graded_at"])
        assert graded_at.utcoffset() == timedelta(0)
        assert abs(datetime.now(timezone.utc) - graded_at) < timedelta(hours=1)
        assert re.fullmatch("[0-9a-f]{12}", row["grader"])
    # The grader changed since: its cache no longer applies, the rows stay.
    (out / ".grading-cache.json").write_text('{"grader": "older", "students": {}}')
    (folder / "ben.ipynb").write_bytes(b"")
    after, stdout = grade_folder([folder / "ben.ipynb"], out, capsys)
    assert "graded 1 submission(s), reused 0 unchanged, kept 2 other row(s)" in stdout
    assert after["ben"]["status"] == "the file is empty"
    assert before["ben"]["status"].startswith("corrupt JSON")
    assert {s: after[s] for s in ("amy", "'=cal")} == {
        s: before[s] for s in ("amy", "'=cal")
    }


def test_a_file_in_out_that_is_no_gradebook_is_never_overwritten(tmp_path, capsys):
    folder, out = tmp_path / "submissions", tmp_path / "gradebook"
    folder.mkdir()
    out.mkdir()
    (folder / "amy.ipynb").write_bytes(BROKEN)
    (out / "grades.csv").write_text("name,points\nAmy,3\n", encoding="utf-8")
    code, _, err = run(["grade", str(folder), "--out", str(out)], capsys)
    assert code == 2 and "is not a gradebook the grader wrote" in err
    assert (out / "grades.csv").read_text(encoding="utf-8") == "name,points\nAmy,3\n"


@pytest.mark.worker
def test_canvas_csv_covers_every_student_of_the_ledger(tmp_path, capsys):
    folder, out = tmp_path / "submissions", tmp_path / "gradebook"
    folder.mkdir()
    for name in ("doejane_1001_1_lab.ipynb", "smithal_1002_2_lab.ipynb"):
        (folder / name).write_bytes(BROKEN)
    # A student number from a plain file name is no Canvas ID.
    (tmp_path / "20231234.ipynb").write_bytes(BROKEN)
    grade_folder([tmp_path / "20231234.ipynb"], out, capsys)
    grade_folder([folder], out, capsys, "--format", "canvas")
    (folder / "smithal_1002_2_lab.ipynb").write_bytes(b"")
    _, stdout = grade_folder(
        [folder / "smithal_1002_2_lab.ipynb"], out, capsys, "--format", "canvas"
    )
    assert "not in canvas.csv (no Canvas ID): 20231234" in stdout
    assert sorted(read_csv(out / "grades.csv")) == ["1001", "1002", "20231234"]
    assert [row[:2] for row in read_rows(out / "canvas.csv")[2:]] == [
        ["doejane", "1001"],
        ["smithal", "1002"],
    ]


@pytest.mark.parametrize("cell", [*DANGEROUS, "'=1", "''+x", "'quoted", "", "ok"])
def test_a_neutralised_cell_reads_back_as_it_was(cell):
    assert restore(neutralise(cell)) == cell


def test_canvas_names_with_a_roster_without_canvas_ids_say_so(
    tmp_path, canvas_download, capsys
):
    folder, _ = canvas_download
    roster = tmp_path / "simple.csv"
    roster.write_text("student_id,name\njdoe42,Jane\n", encoding="utf-8")
    argv = ["grade", str(folder), "--out", str(tmp_path / "o"), "--roster", str(roster)]
    code, _, err = run(argv, capsys)
    assert code == 2 and "this roster has none (give Canvas's gradebook export)" in err


def test_canvas_orders_a_user_s_files_by_its_own_submission_id(tmp_path):
    """The -N of a Canvas name may be the student's own file name's end."""
    names = [
        "doejane_1001_5001_kmeans_lab-99.ipynb",  # uploaded first, named -99
        "doejane_LATE_1001_5003_kmeans_lab.ipynb",  # Canvas's latest
        "doejane_LATE_1001_5002_kmeans_lab-1.ipynb",
    ]
    for name in names:
        (tmp_path / name).write_bytes(BROKEN)
    (found,) = find_submissions([tmp_path])
    assert found.path.name == "doejane_LATE_1001_5003_kmeans_lab.ipynb"
    assert found.problem is None
    assert found.note == f"took {found.path.name} (the latest of 3)"


def test_canvas_files_of_one_submission_id_need_a_run_of_numbers(tmp_path):
    run_names = ["smithal_1002_6001_lab.ipynb", "smithal_1002_6001_lab-1.ipynb"]
    planted = ["whobea_1003_7001_lab.ipynb", "whobea_1003_7001_lab-99.ipynb"]
    for name in run_names + planted:
        (tmp_path / name).write_bytes(BROKEN)
    found = {f.student: f for f in find_submissions([tmp_path])}
    assert found["1002"].path.name == "smithal_1002_6001_lab-1.ipynb"
    assert found["1002"].problem is None
    assert found["1003"].problem.startswith(
        "2 files for 1003 whose numbers are not the run an LMS gives resubmissions"
    )


@pytest.mark.worker
def test_a_planted_high_suffix_under_a_roster_is_graded_as_a_zero(tmp_path, capsys):
    folder = tmp_path / "downloads"
    folder.mkdir()
    nbformat.write(notebook(), folder / "asmith.ipynb")  # an honest classmate
    (folder / "jdoe42.ipynb").write_bytes(BROKEN)
    nbformat.write(notebook(), folder / "jdoe42-99.ipynb")
    roster = tmp_path / "roster.csv"
    roster.write_text(CANVAS_EXPORT, encoding="utf-8")
    out = tmp_path / "out"
    argv = ["grade", str(folder), "--out", str(out), "--roster", str(roster)]
    code, stdout, _ = run(argv, capsys)
    assert code == 0
    rows = read_csv(out / "grades.csv")
    assert (rows["asmith"]["total"], rows["asmith"]["status"]) == ("20", "graded")
    assert rows["jdoe42"]["total"] == "0"
    assert rows["jdoe42"]["status"].startswith("2 files for jdoe42 whose numbers")
    assert "jdoe42: 2 files for jdoe42 whose numbers are not the run" in stdout
