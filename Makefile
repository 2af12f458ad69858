# responses-replay: `make` lists the targets.
PY ?= .venv/bin/python
SHARED ?= $(abspath ../shared)
# The pinned spec: OPENAPI_SPEC if set, else ../shared's copy when present, else spec/cache or a download.
ifeq ($(origin OPENAPI_SPEC), undefined)
ifneq ($(wildcard $(SHARED)/specs/openapi-2026-08-21.yaml),)
export OPENAPI_SPEC := $(SHARED)/specs/openapi-2026-08-21.yaml
endif
endif

.DEFAULT_GOAL := help
.PHONY: help setup regen check-regen test pytest typecheck lint bench docs sdk-matrix drift

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: .venv/.installed ## create .venv and install the project with every dev dependency

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

regen: setup ## regenerate src/responses_replay/_generated from the pinned spec + spec/overlay.yaml
	$(PY) -m codegen regen

check-regen: setup ## fail when the committed generated code differs from the generator's output
	$(PY) -m codegen check

# The steps are independent (each only reads the tree; pytest's own mypy run keeps its own cache,
# so no two mypy processes share one), so they run at once; output is printed step by step.
test: setup ## check-regen, lint, mypy, docs (strict), the drift report and the tests, all at once (corpus tests skip without ../shared)
	@$(MAKE) --no-print-directory -j 6 --output-sync=target check-regen lint typecheck docs drift pytest

pytest: setup ## the tests alone, on every core (pytest-xdist); PYTEST_ARGS= passes more
	MYPY_CACHE_DIR=.mypy_cache/pytest $(PY) -m pytest -q -n auto --dist loadgroup $(PYTEST_ARGS)

.PHONY: test-fast
# Serial: on this 2-vCPU machine two workers make each of these short tests ~2.5x slower (43 s
# serial, 60 s with -n 2, same load); the full suite gains from workers (its subprocesses wait).
test-fast: setup ## the edit loop (< 60 s): no slow, corpus, property or packaging tests, no lint/mypy/docs
	$(PY) -m pytest -q -m "not slow and not corpus" --ignore=tests/test_properties.py --ignore=tests/test_packaging.py

typecheck: setup ## mypy --strict on src/, codegen/, bench/, the typing tests and the examples
	$(PY) -m mypy
	$(PY) -m mypy tests/typing
	$(PY) -m mypy --strict examples

lint: setup ## ruff check and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check src/responses_replay codegen tests

bench: setup ## benchmarks against the named baselines (ARGS=--strict: exit 1 on a missed target)
	$(PY) -m bench $(ARGS)

docs: setup ## build the documentation into site/ (mkdocs --strict: a broken link fails)
	$(PY) -m mkdocs build --strict --quiet

sdk-matrix: setup ## guard tests, examples and typing tests under each supported openai (fresh venvs in .sdk-matrix/; SDK="2.17.0 3.0.0" for some)
	$(PY) .ci/sdk_matrix.py $(SDK)

drift: setup ## our item types and fields against the installed openai's (a report: never fails)
	-$(PY) -m responses_replay.drift
