# The two commands users need: `make demo` and `make test`. Both build .venv on a fresh machine.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-long bench install clean corpus model

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
	$(BIN)/miner build corpora/pdf/evaluation-chanvrelia-*.pdf corpora/pdf/activites-*.pdf corpora/members --store graphs/store

# The shipped axis model: retrain from the real and the written activities and point DEFAULT at it
# (bench/axes_ship.py does the same from cached encoder vectors, rows in the same order).
model: $(STAMP)
	$(BIN)/miner classify --train corpora/activities/real.csv --train corpora/activities/train.csv --replace \
	  --model-dir miner/data/assets/models \
	  | sed 's|.*/||' > miner/data/assets/models/DEFAULT

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The robustness suites at length: 20,000 fuzzing runs of extraction and of each screening property, 2,000 hostile files.
test-long: $(STAMP)
	MINER_FUZZ=1 MINER_HOSTILE_CASES=2000 $(BIN)/python -m pytest -q -s tests/read/test_fuzz.py \
	  tests/store/test_fuzz_screening.py tests/read/test_hostile.py tests/read/test_hostile_tables.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf graphs/store graphs/*.json .miner-cache
