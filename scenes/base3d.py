"""The 3-D base scene: :class:`MorphScene` seen in true 3-D with a slow camera orbit.

Kept apart from :mod:`scenes.morph3d` so ``manim -a scenes/morph3d.py`` renders only the named
scenes, not this base.
"""

from __future__ import annotations

from manim import DEGREES, Mobject, ThreeDCamera, ThreeDScene

from scenes import style
from scenes.base import MorphScene
from scenes.camera import OwnDrawingMixin


class FastThreeDCamera(OwnDrawingMixin, ThreeDCamera):
    """Manim's 3-D Cairo camera with one-pass dot clouds and polylines."""


class MorphScene3D(MorphScene, ThreeDScene):
    """:class:`MorphScene` seen in 3-D, with a slow camera orbit so depth reads."""

    view = "3d"
    camera_type = FastThreeDCamera

    def construct(self) -> None:
        self.set_camera_orientation(
            phi=style.CAMERA_PHI * DEGREES, theta=style.CAMERA_THETA * DEGREES
        )
        self.begin_ambient_camera_rotation(rate=style.CAMERA_ORBIT_RATE)
        super().construct()

    def last_step(self) -> int:
        """End on the first activation: the input plane, embedded in 3-D, folded (ReLU) or bent
        (tanh) by it, the clearest picture of what a hidden layer does; ``-s`` shows it. The
        later, 2-D steps are the 2-D scenes' to show."""
        kinds = [stage.step.kind for stage in self.morph.stages]
        return kinds.index("activation")

    def add_label(self, label: Mobject) -> None:
        # Labels stay flat on the screen while the camera orbits the picture.
        self.renderer.camera.add_fixed_in_frame_mobjects(label)
        super().add_label(label)
