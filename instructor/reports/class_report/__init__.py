"""The class report: what the class got wrong, and which answers are copies.

``python -m instructor report GRADEBOOK`` reads what ``grade`` recorded in
the gradebook folder (``records/<student>.json``, ``grading-info.json``) and
writes ``GRADEBOOK/report/``: ``index.html`` (one self-contained page),
``mistakes.csv``, ``mistakes_by_student.csv`` and ``similarity.csv``.  No
student code runs: the report reads only the records.

One module per job: :mod:`.reading` (the gradebook), :mod:`.mistakes` (the
counts), :mod:`.similarity` (copies), :mod:`.figures` and :mod:`.page` (the
HTML), :mod:`.build` (all of it, written to disk).
"""
