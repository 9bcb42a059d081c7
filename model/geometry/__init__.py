"""What the network does to the plane: its trace, boundary, and the motion between its stages.

The trace and decision boundary, the orientation of hidden units, and how points move between
stages (affine routes, rotations, projections), with the measures that choose among them.
"""
