"""Hostile graded cells: each tries one escape from the grading worker.

Every attack is the body of ``attack(ctx)``, which returns True when the
escape worked.  The graded cell runs it once, inside the first call of
``find_closest_centroids``,
and then answers the right indices if the attack failed, 1-based indices
(worth 0 points) if it worked: a blocked attack scores the full 10 points, a
successful one 0, and an attack that takes the grader down fails every test.

``ctx`` holds what an attacker could learn about the grader's machine (the
repository, the submissions folder, the gradebook folder, the grader's
temporary folder), given here
directly since finding them is not what is tested.
"""

import textwrap

from submissions import cell_text, notebook

#: name -> body of ``attack(ctx)``; True means the attack got through.
ATTACKS = {
    # --- signals: the grader and everything else must stay out of reach
    "kill_grader": "os.kill(os.getppid(), signal.SIGKILL)\nreturn True",
    "kill_grader_by_pid": "os.kill(ctx['grader_pid'], signal.SIGKILL)\nreturn True",
    "kill_everyone": "os.kill(-1, signal.SIGKILL)\nreturn True",
    "kill_own_group": "os.kill(0, signal.SIGKILL)\nreturn True",
    "stop_grader": "os.kill(ctx['grader_pid'], signal.SIGSTOP)\nreturn True",
    "pidfd_signal": "fd = os.pidfd_open(ctx['grader_pid'])\nreturn True",
    "ptrace_grader": (
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "return libc.ptrace(16, ctx['grader_pid'], 0, 0) == 0"
    ),
    # --- reading the grader through /proc
    "proc_cwd": "return bool(os.readlink(f\"/proc/{ctx['grader_pid']}/cwd\"))",
    "proc_cmdline": "return bool(open(f\"/proc/{ctx['grader_pid']}/cmdline\").read())",
    "proc_environ": "return bool(open(f\"/proc/{ctx['grader_pid']}/environ\").read())",
    "proc_mem": "open(f\"/proc/{ctx['grader_pid']}/mem\", 'rb')\nreturn True",
    "proc_list": "return len(os.listdir('/proc')) > 0",
    # --- reading the instructor's files
    "read_hidden_tests": (
        "return 'HIDDEN' in "
        "open(ctx['repo'] + '/instructor/course/hidden_tests.py').read()"
    ),
    "read_reference": (
        "return len(open(ctx['repo'] + '/instructor/source/kmeans_lab.ipynb').read())"
        " > 0"
    ),
    "read_instructor_secret": "return 'secret' in open(ctx['secret']).read()",
    "read_etc_passwd": "return 'root' in open('/etc/passwd').read()",
    "grader_environment": "return 'KMEANS_LAB_SECRET' in os.environ",
    "exec_reference_cell": (
        "import json\n"
        "nb = json.load(open(ctx['repo'] + '/instructor/source/kmeans_lab.ipynb'))\n"
        "return len(nb['cells']) > 0"
    ),
    # importlib, not an import statement: the graded cell's import policy
    # refuses the statement, and this attack is about what the worker can read.
    "import_hidden_tests": (
        "import importlib, sys\nsys.path.insert(0, ctx['repo'])\n"
        "importlib.import_module('instructor.course.hidden_tests')\nreturn True"
    ),
    "import_hidden_tests_statement": (
        "import sys\nsys.path.insert(0, ctx['repo'])\n"
        "import instructor.course.hidden_tests\nreturn True"
    ),
    "run_classmate_cells": (
        "import json\n"
        "nb = json.load(open(ctx['submissions'] + '/aaron_honest.ipynb'))\n"
        "return len(nb['cells']) > 0"
    ),
    "list_submissions": "return len(os.listdir(ctx['submissions'])) > 0",
    # --- writing: classmates, the gradebook, the cache, the venv, the disk
    "blank_classmate": (
        "open(ctx['submissions'] + '/aaron_honest.ipynb', 'w').write('{}')\nreturn True"
    ),
    "overwrite_feedback": (
        "open(ctx['out'] + '/feedback/aaron_honest.md', 'w').write('0 / 20')\n"
        "return True"
    ),
    "rewrite_grades": "open(ctx['out'] + '/grades.csv', 'a').write('x')\nreturn True",
    "rewrite_cache": (
        "open(ctx['out'] + '/.grading-cache.json', 'w').write('{}')\nreturn True"
    ),
    "plant_pth": (
        "import site\n"
        "for folder in site.getsitepackages():\n"
        "    open(folder + '/zz_kmeans_attack.pth', 'w').write('import os')\n"
        "    return True\n"
        "return False"
    ),
    "fifo_report": "os.mkfifo('report.json')\nreturn True",
    "symlink_hidden_tests": (
        "os.symlink(ctx['repo'] + '/instructor/course/hidden_tests.py', 'h.py')\n"
        "return True"
    ),
    "fill_the_disk": (
        "with open(ctx['tmp'] + '/kmeans_attack_fill', 'wb') as f:\n"
        "    f.write(b'x' * 2**20)\n"
        "return True"
    ),
    "forge_later_reports": (
        "import glob\n"
        "for folder in glob.glob(ctx['tmp'] + '/kmeans-grade-*'):\n"
        "    open(folder + '/report.json', 'w').write('{}')\n"
        "    return True\n"
        "return False"
    ),
    # --- processes: none may start, so none can outlive the grader
    "fork": "pid = os.fork()\nif pid == 0:\n    os._exit(0)\nreturn True",
    "double_fork_daemon": (
        "import subprocess\n"
        "subprocess.Popen(['sh', '-c', 'sleep 5; echo x >> ' + ctx['out'] + "
        "'/grades.csv'], start_new_session=True)\n"
        "return True"
    ),
    "fork_300": (
        "started = 0\n"
        "for _ in range(300):\n"
        "    try:\n"
        "        pid = os.fork()\n"
        "    except OSError:\n"
        "        break\n"
        "    if pid == 0:\n"
        "        import time\n"
        "        time.sleep(60)\n"
        "        os._exit(0)\n"
        "    started += 1\n"
        "return started > 0"
    ),
    "exec_shell": "os.execv('/bin/sh', ['sh', '-c', 'exit 0'])\nreturn True",
    "os_system": "return os.system('true') == 0",
    # Threads share one address space: together they stay under the cap.
    "memory_over_threads": (
        "import threading\n"
        "held, lock = [], threading.Lock()\n"
        "def hoard():\n"
        "    try:\n"
        "        block = bytearray(200 * 2**20)\n"
        "    except MemoryError:\n"
        "        return\n"
        "    with lock:\n"
        "        held.append(block)\n"
        "threads = [threading.Thread(target=hoard) for _ in range(4)]\n"
        "for t in threads:\n"
        "    t.start()\n"
        "for t in threads:\n"
        "    t.join()\n"
        "return len(held) * 200 > ctx['memory_mb']"
    ),
    "become_root_again": "os.setuid(0)\nreturn os.getuid() == 0",
    # --- the network
    "socket_inet": "import socket\nsocket.socket(socket.AF_INET)\nreturn True",
    "socket_unix": "import socket\nsocket.socket(socket.AF_UNIX)\nreturn True",
    "socketpair": "import socket\nsocket.socketpair()\nreturn True",
}

#: Attacks on other processes and on what the kernel charges: each is either
#: refused (the attack reports failure, full marks) or charged to its author
#: (the worker is killed: out of memory, crashed); never an escape, and never
#: felt by the grader, the stand-in shell or a classmate graded at the same time.
#: ``ctx['shell']`` is a process of the grader's uid standing in for the shell
#: later ``grade`` runs start from.
RESOURCE_ATTACKS = {
    # An rlimit of the grader, lowered (CORE here: harmless if it got through).
    "prlimit_grader": (
        "import resource\n"
        "resource.prlimit(ctx['grader_pid'], resource.RLIMIT_CORE, (0, 0))\n"
        "return True"
    ),
    # Classmates' workers graded at the same time, found through /proc.
    "prlimit_siblings": (
        "import resource\n"
        "hit = False\n"
        "for name in os.listdir('/proc'):\n"
        "    if not name.isdigit() or int(name) == os.getpid():\n"
        "        continue\n"
        "    try:\n"
        "        if b'worker' in open(f'/proc/{name}/cmdline', 'rb').read():\n"
        "            resource.prlimit(int(name), resource.RLIMIT_AS, (2**26, 2**26))\n"
        "            hit = True\n"
        "    except OSError:\n"
        "        pass\n"
        "return hit"
    ),
    # An implant: every later run from this shell could start no process.
    "implant_in_the_shell": (
        "import resource\n"
        "resource.prlimit(ctx['shell'], resource.RLIMIT_NPROC, (1, 1))\n"
        "return True"
    ),
    "nice_the_shell": "os.setpriority(os.PRIO_PROCESS, ctx['shell'], 19)\nreturn True",
    "pin_the_shell": "os.sched_setaffinity(ctx['shell'], {0})\nreturn True",
    # SIGKILL without kill(): the kernel signals a file's owner on I/O.
    "fsetown_sigkill": (
        "import fcntl\n"
        "r, w = os.pipe()\n"
        "fcntl.fcntl(r, fcntl.F_SETOWN, ctx['grader_pid'])\n"
        "fcntl.fcntl(r, 10, signal.SIGKILL)  # F_SETSIG\n"
        "fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)\n"
        "os.write(w, b'x')\n"
        "return True"
    ),
    # Survive the grader's death.
    "pdeathsig_zero": (
        "import ctypes\nreturn ctypes.CDLL(None).prctl(1, 0, 0, 0, 0) == 0"
    ),
    # System V segments, attached, filled and detached one after another:
    # twice the memory cap, none of it in the worker's address space at the end.
    "sysv_shm_over_cap": (
        "import ctypes\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "libc.shmat.restype = ctypes.c_void_p\n"
        "libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]\n"
        "libc.shmdt.argtypes = [ctypes.c_void_p]\n"
        "size = ctx['memory_mb'] * 2**20 // 4\n"
        "for _ in range(8):\n"
        "    shmid = libc.shmget(0, ctypes.c_size_t(size), 0o1600)\n"
        "    if shmid < 0:\n"
        "        return False\n"
        "    address = libc.shmat(shmid, None, 0)\n"
        "    if address in (None, 2**64 - 1):\n"
        "        return False\n"
        "    ctypes.memset(address, 1, size)\n"
        "    libc.shmdt(address)\n"
        "return True"
    ),
    "posix_shm_over_cap": (
        "import mmap\n"
        "size = ctx['memory_mb'] * 2**20 // 4\n"
        "for n in range(8):\n"
        "    fd = os.open(f'/dev/shm/kmeans-attack-{os.getpid()}-{n}',\n"
        "                 os.O_CREAT | os.O_RDWR, 0o600)\n"
        "    os.ftruncate(fd, size)\n"
        "    with mmap.mmap(fd, size) as m:\n"
        "        m.write(b'x' * size)\n"
        "return True"
    ),
    "memfd_over_cap": (
        "import mmap\n"
        "size = ctx['memory_mb'] * 2**20 // 4\n"
        "held = []\n"
        "for _ in range(8):\n"
        "    fd = os.memfd_create('kmeans-attack')\n"
        "    os.ftruncate(fd, size)\n"
        "    with mmap.mmap(fd, size) as m:\n"
        "        m.write(b'x' * size)\n"
        "    held.append(fd)\n"
        "return True"
    ),
    # Threads until refused, held a few seconds while classmates' workers start.
    "thread_bomb": (
        "import threading, time\n"
        "threading.stack_size(65536)\n"
        "made = 0\n"
        "try:\n"
        "    for _ in range(3000):\n"
        "        threading.Thread(target=time.sleep, args=(4,), daemon=True).start()\n"
        "        made += 1\n"
        "except RuntimeError:\n"
        "    pass\n"
        "time.sleep(2)\n"
        "return made >= 1000"
    ),
    # Busy threads: a nuisance to classmates' workers, not an escape.
    "spinning_threads": (
        "import threading, time\n"
        "def spin():\n"
        "    end = time.monotonic() + 1.0\n"
        "    while time.monotonic() < end:\n"
        "        pass\n"
        "spinners = [threading.Thread(target=spin) for _ in range(4)]\n"
        "for t in spinners:\n"
        "    t.start()\n"
        "for t in spinners:\n"
        "    t.join()\n"
        "return False"
    ),
}

#: Attacks on the results channel itself: the grader must refuse what comes
#: back and say the function crashed, without allocating what it claims.
CHANNEL_ATTACKS = {
    # A header claiming a 2 GiB array; nothing follows.
    "results_claim_2gib": (
        "import json, stat, struct\n"
        "head = json.dumps({'kind': 'job', 'index': 0, 'setup_error': None,\n"
        "    'cases': [], 'arrays': [{'key': 'c0result', 'dtype': '<f8',\n"
        "    'shape': [2**28]}]}).encode()\n"
        "for fd in range(3, 16):\n"
        "    try:\n"
        "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
        "            os.write(fd, struct.pack('>I', len(head)) + head)\n"
        "    except OSError:\n"
        "        pass\n"
        "return False"
    ),
    # Bytes that are no message at all.
    "results_garbage": (
        "import stat\n"
        "for fd in range(3, 16):\n"
        "    try:\n"
        "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
        "            os.write(fd, b'\\xff' * 64)\n"
        "    except OSError:\n"
        "        pass\n"
        "return False"
    ),
}

_CELL = """
import os
import signal

CTX = {ctx!r}
#: The attack runs once per worker, on the first case; later cases reuse its verdict.
VERDICT = []


def attack(ctx):
{body}


def find_closest_centroids(X, centroids):
    if not VERDICT:
        try:
            VERDICT.append(attack(CTX))
        except BaseException:
            VERDICT.append(False)
    escaped = VERDICT[0]
    d = X[:, None, :] - centroids[None, :, :]
    right = np.argmin((d**2).sum(axis=2), axis=1)
    return right + 1 if escaped else right
"""


def attack_notebook(body, ctx):
    """The student notebook whose find cell runs ``body`` as ``attack(ctx)``."""
    source = _CELL.format(ctx=ctx, body=textwrap.indent(body, "    "))
    nb = notebook()
    for cell in nb.cells:
        if cell.source.startswith("# GRADED FUNCTION: find_closest_centroids"):
            cell.source = cell_text("find_closest_centroids", source)
    return nb
