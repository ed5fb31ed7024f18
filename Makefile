# `make test` is the one command that checks everything: CI runs exactly it (.ci/run).
VENV ?= .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := dbus xvfb xauth gcc-arm-none-eabi libnewlib-arm-none-eabi libcmocka-dev g++ openscad \
  qemu-system-arm pulseaudio pulseaudio-utils libportaudio2 libasound2-plugins espeak-ng alsa-utils

.PHONY: test install system-deps lint firmware-test hardware-test demo

$(PY):
	python3 -m venv $(VENV)

install: $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'

# Debian packages the tests use (BlueZoo's D-Bus, Xvfb, the ARM compiler, cmocka, OpenSCAD,
# QEMU for the core on a Cortex-M4, a user-space sound server with PortAudio and espeak-ng for
# the cues).
# Installed when we are root on Debian; otherwise the tests that need them say what is missing.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi; \
	fi

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

firmware-test: system-deps
	@if [ -f firmware/Makefile ]; then $(MAKE) -C firmware test cross sim qemu; fi

# The ball's inside: parts fit the capsule, the capsule the ball (hardware/fit.py, from
# hardware/parts.json), and the capsule's OpenSCAD source renders to an STL, headless.
hardware-test: system-deps
	python3 hardware/fit.py
	@command -v openscad >/dev/null || { echo "openscad is missing: apt-get install openscad"; exit 1; }
	mkdir -p hardware/build
	openscad --hardwarnings -q -o hardware/build/capsule.stl hardware/capsule.scad
	@echo "hardware/build/capsule.stl: $$(grep -c '^ *facet normal' hardware/build/capsule.stl) facets"

test: system-deps install lint firmware-test hardware-test
	$(PY) -m pytest -q

demo: install
	$(VENV)/bin/smartball demo
