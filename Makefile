# xxgk — every target sets up what it needs: `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus
SAMPLE := examples/seed_001_luoyang_eeb_2020.txt

.PHONY: run test test-all test-slow test-integration bench pretrain train ablation evaluate crossval crossval-tagger learning-curve retrain clean

$(STAMP): pyproject.toml
	@# Debian packages: headless Chromium (review-page test) and a CJK font (screenshots)
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi wqy || \
	  { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei) \
	    || echo "could not install chromium: the review-page browser test will skip"; }
	$(PYTHON) -m venv $(VENV)
	# torch first and pinned: the CPU build (a plain `torch` would pull a multi-GB CUDA build)
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/xxgk extract $(SAMPLE) --format table

test: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not integration"

test-integration: $(STAMP)
	$(BIN)/pytest -q -m integration

test-slow: $(STAMP)
	$(BIN)/pytest -q -m slow

test-all: $(STAMP)
	$(BIN)/pytest -q

# The model (issue 6): pretrain the encoder, fine-tune the tagger, train the ablation, score all three.
pretrain: $(STAMP)
	$(BIN)/python -m training.pretrain --corpus $(CORPUS)

train: $(STAMP)
	$(BIN)/python -m training.finetune --corpus $(CORPUS)

ablation: $(STAMP)
	$(BIN)/python -m training.finetune --corpus $(CORPUS) --from-scratch --output-dir runs/tagger-scratch

evaluate: $(STAMP)
	$(BIN)/python -m training.report --corpus $(CORPUS)
	$(BIN)/python -m training.card

# model choices for the candidate classifier: k-fold over train + dev, grouped by agency (never the benchmark)
crossval: $(STAMP)
	$(BIN)/python -m training.crossval --corpus $(CORPUS) --c1 0.02 0.05 0.1 --c2 0.02 0.05 0.1 --C 8

# whether more annotations would pay: the CRF's cross-validated F1 fitted on 25 %, 50 %, 75 % and all of each fold's texts (about 8 minutes on 2 cores)
learning-curve: $(STAMP)
	$(BIN)/python -m training.crossval --corpus $(CORPUS) --curve 0.25 0.5 0.75 1 --repeats 3

# the whole tagger by the same folds (one fine-tuning a fold, about 2 hours for the default 5 on 2 cores; FOLDS=3 about 50 minutes): ENCODER=dir to compare encoders
ENCODER ?= models/xxgk-encoder
FOLDS ?= 5
crossval-tagger: $(STAMP)
	$(BIN)/python -m training.crossval --corpus $(CORPUS) --tagger $(ENCODER) --folds $(FOLDS)

retrain: $(STAMP)
	$(BIN)/python -m training.retrain --corpus $(CORPUS)

bench: $(STAMP)
	$(BIN)/python -m extractor.bench --corpus $(CORPUS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
