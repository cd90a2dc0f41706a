"""Export the lab to the grading platforms courses already run.

``python -m instructor export nbgrader`` writes an nbgrader course
(:mod:`.nbgrader`), ``python -m instructor export otter`` an otter-grader
master notebook (:mod:`.otter`).  Both grade with the lab's own hidden cases
and the grader's own judge, run inside the notebook's kernel by the program
:mod:`.program` writes into their hidden tests.

Nothing in the grading code imports this package.
"""
