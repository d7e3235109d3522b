# make          set up what is missing, then build the PDFs whose sources changed
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
# Debian packages: fonts (by name: Noto for Latin, Cyrillic and CJK), HarfBuzz subsetting
# (WeasyPrint is 1.34x slower without it), poppler for proofs and tests, Chromium for the preview test.
DEB_PACKAGES  := fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 poppler-utils
TEST_PACKAGES := chromium chromium-driver
STAMP         := $(VENV)/.installed
SYSTEM_STAMP  := $(VENV)/.system
# SETUP= (empty) skips the set-up, e.g. when the tests drive make in a copy of the project.
SETUP         ?= $(SYSTEM_STAMP) $(STAMP)

# Every content file gives one PDF: content/<slug>/<lang>.md -> build/<lang>/<slug>.pdf
SOURCES := $(wildcard content/*/*.md)
pdf_of   = build/$(basename $(notdir $1))/$(notdir $(patsubst %/,%,$(dir $1))).pdf
PDFS    := $(foreach source,$(SOURCES),$(call pdf_of,$(source)))
QUEUE   := build/.queue
BIB_SPLIT := build/.bib/.split

.PHONY: all build test proof bench lint clean status check preview fuzz export
all: build

# Outdated PDFs only queue their source; one process then builds the queue with a
# pool of warm workers (one interpreter for the whole build, not one per document).
build: $(PDFS)
	@if [ -s $(QUEUE) ]; then $(PY) build.py --queue $(QUEUE); status=$$?; rm -f $(QUEUE); exit $$status; \
	else echo "make: all PDFs are up to date"; fi

define pdf_rule
$(call pdf_of,$1): $1 | $(SETUP)
	@mkdir -p build && echo $1 >> $(QUEUE)
endef
$(foreach source,$(SOURCES),$(eval $(call pdf_rule,$(source))))

# One file per bibliography entry, rewritten only when the entry changes (see pressroom/pipeline/deps.py).
$(BIB_SPLIT): references.bib | $(SETUP)
	@$(PY) build.py split-bib
build/.bib/%.entry: $(BIB_SPLIT) ;

# What each PDF was built from, recorded by the build itself.
-include $(wildcard build/.deps/*/*.d)
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

# The preview test drives a real browser: Debian's Chromium and its driver.
.PHONY: test-system
test-system:
	$(call ensure_packages,$(TEST_PACKAGES))

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
