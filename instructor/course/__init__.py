"""The course: what is graded (the exercise table, the hidden cases), the
reference solutions and the lab's package floors.  Never shipped to students."""
