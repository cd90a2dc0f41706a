"""Command line of the instructor tools: ``python -m instructor COMMAND``."""

import argparse
import sys
from pathlib import Path

from .layout import SOURCE_NOTEBOOK, STUDENT_NOTEBOOK


def _release(args):
    from .release import release

    written = release(args.source, args.student)
    print(f"wrote {written}")
    return 0


def _execute(args):
    from .execute import execute_in_place

    written = execute_in_place(args.source)
    print(f"executed {written} and stored its outputs")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m instructor", description="Instructor tools for the K-means lab."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser(
        "release", help="generate the student notebook from the source notebook"
    )
    release.add_argument("--source", type=Path, default=SOURCE_NOTEBOOK)
    release.add_argument("--student", type=Path, default=STUDENT_NOTEBOOK)
    release.set_defaults(run=_release)

    execute = commands.add_parser(
        "execute", help="re-run the source notebook and store its outputs"
    )
    execute.add_argument("--source", type=Path, default=SOURCE_NOTEBOOK)
    execute.set_defaults(run=_execute)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
