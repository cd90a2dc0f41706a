"""The student notebook opened alone, as Colab and an LMS download open it.

The bundle is released with a ``--bundle-url`` on a local HTTP server
(127.0.0.1 only); the notebook is copied alone into an empty folder and run
there with nbclient, in a kernel that cannot see this repository.
"""

import contextlib
import copy
import functools
import http.server
import io
import shutil
import socket
import threading
import zipfile

import nbformat
import pytest
from lab_copy import append, edit, lab_copy

from instructor.__main__ import main
from instructor.authoring import bundle
from instructor.authoring.bundle import NOTEBOOK_NAME, ZIP_NAME
from instructor.authoring.execute import execute_notebook
from instructor.course.solutions import plant_solutions
from instructor.layout import STUDENT_NOTEBOOK

pytestmark = pytest.mark.kernel

#: The setup cell's last line when it succeeds.
SETUP_DONE = "Setup done: the packages and the lab's files are ready.\n"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder):
    """A web server on 127.0.0.1 serving ``folder``; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``(folder, base_url)``: a web server on 127.0.0.1 serving ``folder``."""
    folder = tmp_path_factory.mktemp("served")
    with serving(folder) as base:
        yield folder, base


@pytest.fixture(scope="module")
def released(server, tmp_path_factory):
    """The bundle released with the server's URL; returns the bundle's notebook."""
    folder, base = server
    student = tmp_path_factory.mktemp("student") / "kmeans_lab.ipynb"
    url = f"{base}/{ZIP_NAME}"
    args = ["release", "--student", str(student), "--out", str(folder / "kmeans_lab")]
    assert main([*args, "--bundle-url", url]) == 0
    assert (folder / ZIP_NAME).is_file()
    return nbformat.read(folder / "kmeans_lab" / NOTEBOOK_NAME, as_version=4)


def alone(tmp_path, nb):
    """Put ``nb`` alone in an empty folder; return its path."""
    folder = tmp_path / "Downloads"
    folder.mkdir(parents=True)
    marker = "labkit/__init__.py"
    above = [p for p in folder.parents if (p / marker).exists()]
    assert not above, f"the test needs a folder with no lab above it, not {folder}"
    nbformat.write(nb, folder / NOTEBOOK_NAME)
    return folder


def run_setup_cell(nb, folder):
    """Run only the notebook's first code cell in ``folder``; return it."""
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    run = nbformat.v4.new_notebook(cells=[copy.deepcopy(setup)], metadata=nb.metadata)
    execute_notebook(run, folder, allow_errors=True)
    return run.cells[0]


def the_error(cell):
    [error] = [o for o in cell.outputs if o.output_type == "error"]
    return error


@pytest.mark.slow
def test_run_all_alone_fetches_the_lab_and_passes(released, tmp_path):
    nb = plant_solutions(copy.deepcopy(released))
    nb.cells.append(
        nbformat.v4.new_code_cell("print(Path(utils.__file__).parent == Path.cwd())")
    )
    folder = alone(tmp_path, nb)
    execute_notebook(nb, folder)  # raises on any error
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert [o.text for o in first.outputs] == [
        f"Unpacked the lab's files into {folder}\n{SETUP_DONE}"
    ]
    assert nb.cells[-1].outputs[0].text == "True\n"  # this folder's, not the repo's
    # Only what the notebook needs: no README, licence or Binder files spilled.
    unpacked = {p.name for p in folder.iterdir()}
    assert {"utils.py", "public_tests.py", "labkit", "data", NOTEBOOK_NAME} <= unpacked
    assert not unpacked & {"README.md", "LICENSE", "binder", "requirements.txt"}
    # data/: what the lab loads; its README and make_data.py are for reading.
    assert sorted(p.name for p in (folder / "data").iterdir()) == [
        "ex7data2.mat",
        "grace_hopper.jpg",
        "grace_hopper_small.png",
    ]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert getattr(output, "name", "stdout") == "stdout", cell.source


def test_unpacking_never_overwrites_the_students_files(released, tmp_path):
    folder = alone(tmp_path, released)
    (folder / "README.md").write_text("my notes")
    notebook = (folder / NOTEBOOK_NAME).read_bytes()
    cell = run_setup_cell(released, folder)
    assert not [o for o in cell.outputs if o.output_type == "error"]
    assert (folder / "README.md").read_text() == "my notes"
    assert (folder / NOTEBOOK_NAME).read_bytes() == notebook
    assert (folder / "utils.py").is_file()


def test_another_courses_utils_py_is_neither_used_nor_replaced(released, tmp_path):
    """A folder above with some utils.py is not the lab; one here is not replaced."""
    (tmp_path / "utils.py").write_text("def load_data():\n    return None\n")
    (tmp_path / "public_tests.py").write_text("")
    folder = alone(tmp_path, released)
    (folder / "utils.py").write_text("def load_data():\n    return None\n")
    error = the_error(run_setup_cell(released, folder))
    assert error.traceback == [
        "Setup stopped: this folder already has other files named utils.py: move "
        "this notebook into a folder of its own and run this cell again."
    ]
    assert (folder / "utils.py").read_text().startswith("def load_data():")
    assert sorted(p.name for p in folder.iterdir()) == [NOTEBOOK_NAME, "utils.py"]


def test_a_bundle_unzipped_into_its_own_folder_is_found(released, server, tmp_path):
    """Windows' Extract All and macOS unzip into kmeans_lab_bundle/: look there."""
    served, _ = server
    folder = alone(tmp_path, released)
    with zipfile.ZipFile(served / ZIP_NAME) as bundle:
        bundle.extractall(folder / "kmeans_lab_bundle")
    setup = next(cell for cell in released.cells if cell.cell_type == "code")
    check = nbformat.v4.new_code_cell("print(LAB_ROOT.name, len(sys.path[0]) > 0)")
    run = nbformat.v4.new_notebook(cells=[copy.deepcopy(setup), check])
    execute_notebook(run, folder)
    assert [o.text for o in run.cells[1].outputs] == ["kmeans_lab_bundle True\n"]


def test_without_a_bundle_url_it_says_what_to_download(tmp_path):
    student = tmp_path / "release" / "student.ipynb"
    out = tmp_path / "release" / "bundle"
    assert main(["release", "--student", str(student), "--out", str(out)]) == 0
    nb = nbformat.read(out / NOTEBOOK_NAME, as_version=4)
    folder = alone(tmp_path, nb)
    error = the_error(run_setup_cell(nb, folder))
    assert error.ename == "LabSetupError"
    assert error.traceback == [
        "Setup stopped: the lab's files (utils.py, public_tests.py, labkit/, data/) "
        "are not beside this notebook. Download kmeans_lab_bundle.zip from your "
        "course page, unzip it into this notebook's folder and run this cell again."
    ]
    assert sorted(p.name for p in folder.iterdir()) == [NOTEBOOK_NAME]


def test_a_changed_bundle_is_refused_and_nothing_unpacked(released, server, tmp_path):
    served, _ = server
    archive = served / ZIP_NAME
    original = tmp_path / "original.zip"
    shutil.copyfile(archive, original)
    try:
        with zipfile.ZipFile(original) as good, zipfile.ZipFile(archive, "w") as bad:
            for name in good.namelist():
                content = good.read(name)
                if name == "utils.py":
                    content += b"\nprint('tampered')\n"
                bad.writestr(name, content)
        folder = alone(tmp_path, released)
        error = the_error(run_setup_cell(released, folder))
    finally:
        shutil.copyfile(original, archive)
    assert error.traceback == [different_releases(served_url(server))]
    assert sorted(p.name for p in folder.iterdir()) == [NOTEBOOK_NAME]


def served_url(server):
    return f"{server[1]}/{ZIP_NAME}"


def different_releases(url):
    """The one sentence of a notebook whose bundle has other lab files."""
    return (
        f"Setup stopped: this notebook and the lab's files at {url} come from "
        "different releases of the lab: download the notebook again from your "
        "course page, copy your code into its graded cells and run it from the "
        "start (if the new one stops here too, tell your instructor)."
    )


def test_a_re_release_keeps_handed_out_notebooks_working_until_a_lab_file_changes(
    tmp_path, monkeypatch
):
    """Re-release as an instructor would, from a copy of the lab's files.

    A student who got the first release keeps working after a re-release
    that changed the READMEs, Binder's files and the data's notes, and is told
    what to do after one that changed utils.py.
    """
    lab = lab_copy(tmp_path / "lab")
    monkeypatch.setattr(bundle, "REPO_ROOT", lab)
    served = tmp_path / "served"
    served.mkdir()
    with serving(served) as base:
        url = f"{base}/{ZIP_NAME}"
        args = ["release", "--student", str(tmp_path / "s.ipynb")]
        args += ["--out", str(served / "kmeans_lab"), "--bundle-url", url]
        assert main(args) == 0
        handed_out = nbformat.read(served / "kmeans_lab" / NOTEBOOK_NAME, as_version=4)
        first_zip = (served / ZIP_NAME).read_bytes()

        readme = bundle.STUDENT_README.replace("from the top", "from its top")
        monkeypatch.setattr(bundle, "STUDENT_README", readme)
        monkeypatch.setattr(bundle, "BINDER_PYTHON", "3.12")
        edit(lab / "data" / "README.md", "# Data", "# The data")
        append(lab / "data" / "make_data.py", "# Regenerated.\n")
        assert main(args) == 0
        assert (served / ZIP_NAME).read_bytes() != first_zip
        kept = alone(tmp_path / "kept", handed_out)
        cell = run_setup_cell(handed_out, kept)
        assert [o.text for o in cell.outputs] == [
            f"Unpacked the lab's files into {kept}\n{SETUP_DONE}"
        ]

        append(lab / "utils.py", "# A fix.\n")
        assert main(args) == 0
        refused = alone(tmp_path / "refused", handed_out)
        error = the_error(run_setup_cell(handed_out, refused))
    assert error.traceback == [different_releases(url)]
    assert sorted(p.name for p in refused.iterdir()) == [NOTEBOOK_NAME]


def serve_once(body, status=200, cut=False):
    """A one-request server on 127.0.0.1; returns its base URL and thread."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            length = len(body) * 2 if cut else len(body)
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Length: {length}\r\n"
                "Connection: close\r\n\r\n"
            )
            connection.sendall(head.encode() + body)
        listener.close()

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{port}/kmeans_lab_bundle.zip", thread


def with_url(nb, url):
    nb = copy.deepcopy(nb)
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    setup.source = "\n".join(
        f'BUNDLE_URL = "{url}"' if line.startswith("BUNDLE_URL = ") else line
        for line in setup.source.splitlines()
    )
    return nb


def damaged(data):
    """The zip with one bit flipped in the middle of its first member's data."""
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        first = bundle.infolist()[0]
    start = first.header_offset + 30 + len(first.filename) + len(first.extra)
    middle = start + first.compress_size // 2
    return data[:middle] + bytes([data[middle] ^ 0x10]) + data[middle + 1 :]


@pytest.mark.parametrize(
    ("status", "damage", "words"),
    [
        (200, "flip", "is damaged or incomplete: run this cell again"),
        (200, "cut", "stopped half-way: run this cell again"),
        (404, None, "answered 404 (X): tell your instructor"),
    ],
    ids=["a flipped bit", "cut half-way", "not found"],
)
def test_a_bad_download_is_one_sentence(
    released, server, tmp_path, status, damage, words
):
    served, _ = server
    data = (served / ZIP_NAME).read_bytes()
    if damage == "flip":
        data = damaged(data)
    url, thread = serve_once(data, status=status, cut=damage == "cut")
    nb = with_url(released, url)
    folder = alone(tmp_path, nb)
    error = the_error(run_setup_cell(nb, folder))
    thread.join(timeout=10)
    [line] = error.traceback
    assert line.startswith("Setup stopped: "), line
    assert words in line, line
    assert len(line) < 400
    assert sorted(p.name for p in folder.iterdir()) == [NOTEBOOK_NAME]


def test_offline_it_says_to_check_the_connection(released, tmp_path):
    nb = copy.deepcopy(released)
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    # Port 9 on 127.0.0.1 ("discard") has no server here: the connection is refused.
    setup.source = "\n".join(
        'BUNDLE_URL = "http://127.0.0.1:9/kmeans_lab_bundle.zip"'
        if line.startswith("BUNDLE_URL = ")
        else line
        for line in setup.source.splitlines()
    )
    folder = alone(tmp_path, nb)
    error = the_error(run_setup_cell(nb, folder))
    [line] = error.traceback
    assert line.startswith(
        "Setup stopped: could not download the lab's files from "
        "http://127.0.0.1:9/kmeans_lab_bundle.zip ("
    )
    assert "Check your internet connection" in line


def test_a_missing_or_old_package_is_named_with_the_command_to_install_it(tmp_path):
    nb = nbformat.read(STUDENT_NOTEBOOK, as_version=4)
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    start = setup.source.index("LAB_FLOORS = {")
    end = setup.source.index("}", start) + 1
    setup.source = (
        setup.source[:start]
        + 'LAB_FLOORS = {"numpy": "99.1", "not-a-lab-package": "1.0"}'
        + setup.source[end:]
    )
    folder = alone(tmp_path, nb)
    error = the_error(run_setup_cell(nb, folder))
    [line] = error.traceback
    assert line.startswith(
        "Setup stopped: this lab needs numpy 99.1 or newer (you have "
    )
    assert "not-a-lab-package 1.0 or newer (not installed)" in line
    assert line.endswith(
        'Install with  %pip install --upgrade "numpy>=99.1" "not-a-lab-package>=1.0"  '
        "then restart the kernel and run this cell again."
    )
