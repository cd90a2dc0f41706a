"""The code behind ``utils.py``: one module per job.

``checks``   shape and value checks that raise a clear ``ValueError``
``data``     where the data live; loading the points and images
``kmeans``   the K-means driver that runs the student's functions
``plots``    the lab's figures
"""
