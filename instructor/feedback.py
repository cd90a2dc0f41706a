"""Render one submission's grade as a Markdown feedback file."""


def _points(value):
    return f"{value:g}"


def _one_line(text):
    return " ".join(str(text).split())


def render_feedback(grade):
    """Return the Markdown feedback for ``grade`` (an ``instructor.grader.Grade``)."""
    lines = [
        f"# Feedback for {grade.student}",
        "",
        f"**Total: {_points(grade.total)} / {_points(grade.max_total)} points.** "
        f"Status: {grade.status}.",
        "",
    ]
    for function in grade.functions:
        bonus = " (optional: bonus points)" if function.optional else ""
        lines += [
            f"## {function.name}: {_points(function.points)} / "
            f"{_points(function.max_points)} points{bonus}",
            "",
        ]
        if function.note:
            lines += [f"Note: {function.note}.", ""]
        if function.problem:
            lines += [f"Could not be graded: {function.problem}.", ""]
        for test in function.tests:
            mark = "passed" if test.points == test.max_points else "failed"
            lines.append(
                f"- {mark} ({_points(test.points)} / {_points(test.max_points)}): "
                f"{test.name}"
                + ("" if test.message == "passed" else f": {_one_line(test.message)}")
            )
        if not function.tests:
            lines.append("- no tests were run")
        lines.append("")
    return "\n".join(lines)
