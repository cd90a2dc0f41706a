"""The platforms courses already grade on.

``python -m instructor gradescope`` builds a Gradescope autograder
(:mod:`.gradescope`); ``python -m instructor export nbgrader`` writes an
nbgrader course (:mod:`.nbgrader`), ``python -m instructor export otter`` an
otter-grader master notebook (:mod:`.otter`).  The exports grade with the
lab's own hidden cases and the grader's own judge, run inside the notebook's
kernel by the program :mod:`.hidden_program` writes into their hidden tests.

Nothing in the grading engine imports this package.
"""
