"""Run a submission's graded functions on their hidden cases, confined, in a subprocess.

The grader starts this file as ``python -I worker.py`` and talks to it over
three pipes; the worker is self-contained (it imports nothing from the lab)
and it only *computes*: it runs each graded cell, calls the function on every
case's inputs and sends back the results, the inputs as they were afterwards,
and any error or warning.  The comparison with the expected answers happens in
the grader, outside this process, so nothing the student's code patches here
can change a verdict.

Each graded cell runs with built-ins that offer exactly what graded cells may
use (:func:`graded_builtins`, from the policy the job carries): importing
anything else raises ImportError with the contract's sentence, and a NameError
(a name only another notebook cell defined) is described with the reason.

Before any student code runs, the worker confines itself as the job asks
(:func:`confine`): resource limits, an unprivileged uid if it was started as
root, Landlock (read only the Python runtime, write nothing) and seccomp (no
new process, no socket, no IPC, no call naming any process but itself).  Each step that
applies or not is reported to the grader in the first message.

Pipes
-----
stdin (read, before any student code)
    Two length-prefixed blocks: the job as JSON, then the inputs as ``.npz``
    bytes (array argument j of case i of job n as ``n{n}c{i}a{j}``).
stdout (written, the *results* channel)
    Messages, each a 4-byte big-endian header length, a JSON header, then the
    raw bytes of the arrays the header lists (``{"key", "dtype", "shape"}``,
    C order, one after another).  First ``{"kind": "hello", "applied": [...],
    "skipped": {name: reason}}``, then one ``{"kind": "job", "index": n,
    "setup_error": str | None, "syntax_error": str | None, "ipython": [str]
    (only for a cell with IPython lines), "cases": [{"error", "type",
    "warnings", "out_of_memory"}]}`` per graded function, with arrays
    ``c{i}result`` and ``c{i}a{j}after``.
stderr
    Everything the student's code prints (stdout is redirected there).

``SystemExit`` raised by the student's code is not caught: the worker ends
without its message, and the grader says the function crashed.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import re
import signal
import struct
import sys
import traceback
import warnings
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

if TYPE_CHECKING:  # types only: the worker imports nothing more at run time
    import ctypes
    from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
    from types import CodeType, ModuleType

    from numpy.typing import NDArray

# Bound before any student code runs, so patching numpy, json or os cannot
# change how results are written.
_dumps = json.dumps
_write = os.write
_asarray = np.asarray
_ascontiguousarray = np.ascontiguousarray
_ndarray = np.ndarray
_pack = struct.pack
_import = builtins.__import__

# The worker runs as a file alone (``python -I worker.py``, inside bubblewrap
# only this file is bound): what it shares with the grader is defined here,
# and the grader (``sandbox.py``, ``channel.py``) imports it from here.

#: Exit code of a worker that ran out of memory outside the student's function.
OUT_OF_MEMORY = 86
#: Exit code of a worker that could not apply a confinement the job requires.
NOT_CONFINED = 87
#: What the worker's own exit codes mean, as the grader says it.
EXIT_CODES = {
    OUT_OF_MEMORY: "it ran out of memory outside the graded function",
    NOT_CONFINED: "it could not apply a confinement the job requires",
}
#: How the length of a block is written on the pipes (``struct`` formats):
#: the job's JSON and a message's header (4 bytes, big-endian), the job's
#: inputs (8 bytes, big-endian).
HEADER_LENGTH = ">I"
INPUTS_LENGTH = ">Q"

# --------------------------------------------------------------------------
# Confinement
# --------------------------------------------------------------------------


class Refused(OSError):
    """A limit the job asked to fail, as a platform that refuses it would."""


def _attempt(
    name: str, refuse: Collection[str], action: Callable[[], object]
) -> str | None:
    """Run ``action``; return None if it applied, else the reason it did not."""
    try:
        if name in refuse:
            raise Refused(errno.EPERM, "refused (simulated by the grader's test hook)")
        action()
    except (OSError, ValueError, ImportError, AttributeError) as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return None


def _set_limit(name: str, value: int) -> None:
    import resource

    number = getattr(resource, name)
    resource.setrlimit(number, (value, value))


def _limit_output_size() -> None:
    # Python ignores SIGXFSZ, turning a write past the cap into an OSError the
    # student's code could catch; the default action ends the worker instead.
    _set_limit("RLIMIT_FSIZE", 0)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)


def _libc() -> ctypes.CDLL:
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the process that started it dies."""
    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "PR_SET_PDEATHSIG is Linux only")
    pr_set_pdeathsig = 1
    if _libc().prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(errno.EPERM, "prctl(PR_SET_PDEATHSIG) failed")


def _capability_sets() -> dict[str, int]:
    """``{"CapEff": bits, ...}`` of this process, from ``/proc`` (Linux)."""
    sets: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key.startswith("Cap"):
                sets[key] = int(value.split()[0], 16)
    return sets


def _drop_root(uid: int) -> None:
    """Become ``uid`` (and its namesake group) for good: no way back to root.

    Real, effective and saved ids all change (``setresuid``), supplementary
    groups go, and no capability may be left in any set afterwards.
    """
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if 0 in os.getresuid() or 0 in os.getresgid() or os.getgroups():
        raise OSError(errno.EPERM, "still root after setresuid")
    # No /proc inside bubblewrap: there the kernel's rule alone holds (all
    # three uids leaving 0 clears the permitted and effective sets).
    if os.path.exists("/proc/self/status"):
        sets = _capability_sets()
        left = {k: sets[k] for k in ("CapEff", "CapPrm", "CapAmb") if sets.get(k)}
        if left:
            raise OSError(errno.EPERM, f"capabilities left after setuid: {left}")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise OSError(errno.EPERM, "could become root again")


#: Shared libraries by their usual Linux names, tried before ``find_library``
#: (which runs ``ldconfig -p`` twice, a tenth of a worker's start-up).
_SONAMES = {"c": "libc.so.6", "seccomp": "libseccomp.so.2"}


def _find_library_fast(
    find_library: Callable[[str], str | None],
) -> Callable[[str], str | None]:
    import ctypes

    def find(name: str) -> str | None:
        soname = _SONAMES.get(name)
        if soname:
            try:
                ctypes.CDLL(soname)
                return soname
            except OSError:
                pass
        return find_library(name)

    return find


def _load(module: str) -> tuple[ModuleType | None, str | None]:
    """Import a binding now, while its library can still be found and loaded."""
    import ctypes.util

    find_library = ctypes.util.find_library
    # A module's function replaced for this one import, restored below.
    ctypes.util.find_library = _find_library_fast(find_library)  # type: ignore[assignment]
    try:
        return __import__(module), None
    except (ImportError, OSError, AttributeError, RuntimeError) as error:
        return None, f"{type(error).__name__}: {error}".splitlines()[0]
    finally:
        ctypes.util.find_library = find_library


def _landlock(landlock: ModuleType, paths: Iterable[str]) -> None:
    """Read only ``paths``; create, write, remove and rename nothing, anywhere."""
    access = landlock.FSAccess
    for_files = access.READ_FILE | access.EXECUTE
    ruleset = landlock.Ruleset()
    for path in paths:
        folder = os.path.isdir(path)
        ruleset.allow(path, rules=for_files | access.READ_DIR if folder else for_files)
    ruleset.apply()  # its descriptor stays open: it can only restrict further


#: fcntl commands that make the kernel signal another process (F_SETOWN,
#: F_SETSIG, F_SETOWN_EX), and the ioctl ones that do the same on sockets
#: (FIOSETOWN, SIOCSPGRP).
_SIGNAL_OWNERS = (8, 10, 15)
_IOCTL_OWNERS = (0x8901, 0x8902)
#: prctl options a worker gives up: its own death signal (PR_SET_PDEATHSIG),
#: and letting others trace it (PR_SET_DUMPABLE, PR_SET_PTRACER).
_PRCTL_DENIED = (1, 4, 0x59616D61)
#: System V and POSIX IPC, and memory files: memory outside ``RLIMIT_AS``,
#: shared with anyone of the same uid (without an IPC namespace).
_IPC = (
    *("shmget", "shmat", "shmdt", "shmctl", "msgget", "msgsnd", "msgrcv"),
    *("msgctl", "semget", "semop", "semtimedop", "semctl", "ipc"),
    *("mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify"),
    *("mq_getsetattr", "memfd_create", "memfd_secret"),
)
#: Calls whose first argument names a process (0 = the caller itself).
_NAMES_A_PROCESS = (
    *("prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam"),
    *("sched_setattr", "migrate_pages", "move_pages", "get_robust_list"),
    "process_madvise",
)


def _seccomp(sc: ModuleType) -> None:
    """Forbid new processes, sockets, IPC, and any call that names another process.

    Threads, memory of its own and files already open stay allowed: what a
    lab answer (NumPy included) needs.  What names another process is denied
    whatever the kernel's own permission checks would say, so that a worker
    left with the grader's uid (not root, no namespaces) still cannot reach
    it: signals but to itself, ``prlimit``, priorities, signal owners of a
    file, its death signal.
    """
    clone_thread = 0x00010000
    me = os.getpid()
    deny = sc.ERRNO(errno.EPERM)
    rules = sc.SyscallFilter(sc.ALLOW)

    def known(name: str) -> bool:
        return sc.resolve_syscall(sc.Arch.NATIVE, name) >= 0  # else not on this arch

    for name in (
        *("fork", "vfork", "execve", "execveat", "ptrace", "tkill"),
        *("process_vm_readv", "process_vm_writev", "kcmp", "process_mrelease"),
        *("pidfd_open", "pidfd_send_signal", "pidfd_getfd"),
        *("socket", "socketpair", "setsid", "setpgid", "unshare", "setns"),
        *("mount", "umount2", "chroot", "pivot_root", "bpf", "perf_event_open"),
        *("keyctl", "add_key", "request_key", "userfaultfd", "io_uring_setup"),
        *("setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid"),
        *("setgroups", "ioperm", "iopl", "kexec_load", "init_module"),
        *_IPC,
    ):
        if known(name):
            rules.add_rule(deny, name)
    # Threads are allowed (the student's code may use them); processes are not.
    rules.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, clone_thread, 0))
    # clone3 passes its flags in memory seccomp cannot read: say it does not
    # exist, and the C library falls back to clone.
    rules.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        rules.add_rule(deny, name, sc.Arg(0, sc.NE, me))
    for name in _NAMES_A_PROCESS:
        if known(name):
            rules.add_rule(deny, name, sc.Arg(0, sc.NE, 0))
    # setpriority and ioprio_set: only (PRIO_PROCESS / IOPRIO_WHO_PROCESS, 0).
    for name, process in (("setpriority", 0), ("ioprio_set", 1)):
        rules.add_rule(deny, name, sc.Arg(0, sc.NE, process))
        rules.add_rule(deny, name, sc.Arg(1, sc.NE, 0))
    for command in _SIGNAL_OWNERS:
        rules.add_rule(deny, "fcntl", sc.Arg(1, sc.EQ, command))
    for request in _IOCTL_OWNERS:
        rules.add_rule(deny, "ioctl", sc.Arg(1, sc.EQ, request))
    for option in _PRCTL_DENIED:
        rules.add_rule(deny, "prctl", sc.Arg(0, sc.EQ, option))
    rules.load()


def _own_tasks(uid: int) -> int:
    """How many processes and threads ``uid`` has now, from ``/proc``."""
    count = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except (OSError, ValueError):
            continue  # gone meanwhile
        if int(fields.get("Uid", "-1 ").split()[0]) == uid:
            count += int(fields.get("Threads", "1").strip())
    return count


def _limit_tasks(tasks: int, dropped: bool) -> None:
    """Cap the tasks of this worker's uid (RLIMIT_NPROC counts per uid).

    Dropped from root, the worker has a uid of its own (one per worker
    slot): ``tasks`` is its whole allowance.  Kept at the grader's uid, the
    cap is what that uid runs now plus ``tasks``: the worker can make
    ``tasks`` threads beyond what the uid already runs, no more.  The cap is
    the worker's own: the grader's, and each later worker's (counted afresh
    when it starts), are not lowered by it.
    """
    if not dropped:
        if not os.path.isdir("/proc/self"):
            raise OSError(errno.ENOENT, "no /proc to count the uid's tasks")
        tasks += _own_tasks(os.getuid())
    _set_limit("RLIMIT_NPROC", tasks)


def confine(plan: dict[str, Any]) -> tuple[list[str], dict[str, str | None]]:
    """Apply the limits and confinement ``plan`` asks for, in order.

    Returns
    -------
    applied : list of str
    skipped : dict
        ``{name: reason}`` for each step that did not apply.
    """
    refuse = set(plan.get("refuse", ()))
    limits = plan["limits"]
    steps = [
        ("RLIMIT_CORE", lambda: _set_limit("RLIMIT_CORE", 0)),
        ("RLIMIT_FSIZE", _limit_output_size),
        ("RLIMIT_CPU", lambda: _set_limit("RLIMIT_CPU", limits["cpu_seconds"])),
        ("RLIMIT_AS", lambda: _set_limit("RLIMIT_AS", limits["memory_bytes"])),
        ("RLIMIT_NOFILE", lambda: _set_limit("RLIMIT_NOFILE", 64)),
    ]
    dropped = plan.get("drop_to") is not None
    if dropped:
        steps.append(("unprivileged uid", lambda: _drop_root(plan["drop_to"])))
    if limits.get("tasks") is not None:
        steps.append(("RLIMIT_NPROC", lambda: _limit_tasks(limits["tasks"], dropped)))
    steps.append(("die with the grader", _die_with_parent))
    applied: list[str]
    skipped: dict[str, str | None]
    applied, skipped = [], {}
    if plan.get("landlock"):
        landlock, skipped["landlock"] = _load("landlock")
        if landlock:
            del skipped["landlock"]
            steps.append(("landlock", lambda: _landlock(landlock, plan["read"])))
    if plan.get("seccomp"):
        seccomp, skipped["seccomp"] = _load("pyseccomp")
        if seccomp:
            del skipped["seccomp"]
            steps.append(("seccomp", lambda: _seccomp(seccomp)))
    for name, action in steps:
        reason = _attempt(name, refuse, action)
        if reason is None:
            applied.append(name)
        else:
            skipped[name] = reason
    return applied, skipped


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("the grader's job ended early")
    return data


def read_job(stream: BinaryIO) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
    """The job and its input arrays, from the grader's length-prefixed blocks."""
    head = _read_exactly(stream, struct.calcsize(HEADER_LENGTH))
    job = json.loads(_read_exactly(stream, struct.unpack(HEADER_LENGTH, head)[0]))
    inputs: bytes | dict[str, NDArray[Any]]
    inputs = _read_exactly(stream, struct.calcsize(INPUTS_LENGTH))
    (size,) = struct.unpack(INPUTS_LENGTH, inputs)
    with np.load(io.BytesIO(_read_exactly(stream, size)), allow_pickle=False) as npz:
        inputs = {key: npz[key] for key in npz.files}
    return job, inputs


def send(
    fd: int, header: dict[str, Any], arrays: Mapping[str, NDArray[Any]] | None = None
) -> None:
    """Write one message (a JSON header and raw arrays) to ``fd``."""
    arrays = arrays or {}
    chunks, described = [], []
    for key, array in arrays.items():
        array = _ascontiguousarray(array)
        described.append(
            {"key": key, "dtype": array.dtype.str, "shape": list(array.shape)}
        )
        chunks.append(array.tobytes())
    head = _dumps({**header, "arrays": described}).encode("utf-8")
    data = b"".join([_pack(HEADER_LENGTH, len(head)), head, *chunks])
    view = memoryview(data)
    while view:
        view = view[_write(fd, view) :]


# --------------------------------------------------------------------------
# What a graded cell may use
# --------------------------------------------------------------------------


#: What to add to the description of an error the graded cell raised, by its
#: exact type: set from the job's policy (a name only another cell defined).
_EXPLAINED: dict[type[BaseException], str] = {}


def graded_builtins(policy: dict[str, Any]) -> dict[str, Any]:
    """Built-ins for a graded cell that offer exactly what the contract allows.

    ``policy`` is the job's ``imports`` (``labkit.environment.import_policy``):
    the top-level modules a graded cell may import, the sentence refusing any
    other, and the sentence that explains a NameError (each graded cell runs
    alone).  Only the graded cell's own code sees these built-ins: NumPy and
    the standard library keep the real ``__import__`` for their own imports.
    The result is a plain dict, so name look-ups stay as fast as Python's.
    """
    allowed = frozenset(policy["allowed"])
    refusal = policy["refusal"]

    def graded_import(
        name: str,
        globals: Mapping[str, object] | None = None,
        locals: Mapping[str, object] | None = None,
        fromlist: Sequence[str] = (),
        level: int = 0,
    ) -> ModuleType:
        top = name.partition(".")[0]
        if level or top not in allowed:
            raise ImportError(refusal.format(module=top or "."), name=name)
        return _import(name, globals, locals, fromlist, level)

    _EXPLAINED[NameError] = policy["alone"]
    return {**vars(builtins), "__import__": graded_import}


# --------------------------------------------------------------------------
# Running the graded functions
# --------------------------------------------------------------------------


def arrange(array: NDArray[Any], layout: str) -> NDArray[Any]:
    """Return ``array`` in the memory layout a case asks for."""
    if layout == "F":
        return np.asfortranarray(array)
    if layout == "strided":
        doubled = np.repeat(array, 2, axis=-1)
        return doubled[..., ::2]
    return np.ascontiguousarray(array)


def make_args(
    case: dict[str, Any],
    prefix: str,
    inputs: Mapping[str, NDArray[Any]],
    seed: int | None,
) -> list[Any]:
    """The arguments of a case; a generator from ``seed`` where it takes one."""
    args: list[Any] = []
    for j, arg in enumerate(case["args"]):
        if arg["kind"] == "array":
            args.append(arrange(inputs[f"{prefix}a{j}"].copy(), arg["layout"]))
        elif arg["kind"] == "rng":
            args.append(np.random.default_rng(seed))
        else:
            args.append(arg["value"])
    return args


def describe(error: BaseException) -> str:
    """One line naming an exception raised by the student's code."""
    kind = "MemoryError" if isinstance(error, MemoryError) else type(error).__name__
    text = str(error).strip().splitlines()
    said = f"{kind}: {text[0]}" if text else kind
    why = _EXPLAINED.get(type(error))
    return f"{said}: {why}" if why else said


def describe_warning(caught: warnings.WarningMessage) -> str:
    return f"{caught.category.__name__}: {caught.message}"


# --------------------------------------------------------------------------
# Compiling a graded cell as Jupyter would
# --------------------------------------------------------------------------

#: The longest message about a graded cell sent back (the results header is capped).
MAX_MESSAGE_CHARS = 300
#: How many IPython commands a job reports, each cut to MAX_NOTE_CHARS.
MAX_NOTES = 10
MAX_NOTE_CHARS = 40
#: Lines only IPython reads: magics, shell escapes, help, prompts, and an
#: indented first line (Jupyter dedents a cell).  A cheap test, so that an
#: ordinary cell never pays IPython's import; a false alarm (a comment ending
#: in ``?``) only costs that import, since IPython leaves Python alone.
_IPYTHON_SYNTAX = re.compile(
    r"^[ \t]*(?:[%!?]|>>>|In \[\d*\]:)"  # %magic, !cmd, ?help, prompts
    r"|^[^#\n'\"]*=[ \t]*[%!]"  # x = !ls, x = %timeit -o ...
    r"|\?[ \t]*$"  # obj?, obj??
    r"|\A\s*?^[ \t]+\S",  # a first line that is indented
    re.MULTILINE,
)
#: Cell and line magics that run their Python code in Jupyter: their code runs
#: here too (untimed, unprofiled, uncaptured).  Every other magic, shell
#: command and help request does nothing in grading but is noted.
_RUNS_ITS_CODE = {"time", "capture", "prun"}


class CellSyntaxError(Exception):
    """The graded cell does not compile: ``"<message> (line N)"``."""


class _StatementSyntaxError(SyntaxError):
    """A line magic's statement that does not compile, before its line is known."""

    def __init__(self, msg: str, lineno: int | None) -> None:
        super().__init__(msg)
        self.msg, self.lineno = msg, lineno


def _syntax_message(
    error: SyntaxError, offset: int = 0, lineno: int | None = None
) -> str:
    """``"<message> (line N)"``: ``lineno``, or the error's line plus ``offset``."""
    if lineno is None and error.lineno:
        lineno = error.lineno + offset
    where = f" (line {lineno})" if lineno else ""
    return f"{error.msg}{where}"[:MAX_MESSAGE_CHARS]


def _leading_blank_lines(source: str) -> int:
    """How many blank lines IPython's clean-up removes from a cell's start."""
    count = 0
    for line in source.split("\n", 64):
        if line.strip():
            break
        count += 1
    return count


class _Shell:
    """What ``get_ipython()`` returns to a graded cell: IPython's calls, noted.

    A graded cell's ``%timeit``, ``!pip install ...`` or ``np.sum?`` runs
    nothing in grading (no process could start anyway); the command is noted
    for the feedback.  ``%time``, ``%%time``, ``%%capture`` and ``%prun`` run
    their code, as they do in Jupyter, where it defines the graded function.
    """

    def __init__(
        self,
        transform: Callable[[str], tuple[str, int]],
        notes: list[str],
        source: str,
    ) -> None:
        self._transform, self._notes, self._source = transform, notes, source
        lines = source.split("\n", 64)
        #: The line of the ``%%magic`` in the cell, which its body follows.
        self.cell_magic_line = next(
            (i + 1 for i, line in enumerate(lines) if line.strip()), 1
        )

    def _line_of(self, magic_name: str, statement: str) -> int:
        """The line of the cell holding ``%magic statement`` (0 if not found)."""
        first = statement.split("\n", 1)[0].strip()
        for number, text in enumerate(self._source.splitlines(), start=1):
            text = text.strip()
            if text.startswith(f"%{magic_name}") and first in text:
                return number
        return 0

    def _note(self, text: object) -> None:
        text = " ".join(str(text).split())[:MAX_NOTE_CHARS]
        if text not in self._notes and len(self._notes) < MAX_NOTES:
            self._notes.append(text)

    def _run(self, code: str, offset: int | None, depth: int) -> None:
        text, lead = self._transform(code)
        try:
            compiled = compile(text, "<graded cell>", "exec", dont_inherit=True)
        except SyntaxError as error:
            if offset is None:
                raise _StatementSyntaxError(error.msg, error.lineno) from None
            raise CellSyntaxError(_syntax_message(error, offset + lead)) from None
        frame = sys._getframe(depth + 1)
        exec(compiled, frame.f_globals, frame.f_locals)

    def run_line_magic(self, magic_name: str, line: str, _stack_depth: int = 1) -> None:
        if magic_name in _RUNS_ITS_CODE:
            try:
                return self._run(line, None, _stack_depth)
            except _StatementSyntaxError as error:
                where = self._line_of(magic_name, line)
                lineno = where + error.lineno - 1 if where and error.lineno else None
                raise CellSyntaxError(_syntax_message(error, 0, lineno)) from None
        command = "?" if magic_name.startswith("pinfo") else f"%{magic_name}"
        self._note(command)
        return None

    def run_cell_magic(self, magic_name: str, line: str, cell: str) -> None:
        if magic_name in _RUNS_ITS_CODE:
            return self._run(cell, self.cell_magic_line, 1)
        self._note(f"%%{magic_name}")
        return None

    def system(self, cmd: str) -> None:
        self._note(f"!{cmd.split()[0] if cmd.split() else ''}")

    def getoutput(self, cmd: str, split: bool = True, depth: int = 0) -> list[str]:
        self.system(cmd)
        return []


def _ipython_transform() -> Callable[[str], tuple[str, int]]:
    """IPython's transformation of a cell, as ``text -> (python, blank lines cut)``.

    Raises
    ------
    CellSyntaxError
        If IPython cannot be imported here: the line is refused, never
        silently scored as a syntax error of its own.
    """
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except Exception as error:  # noqa: BLE001 - an IPython that does not import
        raise CellSyntaxError(
            "the cell has a line only IPython understands (a %magic, !command or "
            "? help), and IPython is not installed where grading runs: remove "
            f"that line ({type(error).__name__})"
        ) from None
    manager = TransformerManager()

    def transform(text: str) -> tuple[str, int]:
        return manager.transform_cell(text), _leading_blank_lines(text)

    return transform


def graded_code(
    source: str, name: str, namespace: dict[str, Any], report: dict[str, Any]
) -> CodeType:
    """Compile a graded cell as Jupyter runs it.

    A cell with a line only IPython reads (:data:`_IPYTHON_SYNTAX`) goes
    through IPython's own input transformations first, and ``get_ipython()``
    in ``namespace`` is a :class:`_Shell` whose commands are noted in
    ``report["ipython"]``.  Every other cell is compiled as it is.

    Raises
    ------
    CellSyntaxError
        If the cell does not compile, saying why and on which line of the
        cell (as the grader shows it: ``invalid syntax (line 3)``).
    """
    filename = f"<graded cell {name}>"
    if _IPYTHON_SYNTAX.search(source):
        transform = _ipython_transform()
        notes = report.setdefault("ipython", [])
        shell = _Shell(transform, notes, source)
        namespace["get_ipython"] = lambda: shell
        try:
            source, lead = transform(source)
        except Exception:  # noqa: BLE001 - then Python says what is wrong
            lead = 0
    else:
        lead = 0
    try:
        # dont_inherit: the student's code compiles as in their notebook, not
        # with this file's ``from __future__ import annotations`` (which makes
        # a dataclass in a graded cell look its module up, and find none).
        return compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        raise CellSyntaxError(_syntax_message(error, lead)) from None


def run(
    job: dict[str, Any], number: int, inputs: Mapping[str, NDArray[Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run one graded function on its cases; return (header, arrays)."""
    name = job["name"]
    report: dict[str, Any] = {
        "kind": "job",
        "index": number,
        "setup_error": None,
        "syntax_error": None,
        "cases": [],
    }
    outputs: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__name__": "graded_cell", "np": np}
    namespace["__builtins__"] = graded_builtins(job["imports"])
    try:
        exec(graded_code(job["source"], name, namespace, report), namespace)
        function = namespace.get(name)
        if not callable(function):
            raise NameError(f"the graded cell does not define a function {name}()")
    except CellSyntaxError as error:
        report["syntax_error"] = str(error)
        return report, outputs
    except Exception as error:  # noqa: BLE001 - student code may raise anything
        report["setup_error"] = describe(error)
        return report, outputs
    out_of_memory = False
    for i, case in enumerate(job["cases"]):
        entry: dict[str, Any] = {
            "error": None,
            "type": None,
            "warnings": [],
            "out_of_memory": False,
        }
        if out_of_memory:
            # Running out again would only use up the time limit.
            entry["error"] = "not run: an earlier case ran out of memory"
            report["cases"].append(entry)
            continue
        seeds = case.get("seeds") or [None]
        answers = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for seed in seeds:
                args = make_args(case, f"n{number}c{i}", inputs, seed)
                try:
                    answers.append(function(*args))
                except Exception as error:  # noqa: BLE001 - SystemExit ends the worker
                    entry["error"] = describe(error)
                    entry["out_of_memory"] = isinstance(error, MemoryError)
                    out_of_memory = entry["out_of_memory"]
                    break
        entry["warnings"] = [describe_warning(w) for w in caught]
        if entry["error"] is None:
            entry["type"] = type(answers[0]).__name__
            try:
                arrays = [_asarray(answer) for answer in answers]
                if any(array.dtype.kind not in "biufcmM" for array in arrays):
                    raise TypeError("not numbers")
                if case.get("seeds"):
                    if len({array.shape for array in arrays}) > 1:
                        raise ValueError("shapes differ")
                    outputs[f"c{i}result"] = np.stack(arrays)
                else:
                    outputs[f"c{i}result"] = arrays[0]
            except Exception:  # noqa: BLE001
                entry["error"] = (
                    f"returned a {entry['type']}, not an array of numbers of one shape"
                )
        for j, arg in enumerate(args):
            if isinstance(arg, _ndarray) and arg.dtype.kind in "biufcmM":
                outputs[f"c{i}a{j}after"] = _asarray(arg)
        report["cases"].append(entry)
    return report, outputs


def main() -> None:
    results = os.dup(1)
    os.dup2(2, 1)  # what the student's code prints goes to stderr
    job, inputs = read_job(sys.stdin.buffer)
    os.close(0)
    applied, skipped = confine(job["plan"])
    send(results, {"kind": "hello", "applied": applied, "skipped": skipped})
    required = set(job["plan"].get("require", ()))
    if required - set(applied):
        sys.exit(NOT_CONFINED)
    for number, graded in enumerate(job["jobs"]):
        header, arrays = run(graded, number, inputs)
        send(results, header, arrays)


if __name__ == "__main__":
    try:
        main()
    except MemoryError:
        traceback.print_exc()
        sys.exit(OUT_OF_MEMORY)
