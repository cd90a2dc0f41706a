"""One control group per worker: memory, tasks and CPU the kernel itself charges.

Resource limits (``setrlimit``) count per process or per user, and miss what
matters most between classmates graded side by side: shared memory (System V
segments, ``memfd``, ``/dev/shm``) is outside ``RLIMIT_AS``, threads are
counted per uid, and a process with many threads gets many shares of the CPU.
A control group charges all of it to the worker, whatever it calls.

Where the grader may make groups (root, a delegated cgroup v2 subtree, a
container given a writable cgroup), each worker gets one, made beside the
grader's own group, before it starts:

* memory, page cache and shared memory included, capped at the worker's
  memory limit (swap too, where the kernel accounts it);
* :data:`TASKS` processes and threads at most;
* the CPU weight of one ordinary task, however many threads it runs.

cgroup v2 (one unified hierarchy, the common case: Ubuntu 22.04 and later,
Docker with a cgroup namespace) is used when its ``memory`` and ``pids``
controllers are delegated to a group the grader can write; cgroup v1 (one
hierarchy per controller) otherwise, where ``memory`` and ``pids`` are mounted
and writable.  Everything is plain file writes under ``/sys/fs/cgroup``.
Where neither is possible, :func:`find` says why, the grader records the
downgrade and the worker falls back on ``RLIMIT_NPROC``.
"""

import contextlib
import itertools
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: Processes and threads one worker may have at once (bubblewrap's two
#: included).  A lab answer runs in one thread; a thread pool of its own
#: (``concurrent.futures`` makes at most 32) still fits.
TASKS = 64
#: CPU weight of a worker's group: one ordinary task's (v2 default, v1 default).
CPU_WEIGHT_V2, CPU_SHARES_V1 = 100, 1024
#: Controllers a group must have to be worth making.
NEEDED = ("memory", "pids")
#: How long to wait for a killed worker's group to empty before removing it.
REMOVE_SECONDS = 2.0

_counter = itertools.count()


@dataclass(frozen=True)
class Hierarchy:
    """Where worker groups are made: ``{controller: folder}`` and the version."""

    version: int
    parents: tuple[
        tuple[str, str], ...
    ]  # ((controller, folder), ...); v2 has one folder for all

    def describe(self) -> str:
        places = sorted({folder for _, folder in self.parents})
        return f"cgroup v{self.version} under {', '.join(places)}"


def _read(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _mounts() -> list[tuple[str, str, set[str]]]:
    """[(mount point, fstype, super options)] of the cgroup file systems."""
    found: list[tuple[str, str, set[str]]] = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or len(tail) < 3 or tail[0] not in ("cgroup", "cgroup2"):
            continue
        if fields[3] != "/":
            continue  # a part of a hierarchy bound elsewhere: paths would not match
        found.append((fields[4], tail[0], set(tail[2].split(","))))
    return found


def _own_groups() -> dict[str, str]:
    """``{controller or "": path}`` of this process, from ``/proc/self/cgroup``."""
    groups = {}
    for line in _read("/proc/self/cgroup").splitlines():
        number, _, rest = line.partition(":")
        names, _, path = rest.partition(":")
        if number == "0" and not names:
            groups[""] = path
        for name in names.split(","):
            if name:
                groups[name] = path
    return groups


def _writable(folder: str | Path) -> bool:
    """Whether a group can be made in ``folder`` (tried: modes lie in containers)."""
    probe = Path(folder) / f"kmeans-lab-probe-{os.getpid()}-{next(_counter)}"
    try:
        probe.mkdir()
    except OSError:
        return False
    with contextlib.suppress(OSError):
        probe.rmdir()
    return True


def _v2(
    mounts: list[tuple[str, str, set[str]]], own: dict[str, str]
) -> tuple[Hierarchy | None, str | None]:
    """A cgroup v2 folder with ``memory`` and ``pids`` for its children, or a reason."""
    points = [point for point, kind, _ in mounts if kind == "cgroup2"]
    if not points or "" not in own:
        return None, "no cgroup v2 mounted"
    point = points[0]
    folder = Path(point + own[""]).resolve()
    top = Path(point).resolve()
    # The nearest group, ours or above, that hands memory and pids to children
    # (one holding processes cannot: the grader's own group, in most cases).
    while True:
        given = set(_read(folder / "cgroup.subtree_control").split())
        if set(NEEDED) <= given and _writable(folder):
            return Hierarchy(2, tuple((c, str(folder)) for c in (*NEEDED, "cpu"))), None
        if folder == top or top not in folder.parents:
            break
        folder = folder.parent
    return None, (
        f"no cgroup v2 group this user can write delegates memory and pids "
        f"(under {point})"
    )


def _v1(
    mounts: list[tuple[str, str, set[str]]], own: dict[str, str]
) -> tuple[Hierarchy | None, str | None]:
    """cgroup v1 folders for memory, pids (and cpu) this user can write, or a reason."""
    parents = []
    for controller in (*NEEDED, "cpu"):
        point = next(
            (p for p, kind, opts in mounts if kind == "cgroup" and controller in opts),
            None,
        )
        folder = None if point is None else Path(point + own.get(controller, "/"))
        if folder is None or not _writable(folder):
            if controller == "cpu":
                continue
            return None, f"cgroup v1 {controller} is not mounted or not writable"
        parents.append((controller, str(folder)))
    return Hierarchy(1, tuple(parents)), None


def find() -> tuple[Hierarchy | None, str | None]:
    """Where worker groups can be made here: (Hierarchy, None) or (None, why not)."""
    if not os.path.isdir("/sys/fs/cgroup"):
        return None, "no /sys/fs/cgroup (not Linux, or not mounted)"
    mounts, own = _mounts(), _own_groups()
    hierarchy, why2 = _v2(mounts, own)
    if hierarchy is not None:
        return hierarchy, None
    hierarchy, why1 = _v1(mounts, own)
    if hierarchy is not None:
        return hierarchy, None
    return None, f"{why2}; {why1}"


def _write(path: str | Path, value: str | int) -> None:
    with open(path, "w", encoding="ascii") as file:
        file.write(str(value))


class Group:
    """One worker's group: made with its limits, joined by the worker, removed after.

    Parameters
    ----------
    hierarchy : Hierarchy
    memory_bytes : int
        Memory of every kind the worker's processes may hold at once.
    """

    def __init__(self, hierarchy: Hierarchy, memory_bytes: int) -> None:
        self.version = hierarchy.version
        name = f"kmeans-lab-{os.getpid()}-{next(_counter)}"
        folders: dict[str, list[str]] = {}
        for controller, parent in hierarchy.parents:
            folders.setdefault(parent, []).append(controller)
        self.folders = [Path(parent) / name for parent in folders]
        for folder in self.folders:
            folder.mkdir()
        try:
            for controllers, folder in zip(folders.values(), self.folders, strict=True):
                self._limit(folder, controllers, memory_bytes)
        except OSError:
            self.remove()
            raise
        #: ``cgroup.procs`` of each folder, written by the worker's child side.
        self.procs = [str(folder / "cgroup.procs") for folder in self.folders]

    def _limit(self, folder: Path, controllers: list[str], memory_bytes: int) -> None:
        if self.version == 2:
            _write(folder / "memory.max", memory_bytes)
            if (folder / "memory.swap.max").exists():
                _write(folder / "memory.swap.max", 0)
            _write(folder / "memory.oom.group", 1)
            _write(folder / "pids.max", TASKS)
            if (folder / "cpu.weight").exists():
                _write(folder / "cpu.weight", CPU_WEIGHT_V2)
            return
        if "memory" in controllers:
            _write(folder / "memory.limit_in_bytes", memory_bytes)
            if (folder / "memory.memsw.limit_in_bytes").exists():
                with contextlib.suppress(OSError):  # swap accounting may be off
                    _write(folder / "memory.memsw.limit_in_bytes", memory_bytes)
        if "pids" in controllers:
            _write(folder / "pids.max", TASKS)
        if "cpu" in controllers:
            _write(folder / "cpu.shares", CPU_SHARES_V1)

    def join(self) -> None:
        """Move the calling process into the group (run in the child, before exec)."""
        for path in self.procs:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, b"0")
            finally:
                os.close(fd)

    def _pids(self) -> set[int]:
        found = set()
        for path in self.procs:
            for line in _read(path).split():
                with contextlib.suppress(ValueError):
                    found.add(int(line))
        return found

    def kill(self) -> None:
        """SIGKILL every process still in the group (the worker and all it made)."""
        if self.version == 2 and (self.folders[0] / "cgroup.kill").exists():
            with contextlib.suppress(OSError):
                _write(self.folders[0] / "cgroup.kill", 1)
            return
        for pid in self._pids():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def out_of_memory(self) -> bool:
        """Whether the kernel killed a process of the group for memory."""
        folder = next(
            (f for f in self.folders if (f / "memory.oom_control").exists()), None
        )
        if self.version == 2:
            text = _read(self.folders[0] / "memory.events")
        elif folder is not None:
            text = _read(folder / "memory.oom_control")
        else:
            return False
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and value.strip() not in ("", "0"):
                return True
        return False

    def remove(self) -> None:
        """Remove the group's folders, once its processes are gone (best effort)."""
        deadline = time.monotonic() + REMOVE_SECONDS
        for folder in self.folders:
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    self.kill()
                    time.sleep(0.01)


_found = None
_lock = threading.Lock()


def hierarchy() -> tuple[Hierarchy | None, str | None]:
    """:func:`find`, once per grading process."""
    global _found
    with _lock:
        if _found is None:
            _found = find()
        return _found
