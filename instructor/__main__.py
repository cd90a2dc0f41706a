"""Command line of the instructor tools: ``python -m instructor COMMAND``.

A thin layer over the library: each command parses its options, calls the
package's functions and turns what they did into one exit status.  Every
default and every choice is the library's own (:class:`Limits`, the isolation
levels, the layout's paths, ...), so ``--help`` shows what the library does.

``python -m instructor --help`` lists the commands; ``python -m instructor
COMMAND --help`` says what one reads and writes, its options with their
defaults, examples, and what its exit status means.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from instructor.layout import (
    RELEASE_FOLDER,
    REPO_ROOT,
    SOURCE_NOTEBOOK,
    STUDENT_NOTEBOOK,
)

if TYPE_CHECKING:  # the commands import the library only when they run
    from instructor.grading.discovery import Found
    from instructor.reports.gradebook import Roster

#: The exit status every command shares: a usage error is argparse's 2, and an
#: unexpected error (a bug, with Python's traceback) is Python's 1.
DONE, FAILED, CANNOT = 0, 1, 2


def _cannot(error: BaseException) -> str:
    """The reason of ``error`` in the user's terms: a file's name, not an errno."""
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.strerror or error}: {error.filename}"
    return str(error)


def _release(args: argparse.Namespace) -> int:
    from instructor.authoring.bundle import changed_files, notebook_files, write_bundle
    from instructor.authoring.release import release

    if args.bundle_url and not args.bundle_url.startswith(("https://", "http://")):
        print(
            f"cannot release: --bundle-url must be a web address, got "
            f"{args.bundle_url!r}",
            file=sys.stderr,
        )
        return CANNOT
    previous = notebook_files(args.out)
    try:
        # The bundle first: it checks every option before anything is written.
        folder, archive = write_bundle(
            args.out, args.source, args.bundle_url, args.repo_url, args.branch
        )
        written = release(args.source, args.student)
    except (ValueError, OSError) as error:
        print(f"cannot release: {_cannot(error)}", file=sys.stderr)
        return CANNOT
    print(f"wrote {written}")
    print(f"wrote the student bundle in {folder} and {archive}")
    changed = (
        # write_bundle wrote its marker: notebook_files(folder) is not None.
        None if previous is None else changed_files(previous, notebook_files(folder))  # type: ignore[arg-type]
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
    return DONE


def _execute(args: argparse.Namespace) -> int:
    from instructor.authoring.execute import execute_in_place

    if not args.source.is_file():
        print(f"cannot execute: no notebook at {args.source}", file=sys.stderr)
        return CANNOT
    # A cell that fails raises, with its traceback: exit status 1, and the
    # notebook is left as it was (it is written only after every cell ran).
    written = execute_in_place(args.source)
    print(f"executed {written} and stored its outputs")
    return DONE


def _validate(args: argparse.Namespace) -> int:
    from nbformat.reader import NotJSONError

    from instructor.authoring.validate import check_lab

    try:
        results = check_lab(args.source, args.student)
    except (OSError, NotJSONError) as error:
        print(f"cannot validate: {_cannot(error)}", file=sys.stderr)
        return CANNOT
    except ValueError as error:
        # The source's graded cells cannot be run or released: the lab disagrees.
        print(f"FAIL  {error}")
        print("the other checks need that one: fix it and validate again")
        return FAILED
    for passed, description in results:
        print(f"{'ok  ' if passed else 'FAIL'}  {description}")
    failures = sum(not passed for passed, _ in results)
    print(f"{len(results) - failures} checks passed, {failures} failed")
    return FAILED if failures else DONE


def _say(line: str, file: TextIO | None = None) -> None:
    """Print ``line`` with any control character a student put in it replaced."""
    from instructor.reports.feedback import one_line

    print(one_line(line, limit=2000), file=file or sys.stdout)


def _roster_submissions(
    args: argparse.Namespace, found: Sequence[Found]
) -> tuple[Roster, list[Found]]:
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


def _check_canvas_names(found: Iterable[Found]) -> None:
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


def _grade(args: argparse.Namespace) -> int:
    from instructor.course import exercises
    from instructor.course.exercises import required_points
    from instructor.files import write_text
    from instructor.grading.confinement import IsolationError
    from instructor.grading.discovery import find_submissions
    from instructor.grading.grader import (
        FEEDBACK_DIR,
        GRADES_FILE,
        INFO_FILE,
        describe_isolation,
        grade_all,
        grader_errors,
        read_ledger,
    )
    from instructor.grading.sandbox import Limits
    from instructor.reports.gradebook import (
        CANVAS_FILE,
        canvas_csv,
        check_canvas_roster,
    )

    limits = Limits(timeout=args.timeout, memory_mb=args.memory)
    said: list[str] = []
    try:
        found = find_submissions(args.submissions, log=said.append)
        for line in said:
            _say(line)
        for item in found:
            if item.note and args.roster is None:
                _say(f"{item.student}: {item.note}")
        roster: Roster | None = None
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
            course=exercises,
        )
        ledger = read_ledger(args.out / GRADES_FILE)
        if args.format == "canvas":
            text = canvas_csv(
                roster, list(ledger.values()), args.assignment, required_points()
            )
    except (ValueError, IsolationError) as error:
        _say(f"cannot grade: {error}", sys.stderr)
        return CANNOT
    info = json.loads((args.out / INFO_FILE).read_text(encoding="utf-8"))
    print(describe_isolation(info))
    reused = len(rows) - graded
    kept = len(ledger) - len(rows)
    print(
        f"graded {graded} submission(s), reused {reused} unchanged, kept {kept} "
        f"other row(s); wrote {args.out / GRADES_FILE} and {args.out / FEEDBACK_DIR}/"
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
        return FAILED
    if args.format == "canvas":
        if roster is None:
            left_out = [s for s, row in ledger.items() if not row.get("canvas_id")]
            if left_out:
                _say(f"not in canvas.csv (no Canvas ID): {', '.join(sorted(left_out))}")
        write_text(args.out / CANVAS_FILE, text)
        print(f"wrote {args.out / CANVAS_FILE} for Canvas's gradebook import")
    return DONE


def _gradescope(args: argparse.Namespace) -> int:
    from instructor.platforms.gradescope import Settings, write_autograder

    settings = Settings(args.hidden_visibility, args.timeout, args.memory)
    try:
        names = write_autograder(args.out, settings)
    except (ValueError, OSError) as error:
        print(f"cannot write the autograder: {_cannot(error)}", file=sys.stderr)
        return CANNOT
    print(f"wrote {args.out} ({len(names)} files): upload it as the autograder")
    return DONE


def _export(args: argparse.Namespace) -> int:
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
    except (ValueError, OSError) as error:
        print(f"cannot export: {_cannot(error)}", file=sys.stderr)
        return CANNOT
    print(f"wrote {action} in {args.out} ({len(written)} files)")
    print(
        f"next, in {args.out}: {after} (see docs/instructor/{args.platform}.md); "
        "what it releases to students holds no hidden case"
    )
    return DONE


def _report(args: argparse.Namespace) -> int:
    from instructor.reports.class_report.build import make_report

    try:
        made = make_report(args.gradebook, args.out, args.names, args.student)
    except (ValueError, OSError) as error:
        print(f"cannot make the report: {_cannot(error)}", file=sys.stderr)
        return CANNOT
    for warning in made.warnings:
        _say(f"left out: {warning}", sys.stderr)
    print(
        f"wrote {made.folder / 'index.html'} ({made.students} students, "
        f"{made.mistakes} named mistake(s), {len(made.flagged)} pair(s) flagged as "
        "likely copies) and mistakes.csv, mistakes_by_student.csv, similarity.csv"
    )
    return DONE


# --------------------------------------------------------------------------
# The parser: what each command says about itself in --help
# --------------------------------------------------------------------------

#: The top-level help's account of exit status; each command's help adds its own.
EXIT_STATUS = {
    DONE: "the command did what it says",
    FAILED: "it ran and found a problem (validate: a check failed; execute: a "
    "cell failed; grade: a grader error), or an unexpected error (a traceback)",
    CANNOT: "usage error (a wrong option), or it cannot run on what it was given "
    "(the message says why)",
}

#: Exit status 1 of the commands that have no failure of their own to report.
UNEXPECTED = "an unexpected error: a bug, with Python's traceback"

WIDTH = 79


def _shown(path: str | Path) -> str:
    """A default path as --help shows it: inside the repository, relative to it."""
    path = Path(path)
    if path.is_absolute() and path.is_relative_to(REPO_ROOT):
        return f"{path.relative_to(REPO_ROOT)} in the repository"
    return str(path)


def _paragraphs(*texts: str) -> str:
    """Fill each paragraph to the terminal's usual width, keeping them apart."""
    return "\n\n".join(
        textwrap.fill(" ".join(text.split()), WIDTH, break_on_hyphens=False)
        for text in texts
    )


def _status_lines(code: int, meaning: str) -> list[str]:
    return textwrap.wrap(
        meaning,
        WIDTH,
        initial_indent=f"  {code}  ",
        subsequent_indent="     ",
        break_on_hyphens=False,
    )


def _epilog(examples: Iterable[str], status: dict[int, str]) -> str:
    """The examples and the exit status, laid out as written."""
    lines = ["examples:"]
    lines += [f"  {example}" for example in examples]
    lines += ["", "exit status:"]
    for code, meaning in sorted(status.items()):
        lines += _status_lines(code, meaning)
    return "\n".join(lines)


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    description: Iterable[str],
    examples: Iterable[str],
    status: dict[int, str],
) -> argparse.ArgumentParser:
    """Add the command ``name``: its one-line summary, description and epilog."""
    return commands.add_parser(
        name,
        help=COMMANDS[name][0],
        description=_paragraphs(*description),
        epilog=_epilog(examples, status),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value

    return parse


def _add_limits(command: argparse.ArgumentParser) -> None:
    """The options that set what each graded function may use."""
    from instructor.grading.sandbox import Limits

    command.add_argument(
        "--timeout",
        type=_positive(float),
        default=Limits.timeout,
        help="seconds each graded function may run (default: %(default)s)",
    )
    command.add_argument(
        "--memory",
        type=_positive(int),
        default=Limits.memory_mb,
        help="memory cap of each graded function, in MB (default: %(default)s)",
    )


def _add_source(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--source",
        type=Path,
        default=SOURCE_NOTEBOOK,
        help=f"the source notebook, with the reference solutions, {what} "
        f"(default: {_shown(SOURCE_NOTEBOOK)})",
    )


def _add_release(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from instructor.authoring.bundle import BRANCH, ZIP_NAME

    release = _command(
        commands,
        "release",
        (
            f"""Generate the student notebook from the source notebook (each
            solution replaced by its stub, outputs and instructor metadata
            removed) and write the student bundle: a folder with that notebook,
            the lab's modules, data, requirements and a README, and
            {ZIP_NAME} beside it.""",
            """Reads --source.  Writes --student, the --out folder and the zip
            in --out's parent.  A folder or zip that release did not write is
            never replaced.  Re-releasing into the same --out says whether
            notebooks already handed out still work with the new bundle.""",
        ),
        (
            "python -m instructor release",
            "python -m instructor release --bundle-url "
            f"https://example.org/{ZIP_NAME} --repo-url https://github.com/OWNER/REPO",
        ),
        {
            DONE: "released",
            FAILED: UNEXPECTED,
            CANNOT: "usage error, or cannot release: --bundle-url is not a web "
            "address, --repo-url is not a GitHub repository, --out holds files "
            "release did not write, the source is missing or disagrees with the "
            "exercise table",
        },
    )
    _add_source(release, "read")
    release.add_argument(
        "--student",
        type=Path,
        default=STUDENT_NOTEBOOK,
        help=f"the student notebook to write (default: {_shown(STUDENT_NOTEBOOK)})",
    )
    release.add_argument(
        "--out",
        type=Path,
        default=RELEASE_FOLDER,
        help=f"the bundle folder to write; {ZIP_NAME} goes beside it "
        "(default: %(default)s)",
    )
    release.add_argument(
        "--bundle-url",
        help=f"where {ZIP_NAME} will be published: the notebook fetches the "
        "lab's files from there when opened alone (Colab, an LMS download); "
        "without it, such a notebook asks its student to download the bundle",
    )
    release.add_argument(
        "--repo-url",
        help="https://github.com/OWNER/REPO the bundle folder will be pushed to, "
        "for the student README's Colab and Binder links (no links without it)",
    )
    release.add_argument(
        "--branch",
        default=BRANCH,
        help="that repository's branch (default: %(default)s)",
    )
    release.set_defaults(run=_release)


def _add_execute(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from instructor.authoring.execute import CELL_TIMEOUT

    execute = _command(
        commands,
        "execute",
        (
            f"""Run every cell of the source notebook in a fresh kernel started
            in its folder (each cell may run {CELL_TIMEOUT} s) and write it back
            with its text outputs; pictures are dropped.  Reads and rewrites
            --source, only once every cell has run.  Takes minutes.""",
        ),
        ("python -m instructor execute",),
        {
            DONE: "executed and written",
            FAILED: "a cell raised or ran out of time (the traceback names "
            "it); the notebook is left as it was",
            CANNOT: "usage error, or no notebook at --source",
        },
    )
    _add_source(execute, "run and rewritten in place")
    execute.set_defaults(run=_execute)


def _add_validate(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    validate = _command(
        commands,
        "validate",
        (
            """Check that the lab agrees with itself: every graded function of
            the source is a row of the exercise table and every row is graded
            in the source; every row has its public test, and its hidden cases
            have distinct names and positive points; the reference solutions
            pass every public and hidden test; the blank student version fails
            them all; --student is what `release` generates.""",
            """Reads --source, --student, public_tests.py and the exercise table;
            writes nothing.  Prints one line per check (ok or FAIL).  CI runs
            it.""",
        ),
        (
            "python -m instructor validate",
            "python -m instructor validate --student release/kmeans_lab/"
            "kmeans_lab.ipynb",
        ),
        {
            DONE: "every check passed",
            FAILED: "the lab disagrees: a check failed (its FAIL line says "
            "which), or the source's graded cells cannot be run",
            CANNOT: "usage error, or a notebook it cannot read (missing, not "
            "a notebook)",
        },
    )
    _add_source(validate, "checked")
    validate.add_argument(
        "--student",
        type=Path,
        default=STUDENT_NOTEBOOK,
        help="the committed student notebook, compared with what release "
        f"generates (default: {_shown(STUDENT_NOTEBOOK)})",
    )
    validate.set_defaults(run=_validate)


def _add_grade(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from instructor.grading.confinement import LEVELS
    from instructor.grading.grader import (
        FEEDBACK_DIR,
        GRADES_FILE,
        INFO_FILE,
        RECORDS_DIR,
    )
    from instructor.reports.gradebook import (
        CANVAS_ASSIGNMENT,
        CANVAS_FILE,
        FORMATS,
        ID_COLUMNS,
    )

    grade = _command(
        commands,
        "grade",
        (
            """Grade submitted notebooks: each graded function runs in a
            confined worker against the lab's hidden cases, with a time and a
            memory limit.  A broken submission (hangs, crashes, not a
            notebook) is its student's zero, with the reason, and the run goes
            on.""",
            f"""Reads the notebooks and folders given (never following a link)
            and --roster.  Writes into --out: {GRADES_FILE}, a ledger that
            keeps every other student's row; {FEEDBACK_DIR}/<student>.md;
            {RECORDS_DIR}/<student>.json, which `report` reads; {INFO_FILE},
            the isolation and limits that applied; and {CANVAS_FILE} with
            --format canvas.  A submission unchanged since the last run into
            --out is not graded again.""",
        ),
        (
            "python -m instructor grade submissions/ --out gradebook/ -j 2",
            "python -m instructor grade submissions/jdoe.ipynb --out gradebook/"
            "    # regrade one student",
            "python -m instructor grade canvas_download/ --out gradebook/ "
            "--roster export.csv --format canvas",
        ),
        {
            DONE: "every submission was graded (zeros included: a broken "
            "submission is its student's zero, with its reason)",
            FAILED: "the grader's own code failed on a submission: it is "
            "listed, gets the status 'grader error (...)' and is graded again "
            "on the next run, never counted as the student's zero",
            CANNOT: "usage error, or grading cannot start: a missing path, no "
            f"notebook, two submissions with one student id, --out naming a "
            f"file or holding a {GRADES_FILE} the grader did not write, a bad "
            "roster, an isolation level this machine cannot give",
        },
    )
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
        help=f"the gradebook folder: {GRADES_FILE} there keeps every other "
        "student's row",
    )
    grade.add_argument(
        "-j",
        "--jobs",
        type=_positive(int),
        default=1,
        help="submissions graded at once, one worker each (default: %(default)s)",
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
        help="the roster column of the ids in file names (default: the first of "
        f"{', '.join(ID_COLUMNS)} that the roster has)",
    )
    grade.add_argument(
        "--format",
        choices=FORMATS,
        default=FORMATS[0],
        help=f"csv: {GRADES_FILE} only; canvas: also {CANVAS_FILE} for Canvas's "
        "gradebook import (every student of the roster, or without one every "
        f"Canvas ID in {GRADES_FILE}) (default: %(default)s)",
    )
    grade.add_argument(
        "--assignment",
        default=CANVAS_ASSIGNMENT,
        help=f"the assignment column of {CANVAS_FILE}, e.g. '{CANVAS_ASSIGNMENT} "
        "(12345)' as in the export; the default is a new assignment to Canvas "
        "(default: %(default)s)",
    )
    grade.add_argument(
        "--isolation",
        choices=LEVELS,
        default=LEVELS[0],
        help="strict (Linux: confined workers) or trusted (resource limits only: "
        "submissions can read and write what you can) (default: %(default)s)",
    )
    grade.set_defaults(run=_grade)


def _add_gradescope(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    from instructor.platforms.gradescope import (
        AUTOGRADER_ZIP,
        HIDDEN_VISIBILITY,
        VISIBILITIES,
    )

    gradescope = _command(
        commands,
        "gradescope",
        (
            """Write the autograder zip Gradescope's specification asks for:
            setup.sh, run_autograder, requirements.txt (lower bounds, never
            pins), autograder.json with the settings chosen here, and the
            grader's own modules.  Never the source notebook: the zip holds no
            reference solution.  Each submission is graded as `grade` grades
            it, under the same limits.""",
            """Reads the repository; writes --out.""",
        ),
        (
            f"python -m instructor gradescope --out {AUTOGRADER_ZIP}",
            "python -m instructor gradescope --hidden-visibility visible --timeout 30",
        ),
        {
            DONE: "written: upload it as the autograder",
            FAILED: UNEXPECTED,
            CANNOT: "usage error, or an option refused (an unknown visibility), "
            "or --out cannot be written",
        },
    )
    gradescope.add_argument(
        "--out",
        type=Path,
        default=Path(AUTOGRADER_ZIP),
        help="the zip to write (default: %(default)s)",
    )
    gradescope.add_argument(
        "--hidden-visibility",
        default=HIDDEN_VISIBILITY,
        metavar="WHEN",
        help="when students see the hidden cases' results: "
        f"{', '.join(VISIBILITIES)} (default: %(default)s)",
    )
    _add_limits(gradescope)
    gradescope.set_defaults(run=_gradescope)


def _add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from instructor.platforms.nbgrader import DEFAULT_TIMEOUT

    export = _command(
        commands,
        "export",
        (
            """Write the lab for another grading platform, grading with the
            lab's own hidden cases and the grader's own judge, which travel
            inside the platform's hidden tests.  nbgrader: a course folder
            with source/kmeans_lab/ (the notebook and the lab's files) and
            nbgrader_config.py; otter: an otter-assign master notebook with
            the lab's files.""",
            """Reads the source notebook; writes --out, never over an existing
            course or master.  Then run the platform's own tool there (see
            docs/instructor/nbgrader.md and otter.md).""",
        ),
        (
            "python -m instructor export nbgrader --out course/",
            "python -m instructor export otter --out otter/",
        ),
        {
            DONE: "written",
            FAILED: UNEXPECTED,
            CANNOT: "usage error, or refused: --out is a file or already holds "
            "the course or master, --timeout given with otter",
        },
    )
    export.add_argument(
        "platform",
        choices=("nbgrader", "otter"),
        help="nbgrader: a course folder; otter: an otter-assign master notebook",
    )
    export.add_argument(
        "--out", type=Path, required=True, help="the folder to write into"
    )
    export.add_argument(
        "--timeout",
        type=_positive(int),
        help="nbgrader only: seconds each cell may run, longer than nbgrader's "
        f"own default (default: {DEFAULT_TIMEOUT})",
    )
    export.set_defaults(run=_export)


def _add_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from instructor.grading.grader import GRADES_FILE, RECORDS_DIR
    from instructor.reports.class_report.build import REPORT_DIR

    report = _command(
        commands,
        "report",
        (
            """Say what the class as a whole got wrong, how the scores spread
            and which submissions look copied, from what `grade` recorded: no
            student code runs again.""",
            f"""Reads the gradebook folder ({GRADES_FILE}, {RECORDS_DIR}/) and
            the student notebook as released.  Writes a self-contained
            index.html, mistakes.csv, mistakes_by_student.csv and
            similarity.csv into --out.""",
        ),
        (
            "python -m instructor report gradebook/",
            "python -m instructor report gradebook/ --names --out private-report/",
        ),
        {
            DONE: "written (students it had to leave out are listed on stderr)",
            FAILED: UNEXPECTED,
            CANNOT: "usage error, or the folder is not a gradebook (no "
            f"{GRADES_FILE}) or cannot be read",
        },
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
        help=f"the folder to write the report in (default: GRADEBOOK/{REPORT_DIR})",
    )
    report.add_argument(
        "--student",
        type=Path,
        default=STUDENT_NOTEBOOK,
        help="the student notebook as released: its graded cells (the stub every "
        "student got) do not count towards similarity "
        f"(default: {_shown(STUDENT_NOTEBOOK)})",
    )
    report.set_defaults(run=_report)


#: The commands, in the order --help lists them: their one-line summary, and
#: what adds them with their options (importing only what the command needs).
COMMANDS = {
    "release": (
        "generate the student notebook and the student bundle",
        _add_release,
    ),
    "execute": ("re-run the source notebook and store its outputs", _add_execute),
    "validate": (
        "check that reference, tests and student notebook agree",
        _add_validate,
    ),
    "grade": ("grade submitted notebooks into a gradebook", _add_grade),
    "gradescope": ("write the autograder zip for Gradescope", _add_gradescope),
    "export": ("write the lab for nbgrader or otter-grader", _add_export),
    "report": (
        "the class report of a gradebook: mistakes, scores, copies",
        _add_report,
    ),
}


def _top_epilog() -> str:
    lines = ["exit status (each command's --help says what its own mean):"]
    for code, meaning in sorted(EXIT_STATUS.items()):
        lines += _status_lines(code, meaning)
    lines += [
        "",
        "examples:",
        "  python -m instructor release",
        "  python -m instructor grade submissions/ --out gradebook/ -j 2",
        "  python -m instructor grade --help",
    ]
    return "\n".join(lines)


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser, every command with its options.

    With ``only``, the name of a command, the others get their one-line
    summary and no option: ``python -m instructor --help`` then imports none
    of the library, and ``grade --help`` only what grade needs.
    """
    top = argparse.ArgumentParser(
        prog="python -m instructor",
        description=_paragraphs(
            "Instructor tools for the K-means lab: release the student notebook "
            "and bundle, check the lab, grade submissions, write the autograder "
            "for Gradescope or the lab for nbgrader and otter-grader, and report "
            "on a class.  Run from the repository root."
        ),
        epilog=_top_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(
        dest="command", required=True, title="commands", metavar="COMMAND"
    )
    for name, (summary, add) in COMMANDS.items():
        if only is None or name == only:
            add(commands)
        else:
            commands.add_parser(name, help=summary)
    return top


def main(argv: Sequence[str] | None = None) -> int:

    argv = sys.argv[1:] if argv is None else list(argv)
    command = argv[0] if argv and argv[0] in COMMANDS else ""
    args = parser(only=command).parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
