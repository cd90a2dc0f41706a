"""Authoring a release: execute the source notebook, release the student
notebook and bundle, and validate that source, tests and release agree."""
