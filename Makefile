# Two commands for a newcomer: `make run` (the dashboard on the sample school) and `make test`.
# Both create the virtual environment in .venv on first use. Windows: see README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: run test lint typecheck e2e sample bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy, configured in pyproject.toml ([tool.mypy]): strict on the core, every module not listed as
# not-yet-clean must have zero errors. A warm run takes seconds (.mypy_cache); a cold one about a minute.
typecheck: $(STAMP)
	$(BIN)/mypy

# The whole suite. pytest's exit code 5 ("no tests collected") is turned into a failure.
test: lint typecheck
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 1; fi; exit $$rc

# Trust-scale benchmark (several minutes): writes docs/performance.md. Not part of `make test`.
bench: $(STAMP)
	$(BIN)/python benchmarks/trust.py

# The sample school, twice: sample_data/ to open and try, and the copy shipped in the package (natbacc serve).
sample: $(STAMP)
	$(BIN)/natbacc sample --out sample_data
	$(BIN)/natbacc sample --out src/natbacc/sample_data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-output
