"""The network's action on the plane: trace, decision boundary, orientation and the motion between
stages (affine paths, rotations, projections), with the measures that choose among them."""
