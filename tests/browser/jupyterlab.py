"""JupyterLab served on 127.0.0.1 and driven in headless Chromium, as a student uses it.

One :class:`LabServer` serves a folder with ``jupyter lab`` (a fresh token, a
free port, configuration, data and runtime folders of its own, a kernel of
this very Python); :func:`browser` opens Debian's Chromium through
Playwright; :func:`run_all` opens a notebook, clicks Run > Run All Cells and
waits until JupyterLab shows every queued cell done and the kernel idle;
:func:`read_page` then reads, from the page, every code cell's prompt and
outputs, and screenshots each figure and the first error box.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

#: Where a Chromium may be, first found wins (``CHROMIUM`` overrides): the
#: Debian package's binary itself (its /usr/bin wrapper adds extensions and
#: flags of its own), then the usual commands.
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser")
#: Flags for a headless Chromium that talks to nothing but 127.0.0.1
#: (``--headless`` and ``--no-sandbox`` come from Playwright's own options).
CHROMIUM_FLAGS = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: The viewport of a small laptop screen, the size the figures are checked at.
VIEWPORT = {"width": 1280, "height": 800}
#: JupyterLab plugins that would reach the internet: the news feed.
DISABLED_PLUGINS = ("@jupyterlab/apputils-extension:announcements",)
#: How long the server and JupyterLab may take to start on a busy 2-core machine.
START_TIMEOUT = 120
#: The mime type JupyterLab gives stderr streams and error outputs alike.
STDERR_MIME = "application/vnd.jupyter.stderr"


def find_chromium():
    """The path of a Chromium executable, or None."""
    wanted = os.environ.get("CHROMIUM")
    for candidate in (wanted,) if wanted else CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    return None


class LabServer:
    """``jupyter lab`` serving ``root`` on 127.0.0.1 until :meth:`stop`.

    Everything Jupyter would read or write in the user's home (configuration,
    settings, workspaces, runtime files, kernelspecs) goes to folders under
    ``state``, so the run does not depend on this machine's Jupyter set-up.
    """

    def __init__(self, root, state):
        self.root = Path(root)
        self.state = Path(state)
        self.token = secrets.token_hex(24)
        self.process = None
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _environment(self):
        env = dict(os.environ)
        # The kernels must use matplotlib's inline backend, as a student's do.
        env.pop("MPLBACKEND", None)
        folders = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTER_PATH": "path",
            "JUPYTERLAB_SETTINGS_DIR": "settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "IPYTHONDIR": "ipython",
        }
        for name, folder in folders.items():
            (self.state / folder).mkdir(parents=True, exist_ok=True)
            env[name] = str(self.state / folder)
        # A kernel of this Python, whatever `python` on PATH is (the
        # kernelspec ipykernel installs runs plain `python`).
        spec = self.state / "path" / "kernels" / "python3"
        spec.mkdir(parents=True, exist_ok=True)
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        kernel = {"argv": argv, "display_name": "Python 3 (ipykernel)"}
        (spec / "kernel.json").write_text(json.dumps({**kernel, "language": "python"}))
        labconfig = self.state / "config" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        disabled = dict.fromkeys(DISABLED_PLUGINS, True)
        page_config = {"disabledExtensions": disabled}
        (labconfig / "page_config.json").write_text(json.dumps(page_config))
        return env

    def start(self):
        """Start the server; return once it listens (its runtime file is written)."""
        env = self._environment()
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.open_browser=False",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port=0",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            # Nothing reaches PyPI or the news feed.
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            "--allow-root",
        ]
        self.log = self.state / "server.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        info = self.state / "runtime" / f"jpserver-{self.process.pid}.json"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: see {self.log}")
            with contextlib.suppress(FileNotFoundError, ValueError):
                self.port = json.loads(info.read_text())["port"]
                return self
            time.sleep(0.1)  # polls for the server's own runtime file
        raise RuntimeError(
            f"jupyter lab did not start in {START_TIMEOUT} s: {self.log}"
        )

    def api(self, path, method="GET"):
        """Call the server's REST API; return the decoded JSON (or None)."""
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernel_states(self):
        """``{notebook path: kernel execution state}`` of the open sessions."""
        return {
            session["path"]: session["kernel"]["execution_state"]
            for session in self.api("sessions")
        }

    def wait_idle(self, notebook, timeout=30):
        """Wait until the server, too, reports the notebook's kernel idle.

        Its state follows the kernel's status messages, which may arrive a
        moment after the page's.
        """
        deadline = time.monotonic() + timeout
        while (state := self.kernel_states().get(notebook)) != "idle":
            if time.monotonic() > deadline:
                raise AssertionError(f"the server says the kernel is {state}")
            time.sleep(0.1)  # polls the server's state

    def shut_down_kernels(self):
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")

    def stop(self):
        """Shut the kernels down, stop the server, and end anything left of them."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(OSError):
            self.shut_down_kernels()
        started = [self.process.pid]
        with contextlib.suppress(psutil.Error):
            started += [
                child.pid
                for child in psutil.Process(self.process.pid).children(recursive=True)
            ]
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        for pid in started[1:]:  # kernels run in sessions of their own
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).kill()


@contextlib.contextmanager
def browser(playwright, chromium, profile):
    """A headless Chromium context at :data:`VIEWPORT` that reaches only 127.0.0.1."""
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=chromium,
        headless=True,
        chromium_sandbox=False,
        args=list(CHROMIUM_FLAGS),
        viewport=VIEWPORT,
        device_scale_factor=1,
    )
    context.blocked = []

    def only_local(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:")):
            route.continue_()
        else:
            context.blocked.append(url)
            route.abort()

    context.route("**/*", only_local)
    try:
        yield context
    finally:
        context.close()


#: The notebook on show (JupyterLab hides the other tabs' panels).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
#: True once Run All has finished: the first code cell has run (so Run All
#: has started), no cell is queued or running ("[*]"), and the status bar
#: says the kernel is idle.
SETTLED = """notebook => {
    const prompts = [...document.querySelectorAll(
        `${notebook} .jp-CodeCell .jp-InputArea-prompt`)].map(p => p.textContent);
    const status = document.querySelector('.jp-StatusBar-Widget');
    return prompts.length > 0 && /\\[\\d+\\]/.test(prompts[0])
        && !prompts.some(p => p.includes('*'))
        && status !== null && /\\| Idle/.test(status.innerText);
}"""
#: True once the notebook's kernel is started and idle (before Run All).
KERNEL_IDLE = """notebook => {
    const status = document.querySelector('.jp-StatusBar-Widget');
    return document.querySelector(`${notebook} .jp-CodeCell`) !== null
        && status !== null && /\\| Idle/.test(status.innerText);
}"""


def run_all(context, server, notebook, workspace, timeout):
    """Open ``notebook`` (relative to the server's root) and Run All from the menu.

    The notebook opens alone in a new JupyterLab workspace named ``workspace``
    (JupyterLab would otherwise reopen the tabs of the last page).

    Returns ``(page, seconds)``: the page once Run All has settled, and the
    seconds from the click on "Run All Cells" until then.
    """
    page = context.new_page()
    page.goto(
        f"{server.url}/lab/workspaces/{workspace}/tree/{notebook}"
        f"?reset&token={server.token}"
    )
    page.wait_for_function(
        KERNEL_IDLE, arg=NOTEBOOK, timeout=START_TIMEOUT * 1000, polling=100
    )
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    item = page.locator('.lm-Menu-item[data-command="runmenu:run-all"]')
    started = time.monotonic()
    item.click()
    page.wait_for_function(SETTLED, arg=NOTEBOOK, timeout=timeout * 1000, polling=100)
    seconds = time.monotonic() - started
    server.wait_idle(str(notebook))
    return page, seconds


#: Every output of one code cell, read after the cell has been scrolled into
#: view (JupyterLab renders only what is near the viewport).
READ_CELL = """cell => {
    // A cell whose input is hidden (the setup cell's source_hidden) has a
    // placeholder instead of its input area, and so no prompt: null.
    const area = cell.querySelector('.jp-InputArea-prompt');
    const prompt = area === null ? null : area.textContent.trim();
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => {
        const img = o.querySelector('img');
        return {
            mime: o.getAttribute('data-mime-type'),
            text: o.innerText,
            image: img === null ? null : {
                complete: img.complete,
                naturalWidth: img.naturalWidth,
                clientWidth: img.clientWidth,
                alt: img.getAttribute('alt'),
                label: img.getAttribute('aria-label'),
            },
        };
    });
    return {prompt, outputs};
}"""


@dataclass
class Output:
    mime: str
    text: str
    image: dict | None
    screenshot: Path | None = None


@dataclass
class Cell:
    number: int  # among the notebook's code cells, from 0
    prompt: str | None  # None: the cell's input is hidden, so it shows no prompt
    outputs: list = field(default_factory=list)

    @property
    def ran(self):
        if self.prompt is None:
            # No execution count to read: a hidden-input cell ran if it showed
            # something (the setup cell always prints its one-line summary).
            return bool(self.outputs)
        return any(ch.isdigit() for ch in self.prompt)


def read_page(page, shots):
    """Read every code cell of the open notebook; screenshot figures and errors.

    The page as Run All left it goes to ``shots/after_run_all.png``, figures
    to ``shots/cell<NN>_figure<k>.png`` (``NN`` counts code cells from 0), and
    the first stderr or error box, with its cell, to ``shots/first_error.png``.
    """
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "after_run_all.png")
    cells = []
    first_error = None
    locator = page.locator(f"{NOTEBOOK} .jp-Cell.jp-CodeCell")
    for number in range(locator.count()):
        handle = locator.nth(number)
        handle.scroll_into_view_if_needed()
        page.wait_for_function(
            "cell => [...cell.querySelectorAll('.jp-OutputArea-output img')]"
            ".every(img => img.complete)",
            arg=handle.element_handle(),
            timeout=30_000,
        )
        raw = handle.evaluate(READ_CELL)
        cell = Cell(number, raw["prompt"])
        outputs = handle.locator(".jp-OutputArea-output")
        for k, output in enumerate(raw["outputs"]):
            item = Output(output["mime"], output["text"], output["image"])
            if item.image is not None:
                item.screenshot = shots / f"cell{number:02d}_figure{k}.png"
                outputs.nth(k).locator("img").screenshot(path=item.screenshot)
            elif item.mime == STDERR_MIME and first_error is None:
                first_error = shots / "first_error.png"
                handle.screenshot(path=first_error)
                item.screenshot = first_error
            cell.outputs.append(item)
        cells.append(cell)
    return cells
