"""LMS-ready grades: CSV cells a spreadsheet cannot run, the roster join with
resubmission suffixes, Canvas's import file, and ids that differ only in case.

Most submissions here are broken files: they grade to zero at once, without
a worker, which is all a test of file names and CSV cells needs.  One
correct notebook shows which of a student's files was graded (20 points
against 0 for the others).
"""

import csv
import io

import nbformat
import pytest
from submissions import notebook

from instructor.__main__ import main
from instructor.gradebook import (
    FORMULA_STARTS,
    Roster,
    Student,
    canvas_csv,
    csv_text,
    match_submissions,
    neutralise,
    read_roster,
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
    assert "two student ids differ only in case" in err
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
    rows = {row[0]: row for row in read_rows(out / "grades.csv")[1:]}
    assert sorted(rows) == ["asmith", "cd-12", "jdoe42"]
    assert rows["jdoe42"][4:6] == ["20", "20"]
    assert rows["asmith"][4] == "0"
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


def test_canvas_format_needs_a_roster(tmp_path, lms_class, capsys):
    folder, _ = lms_class
    argv = ["grade", str(folder), "--out", str(tmp_path / "o"), "--format", "canvas"]
    code, _, err = run(argv, capsys)
    assert code == 2 and "--format canvas needs --roster" in err


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


def test_two_files_for_one_version_are_an_error(tmp_path):
    roster = Roster("id", None, [Student("jdoe", "")])
    with pytest.raises(ValueError, match="two files are the same submission of jdoe"):
        match_submissions(
            roster, [tmp_path / "jdoe-1.ipynb", tmp_path / "jdoe-01.ipynb"]
        )


def test_an_id_ending_in_a_number_is_not_cut_when_the_roster_has_it(tmp_path):
    roster = Roster("id", None, [Student("cd-12", ""), Student("cd", "")])
    match = match_submissions(
        roster,
        [tmp_path / "cd-12.ipynb", tmp_path / "cd-1.ipynb", tmp_path / "cd.ipynb"],
    )
    assert match.chosen == {
        "cd-12": tmp_path / "cd-12.ipynb",
        "cd": tmp_path / "cd-1.ipynb",
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
