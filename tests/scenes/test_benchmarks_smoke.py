"""benchmarks/ at a tiny size: every module imports, its scenes and helpers run, so a change
elsewhere that breaks the benchmark fails here rather than on the next `make bench`."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch
from manim import tempconfig

from benchmarks import bench_narrated, bench_scenes, empty_scene, measure, recipe_optimizer, run
from model.network.layers import init_network
from tests.conftest import TINY


def test_the_command_line_describes_itself(capsys):
    with pytest.raises(SystemExit) as done:
        run.main(["--help"])
    assert done.value.code == 0
    assert "--recipe" in capsys.readouterr().out


@pytest.mark.cli  # starts a process: its peak memory is what is measured
def test_timed_reports_wall_time_and_peak_memory():
    seconds, mib, _ = measure.timed([sys.executable, "-c", "x = bytearray(50_000_000)"])
    assert 0 < seconds < 60
    assert mib >= 40  # the child's 50 MB, not this process's


def test_encoder_options_include_manim_cfg():
    options = run.encoder_options()
    assert options.get("rc-lookahead") == "10"  # manim.cfg's [video_encoder.options]


def test_startup_scene_renders_one_frame(tmp_path):
    with tempconfig({**TINY, "media_dir": str(tmp_path)}):
        scene = empty_scene.Startup()
        scene.render()
        assert scene.renderer.time == pytest.approx(1 / TINY["frame_rate"])


def test_scale_variants_are_denser_relu_morphs():
    assert bench_scenes.ReluMorphX4.density == 4 and bench_scenes.ReluMorphX16.density == 16
    assert issubclass(bench_scenes.ReluMorphX16, bench_scenes.ReluMorph)


def test_the_naive_scenes_pointwise_steps_are_the_networks():
    module = init_network(bench_scenes.NAIVE_CONFIG, 0)  # any weights: the arithmetic is checked
    scale = 2.5
    point = np.array([0.3, -0.4])
    drawn = np.r_[point * scale, 0.0]
    with torch.no_grad():
        z = torch.as_tensor(point, dtype=torch.float64)
        for layer in module:
            drawn = bench_scenes._pointwise(layer, scale)(drawn)
            z = layer.double()(z)
            np.testing.assert_allclose(drawn[:2] / scale, z.numpy(), atol=1e-9)


def test_the_recipe_optimiser_runs_a_few_iterations():
    seconds, accuracy = recipe_optimizer.run_recipe("tanh", iterations=3)
    assert seconds > 0 and 0.0 <= accuracy <= 1.0


@pytest.mark.cli
def test_big_csv_benchmark_trains_and_reports_each_size(tmp_path, monkeypatch, capsys):
    from benchmarks import bench_data

    monkeypatch.setattr(bench_data, "SIZES", (600,))
    figures = bench_data.bench_big_csv(tmp_path)
    assert set(figures) == {"csv_6e2_train_s", "csv_6e2_peak_rss_mib"}
    assert figures["csv_6e2_train_s"] > 0 and figures["csv_6e2_peak_rss_mib"] > 10
    assert "csv_6e2_train_s" in capsys.readouterr().out


def test_the_naive_scene_plays_every_step_and_its_holds(tmp_path, monkeypatch):
    """Built and played at a tiny size (a few points, untrained weights): every wait is one
    Manim can render, so `make bench` reaches its naive figure."""
    from types import SimpleNamespace

    few = SimpleNamespace(x_plot=(np.zeros((3, 2)), np.ones((3, 2)) * 0.5))
    module = init_network(bench_scenes.NAIVE_CONFIG, 0)
    monkeypatch.setattr(bench_scenes, "load_dataset", lambda name: few)
    monkeypatch.setattr(
        bench_scenes, "load_or_train", lambda cfg, cache: (SimpleNamespace(module=module), None)
    )
    with tempconfig({**TINY, "media_dir": str(tmp_path)}):
        scene = bench_scenes.NaiveMorph()
        scene.render()
    style = bench_scenes.style
    per_step = style.LABEL_SWAP + style.MORPH + style.HOLD_STEP
    closing = max(0.0, style.HOLD_END - style.HOLD_STEP)
    expected = style.HOLD_INPUT + len(module) * per_step + closing
    assert scene.renderer.time == pytest.approx(expected, abs=1 / TINY["frame_rate"])


def test_video_seconds_reads_frames_over_rate(tmp_path):
    import av

    path = tmp_path / "two_seconds.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for _ in range(30):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    assert bench_narrated.video_seconds(path) == pytest.approx(2.0)
