"""The exercise table: one place for each exercise's facts, read by every tool."""

import nbformat
import pytest

import public_tests
from instructor.authoring.bundle import exercise_table
from instructor.authoring.release import release
from instructor.authoring.validate import check_lab
from instructor.course import exercises
from instructor.grading import grader
from instructor.layout import SOURCE_NOTEBOOK
from instructor.markers import graded_name


def test_the_table_lists_the_labs_three_graded_functions():
    # The source notebook's graded cells, in notebook order; k-means++ is the
    # optional exercise the notebook announces as such.
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    graded = [graded_name(c) for c in source.cells if graded_name(c)]
    assert list(exercises.names()) == graded
    assert [e.optional for e in exercises.EXERCISES] == [False, False, True]


def test_each_row_names_an_existing_public_test():
    for exercise in exercises.EXERCISES:
        assert callable(getattr(public_tests, exercise.public_test))


def test_required_points_leave_the_bonus_out():
    assert exercises.required_points() == 20  # 10 + 10; k-means++ is a bonus


def test_the_gradebook_has_a_column_per_exercise_between_ids_and_totals():
    columns = grader.grade_columns(exercises.names())
    start = columns.index("canvas_id") + 1
    assert columns[start : columns.index("total")] == exercises.names()


def test_an_unknown_name_is_not_in_the_table():
    with pytest.raises(KeyError):
        exercises.exercise("kMeans_init_centroids")
    assert exercises.visible_case_names("kMeans_init_centroids") == frozenset()


def test_the_student_readme_lists_the_exercises_and_their_points():
    assert exercise_table().splitlines() == [
        "| function | points | public test |",
        "|---|---|---|",
        "| `find_closest_centroids` | 10 | `find_closest_centroids_test` |",
        "| `compute_centroids` | 10 | `compute_centroids_test` |",
        "| `kMeans_plusplus_init` | 10 (optional: bonus points) "
        "| `kMeans_plusplus_init_test` |",
    ]


def edited_source(tmp_path, edit):
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    edit(nb)
    path = tmp_path / "source.ipynb"
    nbformat.write(nb, path)
    return path


def test_release_refuses_a_graded_cell_the_table_does_not_know(tmp_path):
    def add(nb):
        nb.cells.append(
            nbformat.v4.new_code_cell(
                "# GRADED FUNCTION: extra\ndef extra():\n    pass"
            )
        )

    source = edited_source(tmp_path, add)
    with pytest.raises(
        ValueError, match="no row in instructor/course/exercises.py: extra"
    ):
        release(source, tmp_path / "student.ipynb")
    assert not (tmp_path / "student.ipynb").exists()


def test_release_refuses_a_source_without_an_exercise(tmp_path):
    def drop(nb):
        nb.cells = [c for c in nb.cells if graded_name(c) != "kMeans_plusplus_init"]

    source = edited_source(tmp_path, drop)
    with pytest.raises(
        ValueError, match="no graded cell in the source notebook: kMeans"
    ):
        release(source, tmp_path / "student.ipynb")


@pytest.mark.worker
def test_validate_checks_the_table_itself(tmp_path):
    def drop(nb):
        nb.cells = [c for c in nb.cells if graded_name(c) != "kMeans_plusplus_init"]

    results = dict(
        (description, passed)
        for passed, description in check_lab(edited_source(tmp_path, drop))
    )
    assert results["find_closest_centroids has cases with distinct names (10 cases)"]
    assert results["every case of compute_centroids is worth points"]
    assert not results[
        "the exercise table's kMeans_plusplus_init is graded in the source"
    ]
