"""Which answers are far more alike than the class's own spread: copies.

Python's own :mod:`ast` does the work; no library fits better.  Token-based
tools (MOSS-style winnowing, e.g. ``copydetect``) see reordered lines as
different text, and the short functions of this lab are too small for
their k-gram windows; an AST is what makes the three invariances cheap:

* comments and docstrings are not in the tree (docstrings are dropped);
* every name the code binds (assigned variables, loop variables, helper
  functions, import aliases) becomes one placeholder, and the graded
  function's arguments their position (``a0``, ``a1``), so renaming
  changes nothing, while the free names (``np``, ``range``, ``len``) and
  attributes (``.argmin``, ``axis=``) stay: they carry the method;
* an answer is a *set* of features, one per simple statement and
  expression subtree, and only the header of a compound statement (``for
  _ in range(_)``, ``if _ < _``), so independent lines in another order
  give the same set.

What every student got (the released stub of the graded cell, code shown
in the notebook's hints) is removed, and so is what many students wrote
(at least :data:`COMMON_SHARE` of the class and :data:`COMMON_LEAST`
students: in a lab of short functions the idiomatic answer is written
word for word by many, which says nothing about copying); every other
feature is weighted by how rare it is in the class (``log((N + 1) / (df +
1))``: code only two students share weighs most).  The
similarity of two students is the weighted Jaccard index of their
features, over all graded functions: 0 (nothing shared) to 1 (the same
code up to names, order and comments).

A pair is flagged as a likely copy when its similarity is far above the
class's own spread: a robust z-score (distance from the median of all
pairs, in units of 1.4826 x the median absolute deviation) of at least
:data:`FLAG_Z`, and a similarity of at least :data:`FLAG_MIN`.  Short
correct answers are naturally alike; the flag says "look", never "guilty".
"""

import ast
import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from instructor.reports.gradebook import csv_text

#: Code at least this share of the class wrote (and at least
#: :data:`COMMON_LEAST` students) is a common answer, no evidence of copying:
#: it is left out like the stub.
COMMON_SHARE = 0.05
COMMON_LEAST = 5
#: Pairs at least this similar go into similarity.csv.
FLOOR = 0.25
#: Robust z-score above the class's median pair from which a pair is flagged.
FLAG_Z = 4.0
#: ... and the least similarity a flagged pair has.
FLAG_MIN = 0.6
#: The least spread (median absolute deviation) assumed, so a class whose
#: pairs are nearly all alike or all different does not flag small gaps.
MIN_SPREAD = 0.03
#: Compound statements: only their header is a feature, their body's
#: statements are features of their own.
_BODIES = ("body", "orelse", "finalbody", "handlers", "decorator_list")
_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Try,
)
#: Code blocks in the notebook's Markdown (the hints' skeleton).
_FENCE = re.compile(r"```(?:python)?\n(.*?)```", re.DOTALL)
#: Source longer than this is cut before parsing (a hostile huge cell).
MAX_SOURCE = 200_000


class _Normalise(ast.NodeTransformer):
    """Bound names to placeholders; docstrings and other bare strings out.

    ``bound`` maps each bound name to its placeholder: the graded
    function's own arguments by position (``a0``, ``a1``: the stub names
    them), every other bound name ``_``.
    """

    def __init__(self, bound: dict[str, str]) -> None:
        self.bound = bound

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.bound.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.bound.get(node.arg, "_")
        node.annotation = None
        return node

    def visit_FunctionDef(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> ast.FunctionDef | ast.AsyncFunctionDef:
        node.name = "_"
        node.returns = None
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_alias(self, node: ast.alias) -> ast.alias:
        node.asname = "_" if node.asname else None
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.Expr | None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None
        self.generic_visit(node)
        return node


def _bound_names(tree: ast.Module) -> dict[str, str]:
    """``{name: placeholder}`` of every name the code binds."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.setdefault(node.id, "_")
        elif isinstance(node, ast.arg):
            bound.setdefault(node.arg, "_")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.setdefault(node.name, "_")
        elif isinstance(node, ast.alias) and node.asname:
            bound.setdefault(node.asname, "_")
    graded = next(
        (
            n
            for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        ),
        None,
    )
    if graded is not None:
        for i, arg in enumerate(graded.args.posonlyargs + graded.args.args):
            bound[arg.arg] = f"a{i}"
    return bound


def _header(node: ast.AST) -> str:
    """A compound statement without its body: what it does, not what it holds."""
    fields = {
        name: ast.dump(value) if isinstance(value, ast.AST) else repr(value)
        for name, value in ast.iter_fields(node)
        if name not in _BODIES and not isinstance(value, list)
    }
    return f"{type(node).__name__}{sorted(fields.items())}"


def features(source: str) -> set[bytes]:
    """The set of normalised feature hashes of ``source`` (empty if unparsable)."""
    try:
        tree = ast.parse(source[:MAX_SOURCE])
        tree = _Normalise(_bound_names(tree)).visit(tree)
        found: set[bytes] = set()
        for node in ast.walk(tree):
            if isinstance(node, _COMPOUND):
                text = _header(node)
            elif isinstance(node, ast.stmt) or (
                isinstance(node, ast.expr)
                and not isinstance(node, (ast.Name, ast.Constant))
            ):
                text = ast.dump(node)
            else:
                continue
            found.add(hashlib.blake2b(text.encode(), digest_size=8).digest())
        return found
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()


def given_features(
    cells: Mapping[str, str], markdown: Iterable[str] = ()
) -> dict[str, set[bytes]]:
    """What every student got: ``{exercise: features}`` of the released stubs,
    plus the features of the hints' code blocks, under every exercise.

    ``cells`` maps an exercise to its released graded cell's source;
    ``markdown`` is the notebook's Markdown text.
    """
    hints: set[bytes] = set()
    for text in markdown:
        for block in _FENCE.findall(text):
            hints |= features(block)
    return {name: features(source) | hints for name, source in cells.items()}


@dataclass
class Pair:
    """Two students, how alike their graded code is, and whether it is flagged."""

    student_a: str
    student_b: str
    similarity: float
    z: float
    flagged: bool = False


def student_features(
    codes: Mapping[str, str | None], given: Mapping[str, set[bytes]]
) -> set[tuple[str, bytes]]:
    """One student's features over every graded function, what they got removed.

    ``codes`` maps an exercise to its graded code (None if none).
    """
    found: set[tuple[str, bytes]] = set()
    for exercise, code in codes.items():
        if code:
            own = features(code) - given.get(exercise, set())
            found |= {(exercise, f) for f in own}
    return found


def similarities(
    students: Mapping[str, Mapping[str, str | None]], given: Mapping[str, set[bytes]]
) -> list[Pair]:
    """Every pair of students with code, most alike first, flags set.

    ``students`` maps a student to ``{exercise: code}``.
    """
    bags = {s: student_features(c, given) for s, c in students.items()}
    names = sorted(s for s, bag in bags.items() if bag)
    if len(names) < 2:
        return []
    columns: dict[tuple[str, bytes], int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, student in enumerate(names):
        for feature in bags[student]:
            rows.append(i)
            cols.append(columns.setdefault(feature, len(columns)))
    shape = (len(names), len(columns))
    present = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    df = np.asarray(present.sum(axis=0)).ravel()
    common = max(COMMON_LEAST, math.ceil(COMMON_SHARE * len(names)))
    weights = np.where(df >= common, 0.0, np.log((len(names) + 1) / (df + 1)))
    weighted = present @ sparse.diags(weights)
    shared = (weighted @ present.T).toarray()
    mass = np.asarray(weighted.sum(axis=1)).ravel()
    union = mass[:, None] + mass[None, :] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(union > 0, shared / union, 0.0)
    upper = np.triu_indices(len(names), k=1)
    values = np.clip(score[upper], 0.0, 1.0)
    median = float(np.median(values))
    spread = max(1.4826 * float(np.median(np.abs(values - median))), MIN_SPREAD)
    zs = (values - median) / spread
    pairs = [
        Pair(
            names[i], names[j], float(v), float(z), bool(z >= FLAG_Z and v >= FLAG_MIN)
        )
        for i, j, v, z in zip(*upper, values, zs, strict=True)
    ]
    pairs.sort(key=lambda p: (-p.similarity, p.student_a, p.student_b))
    return pairs


def similarity_csv(pairs: Iterable[Pair], floor: float = FLOOR) -> str:
    """The text of similarity.csv: every pair at least ``floor`` alike."""
    rows = [
        (p.student_a, p.student_b, f"{p.similarity:.3f}")
        for p in pairs
        if p.similarity >= floor
    ]
    return csv_text(("student_a", "student_b", "similarity"), rows)


def exercise_similarity(
    code_a: str | None, code_b: str | None, given: set[bytes]
) -> float:
    """The plain Jaccard index of two answers to one exercise (for the page)."""
    a, b = features(code_a or "") - given, features(code_b or "") - given
    return len(a & b) / len(a | b) if a | b else 0.0
