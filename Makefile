# netmorph — every command starts from an idempotent `make setup`.
#   make demo   set up, then render media/videos/morph/1080p60/ReluMorph.mp4
#   make test   set up, then type-check and run the whole test suite (tests/unit, tests/scenes,
#               tests/cli)
#   make test-fast  set up, then the quick tiers for daily work: no subprocess renders
#   make typecheck  set up, then mypy (configured in pyproject.toml)
#   make bench  set up, then print the speed and memory figures
#   make deck   set up, then render SCENE (default ReluSlides) as media/SCENE.html, one file
#               that plays offline

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config python3-dev gcc
# reveal.js for offline slide decks (scenes/kit/deck.py), from npm into the venv. 6.0.1 is the
# version manim-slides 5.7.0's HTML template is written for.
REVEAL_VERSION := 6.0.1
REVEAL_PREFIX := $(VENV)/share/netmorph
REVEAL_STAMP := $(REVEAL_PREFIX)/.reveal.js-$(REVEAL_VERSION)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.installed

.PHONY: setup system-deps demo test test-fast typecheck bench deck gallery all-scenes lint clean

setup: system-deps $(STAMP) $(REVEAL_STAMP)
	@# The project's bytecode, as pip writes it for installed packages: an editable install
	@# has none, and with PYTHONDONTWRITEBYTECODE set every render would compile it again.
	@$(BIN)/python -m compileall -q model scenes benchmarks >/dev/null

# apt-get only when a header or tool is missing, so a ready machine needs no root. npm fetches
# reveal.js; chromium is the browser tests/cli/test_deck.py and test_page.py open the offline deck
# and page in (the page's through playwright, pointed at this chromium); espeak-ng is the offline
# voice of narrated videos (model/narration/speech.py).
system-deps:
	@missing=""; \
	pkg-config --exists cairo pangocairo 2>/dev/null && command -v cc >/dev/null || \
		missing="$(APT_PACKAGES)"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
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

$(REVEAL_STAMP): | $(STAMP)
	npm install --prefix $(REVEAL_PREFIX) --save-exact --no-audit --no-fund --loglevel=error \
		reveal.js@$(REVEAL_VERSION)
	@touch $@

demo: setup
	$(BIN)/manim --config_file manim.cfg -qh scenes/morph.py ReluMorph

test: typecheck
	$(BIN)/python -m pytest

typecheck: setup
	$(BIN)/python -m mypy

# tests/unit (no Manim render) and tests/scenes (tiny dry-run renders in this process); the
# few tests there that run a command line are marked cli and left to `make test`.
test-fast: setup
	$(BIN)/python -m pytest tests/unit tests/scenes -m 'not cli'

bench: setup
	$(BIN)/python -m benchmarks.run

# A deck for a lecture hall with no network: every slide's video and reveal.js in one HTML file.
# Plain `manim` renders the slides (manim-slides' `render` alias reads `-qh` as its `-h`).
SCENE ?= ReluSlides
deck: setup
	$(BIN)/manim --config_file manim.cfg -qh scenes/slides.py $(SCENE)
	$(BIN)/netmorph deck $(SCENE) media/$(SCENE).html

# The README's pictures in docs/: short 30 fps GIFs of ReLU, tanh and GELU (palette-compressed
# by scenes/kit/gif.py) and 1080p stills, without Manim's version suffix.
GALLERY_MEDIA := media/gallery
GALLERY_MANIM := $(BIN)/manim --config_file manim.cfg --media_dir $(GALLERY_MEDIA)
gallery: setup
	$(GALLERY_MANIM) -r 480,270 --fps 30 scenes/gallery.py ReluShort TanhShort GeluShort
	for name in Relu Tanh Gelu; do $(BIN)/netmorph gif \
		$(GALLERY_MEDIA)/videos/gallery/270p30/$${name}Short.mp4 docs/$${name}Morph.gif; done
	$(GALLERY_MANIM) -qh -s scenes/poster.py StagesPoster
	$(GALLERY_MANIM) -qh -s scenes/morph.py ReluMorph
	NETMORPH_THEME=light $(GALLERY_MANIM) -qh -s -o ReluMorphLight scenes/morph.py ReluMorph
	$(GALLERY_MANIM) -qh -s scenes/gallery.py ReluLastHidden Spiral3Triangle ReluFolds
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
