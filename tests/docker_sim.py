"""A look-alike of the container Gradescope runs ``run_autograder`` in.

Not Docker, and not Gradescope: a simulation of the three things about
Gradescope's container that decide how the grader can confine student code
(see the Gradescope section of the platform facts):

* root, with Docker's default capability set and nothing else
  (``setpriv --bounding-set``, inheritable and ambient sets cleared);
* a seccomp filter that, like Docker's default profile for a container
  without ``CAP_SYS_ADMIN``, denies new namespaces: ``unshare``, ``setns``,
  ``mount``, ``umount2`` and ``pivot_root`` fail with EPERM, ``clone`` with
  EPERM when its flags ask for a namespace (``CLONE_NEW*``, Docker's mask
  ``0x7E020000``), and ``clone3`` with ENOSYS (its flags are out of reach);
* an image's file system: the system folders, the Python runtime readable by
  every user (as Ubuntu's ``/usr/bin/python3`` and a venv made from it are),
  a private ``/tmp`` and the autograder's folder at ``/autograder``.

The file system is made with bubblewrap run by the real root (outside the
simulated container); inside it, :data:`LAUNCHER` loads the seccomp filter
and ``setpriv`` drops the capabilities before ``run_autograder`` starts.  One
known difference: bubblewrap sets ``no_new_privs``, which Docker does not by
default; the grader's worker sets it itself anyway (seccomp and Landlock
need it).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: Docker's default capabilities (moby's defaults), in setpriv's spelling.
DOCKER_CAPABILITIES = (
    "chown",
    "dac_override",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "net_bind_service",
    "net_raw",
    "sys_chroot",
    "mknod",
    "audit_write",
    "setfcap",
)

#: Loads Docker's namespace rules as a seccomp filter, then execs its arguments.
LAUNCHER = """\
import errno, os, sys
import pyseccomp as sc

CLONE_NEW = {
    "CLONE_NEWNS": 0x00020000, "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000, "CLONE_NEWIPC": 0x08000000,
    "CLONE_NEWUSER": 0x10000000, "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
}
rules = sc.SyscallFilter(sc.ALLOW)
deny = sc.ERRNO(errno.EPERM)
for name in ("unshare", "setns", "mount", "umount2", "pivot_root"):
    rules.add_rule(deny, name)
for flag in CLONE_NEW.values():
    rules.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
rules.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
rules.load()
os.execvp(sys.argv[1], sys.argv[1:])
"""


def unavailable():
    """Why the simulation cannot run here, or None."""
    if not sys.platform.startswith("linux"):
        return "the simulated Docker container is Linux only"
    if os.geteuid() != 0:
        return "simulating Gradescope's root container needs root"
    for tool in ("setpriv", "bwrap", "bash"):
        if shutil.which(tool) is None:
            return f"simulating Gradescope's container needs {tool}"
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError) as error:
        return f"simulating Docker's seccomp profile needs pyseccomp ({error})"
    return None


def _visible(path, made, bind="--ro-bind"):
    """bubblewrap arguments showing ``path`` (read-only), its parents mode 0755."""
    args = []
    for parent in reversed(Path(path).parents):
        if str(parent) not in made:
            args += ["--perms", "0755", "--dir", str(parent)]
            made.add(str(parent))
    made.add(str(path))
    return [*args, bind, str(path), str(path)]


def runtime():
    """The folders this test's Python needs: its prefixes, real paths."""
    found = {
        os.path.realpath(p)
        for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)
    }
    found.add(os.path.dirname(os.path.realpath(sys.executable)))
    found = {p for p in found if not p.startswith(("/usr/", "/lib"))}
    return sorted(
        p for p in found if not any(p != q and p.startswith(q + os.sep) for q in found)
    )


def container_command(
    root, launcher, command, capabilities=DOCKER_CAPABILITIES, shared=(), shown=()
):
    """Run ``command`` (a list) as root in the look-alike container.

    ``root`` is shown at ``/autograder`` (read-write); ``launcher`` is the
    path of a file holding :data:`LAUNCHER`; the folders in ``shown`` are
    shown read-only, and those in ``shared`` read-write, at their own paths.
    """
    args = ["bwrap", "--die-with-parent", "--unshare-pid", "--unshare-ipc"]
    args += ["--unshare-uts", "--cap-add", "ALL"]
    made = {"/"}
    for name in ("usr", "etc", "bin", "sbin", "lib", "lib64", "lib32", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
        made.add(str(top))
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    made.add("/tmp")
    for path in shown:
        args += _visible(path, made)
    for path in runtime():
        args += _visible(path, made)
    for path in shared:
        args += _visible(path, made, "--bind")
    if root is not None:
        args += ["--perms", "0755", "--dir", "/autograder"]
        args += ["--bind", str(root), "/autograder"]
    args += ["--ro-bind", str(launcher), "/docker-seccomp.py"]
    args += ["--chdir", "/autograder" if root is not None else "/"]
    bounding = ",".join(["-all", *(f"+{c}" for c in capabilities)])
    drop = ["setpriv", f"--bounding-set={bounding}", "--inh-caps=-all"]
    drop += ["--ambient-caps=-all", "--"]
    return [*args, "--", sys.executable, "-I", "/docker-seccomp.py", *drop, *command]


def run_in_container(
    root, tmp_path, command, env, capabilities=DOCKER_CAPABILITIES, **folders
):
    """Run ``command`` in the container; return the finished process.

    ``folders`` are :func:`container_command`'s ``shared`` and ``shown``.
    """
    launcher = tmp_path / "docker-seccomp.py"
    launcher.write_text(LAUNCHER, encoding="utf-8")
    return subprocess.run(
        container_command(root, launcher, command, capabilities, **folders),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
