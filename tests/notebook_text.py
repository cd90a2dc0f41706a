"""Notebook source text as the tests compare it."""

import re


def without_settings(text):
    """The text with the setup cell's release settings left out.

    ``release`` writes ``LAB_FLOORS``, ``BUNDLE_URL`` and ``BUNDLE_SHA256``
    into the student notebook; everything else must stay as in the source.
    """
    text = re.sub(r"LAB_FLOORS = \{[^}]*\}", "LAB_FLOORS = ...", text)
    return re.sub(r"^(BUNDLE_URL|BUNDLE_SHA256) = .*$", r"\1 = ...", text, flags=re.M)
