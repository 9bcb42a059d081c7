"""From stage values to the frame: fitted views, the probability scale, coverage and panels.

Also which rows of a traced array are which drawn set, and the morph as the scene plays it.
"""
