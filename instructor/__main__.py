"""Command line of the instructor tools: ``python -m instructor COMMAND``.

release   generate the student notebook and the student bundle
execute   re-run the source notebook and store its outputs
validate  check that reference, tests and student notebook agree
grade     grade submitted notebooks into a gradebook
"""

import argparse
import sys
from pathlib import Path

from .layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK


def _release(args):
    from .bundle import write_bundle
    from .release import release

    written = release(args.source, args.student)
    print(f"wrote {written}")
    bundle = write_bundle(args.out, written.read_text(encoding="utf-8"))
    print(f"wrote the student bundle in {bundle}")
    return 0


def _execute(args):
    from .execute import execute_in_place

    written = execute_in_place(args.source)
    print(f"executed {written} and stored its outputs")
    return 0


def _validate(args):
    from .validate import check_lab

    results = check_lab(args.source, args.student)
    for passed, description in results:
        print(f"{'ok  ' if passed else 'FAIL'}  {description}")
    failures = sum(not passed for passed, _ in results)
    print(f"{len(results) - failures} checks passed, {failures} failed")
    return 1 if failures else 0


def _grade(args):
    from .confinement import IsolationError
    from .grader import grade_all, grader_errors
    from .sandbox import Limits

    limits = Limits(timeout=args.timeout, memory_mb=args.memory)
    try:
        rows, graded = grade_all(
            args.submissions, args.out, args.jobs, limits, isolation=args.isolation
        )
    except (ValueError, IsolationError) as error:
        print(f"cannot grade: {error}", file=sys.stderr)
        return 2
    reused = len(rows) - graded
    print(
        f"graded {graded} submission(s), reused {reused} unchanged; "
        f"wrote {args.out / 'grades.csv'} and {args.out / 'feedback'}/"
    )
    failed = grader_errors(rows)
    for row in failed:
        print(f"{row['student']}: {row['status']}", file=sys.stderr)
    if failed:
        print(
            f"{len(failed)} submission(s) not graded because of a grader error "
            "(not the students' fault): fix it and run grade again",
            file=sys.stderr,
        )
        return 1
    return 0


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
        "--out", type=Path, default=Path("release"), help="bundle folder (release/)"
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
        "submissions", nargs="+", type=Path, help="notebooks or folders of notebooks"
    )
    grade.add_argument("--out", type=Path, required=True, help="gradebook folder")
    grade.add_argument(
        "-j", "--jobs", type=_positive(int), default=1, help="submissions at once"
    )
    grade.add_argument(
        "--timeout",
        type=_positive(float),
        default=60.0,
        help="seconds each graded function may run (60)",
    )
    grade.add_argument(
        "--memory",
        type=_positive(int),
        default=2048,
        help="memory cap of each graded function, in MB (2048)",
    )
    grade.add_argument(
        "--isolation",
        choices=("strict", "trusted"),
        default="strict",
        help="strict (Linux: confined workers, the default) or trusted "
        "(resource limits only: submissions can read and write what you can)",
    )
    grade.set_defaults(run=_grade)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
