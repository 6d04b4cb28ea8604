# The two commands a new user needs: `make demo` (set up, then run the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install lint bench lock clean

demo: $(VENV)/.installed
	$(BIN)/churn demo

# Two pytest processes, a test file each at a time (its fixtures stay in one process): the suite is
# CPU-bound, so two keep both cores busy (over 95%, measured). A third was not measurably faster
# (14 min 20 s against 15 to 16 min for two on 3 December 2026, within the VM's variation, before the
# tests' XGBoost threads stopped spinning), and each process builds its own session fixtures.
# --no-loadscope-reorder: files in tests/conftest.py's order, the longest first; pytest-xdist would
# hand them out by their number of tests, most first, and so leave test_serve (4 tests, 2 minutes)
# and other long files of few tests to the end.
test: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

install: $(VENV)/.installed

# Exactly the tested versions from requirements.lock, then the project itself (editable, no deps).
# -qq: pip's errors only. A pip.conf naming local package indexes that lack most packages (as on the
# machines this was built on) otherwise prints a warning for every package the lock installs.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps -e .
	touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/generate_and_validate.py
	$(BIN)/python benchmarks/features.py
	$(BIN)/python benchmarks/btyd_comparison.py --customers 50000
	$(BIN)/python benchmarks/scoring.py
	$(BIN)/python benchmarks/independent_reasons.py
	$(BIN)/python benchmarks/nightly_scale.py
	$(BIN)/python benchmarks/nightly_scale.py --features-only 100000
	$(BIN)/python benchmarks/training_scale.py --fit

# Re-resolve the lock from pyproject.toml's ranges (after changing a dependency), in a clean venv.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	{ echo "# Exact versions tested; regenerate with 'make lock'."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache demo-output output
