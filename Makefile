# Steppe Search — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8080
HOST   ?= 127.0.0.1
WORKERS ?= 2
DEMO_INDEX ?= var/demo-index

.PHONY: run test index lint clean

# Set up once; again only when pyproject.toml changes.
$(STAMP): pyproject.toml tools/ensure-system-deps.sh
	@tools/ensure-system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q --disable-pip-version-check -e . --group dev
	@touch $(STAMP)

index: $(STAMP)
	$(BIN)/steppe-index build demo/crawl --index $(DEMO_INDEX)

run: index
	@echo "serving http://$(HOST):$(PORT)/ (API: /api/search?q=...)"
	$(BIN)/steppe-search serve --index $(DEMO_INDEX) --bind $(HOST):$(PORT) --workers $(WORKERS)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
