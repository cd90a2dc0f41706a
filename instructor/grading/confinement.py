"""Isolation levels: what the grader asks of each worker, and how it starts one.

``strict``
    Linux only.  The worker drops root if it has it, then confines itself
    with Landlock (it reads only the Python runtime and writes nothing) and
    seccomp (no new process, no socket, no IPC, no call naming any process
    but itself), under resource limits; bubblewrap, where it works, adds
    private pid, network, IPC and mount namespaces in which only the runtime
    is visible.  A worker that cannot apply Landlock, seccomp and the limits
    runs no student code.  Without namespaces (Docker, Gradescope), a root
    grader runs each worker slot as a uid of its own (:func:`slot_uid`): the
    kernel's permission checks, and seccomp, keep it off the grader and off
    classmates' workers.
``trusted``
    Any platform.  The resource limits the platform has, nothing more:
    submissions can read and write what the grader's user can.  As root the
    worker still drops to ``nobody``, or grading refuses.

At both levels each worker gets a cgroup of its own where the grader can
make one (:mod:`instructor.grading.cgroups`), else ``RLIMIT_NPROC`` caps its threads;
either way the plan records which.

As root, bubblewrap is tried first and *probed* (a container may have it
installed yet deny it namespaces, as Docker's default seccomp profile and
capability set do).  Where it cannot run, the worker, started as root, drops
to ``nobody`` (uid and gid 65534) itself before any student code, as
Gradescope's own advice has it (a non-root user, a separate process,
seccomp).  ``nobody`` rather than a user made for the purpose: every Linux
image has it, it owns no file, nothing else in a grading container runs as
it, and grading needs no change to the machine's user database.  That path
needs CAP_SETUID and CAP_SETGID (Docker's default set has both) and a Python
runtime every user can read; without them grading refuses, naming the one
thing to change.
"""

import os
import pwd
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from os import stat_result
from pathlib import Path
from typing import Any

from instructor.grading import cgroups
from instructor.grading.status import TextEnum
from instructor.layout import REPO_ROOT

#: The grader's package, with the hidden tests: what a worker must not read.
GRADER_FILES = REPO_ROOT / "instructor"


class Level(TextEnum):
    """An isolation level (``grade --isolation``)."""

    STRICT = "strict"
    TRUSTED = "trusted"


#: The isolation levels, the default (strict) first.
LEVELS = tuple(level.value for level in Level)
#: The uid and gid that student code runs as when the grader is root.
NOBODY = 65534
#: The bindings the worker imports by name when it confines itself (so
#: following the grader's imports does not find them).
WORKER_BINDINGS = ("landlock", "pyseccomp")
#: Test hook: a comma-separated list of confinement steps for the worker to
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
    "unprivileged uid": f"runs as uid {NOBODY} (not root), one just below "
    "for each other worker running at once",
    "die with the grader": "dies with the grader (PR_SET_PDEATHSIG)",
    "landlock": "reads only the Python runtime and writes nothing (Landlock)",
    "seccomp": "no process, socket, IPC or call naming another process (seccomp)",
    "bubblewrap": "private pid, network and mount namespaces (bubblewrap)",
    "grader files closed": f"the grader's files are closed to uid {NOBODY} "
    "(file modes)",
    "cgroup": "its own cgroup: memory with shared memory, "
    f"{cgroups.TASKS} tasks, one task's CPU weight",
    "RLIMIT_NPROC": "task cap for its uid (RLIMIT_NPROC)",
}
#: Worker slots that may get a uid of their own below ``NOBODY``: 65533 down
#: to 65520, above systemd's dynamic users (61184-65519) and in the range
#: Debian reserves and never allocates (65000-65533).
MAX_SLOTS = 15
#: Capability bits (linux/capability.h) dropping root needs.
CAP_SETGID, CAP_SETUID = 6, 7
#: How long the bubblewrap probe may take, in seconds.
PROBE_SECONDS = 20
#: Steps the strict level cannot do without.
STRICT_REQUIRES = ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "landlock", "seccomp")


class IsolationError(RuntimeError):
    """The machine cannot give the isolation level asked for."""


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _bwrap() -> str | None:
    """The path of a bubblewrap to use, or None."""
    if os.environ.get(NO_BWRAP_VARIABLE) == "1" or not sys.platform.startswith("linux"):
        return None
    return shutil.which("bwrap")


def _namespace_args(bwrap: str) -> list[str]:
    """The start of every bubblewrap command line: the namespaces it makes."""
    args = [bwrap, "--die-with-parent", "--unshare-pid", "--unshare-net"]
    args += ["--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if is_root():
        # Kept only to drop to nobody; the worker gives them up at once.
        args += ["--cap-add", "CAP_SETUID,CAP_SETGID"]
    else:
        args += ["--unshare-user"]
    return args


def bwrap_problem(bwrap: str) -> str | None:
    """Why ``bwrap`` cannot make the worker's namespaces here, or None if it can.

    Runs ``true`` in the namespaces the worker gets: a container may have
    bubblewrap installed and still deny it namespaces (Docker's default
    seccomp profile and capability set do).
    """
    true = shutil.which("true") or "/bin/true"
    command = [*_namespace_args(bwrap), "--ro-bind", "/", "/", "--", true]
    try:
        finished = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PROBE_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{type(error).__name__}: {error}"
    if finished.returncode == 0:
        return None
    said = finished.stderr.decode("utf-8", "replace").strip().splitlines()
    return said[-1] if said else f"exit code {finished.returncode}"


def _capabilities() -> int | None:
    """The effective capability bits of this process (Linux), or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError):
        return None
    return None


def can_drop_root() -> str | None:
    """None if this root process can become uid ``NOBODY``, else why not."""
    caps = _capabilities()
    if caps is None:
        return None  # not Linux, or no /proc: the worker's own check decides
    missing = [
        name
        for name, bit in (("CAP_SETUID", CAP_SETUID), ("CAP_SETGID", CAP_SETGID))
        if not caps >> bit & 1
    ]
    return f"it lacks {' and '.join(missing)}" if missing else None


def readable_by(uid: int, path: str | Path) -> bool:
    """Whether ``uid`` (in no group but its namesake) can read ``path``.

    Every folder above ``path`` must let it through, and ``path`` itself be
    readable (and, for a folder, searchable): the modes decide, as the kernel
    does for a user without capabilities.
    """

    def allows(info: stat_result, bits: int) -> bool:
        if info.st_uid == uid:
            shift = 6
        elif info.st_gid == uid:
            shift = 3
        else:
            shift = 0
        return (info.st_mode >> shift) & bits == bits

    path = Path(os.path.realpath(path))
    try:
        for parent in reversed(path.parents):
            if not allows(os.stat(parent), 1):
                return False
        info = os.stat(path)
    except OSError:
        return False
    return allows(info, 5 if stat.S_ISDIR(info.st_mode) else 4)


def _unreadable_runtime(uid: int) -> str | None:
    """The first runtime path ``uid`` cannot read, or None."""
    return next((p for p in runtime_paths() if not readable_by(uid, p)), None)


@dataclass(frozen=True)
class Plan:
    """How every worker of one grading run is started and confined."""

    level: Level
    bwrap: str | None = None
    drop_root: bool = False
    landlock: bool = False
    seccomp: bool = False
    refuse: tuple[str, ...] = ()
    require: tuple[str, ...] = field(default=())
    #: Layers the grader gives around the worker besides bubblewrap, by name.
    layers: tuple[str, ...] = ()
    #: ``{name: why}`` for layers the grader tried and could not give.
    missing: tuple[tuple[str, str], ...] = ()
    #: Where each worker gets its own cgroup (a ``cgroups.Hierarchy``), or None.
    cgroup: cgroups.Hierarchy | None = None
    #: The uid of the worker when the grader is root (one per worker slot).
    uid: int = NOBODY

    def worker_plan(self, memory_bytes: int, cpu_seconds: int) -> dict[str, Any]:
        """The ``plan`` part of a worker's job."""
        # Without a cgroup, threads are capped per uid (RLIMIT_NPROC).
        tasks = None if self.cgroup is not None else cgroups.TASKS
        return {
            "limits": {
                "memory_bytes": memory_bytes,
                "cpu_seconds": cpu_seconds,
                "tasks": tasks,
            },
            "drop_to": self.uid if self.drop_root else None,
            "landlock": self.landlock,
            "seccomp": self.seccomp,
            "refuse": list(self.refuse),
            "require": list(self.require),
            "read": runtime_paths(),
        }


def make_plan(level: Level | str) -> Plan:
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
    level = Level(level)
    refuse = tuple(
        name for name in os.environ.get(REFUSE_VARIABLE, "").split(",") if name
    )
    root = is_root()
    bwrap = _bwrap()
    layers: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()
    if root:
        bwrap, layers, missing = _root_layers(bwrap)
    group, why = cgroups.hierarchy()
    if "cgroup" in refuse:
        group, why = None, "refused (simulated by the grader's test hook)"
    if group is None:
        missing += (("cgroup", why or ""),)  # a reason whenever there is no group
    else:
        layers += ("cgroup",)
    if level == Level.TRUSTED:
        require: tuple[str, ...] = ("unprivileged uid",) if root else ()
        return Plan(
            Level.TRUSTED,
            bwrap if root else None,
            root,
            refuse=refuse,
            require=require,
            layers=layers,
            missing=missing,
            cgroup=group,
        )
    if not sys.platform.startswith("linux"):
        raise IsolationError(
            f"strict isolation needs Linux (Landlock and seccomp); on {sys.platform} "
            "grade with --isolation trusted, where submissions can read and write "
            "what you can"
        )
    grader = GRADER_FILES
    for path in runtime_paths():
        if grader.is_relative_to(path):
            raise IsolationError(
                f"the grader's files (with the hidden tests) are in {grader}, inside "
                f"{path}, which submissions may read: keep the lab's repository "
                "outside the Python installation"
            )
    require = STRICT_REQUIRES + (("unprivileged uid",) if root else ())
    return Plan(
        Level.STRICT, bwrap, root, True, True, refuse, require, layers, missing, group
    )


def slot_uid(slot: int) -> int:
    """The uid of the worker in slot ``slot`` (0, 1, ...) when the grader is root.

    Slot 0 runs as ``NOBODY``; slot ``k`` as ``NOBODY - k`` when the user
    database has no account with that uid (so no home, login or service is
    set up for it; see :data:`MAX_SLOTS` for the range), else as ``NOBODY``
    too, as do slots past the range.  A uid of its own per slot
    keeps workers graded at the same time apart as the kernel sees them:
    signals, ``prlimit``, ``ptrace`` and ``/proc`` need the same uid, and
    ``RLIMIT_NPROC`` counts per uid.  Such a uid owns nothing a worker may
    read: the runtime is read through its modes for "others", as ``NOBODY``'s.
    """
    if slot <= 0 or slot >= MAX_SLOTS:
        return NOBODY
    uid = NOBODY - slot
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return uid
    return NOBODY


def _root_layers(
    bwrap: str | None,
) -> tuple[str | None, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """As root: (bubblewrap or None, layers given, layers missing with why).

    Raises
    ------
    IsolationError
        When student code could only run as root, naming the one thing to change.
    """
    problem = "not installed" if bwrap is None else bwrap_problem(bwrap)
    if problem is not None:
        bwrap = None
        why = can_drop_root()
        if why is not None:
            raise IsolationError(
                "the grader runs as root and never runs student code as root, "
                f"but it cannot become uid {NOBODY}: {why} (bubblewrap: {problem}). "
                "Give the container CAP_SETUID and CAP_SETGID (Docker's default "
                "set has them: drop the --cap-drop that removes them), or grade "
                "as an ordinary user"
            )
        path = _unreadable_runtime(NOBODY)
        if path is not None:
            raise IsolationError(
                f"the grader runs as root and runs student code as uid {NOBODY}, "
                f"which cannot read the Python runtime at {path} (bubblewrap, which "
                f"would show it, cannot run: {problem}). Grade with a Python every "
                "user can read (the system's /usr/bin/python3 or a virtual "
                "environment made from it), or grade as an ordinary user"
            )
    # bubblewrap itself is named from the plan's ``bwrap`` when workers start.
    layers: tuple[str, ...] = ()
    if not readable_by(NOBODY, GRADER_FILES):
        layers += ("grader files closed",)
    missing = () if problem is None else (("bubblewrap", problem),)
    return bwrap, layers, missing


def _visible(paths: Iterable[str]) -> list[str]:
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


def runtime_paths() -> list[str]:
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


def worker_command(plan: Plan, worker: str | Path) -> list[str]:
    """The command line that starts ``worker`` (a path) under ``plan``."""
    python = [sys.executable, "-I"]
    if plan.bwrap is None:
        # Started as root (when the grader is), the worker reads this file
        # before it drops to nobody: the file may be closed to nobody.
        return [*python, str(worker)]
    args = _namespace_args(plan.bwrap)
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
