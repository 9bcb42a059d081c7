# netmorph — every command starts from an idempotent `make setup`.
#   make demo   set up, then render media/videos/morph/1080p60/ReluMorph.mp4
#   make test   set up, then run the whole test suite
#   make bench  set up, then print the speed and memory figures

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config python3-dev gcc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo test bench gallery all-scenes lint clean

setup: system-deps $(STAMP)

# apt-get only when a header or tool is missing, so a ready machine needs no root.
system-deps:
	@if ! (pkg-config --exists cairo pangocairo 2>/dev/null && command -v cc >/dev/null); then \
		echo "installing system libraries: $(APT_PACKAGES)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

# torch's CPU build from PyTorch's own CPU wheel index (its install page's command), when that
# index answers within a few seconds: on Linux, PyPI's torch is the CUDA build and pulls ~2.7 GB
# of NVIDIA libraries. Offline, or on a machine with a local wheel cache, pip's own indexes as
# before. The version is pyproject.toml's pin.
TORCH_CPU_INDEX := https://download.pytorch.org/whl/cpu
TORCH_PIN := $(shell grep -o '"torch==[^"]*"' pyproject.toml | tr -d '"')

$(STAMP): pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	@if timeout 5 $(BIN)/python -c "import urllib.request as u; \
		u.urlopen('$(TORCH_CPU_INDEX)/torch/', timeout=4)" 2>/dev/null; then \
		echo "installing $(TORCH_PIN), CPU build, from $(TORCH_CPU_INDEX)"; \
		$(BIN)/python -m pip install -q "$(TORCH_PIN)" --index-url $(TORCH_CPU_INDEX) \
			|| echo "no CPU build of $(TORCH_PIN) there: pip's own index decides"; \
	fi
	$(BIN)/python -m pip install -q -e '.[dev,slides]'
	@touch $@

demo: setup
	$(BIN)/manim --config_file manim.cfg -qh scenes/morph.py ReluMorph

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m benchmarks.run

# The README's pictures in docs/: short 30 fps GIFs of ReLU, tanh and GELU (palette-compressed
# by scenes/gif.py) and 1080p stills, without Manim's version suffix.
GALLERY_MEDIA := media/gallery
GALLERY_MANIM := $(BIN)/manim --config_file manim.cfg --media_dir $(GALLERY_MEDIA)
gallery: setup
	$(GALLERY_MANIM) -r 480,270 --fps 30 scenes/gallery.py ReluShort TanhShort GeluShort
	for name in Relu Tanh Gelu; do $(BIN)/python -m scenes.gif \
		$(GALLERY_MEDIA)/videos/gallery/270p30/$${name}Short.mp4 docs/$${name}Morph.gif; done
	$(GALLERY_MANIM) -qh -s scenes/poster.py StagesPoster
	$(GALLERY_MANIM) -qh -s scenes/morph3d.py ReluMorph3D
	$(GALLERY_MANIM) -qh -s scenes/comparison.py ActivationComparison
	$(GALLERY_MANIM) -qh -s scenes/training.py ReluTraining
	for f in $$(find $(GALLERY_MEDIA)/images -name '*.png'); do \
		cp "$$f" "docs/$$(basename "$$f" | sed -E 's/_ManimCE_v[0-9]+[.][0-9]+[.][0-9]+//')"; done

all-scenes: setup
	$(BIN)/manim --config_file manim.cfg -qh -a scenes/morph.py

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) media .pytest_cache
