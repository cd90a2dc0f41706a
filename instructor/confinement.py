"""Isolation levels: what the grader asks of each worker, and how it starts one.

``strict``
    Linux only.  The worker drops root if it has it, then confines itself
    with Landlock (it reads only the Python runtime and writes nothing) and
    seccomp (no new process, no socket, no signal but to itself), under
    resource limits; bubblewrap, where it works, adds private pid, network
    and mount namespaces in which only the runtime is visible.  A worker that
    cannot apply every one of these runs no student code.
``trusted``
    Any platform.  The resource limits the platform has, nothing more:
    submissions can read and write what the grader's user can.  As root the
    worker still drops to ``nobody`` (through bubblewrap), or grading refuses.
"""

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("strict", "trusted")
#: The uid and gid that student code runs as when the grader is root.
NOBODY = 65534
#: Test hook: a comma-separated list of confinement steps for the worker to
#: The bindings the worker imports by name when it confines itself (so
#: following the grader's imports does not find them).
WORKER_BINDINGS = ("landlock", "pyseccomp")
#: treat as refused (e.g. ``RLIMIT_AS,landlock``), as a platform lacking them would.
REFUSE_VARIABLE = "KMEANS_LAB_REFUSE"
#: Test hook: set to ``1`` to grade as if bubblewrap were not installed.
NO_BWRAP_VARIABLE = "KMEANS_LAB_NO_BWRAP"

#: What each confinement step means, for the gradebook and the warnings.
STEPS = {
    "RLIMIT_CORE": "no core dumps (RLIMIT_CORE)",
    "RLIMIT_FSIZE": "no file written (RLIMIT_FSIZE)",
    "RLIMIT_CPU": "CPU time cap (RLIMIT_CPU)",
    "RLIMIT_AS": "memory cap (RLIMIT_AS)",
    "RLIMIT_NOFILE": "open files cap (RLIMIT_NOFILE)",
    "unprivileged uid": f"runs as uid {NOBODY} (not root)",
    "die with the grader": "dies with the grader (PR_SET_PDEATHSIG)",
    "landlock": "reads only the Python runtime and writes nothing (Landlock)",
    "seccomp": "no process, socket or signal to others (seccomp)",
    "bubblewrap": "private pid, network and mount namespaces (bubblewrap)",
}
#: Steps the strict level cannot do without.
STRICT_REQUIRES = ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "landlock", "seccomp")


class IsolationError(RuntimeError):
    """The machine cannot give the isolation level asked for."""


def is_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _bwrap():
    """The path of a bubblewrap to use, or None."""
    if os.environ.get(NO_BWRAP_VARIABLE) == "1" or not sys.platform.startswith("linux"):
        return None
    return shutil.which("bwrap")


@dataclass(frozen=True)
class Plan:
    """How every worker of one grading run is started and confined."""

    level: str
    bwrap: str | None = None
    drop_root: bool = False
    landlock: bool = False
    seccomp: bool = False
    refuse: tuple = ()
    require: tuple = field(default=())

    def worker_plan(self, memory_bytes, cpu_seconds):
        """The ``plan`` part of a worker's job."""
        return {
            "limits": {"memory_bytes": memory_bytes, "cpu_seconds": cpu_seconds},
            "drop_to": NOBODY if self.drop_root else None,
            "landlock": self.landlock,
            "seccomp": self.seccomp,
            "refuse": list(self.refuse),
            "require": list(self.require),
            "read": runtime_paths(),
        }


def make_plan(level):
    """The plan for ``level`` on this machine, before any worker has run.

    Raises
    ------
    IsolationError
        When the level cannot be had here, saying what to do instead.
    """
    if level not in LEVELS:
        raise IsolationError(
            f"unknown isolation level {level!r}: use strict or trusted"
        )
    refuse = tuple(
        name for name in os.environ.get(REFUSE_VARIABLE, "").split(",") if name
    )
    root = is_root()
    bwrap = _bwrap()
    if root and bwrap is None:
        raise IsolationError(
            "the grader runs as root and never runs student code as root: "
            "install bubblewrap (apt-get install bubblewrap) so submissions run "
            f"as uid {NOBODY}, or grade as an ordinary user"
        )
    if level == "trusted":
        require = ("unprivileged uid",) if root else ()
        return Plan(
            "trusted", bwrap if root else None, root, refuse=refuse, require=require
        )
    if not sys.platform.startswith("linux"):
        raise IsolationError(
            f"strict isolation needs Linux (Landlock and seccomp); on {sys.platform} "
            "grade with --isolation trusted, where submissions can read and write "
            "what you can"
        )
    grader = Path(__file__).resolve().parent
    for path in runtime_paths():
        if grader.is_relative_to(path):
            raise IsolationError(
                f"the grader's files (with the hidden tests) are in {grader}, inside "
                f"{path}, which submissions may read: keep the lab's repository "
                "outside the Python installation"
            )
    require = STRICT_REQUIRES + (("unprivileged uid",) if root else ())
    return Plan("strict", bwrap, root, True, True, refuse, require)


def _visible(paths):
    """bubblewrap arguments showing ``paths`` read-only at the same place.

    Folders bubblewrap creates on the way get mode 0755, so that ``nobody``
    can reach a runtime kept under a private home (pyenv in /root, say).
    """
    args, made = [], {"/"}
    for path in sorted(set(paths)):
        for parent in reversed(Path(path).parents):
            if str(parent) not in made:
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        args += ["--ro-bind", path, path]
        made.add(path)
    return args


def runtime_paths():
    """What the worker's Python must see: its prefixes and the system's libraries."""
    found = {
        os.path.realpath(p)
        for p in (
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            sys.base_exec_prefix,
            os.path.dirname(os.path.realpath(sys.executable)),
            "/usr",
            "/lib",
            "/lib64",
            "/etc/ld.so.cache",
        )
    }
    found = {p for p in found if os.path.exists(p)}
    # Keep only the outermost of nested paths (bwrap binds whole trees).
    return sorted(
        p for p in found if not any(p != q and p.startswith(q + os.sep) for q in found)
    )


def worker_command(plan, worker):
    """The command line that starts ``worker`` (a path) under ``plan``."""
    python = [sys.executable, "-I"]
    if plan.bwrap is None:
        return [*python, str(worker)]
    args = [plan.bwrap, "--die-with-parent", "--unshare-pid", "--unshare-net"]
    args += ["--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if is_root():
        # Kept only to drop to nobody; the worker gives them up at once.
        args += ["--cap-add", "CAP_SETUID,CAP_SETGID"]
    else:
        args += ["--unshare-user"]
    for name in ("lib", "lib64", "bin", "sbin"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    args += _visible(runtime_paths())
    args += ["--dev", "/dev", "--ro-bind", str(worker), "/kmeans-lab-worker.py"]
    args += ["--chdir", "/"]
    return [*args, "--", *python, "/kmeans-lab-worker.py"]
