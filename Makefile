# The two commands of the quick start: `make run` and `make test`. Both create .venv when it is absent and
# install the pinned versions of constraints.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Data folder for `make run`: the demo identity and case live here, never in the user's real data folder.
DEMO_HOME ?= $(CURDIR)/.feijian-demo

.PHONY: run test demo bench screenshots clean-demo ocr

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,build]'
	touch $(VENV)/.installed $@

# The OCR extra, headless: rapidocr-onnxruntime without its opencv-python (GUI) requirement (see pyproject.toml).
$(VENV)/.installed-ocr: pyproject.toml constraints.txt Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[ocr]'
	$(BIN)/python -m pip install --quiet -c constraints.txt --no-deps rapidocr-onnxruntime
	touch $@

ocr: $(VENV)/.installed-ocr

run: $(VENV)/.installed
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || [ "$$(uname)" != "Linux" ]; then \
		FEIJIAN_HOME=$(DEMO_HOME) $(BIN)/feijian; \
	else \
		FEIJIAN_HOME=$(DEMO_HOME) $(BIN)/feijian demo; \
	fi

demo: $(VENV)/.installed
	FEIJIAN_HOME=$(DEMO_HOME) $(BIN)/feijian demo

# The suite runs in one worker process per core (pytest-xdist; at most 4: each starts its own PostgreSQL and
# Qt), a test file's tests in one worker so module fixtures are built once. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed-test $(VENV)/.installed-ocr
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

# The bench extra: SQLAlchemy for archive_bench.py's pandas to_sql baseline.
$(VENV)/.installed-bench: pyproject.toml constraints.txt Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[bench]'
	touch $@

bench: $(VENV)/.installed-test $(VENV)/.installed-ocr $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_all.py

clean-demo:
	rm -rf $(DEMO_HOME)
