# Every target sets itself up: a pinned uv in .uv/, then .venv/ synced from uv.lock.
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .uv/bin/uv
VENV_PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: setup test test-newest test-lowest lint typecheck unit demo emulator bench load record record-emulator rerecord catalog clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --all-extras --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	touch $@

setup: .venv/.synced

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: setup
	.venv/bin/mypy

unit: setup
	.venv/bin/pytest --cov --cov-report=term-missing:skip-covered -q

test: lint typecheck unit

# The test suite against other versions than uv.lock's, each in its own venv under .versions/
# (uv.lock and .venv are not touched; PyPI must be reachable). See .ci/versions.
test-newest: $(UV)  # the newest langchain-core, langchain, langgraph, llama-index-core, httpx
	PYTHON=$(PYTHON) bash .ci/versions newest

test-lowest: $(UV)  # the lowest versions pyproject.toml allows
	PYTHON=$(PYTHON) bash .ci/versions lowest

demo: setup
	$(VENV_PY) -m demo

# The loopback AIHubMix emulator on 127.0.0.1 until Ctrl-C: `make emulator PORT=9000` for another port.
PORT = 8089
emulator: setup
	$(VENV_PY) -m aihubmix_testing.emulator --port $(PORT)

bench: setup
	$(VENV_PY) -m bench

load: setup
	AIHUBMIX_LOAD_FULL=1 .venv/bin/pytest -q tests -m load -p no:cacheprovider

# Re-record every cassette (and the demo's): from the live service with a key, or from the
# loopback emulator in aihubmix_testing/emulator. Old cassettes are deleted first, so none goes stale.
record: setup
	@test -n "$$AIHUBMIX_API_KEY" || { echo "make record needs AIHUBMIX_API_KEY (re-records cassettes from the live service)"; exit 2; }
	$(MAKE) rerecord AIHUBMIX_CASSETTE_SOURCE=live

record-emulator: setup
	$(MAKE) rerecord AIHUBMIX_CASSETTE_SOURCE=emulator

rerecord:
	find cassettes -name '*.yaml' -delete
	AIHUBMIX_RECORD_MODE=all AIHUBMIX_CASSETTE_SOURCE=$(AIHUBMIX_CASSETTE_SOURCE) $(VENV_PY) -m demo > /dev/null
	AIHUBMIX_RECORD_MODE=all AIHUBMIX_CASSETTE_SOURCE=$(AIHUBMIX_CASSETTE_SOURCE) .venv/bin/pytest -q -p no:cacheprovider --force-enable-socket tests

# Regenerate the shipped model snapshot (aihubmix_core/catalog/snapshot.json) from AIHubMix's
# live public catalog (no key needed). From a models.dev checkout instead:
#   .venv/bin/python scripts/build_catalog_snapshot.py models-dev PATH --history
catalog: setup
	$(VENV_PY) scripts/build_catalog_snapshot.py live

clean:
	rm -rf .venv .uv .versions .pytest_cache .mypy_cache .ruff_cache .coverage
