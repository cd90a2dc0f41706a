"""The code behind ``utils.py``: one module per job.

``answers``  judging answers to the exercises (public and hidden tests share it)
``checks``   shape and value checks that raise a clear ``ValueError``
``data``     where the data live; loading the points and images
``kmeans``   the K-means driver that runs the student's functions
``plots``    the lab's figures
``progress`` how long the student's functions will take, said before a long run
"""
