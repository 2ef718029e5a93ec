# Steppe Search — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8080
HOST   ?= 127.0.0.1
WORKERS ?= 2
DEMO_INDEX ?= var/demo-index
# The crawled seed page(s) of the team's ../shared, when it is beside the checkout.
SEEDS ?= $(wildcard ../shared/seeds)

.PHONY: run test index lint clean bench bench-quick bench-deps

NATIVE := $(wildcard indexer/*.cpp indexer/analysis/*.cpp indexer/extract/*.cpp)

# Set up once; again when the project's metadata or its compiled sources change.
$(STAMP): pyproject.toml setup.py $(NATIVE) tools/ensure-system-deps.sh
	@tools/ensure-system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q --disable-pip-version-check -e . --group dev
	@touch $(STAMP)

index: $(STAMP)
	$(BIN)/steppe-index build demo/crawl $(SEEDS) --index $(DEMO_INDEX)

run: index
	@echo "serving http://$(HOST):$(PORT)/ (API: /api/search?q=...)"
	$(BIN)/steppe-search serve --index $(DEMO_INDEX) --bind $(HOST):$(PORT) --workers $(WORKERS)

test: $(STAMP)
	$(BIN)/python -m pytest

# Benchmarks (need ../shared): peers installed from the `bench` dependency group.
bench-deps: $(STAMP)
	@tools/ensure-wrk.sh
	$(BIN)/python -m pip install -q --disable-pip-version-check --group bench

bench: bench-deps
	$(BIN)/python -m bench --out docs/benchmarks.md

bench-quick: bench-deps
	$(BIN)/python -m bench --quick --out docs/benchmarks.md

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache build indexer/analysis/*.so
