"""The installed packages a piece of Python code imports, found by reading it."""

import ast
import sys
from importlib.metadata import distributions


def top_level_imports(source):
    """The top-level module names ``source`` imports (absolute imports only)."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def installed_modules():
    """``{top-level module: package name}`` of every installed package.

    From a package's ``top_level.txt``, else from its files (Python 3.10's
    ``packages_distributions`` reads only the former, which scipy lacks).
    """
    found = {}
    for dist in distributions():
        tops = (dist.read_text("top_level.txt") or "").split()
        if not tops:
            tops = {path.parts[0].removesuffix(".py") for path in dist.files or ()}
        for top in tops:
            found.setdefault(top, dist.metadata["Name"].lower())
    return found


def imported_packages(sources, own=()):
    """The installed packages ``sources`` import, beside the standard library
    and the modules named in ``own``."""
    modules = set().union(*(top_level_imports(s) for s in sources))
    modules -= set(own) | set(sys.stdlib_module_names) | {"__future__"}
    installed = installed_modules()
    return {installed[module] for module in modules}
