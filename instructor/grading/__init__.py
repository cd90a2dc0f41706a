"""The grading engine: find submissions, read them as hostile input, run their
graded functions in confined workers, and judge the answers."""
