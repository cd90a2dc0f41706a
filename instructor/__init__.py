"""Instructor tools for the K-means lab.

Run ``python -m instructor --help`` from the repository root.  The one source
notebook, ``instructor/source/kmeans_lab.ipynb``, holds the reference
solutions between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; every
other notebook is generated from it.
"""
