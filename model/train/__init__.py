"""Training: the trainer, its result types, the checkpoint cache and the command line.

``netmorph train`` (or ``python -m model.train``) runs :mod:`model.train.command`.
"""
