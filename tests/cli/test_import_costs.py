"""What a fresh process imports: training never loads torch's compiler, and a render whose
network is cached never loads torch at all (each costs seconds of every cold start)."""

from __future__ import annotations

import sys
import textwrap

from tests.conftest import REPO, TINY, run, scene_media


def test_training_imports_no_compiler() -> None:
    """A cold training never pays for torch._dynamo (1.8 s), which torch.optim imports."""
    code = (
        "import sys; from model.network.config import Config; "
        "from model.train.trainer import train; "
        "train(Config(max_iterations=3, rounds=1, best_effort=True), progress=False); "
        "print('torch._dynamo' in sys.modules)"
    )
    out = run([sys.executable, "-c", code], cwd=REPO)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


def test_a_render_whose_network_is_cached_imports_no_torch(trained, shared_cache):
    trained(activation="relu")  # the scene's network, in the session's cache
    media = scene_media(shared_cache)
    script = textwrap.dedent(
        f"""
        import sys
        from manim import tempconfig
        from scenes.morph import ReluMorph

        assert "torch" not in sys.modules, "importing the scenes imported torch"
        with tempconfig({{**{TINY!r}, "media_dir": {str(media)!r}}}):
            scene = ReluMorph()
            scene.render()
        assert scene.morph.checkpoint.cached, "the network was not cached"
        print("torch" in sys.modules)
        """
    )
    result = run([sys.executable, "-c", script], cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False"
