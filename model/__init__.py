"""netmorph's model side: everything a video shows, computed with numpy/torch and no Manim.

Data flows one way, each subpackage using only those before it:
``data`` → ``network`` → ``train`` → ``geometry`` → ``picture`` → :mod:`model.pipeline` /
:mod:`model.film` (the one-call set-ups the scenes use).
"""
