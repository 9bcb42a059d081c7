"""netmorph's model side: data, network, training, checkpoints, trace and views.

Data flows one way: ``data`` → ``network`` → ``train``/``store`` → ``trace`` → ``view``.
Everything here is numpy/torch and runs without Manim.
"""
