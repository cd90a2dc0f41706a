"""The code behind ``utils.py``: one module per job.

``answers``      judging answers to the exercises (public and hidden tests share it)
``checks``       shape and value checks that raise a clear ``ValueError``
``colours``      8-bit rounding, distinct colours, coarse colour boxes
``compression``  palette PNGs, PSNR, and ``compress_photo`` in stages
``data``         where the data live; loading the points and images
``environment``  what a graded cell may use (public tests and grader share it)
``mistakes``     the catalogue of named mistakes: identifier and sentence
``kmeans``       the K-means driver that runs the student's functions
``plots``        the lab's figures (nothing else imports matplotlib)
``progress``     how long the student's functions will take, said before a long run
``starts``       a variance split, the start ``compress_photo`` uses
"""
