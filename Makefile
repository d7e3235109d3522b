# make          set up what is missing, then build the outputs (project.yaml) whose sources changed
# make archive  the PDF/A edition of every publication (build/archive/<lang>/<slug>.pdf)
# make print    the print edition, PDF/X-4 in CMYK with bleed, and its preflight report (build/print/<lang>/)
# make site     the web edition: build/site/ (a page per edition, catalogues, search; links the PDFs)
# make test     run the test suite
# make proof    render every page of every built PDF to build/proof/
# make bench    time our builds against the pandoc + weasyprint command lines
# make status   which translations are missing, current or stale (and what changed)
# make check    translation QA against the source; non-zero exit on findings
# make fuzz     a long run of the property-based tests
# make preview SLUG=<slug> [PREVIEW_LANG=<lang>]   live preview in the browser
# make export SLUG=<slug> LANG=<lang> [FORMAT=xliff|xliff2|po]   a file for CAT tools (build/translation/)

PYTHON_SYSTEM ?= python3
VENV          := .venv
PY            ?= $(VENV)/bin/python
# Debian packages: fonts (by name: Noto for Latin, Cyrillic, Arabic, Hebrew, Devanagari, Thai, Ethiopic,
# Georgian, Armenian and CJK, colour emoji), HarfBuzz subsetting (WeasyPrint is 1.34x slower without it),
# poppler for proofs and tests, Ghostscript for the print edition (its ink-coverage preflight; the default
# CMYK profile, in libgs-common).
DEB_PACKAGES  := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libharfbuzz-subset0 poppler-utils ghostscript
TEST_PACKAGES := chromium chromium-driver
# npm packages of the tests (axe-core is injected into pages by tests/test_web.py), in .npm/.
NPM_PACKAGES  := axe-core@4.14.1
STAMP         := $(VENV)/.installed
SYSTEM_STAMP  := $(VENV)/.system
# SETUP= (empty) skips the set-up, e.g. when the tests drive make in a copy of the project.
SETUP         ?= $(SYSTEM_STAMP) $(STAMP)

# Every content file gives one output per variant of the registry (pressroom/formats):
# `python build.py outputs` lists them; project.yaml says which `make` builds by default,
# and each has its own target (`make archive`). Their rules are generated from the registry.
SOURCES := $(wildcard content/*/*.md)
QUEUE   := build/.queue
RULES   := build/.mk/outputs.mk
BIB_SPLIT := build/.bib/.split

.PHONY: all build test proof bench lint clean status check preview fuzz export
all: build

# Outdated outputs only queue their source; one process then builds the queue with a
# pool of warm workers (one interpreter for the whole build, not one per document).
define run_queue
@if [ -s $(QUEUE) ]; then $(PY) build.py --queue $(QUEUE); status=$$?; rm -f $(QUEUE); exit $$status; \
else echo "make: all outputs are up to date"; fi
endef

ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include $(RULES)
endif
# Regenerated when the registry, project.yaml or the list of content files changes.
$(RULES): project.yaml pressroom/formats/__init__.py $(if $(subst $(RULES_SOURCES),,$(SOURCES))$(subst $(SOURCES),,$(RULES_SOURCES)),FORCE) | $(SETUP)
	@$(PY) build.py make-rules
.PHONY: FORCE
FORCE:

build: $(DEFAULT_OUTPUTS)
	$(run_queue)

# One file per bibliography entry, rewritten only when the entry changes (see pressroom/pipeline/deps.py).
$(BIB_SPLIT): references.bib | $(SETUP)
	@$(PY) build.py split-bib
build/.bib/%.entry: $(BIB_SPLIT) ;

# What each PDF was built from, recorded by the build itself.
-include $(wildcard build/.deps/*/*/*.d)
$(shell rm -f $(QUEUE))

# Installs the Debian packages named in $(1) that are missing (as root), or says how to.
define ensure_packages
	@missing=""; for p in $(1); do \
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
endef

$(SYSTEM_STAMP): Makefile
	$(call ensure_packages,$(DEB_PACKAGES))
	@mkdir -p $(VENV) && touch $@

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(VENV)/bin/python || $(PYTHON_SYSTEM) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV) (log: $(VENV)/pip.log)"
	@$(VENV)/bin/python -m pip install --disable-pip-version-check -r requirements-dev.txt > $(VENV)/pip.log 2>&1 \
	  || { tail -20 $(VENV)/pip.log; exit 1; }
	@touch $@

test: $(SETUP) test-system lint
	$(PY) -m pytest -q

# The preview and web tests drive a real browser: Debian's Chromium and its driver, and axe-core.
.PHONY: test-system
test-system: .npm/.installed
.npm/.installed: Makefile
	$(call ensure_packages,$(TEST_PACKAGES))
	@# npm comes with Node.js where Node.js is installed; Debian's npm package otherwise.
	@command -v npm >/dev/null || $(MAKE) --no-print-directory debian-npm
	npm install --silent --no-audit --no-fund --prefix .npm $(NPM_PACKAGES)
	@touch $@

.PHONY: debian-npm
debian-npm:
	$(call ensure_packages,npm)

# A longer run of the property-based tests than make test does.
fuzz: $(SETUP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-400} $(PY) -m pytest -q tests/test_fuzz.py

lint: $(SETUP)
	$(PY) -m ruff check pressroom tests bench build.py

proof: build
	$(PY) build.py proof

bench: $(SETUP)
	$(PY) bench/run.py

status: $(SETUP)
	$(PY) build.py status

check: $(SETUP)
	$(PY) build.py check

preview: $(SETUP)
	$(PY) build.py preview $(SLUG) $(PREVIEW_LANG)

# LANG names the translation here; the command itself runs in a real locale.
export: $(SETUP)
	LANG=C.UTF-8 $(PY) build.py export $(SLUG) $(LANG) --format $(or $(FORMAT),xliff)

clean:
	rm -rf build
