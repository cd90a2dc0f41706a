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
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound.add(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, ast.Global):
            bound.update(node.names)
    for node in _top_level_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
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


def _filenames(value):
    """The files (cells) a function or class was written in, if it has code."""
    code = getattr(value, "__code__", None)
    if isinstance(code, types.CodeType):
        return {code.co_filename}
    if inspect.isclass(value):
        return {
            member.__code__.co_filename
            for member in vars(value).values()
            if isinstance(getattr(member, "__code__", None), types.CodeType)
        }
    return set()


def _is_data(value):
    """Notebook data (arrays, numbers, lists...), which this check leaves alone."""
    return not (inspect.ismodule(value) or inspect.isclass(value) or callable(value))


def reach_problem(function, allowed=None):
    """Why the grader would fail ``function`` for what it uses, or None.

    Looks at the global names its code (and code nested in it) loads and the
    modules it imports, resolved in ``function.__globals__``: a module
    outside the contract, an object defined in one (such as SciPy's
    ``cdist`` or a helper from ``utils``), or a function, class or module
    that another notebook cell defines or imports.  Helpers written in the
    same cell (same ``co_filename``) are checked in turn.  Data globals are
    left to the checks of the answers.

    Returns
    -------
    str or None
        One line naming the name and why the grader would fail it.
    """
    allowed = allowed_modules() if allowed is None else allowed
    code = getattr(function, "__code__", None)
    if not isinstance(code, types.CodeType):
        return None
    home = code.co_filename
    namespace = getattr(function, "__globals__", {})
    module = getattr(function, "__module__", None)
    cell = _cell_bindings(home)
    seen, pending = set(), [function]
    while pending:
        current = pending.pop()
        if current.__code__ in seen:
            continue
        seen.add(current.__code__)
        loaded, imported = _global_and_imported_names(current.__code__)
        for name in imported:
            if name and not is_allowed(name, allowed):
                return f"your function imports `{name}`: {refusal(name)}."
        for name in dict.fromkeys(loaded):
            if name in NOTEBOOK_ONLY and name not in namespace:
                return (
                    f"your function uses `{name}`, which only a notebook has: {ALONE}."
                )
            if name in PROVIDED or name not in namespace:
                continue  # a built-in, or not defined at all (a NameError anyway)
            value = namespace[name]
            if _is_data(value):
                continue
            origin = (
                value.__name__
                if inspect.ismodule(value)
                else getattr(value, "__module__", None)
            )
            if isinstance(origin, str) and not is_allowed(origin, allowed):
                if origin != module:  # not a notebook helper (same __module__)
                    where = "" if origin == name else f", from `{top_level(origin)}`"
                    return f"your function uses `{name}`{where}: {refusal(origin)}."
            files = _filenames(value) if origin == module else set()
            if home in files:
                if isinstance(getattr(value, "__code__", None), types.CodeType):
                    pending.append(value)  # a helper of the same cell: check it too
                continue
            if files or (cell is not None and name not in cell):
                return (
                    f"your function uses `{name}`, which another cell defines or "
                    f"imports: {ALONE}. Define or import it in this graded cell."
                )
    return None
