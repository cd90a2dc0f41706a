"""The notebook never contradicts itself: its prose against its stored outputs.

Every markdown sentence that quotes a number, compares sizes or names K is
read here together with the outputs it speaks of, in the source notebook as
stored (the lead's re-execution refreshes both at once).  A few tests run
small pieces of the notebook: a list answer, a fixed function after a run,
the stubs in the photo section.
"""

import math
import re

import nbformat
import pytest
from notebook_text import (
    cell_by_id,
    markdown_numbers,
    printed,
    printed_numbers,
)

from instructor.authoring.execute import execute_notebook
from instructor.authoring.release import make_student_notebook, stub_message
from instructor.course.solutions import plant_solutions
from instructor.layout import REPO_ROOT, SOURCE_NOTEBOOK
from labkit.compression import N_STARTS

NB = nbformat.read(SOURCE_NOTEBOOK, as_version=4)


def cell(cell_id):
    return cell_by_id(NB, cell_id)


# ------------------------------------------------------------- prose vs output


def test_expected_output_blocks_are_the_outputs_above_them():
    """Sections 3 and 4: each "Expected output" block is its cell's output."""
    for code_id, text_id in (("72c3fd4d", "0f595d3e"), ("cdc2f94d", "e2c0ffee")):
        block = re.search(r"```\n(.*?)```", cell(text_id).source, re.S)[1]
        assert block.strip() == printed(cell(code_id)).strip()


def test_section_5_quotes_its_first_and_last_costs():
    costs = re.findall(r"iteration (\d+)/\d+: cost ([\d.]+)", printed(cell("3180cb80")))
    first, last = costs[0][1], costs[-1][1]
    settles = next(i for i, c in costs if c == last)
    text = cell("e5c0ffee").source
    assert f"from {first} to {last} at iteration {settles}" in text


def test_section_7_quotes_its_costs_to_the_digits_it_shows():
    costs = [float(c) for c in re.findall(r"cost ([\d.]+)", printed(cell("b84784a4")))]
    about = re.findall(r"about ([\d.]+)", cell("e7c0ffee").source)
    assert len(about) == 2
    for stated, measured in zip(about, (costs[0], costs[-1]), strict=True):
        assert round(measured, len(stated.partition(".")[2])) == float(stated)


def test_the_bits_formula_is_the_one_the_code_prints():
    """Section 7: the formula has the ceiling, and the printed bits follow it."""
    assert r"m \lceil \log_2 K \rceil + 24 K" in cell("07a2f8a3").source
    out = printed(cell("2e31a7d0"))
    height, width = map(int, re.search(r"Pixels: (\d+) x (\d+)", out).groups())
    K = int(re.search(r"^K_photo = (\d+)$", cell("b84784a4").source, re.M)[1])
    after = int(re.search(r"After: +([\d,]+) bits", out)[1].replace(",", ""))
    assert after == height * width * math.ceil(math.log2(K)) + 24 * K


def test_section_8_label_names_the_K_of_the_run():
    K = int(re.search(r"^K_photo = (\d+)$", cell("b84784a4").source, re.M)[1])
    assert "16-colour" not in cell("ede4fa72").source  # built from K_photo
    assert f"\n{K}-colour palette PNG:" in "\n" + printed(cell("ede4fa72"))


def test_section_8_expected_output_is_the_stored_run_within_its_bound():
    out = printed(cell("ede4fa72"))
    original = re.search(r"24-bit PNG: +([\d,]+) bytes", out)[1]
    palette = re.search(r"palette PNG: +([\d,]+) bytes", out)[1]
    ratio = re.search(r"Measured ratio: +([\d.]+)", out)[1]
    psnr = re.search(r"palette PNG: ([\d.]+) dB", out)[1]
    text = " ".join(cell("e8c0ffee").source.split())
    assert (
        f"{original} bytes for the 24-bit PNG, {palette} for the palette PNG "
        f"({ratio} times smaller) at {psnr} dB" in text
    )
    assert "a few dozen" not in text
    # Correct answers were measured up to 252 bytes apart on this photo: the
    # stated bound must cover that.
    bound = int(re.search(r"by up to ([\d,]+) bytes", text)[1].replace(",", ""))
    assert bound >= 252


def test_section_10_differs_from_section_8_as_it_says():
    """Cell 47 says K = 16 scores differently here: it must."""
    assert "K = 16 scores differently" in cell("e9c0ffee").source
    row = re.search(r"^16 +\d+ +[\d.]+ +([\d.]+)", printed(cell("4d1057b4")), re.M)
    section_8 = re.search(r"palette PNG: ([\d.]+) dB", printed(cell("ede4fa72")))[1]
    assert row[1] != section_8


def test_the_stated_run_sizes_are_the_cells():
    """Section 9 names the sizes of Sections 10 to 12; the cells use them."""
    text = " ".join(cell("7b08cb6f").source.split())
    fit = int(re.search(r"^FIT_PIXELS = (\d+)", cell("4d1057b4").source, re.M)[1])
    runs = int(re.search(r"^RUNS = (\d+)", cell("6d749428").source, re.M)[1])
    starts = int(re.search(r"^STARTS = (\d+)", cell("f0523df5").source, re.M)[1])
    assert f"fits each $K$ on {fit:,} of the photo's pixels" in text
    assert f"makes {runs} runs of each start on {fit:,} pixels" in text
    exact = int(re.search(r"^EXACT_ITERS = (\d+)", cell("f0523df5").source, re.M)[1])
    assert f"tries {starts} starts instead of {N_STARTS} and {exact} iteration" in text
    assert f"{exact} iteration on " in printed(cell("f0523df5"))
    assert f"over {runs} runs" in printed(cell("6d749428"))
    assert f"on {fit:,} pixels" in printed(cell("6d749428"))
    section_12 = " ".join(cell("efb4ab91").source.split())
    assert f"{N_STARTS} unless you ask" in section_12
    assert f"and {starts} in this cell" in section_12
    assert f"{starts} starts of at most" in printed(cell("f0523df5"))


def test_the_size_comparison_is_printed_from_the_numbers_beside_it():
    out = printed(cell("f0523df5"))
    palette = int(re.search(r"palette PNG: ([\d,]+) bytes", out)[1].replace(",", ""))
    original = int(re.search(r"original file: ([\d,]+) bytes", out)[1].replace(",", ""))
    said = re.search(r"The palette PNG is (smaller|larger) than the file", out)[1]
    assert said == ("smaller" if palette < original else "larger")
    text = cell("24c29164").source
    assert "smaller than the palette PNG" not in text
    assert "says which is smaller" in text


def test_no_markdown_number_about_the_run_is_left_unchecked():
    """Numbers in the prose of the checked cells all appear in their outputs."""
    pairs = {"e8c0ffee": "ede4fa72", "e5c0ffee": "3180cb80"}
    for text_id, code_id in pairs.items():
        shown = set(printed_numbers(cell(code_id)))
        stated = markdown_numbers(cell(text_id))
        run_numbers = [n for n in stated if "." in n or "," in n]
        assert set(run_numbers) <= shown | {"0.1"}, (text_id, run_numbers)


# ------------------------------------------------------------- cells that run


def pieces(nb, *ids, extra=()):
    """The setup and imports cells, then the cells ``ids`` and ``extra`` sources."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    chosen = [nbformat.v4.new_code_cell(c.source) for c in code[:2]]
    for item in ids:
        if item in extra:
            chosen.append(nbformat.v4.new_code_cell(extra[item]))
        else:
            chosen.append(nbformat.v4.new_code_cell(cell_by_id(nb, item).source))
    run = nbformat.v4.new_notebook(cells=chosen, metadata=nb.metadata)
    return run


LIST_ANSWER = """\
def find_closest_centroids(X, centroids):
    return [int(np.argmin(((centroids - x) ** 2).sum(axis=1))) for x in X]
"""
WRONG_ANSWER = """\
def find_closest_centroids(X, centroids):
    return np.zeros(len(X), dtype=int)
"""


@pytest.mark.kernel
def test_a_list_answer_runs_sections_3_to_5():
    nb = pieces(
        NB,
        "mine",
        "f5e1386a",
        "72c3fd4d",
        "5fd685a5",
        "cdc2f94d",
        "3180cb80",
        extra={"mine": LIST_ANSWER},
    )
    execute_notebook(nb, REPO_ROOT)  # raises on an error
    assert printed(nb.cells[4]) == printed(cell("72c3fd4d"))
    assert printed(nb.cells[6]) == printed(cell("cdc2f94d"))


@pytest.mark.kernel
def test_a_function_fixed_after_running_cell_12_gives_the_right_centroids():
    """Cell 17 assigns again, so it never uses the old function's idx."""
    nb = pieces(
        NB,
        "wrong",
        "f5e1386a",
        "72c3fd4d",
        "2934c4ef",
        "5fd685a5",
        "cdc2f94d",
        extra={"wrong": WRONG_ANSWER},
    )
    execute_notebook(nb, REPO_ROOT)
    assert printed(nb.cells[-1]) == printed(cell("cdc2f94d"))


#: Cells a photo section needs before it: load the photo, the random start,
#: the pixels and a throw-away output folder.
PHOTO_SETUP = (
    "original_img = utils.load_image(utils.PHOTO_PATH)\n"
    "X_img = original_img.reshape(-1, 3)\n"
    "OUTPUT_DIR = Path(__import__('tempfile').mkdtemp())"
)


@pytest.mark.kernel
@pytest.mark.parametrize(
    "section",
    ["b84784a4", "4d1057b4", "6d749428", "f0523df5"],
    ids=["7", "10", "11", "12"],
)
def test_a_stub_in_the_photo_sections_stops_with_one_sentence(section):
    student = make_student_notebook(NB)
    nb = pieces(
        student,
        "2934c4ef",
        "5fd685a5",
        "9286acfc",
        "bc806b2d",
        "setup",
        section,
        extra={"setup": PHOTO_SETUP},
    )
    execute_notebook(nb, REPO_ROOT, allow_errors=True)
    for ran in nb.cells[:-1]:
        assert not [o for o in ran.outputs if o.output_type == "error"], ran.source
    [error] = [o for o in nb.cells[-1].outputs if o.output_type == "error"]
    assert error.traceback == [stub_message("find_closest_centroids")]


def test_the_setup_cell_is_folded_to_its_title_line():
    setup = next(c for c in NB.cells if c.cell_type == "code")
    assert setup.metadata["jupyter"]["source_hidden"] is True  # JupyterLab
    assert setup.metadata["cellView"] == "form"  # Colab shows the title alone
    assert setup.source.startswith("# @title Setup: ")
    assert len(setup.source.splitlines()[0]) <= 88


def test_the_introduction_says_to_run_the_cells_above_after_a_restart():
    assert "Run All Above Selected Cell" in NB.cells[0].source


def test_with_the_solutions_the_released_notebook_keeps_the_setup_fold():
    student = plant_solutions(make_student_notebook(NB))
    setup = next(c for c in student.cells if c.cell_type == "code")
    assert setup.metadata.get("cellView") == "form"
    assert setup.metadata.get("jupyter", {}).get("source_hidden") is True
