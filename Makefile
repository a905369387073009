# The two commands users need: `make demo` and `make test`. Both build .venv on a fresh machine.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-loaded test-long bench install clean corpus model

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "python3.11 not found"; exit 2; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, alone: the pinned CPU wheel; letting sentence-transformers pull torch would fetch a CUDA build.
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

corpus: $(STAMP)
	$(BIN)/python corpora/build.py

demo: $(STAMP)
	$(BIN)/miner build corpora/pdf/evaluation-chanvrelia-*.pdf corpora/pdf/evaluation-mi-parcours-chanvrelia-*.pdf corpora/pdf/contrat-chanvrelia-*.pdf corpora/pdf/activites-*.pdf corpora/members --store graphs/store

# The shipped axis model: retrain from the real and the written activities and point DEFAULT at it
# (bench/axes_ship.py does the same from cached encoder vectors, rows in the same order).
model: $(STAMP)
	$(BIN)/miner classify --train corpora/activities/real.csv --train corpora/activities/train.csv --replace \
	  --model-dir miner/data/assets/models \
	  | sed 's|.*/||' > miner/data/assets/models/DEFAULT

# Lint, then the suite. Every time limit in a test is scaled by MINER_TEST_TIMEOUT_SCALE (tests/timeouts.py).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

# The suite under a background load of one busy process per core (tests/load.py), as a loaded CI runner,
# twice in a row (what the first run leaves behind must not break the second).
test-loaded: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tests/load.py --times 2 $(BIN)/python -m pytest -q

# The tests marked long (over 15 s: the notebook example, whole pipelines with models), then the
# robustness suites at length: 20,000 fuzzing runs of extraction and of each screening property, 2,000 hostile files,
# and the generator of varied reports at length.
test-long: $(STAMP)
	MINER_LONG=1 $(BIN)/python -m pytest -q -m long --ignore=tests/read/test_hostile.py --ignore=tests/read/test_hostile_tables.py
	MINER_LONG=1 MINER_FUZZ=1 MINER_HOSTILE_CASES=2000 $(BIN)/python -m pytest -q -s tests/read/test_fuzz.py \
	  tests/store/test_fuzz_screening.py tests/read/test_hostile.py tests/read/test_hostile_tables.py
	# 200 generated reports (producers x layouts x judgements x numbering x languages x clusters), read back: share exact per factor
	$(BIN)/python -m corpora.render.variety --count 200 --seed 1

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf graphs/store graphs/*.json .miner-cache
