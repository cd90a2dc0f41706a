"""The report's one self-contained HTML page.

Everything a student wrote or chose (code, ids, messages) goes into the page
through :func:`html.escape`, never as markup; the page holds no script at
all, and its Content-Security-Policy forbids scripts and any fetch, so it
can be opened from disk or from an LMS file upload and show exactly what
is in it.  Figures are inline PNGs (``data:`` URLs) with alt text and a
table of their numbers.
"""

import base64
import hashlib
from collections.abc import Container, Iterable, Mapping, Sequence
from html import escape
from typing import Any

from instructor.reports.class_report import figures
from instructor.reports.class_report.mistakes import FailingCase, Mistake, exercises
from instructor.reports.class_report.reading import Function, Gradebook, Record
from instructor.reports.class_report.similarity import (
    Pair,
    exercise_similarity,
    features,
)

#: No script, nothing fetched: only inline styles and data: images.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
#: Example answers shown per mistake.
EXAMPLES = 2
#: Lines and characters of one answer shown (a hostile cell can be huge).
MAX_LINES, MAX_CHARS = 40, 3000
#: Flagged pairs shown side by side (all are in similarity.csv).
MAX_COPIES = 20
#: Rows of the table of the hidden cases that fail most.
TOP_CASES = 10

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em;
       padding: 0 1em; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { border-bottom: 2px solid #3b6ea5; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: left;
         vertical-align: top; }
th { background: #e8eef5; } td.n { text-align: right; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5em; overflow-x: auto;
      font-size: .85em; max-height: 30em; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.note { color: #555; } .warn { color: #8a4b00; }
code { background: #f0f0f0; padding: 0 .2em; }
figure { margin: 0; } img { max-width: 100%; height: auto; }
"""


def anonymous_labels(students: Iterable[str], names: bool = False) -> dict[str, str]:
    """``{student: label}``: ``Student 1, 2, ...`` in an order the ids do not give.

    With ``names``, each student's own id.
    """
    if names:
        return {s: s for s in students}
    order = sorted(students, key=lambda s: hashlib.sha256(s.encode()).hexdigest())
    return {s: f"Student {i}" for i, s in enumerate(order, start=1)}


def _table(
    header: Iterable[str],
    rows: Iterable[Sequence[Any]],
    numeric: Container[int] = (),
) -> str:
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(
            f"<td class='n'>{escape(str(v))}</td>"
            if i in numeric
            else f"<td>{escape(str(v))}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _code(source: str | None) -> str:
    """Graded code as an escaped block, cut if it is very long."""
    lines = (source or "").splitlines()
    text = "\n".join(lines[:MAX_LINES])[:MAX_CHARS]
    if len(lines) > MAX_LINES or len(text) < len("\n".join(lines)):
        text += "\n# ... (cut: the full cell is in the student's notebook)"
    return f"<pre><code>{escape(text)}</code></pre>"


def _share(count: int, total: int) -> str:
    return f"{count / total:.0%}" if total else "-"


def _scores(records: Sequence[Record]) -> str:
    names = exercises(records)
    histograms = [
        figures.histogram(
            "the total",
            [r.total for r in records],
            max((r.max_total for r in records), default=0.0),
        )
    ]
    for name in names:
        # The filter keeps only the functions found (mypy cannot see it).
        functions: list[Function] = [
            r.function(name)  # type: ignore[misc]
            for r in records
            if r.function(name)
        ]
        histograms.append(
            figures.histogram(
                name,
                [f.points for f in functions],
                max((f.max_points for f in functions), default=0.0),
            )
        )
    png = base64.b64encode(figures.histograms_png(histograms)).decode("ascii")
    alt = " ".join(h.alt() for h in histograms)
    tables = "".join(
        f"<h3>{escape(h.title)}</h3>"
        + _table(("points", "students"), h.rows(), numeric=(1,))
        for h in histograms
    )
    return (
        "<section id='scores'><h2>Score distribution</h2>"
        f"<figure><img src='data:image/png;base64,{png}' alt='{escape(alt)}'>"
        "<figcaption>Scores of the class: the total, then each exercise "
        "(optional exercises are a bonus, outside the total).</figcaption></figure>"
        "<details><summary>The same numbers as tables</summary>"
        f"{tables}</details></section>"
    )


def _mistakes(
    records: Sequence[Record],
    mistakes: Sequence[Mistake],
    unnamed: Mapping[str, list[str]],
    labels: Mapping[str, str],
) -> str:
    total = len(records)
    codes = {
        (r.student, f.name): f.code for r in records for f in r.functions if f.code
    }
    parts = ["<section id='mistakes'><h2>Mistakes, by exercise</h2>"]
    parts.append(
        "<p class='note'>Each student counts once per mistake and exercise. The "
        "share is of the whole class. The explanation is the grader's own, "
        "ready to reuse in class.</p>"
    )
    for name in exercises(records):
        own = [m for m in mistakes if m.exercise == name]
        parts.append(f"<h3>{escape(name)}</h3>")
        if not own:
            parts.append("<p>No named mistake.</p>")
        else:
            rows = [
                (
                    m.mistake,
                    len(m.students),
                    _share(len(m.students), total),
                    m.sentence or "(no explanation recorded)",
                )
                for m in own
            ]
            parts.append(
                _table(("mistake", "students", "share", "explanation"), rows, (1, 2))
            )
            for m in own:
                shown = sorted(
                    (s for s in m.students if codes.get((s, name))),
                    key=lambda s: labels[s],
                )[:EXAMPLES]
                if not shown:
                    continue
                parts.append(
                    f"<details><summary>Example answers showing "
                    f"<code>{escape(m.mistake)}</code></summary>"
                )
                for student in shown:
                    parts.append(
                        f"<p>{escape(labels[student])}</p>"
                        + _code(codes[(student, name)])
                    )
                parts.append("</details>")
        if unnamed.get(name):
            count = len(unnamed[name])
            parts.append(
                f"<p class='note'>{count} student(s) ({_share(count, total)}) "
                "failed a case no named mistake explains.</p>"
            )
    parts.append("</section>")
    return "".join(parts)


def _cases(cases: Sequence[FailingCase]) -> str:
    rows = [
        (c.exercise, c.case, len(c.students), _share(len(c.students), c.tried))
        for c in cases[:TOP_CASES]
    ]
    table = (
        _table(
            ("exercise", "case", "students failing", "share of those run"), rows, (2, 3)
        )
        if rows
        else "<p>Every case passed for every student.</p>"
    )
    return (
        f"<section id='cases'><h2>The hidden cases that fail most</h2>{table}</section>"
    )


def _runs(
    failures: Iterable[Mistake],
    not_graded: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    total: int,
) -> str:
    rows = [
        (
            m.exercise,
            m.mistake,
            len(m.students),
            _share(len(m.students), total),
            ", ".join(sorted((labels[s] for s in m.students), key=_natural)),
        )
        for m in sorted(failures, key=lambda m: (m.mistake, m.exercise))
    ]
    parts = ["<section id='runs'><h2>Crashes, timeouts and refusals</h2>"]
    parts.append(
        _table(("exercise", "what happened", "students", "share", "who"), rows, (2, 3))
        if rows
        else "<p>Every graded function ran to the end.</p>"
    )
    if not_graded:
        parts.append("<p>Submissions that could not be graded at all:</p>")
        parts.append(
            _table(
                ("student", "why"),
                sorted(
                    ((labels[s], why) for s, why in not_graded),
                    key=lambda r: _natural(r[0]),
                ),
            )
        )
    parts.append("</section>")
    return "".join(parts)


def _natural(label: str) -> tuple[str, int]:
    head, _, number = label.rpartition(" ")
    return (head, int(number)) if number.isdigit() else (label, 0)


def _isolation(info: Mapping[str, Any] | None) -> str:
    if info is None:
        return (
            "<section id='isolation'><h2>Isolation</h2><p class='warn'>The "
            "gradebook does not say how submissions were confined "
            "(grading-info.json is missing or unreadable).</p></section>"
        )
    applied: Any = info.get("applied") if isinstance(info.get("applied"), dict) else {}
    missing: Any = (
        info.get("not_applied") if isinstance(info.get("not_applied"), dict) else {}
    )
    items = "".join(f"<li>{escape(str(v))}</li>" for v in applied.values())
    gaps = "".join(
        f"<li>{escape(str(v.get('what', k) if isinstance(v, dict) else k))}: "
        f"{escape(str(v.get('why', '') if isinstance(v, dict) else v))}</li>"
        for k, v in missing.items()
    )
    return (
        "<section id='isolation'><h2>Isolation</h2>"
        f"<p>Submissions ran at the <strong>{escape(info['isolation'])}</strong> level."
        f"</p><p>Applied:</p><ul>{items or '<li>nothing</li>'}</ul>"
        + (
            f"<p class='warn'>Not applied on the grading machine:</p><ul>{gaps}</ul>"
            if gaps
            else ""
        )
        + "</section>"
    )


def own_features(code: str | None, given: set[bytes]) -> set[bytes]:
    """The features of ``code`` beyond what every student got."""
    return features(code or "") - given


def _copies(
    pairs: Sequence[Pair],
    records: Iterable[Record],
    labels: Mapping[str, str],
    given: Mapping[str, set[bytes]],
) -> str:
    flagged = [p for p in pairs if p.flagged]
    parts = ["<section id='copies'><h2>Copies</h2>"]
    parts.append(
        "<p class='note'>Pairs whose graded code, once the stub, docstrings and "
        "comments are removed and every variable renamed alike, is far more "
        "alike than the class's own spread (similarity 0 to 1, and how many "
        "robust standard deviations above the class's median pair). Short "
        "correct answers are naturally alike: read them side by side before "
        "concluding anything.</p>"
    )
    if pairs:
        values = sorted(p.similarity for p in pairs)
        parts.append(
            f"<p>{len(pairs)} pairs; median similarity {values[len(values) // 2]:.2f}, "
            f"highest {values[-1]:.2f}.</p>"
        )
    if not flagged:
        parts.append("<p>No pair stands out.</p></section>")
        return "".join(parts)
    if len(flagged) > MAX_COPIES:
        parts.append(
            f"<p class='warn'>{len(flagged)} pairs stand out; the {MAX_COPIES} most "
            "alike are shown (similarity.csv lists every pair).</p>"
        )
    by_student = {r.student: r for r in records}
    for pair in flagged[:MAX_COPIES]:
        a, b = sorted(
            (by_student[pair.student_a], by_student[pair.student_b]),
            key=lambda r: _natural(labels[r.student]),
        )
        parts.append(
            f"<h3>{escape(labels[a.student])} and {escape(labels[b.student])}: "
            f"similarity {pair.similarity:.2f} ({pair.z:.1f} above the median)</h3>"
        )
        for function in a.functions:
            other = b.function(function.name)
            other_code = other.code if other else None
            own = given.get(function.name, set())
            if not (own_features(function.code, own) or own_features(other_code, own)):
                continue  # both left as released: nothing to compare
            alike = exercise_similarity(function.code, other_code, own)
            parts.append(
                f"<h4>{escape(function.name)} (alike: {alike:.2f})</h4>"
                "<div class='pair'>"
                f"<div><p>{escape(labels[a.student])}</p>{_code(function.code)}</div>"
                f"<div><p>{escape(labels[b.student])}</p>"
                f"{_code(other.code if other else None)}</div></div>"
            )
    parts.append("</section>")
    return "".join(parts)


def render(
    gradebook: Gradebook,
    mistakes: Sequence[Mistake],
    unnamed: Mapping[str, list[str]],
    cases: Sequence[FailingCase],
    failures: Iterable[Mistake],
    not_graded: Sequence[tuple[str, str]],
    pairs: Sequence[Pair],
    given: Mapping[str, set[bytes]],
    names: bool = False,
) -> str:
    """The page's HTML text.

    ``given`` is what every student got, as
    :func:`instructor.reports.class_report.similarity.given_features` returns it.
    """
    records = gradebook.records
    labels = anonymous_labels([r.student for r in records], names)
    total = len(records)
    dates = sorted(r.graded_at for r in records)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in gradebook.warnings)
    header = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{POLICY}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>K-means lab: class report</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>K-means lab: class report</h1>"
        f"<p>{total} students, graded {escape(dates[0])} to {escape(dates[-1])}. "
        + (
            "Students are shown by id."
            if names
            else "Students are anonymised "
            "(Student 1, 2, ...: run the report with --names to see ids)."
        )
        + "</p>"
        + (
            f"<p class='warn'>Left out:</p><ul class='warn'>{warnings}</ul>"
            if warnings
            else ""
        )
        + "<nav><a href='#scores'>Scores</a> · <a href='#mistakes'>Mistakes</a> · "
        "<a href='#cases'>Hidden cases</a> · <a href='#runs'>Crashes and timeouts</a>"
        " · <a href='#isolation'>Isolation</a> · <a href='#copies'>Copies</a></nav>"
    )
    return "".join(
        (
            header,
            _scores(records),
            _mistakes(records, mistakes, unnamed, labels),
            _cases(cases),
            _runs(failures, not_graded, labels, total),
            _isolation(gradebook.info),
            _copies(pairs, records, labels, given),
            "</body></html>\n",
        )
    )
