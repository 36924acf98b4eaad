"""Grading where students hand in: GitHub Classroom workflows and Gradescope autograders."""
