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

$(STAMP): pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/manim --config_file manim.cfg -qh scenes/morph.py ReluMorph

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m benchmarks.run

# The README's pictures: 15 fps GIFs of ReLU, tanh and GELU (kept out of git: ~30 MB each) and
# 1080p stills, all copied into docs/ without Manim's version suffix.
GALLERY_MEDIA := media/gallery
gallery: setup
	$(BIN)/manim --config_file manim.cfg -r 640,360 --fps 15 --format gif \
		--media_dir $(GALLERY_MEDIA) scenes/morph.py ReluMorph TanhMorph GeluMorph
	$(BIN)/manim --config_file manim.cfg -qh -s --media_dir $(GALLERY_MEDIA) scenes/poster.py StagesPoster
	$(BIN)/manim --config_file manim.cfg -qh -s --media_dir $(GALLERY_MEDIA) scenes/morph3d.py ReluMorph3D
	$(BIN)/manim --config_file manim.cfg -qh -s --media_dir $(GALLERY_MEDIA) \
		scenes/comparison.py ActivationComparison
	$(BIN)/manim --config_file manim.cfg -qh -s --media_dir $(GALLERY_MEDIA) scenes/training.py ReluTraining
	mkdir -p docs
	for f in $$(find $(GALLERY_MEDIA)/videos $(GALLERY_MEDIA)/images -name '*.gif' -o -name '*.png' \
		| grep -v partial); do \
		cp "$$f" "docs/$$(basename "$$f" | sed -E 's/_ManimCE_v[0-9]+[.][0-9]+[.][0-9]+//')"; done

all-scenes: setup
	$(BIN)/manim --config_file manim.cfg -qh -a scenes/morph.py

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) media .pytest_cache
