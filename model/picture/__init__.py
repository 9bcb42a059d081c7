"""From stage values to the frame: fitted views, the probability scale, coverage and panels.

Also which rows of a traced array are which drawn set, the morph as the scene plays it, and its
frames sampled for the explorable page.
"""
