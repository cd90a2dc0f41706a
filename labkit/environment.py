"""What a graded cell may use: the one contract the public tests and the grader share.

A graded cell (one that starts ``# GRADED FUNCTION: <name>``) may use

* NumPy, as ``np``, which is already imported;
* Python's built-ins and standard library: every module the running Python
  lists in ``sys.stdlib_module_names`` (``math``, ``itertools``,
  ``functools``, ``collections``, ...);
* what the graded cell itself defines (a helper function written in the same
  cell is fine).

Nothing else: not SciPy or any other installed package, not the lab's own
``utils``, ``labkit`` or ``public_tests``, and no function, module or
variable that another cell of the notebook defines or imports.

Why exactly these: the grader runs each graded cell *alone*, in a fresh
process, on whatever machine grades (a course server, Gradescope's image).
NumPy and the standard library are there wherever the lab runs at all, so an
answer built from them computes the same everywhere; any other package may be
missing where the grader runs (SciPy is not in the Gradescope image), the
lab's own modules are not shipped to the grader's worker (and hold finished
answers), and names from other cells do not exist when a cell runs alone.
What the worker's confinement forbids (files, processes, the network) is a
separate rule, enforced there, not by this list.

This module is the home of that set.  The public tests check each graded
function against it before judging its answers (:func:`reach_problem`); the
grader sends it to its worker with each job (:func:`import_policy`), and the
worker refuses any other import from the graded cell with the same sentence
(:func:`refusal`).
"""

import ast
import dis
import inspect
import linecache
import sys
import types

#: Packages besides the standard library that a graded cell may import.
PACKAGES = ("numpy",)
#: The names a graded cell finds already defined besides the built-ins.
PROVIDED = ("np",)
#: Built-ins IPython adds in a notebook, which the grader (plain Python) lacks.
NOTEBOOK_ONLY = ("display", "get_ipython")

#: Why an import fails when the cell is graded; ``{module}`` is its top-level name.
REFUSAL = (
    "graded cells may use only NumPy and Python's standard library; "
    "`{module}` is not available when your cell is graded"
)
#: Why a name from another cell fails when the cell is graded.
ALONE = (
    "the grader runs each graded cell alone, so what other cells of your "
    "notebook define or import does not exist when it is graded"
)


def allowed_modules():
    """The top-level modules a graded cell may import, as a frozenset."""
    return frozenset(PACKAGES) | frozenset(sys.stdlib_module_names)


def top_level(module):
    """The top-level package of a dotted name: ``scipy`` for ``scipy.spatial``."""
    return module.partition(".")[0]


def is_allowed(module, allowed=None):
    """Whether a graded cell may use the module named ``module``."""
    allowed = allowed_modules() if allowed is None else allowed
    return top_level(module) in allowed


def refusal(module):
    """The sentence a graded cell gets for using ``module`` (a dotted name)."""
    return REFUSAL.format(module=top_level(module))


def import_policy():
    """What the grader's worker needs to enforce the contract, as JSON-able data.

    ``allowed`` lists the top-level modules; ``refusal`` is :data:`REFUSAL`
    (format it with ``module=``); ``alone`` is :data:`ALONE`.
    """
    return {"allowed": sorted(allowed_modules()), "refusal": REFUSAL, "alone": ALONE}


# --------------------------------------------------------------------------
# The public tests' check: what a graded function reaches for
# --------------------------------------------------------------------------


def _codes(code):
    """``code`` and every code object nested in it (lambdas, inner functions)."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _global_and_imported_names(code):
    """(globals the code loads, modules it imports), in the order they appear."""
    loaded, imported = [], []
    for inner in _codes(code):
        for instruction in dis.get_instructions(inner):
            if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
                loaded.append(instruction.argval)
            elif instruction.opname == "IMPORT_NAME":
                imported.append(instruction.argval)
    return loaded, imported


def _cell_bindings(filename):
    """The names a cell (or file) binds at its top level, or None if unknown.

    IPython keeps each cell's source in :mod:`linecache` under the cell's
    own ``co_filename``; names bound by ``global`` inside its functions count.
    """
    source = "".join(linecache.getlines(filename))
    if not source:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    bound = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Global)
        for name in node.names
    }
    for node in _top_level_nodes(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(a.asname or a.name.partition(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    return bound


def _top_level_nodes(tree):
    """Every node of ``tree`` outside function and class bodies (and lambdas)."""
    pending = list(ast.iter_child_nodes(tree))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
        ):
            pending.extend(ast.iter_child_nodes(node))


def _functions(value):
    """The Python functions behind a function or class (its methods)."""
    if isinstance(getattr(value, "__code__", None), types.CodeType):
        return [value]
    if inspect.isclass(value):
        members = [getattr(m, "__func__", m) for m in vars(value).values()]
        return [
            m
            for m in members
            if isinstance(getattr(m, "__code__", None), types.CodeType)
        ]
    return []


def _is_data(value):
    """Notebook data (arrays, numbers, lists...), which this check leaves alone."""
    return not (inspect.ismodule(value) or inspect.isclass(value) or callable(value))


def _origin(value):
    """The module a module, function or class comes from, or None."""
    origin = (
        value.__name__
        if inspect.ismodule(value)
        else getattr(value, "__module__", None)
    )
    return origin if isinstance(origin, str) else None


class _Reach:
    """What the graded function ``function`` may reach: its cell and its module."""

    def __init__(self, function, allowed):
        self.allowed = allowed
        self.home = function.__code__.co_filename
        self.namespace = getattr(function, "__globals__", {})
        self.module = getattr(function, "__module__", None)
        self.cell = _cell_bindings(self.home)

    def imported(self, module):
        """The problem with importing ``module`` inside a function, or None."""
        if module and not is_allowed(module, self.allowed):
            return f"your function imports `{module}`: {refusal(module)}."
        return None

    def loaded(self, name):
        """(problem or None, same-cell functions to check in turn) for a global."""
        if name in NOTEBOOK_ONLY and name not in self.namespace:
            return (
                f"your function uses `{name}`, which only a notebook has: {ALONE}.",
                [],
            )
        if name in PROVIDED or name not in self.namespace:
            return None, []  # a built-in, or not defined at all (a NameError anyway)
        value = self.namespace[name]
        if _is_data(value):
            return None, []
        origin = _origin(value)
        if origin is not None and origin != self.module:
            if not is_allowed(origin, self.allowed):
                where = "" if origin == name else f", from `{top_level(origin)}`"
                return f"your function uses `{name}`{where}: {refusal(origin)}.", []
            functions = []
        else:  # defined in the notebook (or the file) the function comes from
            functions = _functions(value)
        files = {f.__code__.co_filename for f in functions}
        if self.home in files:
            return None, functions  # a helper of the same cell: check it too
        if files or (self.cell is not None and name not in self.cell):
            return (
                f"your function uses `{name}`, which another cell defines or imports: "
                f"{ALONE}. Define or import it in this graded cell."
            ), []
        return None, []


def reach_problem(function, allowed=None):
    """Why the grader would fail ``function`` for what it uses, or None.

    Looks at the global names its code (and code nested in it) loads and the
    modules it imports, resolved in ``function.__globals__``: a module
    outside the contract, an object defined in one (such as SciPy's
    ``cdist`` or a helper from ``utils``), or a function, class or module
    that another notebook cell defines or imports.  Helpers written in the
    same cell (same ``co_filename``), and the methods of its classes, are
    checked in turn.  Data globals are left to the checks of the answers.

    Returns
    -------
    str or None
        One line naming the name and why the grader would fail it.
    """
    if not isinstance(getattr(function, "__code__", None), types.CodeType):
        return None
    reach = _Reach(function, allowed_modules() if allowed is None else allowed)
    seen, pending = set(), [function]
    while pending:
        code = pending.pop().__code__
        if code in seen:
            continue
        seen.add(code)
        loaded, imported = _global_and_imported_names(code)
        for module in imported:
            problem = reach.imported(module)
            if problem:
                return problem
        for name in dict.fromkeys(loaded):
            problem, helpers = reach.loaded(name)
            if problem:
                return problem
            pending.extend(helpers)
    return None
