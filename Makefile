# make          set up what is missing, then build every PDF of content/
# make test     run the test suite
# make proof    render every page of every built PDF to build/proof/
# make bench    time our build against the pandoc + weasyprint command lines
# make status   which translations are missing, current or stale (and what changed)
# make check    translation QA against the source; non-zero exit on findings

PYTHON_SYSTEM ?= python3
VENV          := .venv
PY            := $(VENV)/bin/python
# Debian packages: fonts (pinned by name: Noto for Latin, Cyrillic and CJK),
# HarfBuzz subsetting (WeasyPrint is 1.34x slower without it), poppler for proofs and tests.
DEB_PACKAGES  := fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 poppler-utils
STAMP         := $(VENV)/.installed

.PHONY: all build test proof bench lint system clean status check
all: build

system:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Run:  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV) (log: $(VENV)/pip.log)"
	@$(PY) -m pip install --disable-pip-version-check -r requirements-dev.txt > $(VENV)/pip.log 2>&1 \
	  || { tail -20 $(VENV)/pip.log; exit 1; }
	@touch $@

build: system $(STAMP)
	$(PY) build.py

test: system $(STAMP) lint
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check pressroom tests bench build.py

proof: build
	$(PY) build.py proof

bench: system $(STAMP)
	$(PY) bench/run.py

status: system $(STAMP)
	$(PY) build.py status

check: system $(STAMP)
	$(PY) build.py check

clean:
	rm -rf build
