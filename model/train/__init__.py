"""Training: the trainer, its result types, the checkpoint cache and the command line.

``python -m model.train`` runs :mod:`model.train.__main__`.
"""
