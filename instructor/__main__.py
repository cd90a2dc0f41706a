"""Command line of the instructor tools: ``python -m instructor COMMAND``.

release   generate the student notebook and the student bundle
execute   re-run the source notebook and store its outputs
validate  check that reference, tests and student notebook agree
grade     grade submitted notebooks into a gradebook
gradescope  write the autograder zip for Gradescope
export    write the lab for nbgrader or otter-grader
report    the class report of a gradebook: mistakes, scores, copies
"""

import argparse
import json
import sys
from pathlib import Path

from instructor.layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK


def _release(args):
    from instructor.authoring.bundle import changed_files, notebook_files, write_bundle
    from instructor.authoring.release import release

    if args.bundle_url and not args.bundle_url.startswith(("https://", "http://")):
        print(
            f"cannot release: --bundle-url must be a web address, got "
            f"{args.bundle_url!r}",
            file=sys.stderr,
        )
        return 2
    previous = notebook_files(args.out)
    try:
        # The bundle first: it checks every option before anything is written.
        folder, archive = write_bundle(
            args.out, args.source, args.bundle_url, args.repo_url, args.branch
        )
        written = release(args.source, args.student)
    except ValueError as error:
        print(f"cannot release: {error}", file=sys.stderr)
        return 2
    print(f"wrote {written}")
    print(f"wrote the student bundle in {folder} and {archive}")
    changed = (
        None if previous is None else changed_files(previous, notebook_files(folder))
    )
    if changed:
        print(
            f"the files the notebook runs with changed since the bundle it replaces "
            f"({', '.join(changed[:5])}{', ...' if len(changed) > 5 else ''}): "
            "notebooks already handed out will ask their students to download "
            "the notebook again"
        )
    elif changed == []:
        print(
            "the files the notebook runs with are those of the bundle it replaces: "
            "notebooks already handed out keep working with this bundle"
        )
    if not args.bundle_url:
        print(
            "no --bundle-url: a notebook opened alone (Colab, an LMS download) "
            "will ask the student to download the bundle by hand"
        )
    return 0


def _execute(args):
    from instructor.authoring.execute import execute_in_place

    written = execute_in_place(args.source)
    print(f"executed {written} and stored its outputs")
    return 0


def _validate(args):
    from instructor.authoring.validate import check_lab

    results = check_lab(args.source, args.student)
    for passed, description in results:
        print(f"{'ok  ' if passed else 'FAIL'}  {description}")
    failures = sum(not passed for passed, _ in results)
    print(f"{len(results) - failures} checks passed, {failures} failed")
    return 1 if failures else 0


def _say(line, file=None):
    """Print ``line`` with any control character a student put in it replaced."""
    from instructor.reports.feedback import one_line

    print(one_line(line, limit=2000), file=file or sys.stdout)


def _roster_submissions(args, found):
    """The roster and each of its students' latest submission among ``found``."""
    from instructor.reports.gradebook import match_submissions, read_roster

    roster = read_roster(args.roster, args.id_column)
    print(
        f"roster {args.roster}: {len(roster.students)} student(s), "
        f"ids from its '{roster.id_column}' column "
        "(Canvas download names: its 'ID' column)"
    )
    match = match_submissions(roster, found)
    for line in match.report():
        _say(line)
    if not match.chosen:
        hint = ""
        if any(f.canvas for f in found) and not any(
            "ID" in s.row for s in roster.students
        ):
            hint = (
                ": the files are named as Canvas downloads them, which match the "
                "roster's 'ID' column, and this roster has none (give Canvas's "
                "gradebook export)"
            )
        raise ValueError(f"no submission belongs to a student of the roster{hint}")
    return roster, list(match.chosen.values())


def _check_canvas_names(found):
    """Without a roster, canvas.csv needs Canvas's user ids from the file names."""
    from instructor.grading.discovery import shown

    plain = [f for f in found if f.canvas is None]
    if plain:
        raise ValueError(
            "--format canvas without --roster takes each student's Canvas ID from "
            'the file name as "Download Submissions" writes it '
            "(<lastfirst>_<user id>_<submission id>_<file>.ipynb), and "
            f"{shown(plain[0].path)} is not so named: give Canvas's gradebook "
            "export as --roster"
        )


def _grade(args):
    from instructor.course.exercises import required_points
    from instructor.files import write_text
    from instructor.grading.confinement import IsolationError
    from instructor.grading.discovery import find_submissions
    from instructor.grading.grader import (
        GRADES_FILE,
        INFO_FILE,
        describe_isolation,
        grade_all,
        grader_errors,
        read_ledger,
    )
    from instructor.grading.sandbox import Limits
    from instructor.reports.gradebook import canvas_csv, check_canvas_roster

    limits = Limits(timeout=args.timeout, memory_mb=args.memory)
    said = []
    try:
        found = find_submissions(args.submissions, log=said.append)
        for line in said:
            _say(line)
        for item in found:
            if item.note and args.roster is None:
                _say(f"{item.student}: {item.note}")
        roster = None
        if args.roster is not None:
            roster, found = _roster_submissions(args, found)
        if args.format == "canvas":
            if roster is None:
                _check_canvas_names(found)
            else:
                check_canvas_roster(roster)  # before grading, not after
        rows, graded = grade_all(
            None,
            args.out,
            args.jobs,
            limits,
            isolation=args.isolation,
            submissions=found,
        )
        ledger = read_ledger(args.out / GRADES_FILE)
        if args.format == "canvas":
            text = canvas_csv(
                roster, list(ledger.values()), args.assignment, required_points()
            )
    except (ValueError, IsolationError) as error:
        _say(f"cannot grade: {error}", sys.stderr)
        return 2
    info = json.loads((args.out / INFO_FILE).read_text(encoding="utf-8"))
    print(describe_isolation(info))
    reused = len(rows) - graded
    kept = len(ledger) - len(rows)
    print(
        f"graded {graded} submission(s), reused {reused} unchanged, kept {kept} "
        f"other row(s); wrote {args.out / GRADES_FILE} and {args.out / 'feedback'}/"
    )
    for item in found:
        if item.problem:
            _say(f"zero for {item.student}: {item.problem}")
    failed = grader_errors(rows)
    for row in failed:
        _say(f"{row['student']}: {row['status']}", sys.stderr)
    if failed:
        print(
            f"{len(failed)} submission(s) not graded because of a grader error "
            "(not the students' fault): fix it and run grade again",
            file=sys.stderr,
        )
        return 1
    if args.format == "canvas":
        if roster is None:
            left_out = [s for s, row in ledger.items() if not row.get("canvas_id")]
            if left_out:
                _say(f"not in canvas.csv (no Canvas ID): {', '.join(sorted(left_out))}")
        write_text(args.out / "canvas.csv", text)
        print(f"wrote {args.out / 'canvas.csv'} for Canvas's gradebook import")
    return 0


def _gradescope(args):
    from instructor.platforms.gradescope import Settings, write_autograder

    settings = Settings(args.hidden_visibility, args.timeout, args.memory)
    try:
        names = write_autograder(args.out, settings)
    except ValueError as error:
        print(f"cannot write the autograder: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({len(names)} files): upload it as the autograder")
    return 0


def _export(args):
    from instructor.platforms.nbgrader import DEFAULT_TIMEOUT, write_course
    from instructor.platforms.otter import write_master

    try:
        if args.platform == "otter":
            if args.timeout is not None:
                raise ValueError(
                    "--timeout is nbgrader's cell limit; otter run has none to set"
                )
            written = write_master(args.out)
            action, after = "an otter-grader master notebook", "otter assign"
        else:
            written = write_course(args.out, timeout=args.timeout or DEFAULT_TIMEOUT)
            action, after = "an nbgrader course", "nbgrader generate_assignment"
    except ValueError as error:
        print(f"cannot export: {error}", file=sys.stderr)
        return 2
    print(f"wrote {action} in {args.out} ({len(written)} files)")
    print(
        f"next, in {args.out}: {after} (see docs/instructor/{args.platform}.md); "
        "what it releases to students holds no hidden case"
    )
    return 0


def _report(args):
    from instructor.reports.class_report.build import make_report

    try:
        made = make_report(args.gradebook, args.out, args.names, args.student)
    except ValueError as error:
        print(f"cannot make the report: {error}", file=sys.stderr)
        return 2
    for warning in made.warnings:
        _say(f"left out: {warning}", sys.stderr)
    print(
        f"wrote {made.folder / 'index.html'} ({made.students} students, "
        f"{made.mistakes} named mistake(s), {len(made.flagged)} pair(s) flagged as "
        "likely copies) and mistakes.csv, mistakes_by_student.csv, similarity.csv"
    )
    return 0


def _add_limits(command):
    """The options that set what each graded function may use."""
    command.add_argument(
        "--timeout",
        type=_positive(float),
        default=60.0,
        help="seconds each graded function may run (60)",
    )
    command.add_argument(
        "--memory",
        type=_positive(int),
        default=2048,
        help="memory cap of each graded function, in MB (2048)",
    )


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    return parse


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m instructor", description="Instructor tools for the K-means lab."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser(
        "release", help="generate the student notebook and the student bundle"
    )
    release.add_argument("--source", type=Path, default=SOURCE_NOTEBOOK)
    release.add_argument("--student", type=Path, default=STUDENT_NOTEBOOK)
    release.add_argument(
        "--out",
        type=Path,
        default=Path("release") / "kmeans_lab",
        help="bundle folder (release/kmeans_lab); the zip goes beside it",
    )
    release.add_argument(
        "--bundle-url",
        help="where kmeans_lab_bundle.zip will be published: the notebook fetches "
        "the lab's files from there when opened alone",
    )
    release.add_argument(
        "--repo-url",
        help="https://github.com/OWNER/REPO the bundle folder will be pushed to, "
        "for the student README's Colab and Binder links",
    )
    release.add_argument(
        "--branch", default="main", help="that repository's branch (main)"
    )
    release.set_defaults(run=_release)

    execute = commands.add_parser(
        "execute", help="re-run the source notebook and store its outputs"
    )
    execute.add_argument("--source", type=Path, default=SOURCE_NOTEBOOK)
    execute.set_defaults(run=_execute)

    validate = commands.add_parser(
        "validate", help="check that reference, tests and student notebook agree"
    )
    validate.add_argument("--source", type=Path, default=SOURCE_NOTEBOOK)
    validate.add_argument("--student", type=Path, default=STUDENT_NOTEBOOK)
    validate.set_defaults(run=_validate)

    grade = commands.add_parser("grade", help="grade submitted notebooks")
    grade.add_argument(
        "submissions",
        nargs="+",
        type=Path,
        help="notebooks or folders: a notebook in a given folder is the student "
        "its file name names (Canvas download names: the user id in it); deeper, "
        "the student named by the first folder below the given one (nbgrader's "
        "submitted/<student>/<assignment>/)",
    )
    grade.add_argument(
        "--out",
        type=Path,
        required=True,
        help="gradebook folder: grades.csv keeps every other student's row",
    )
    grade.add_argument(
        "-j", "--jobs", type=_positive(int), default=1, help="submissions at once"
    )
    _add_limits(grade)
    grade.add_argument(
        "--roster",
        type=Path,
        help="class list CSV (e.g. Canvas's gradebook export): grade each student's "
        "latest submission (jdoe.ipynb, jdoe-1.ipynb, ...) under the roster's id",
    )
    grade.add_argument(
        "--id-column",
        help="the roster column of the ids in file names "
        "(default: SIS Login ID, SIS User ID, ID, student_id, id or student)",
    )
    grade.add_argument(
        "--format",
        choices=("csv", "canvas"),
        default="csv",
        help="canvas: also write canvas.csv for Canvas's gradebook import (every "
        "student of the roster, or without one every Canvas ID in grades.csv)",
    )
    grade.add_argument(
        "--assignment",
        default="K-means lab",
        help="the Canvas assignment column, e.g. 'K-means lab (12345)' as in the "
        "export (default: K-means lab, which Canvas adds as a new assignment)",
    )
    grade.add_argument(
        "--isolation",
        choices=("strict", "trusted"),
        default="strict",
        help="strict (Linux: confined workers, the default) or trusted "
        "(resource limits only: submissions can read and write what you can)",
    )
    grade.set_defaults(run=_grade)

    gradescope = commands.add_parser(
        "gradescope", help="write the autograder zip for Gradescope"
    )
    gradescope.add_argument(
        "--out", type=Path, default=Path("autograder.zip"), help="(autograder.zip)"
    )
    gradescope.add_argument(
        "--hidden-visibility",
        default="after_due_date",
        help="when students see the hidden cases' results: hidden, after_due_date "
        "(default), after_published or visible",
    )
    _add_limits(gradescope)
    gradescope.set_defaults(run=_gradescope)

    export = commands.add_parser(
        "export", help="write the lab for another grading platform"
    )
    export.add_argument(
        "platform",
        choices=("nbgrader", "otter"),
        help="nbgrader: a course folder; otter: an otter-assign master notebook",
    )
    export.add_argument(
        "--out", type=Path, required=True, help="the course folder to write"
    )
    export.add_argument(
        "--timeout",
        type=_positive(int),
        help="nbgrader only: seconds each cell may run (120; nbgrader's is 30)",
    )
    export.set_defaults(run=_export)
    report = commands.add_parser(
        "report",
        help="the class report of a gradebook: mistakes, scores, copies",
        description="Read what `grade` recorded in a gradebook folder (no student "
        "code runs again) and write a self-contained index.html, mistakes.csv, "
        "mistakes_by_student.csv and similarity.csv.",
    )
    report.add_argument(
        "gradebook", type=Path, help="the gradebook folder (grade's --out)"
    )
    report.add_argument(
        "--names",
        action="store_true",
        help="show student ids on the page (anonymised as Student 1, 2, ... by "
        "default; the CSV files always hold ids)",
    )
    report.add_argument(
        "--out",
        type=Path,
        help="folder to write the report in (default: GRADEBOOK/report)",
    )
    report.add_argument(
        "--student",
        type=Path,
        default=STUDENT_NOTEBOOK,
        help="the student notebook as released: its graded cells (the stub every "
        "student got) do not count towards similarity",
    )
    report.set_defaults(run=_report)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
