"""What grading writes for people: the gradebook and LMS files, each
student's feedback, and the class report."""
