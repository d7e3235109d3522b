"""Outputs as data: the registry, paths, project.yaml, generated make rules; one typography rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import quiet, write

from pressroom import BuildError, build
from pressroom.convert.typography import typeset_html
from pressroom.formats import VARIANTS, Output
from pressroom.pipeline.build import layouts
from pressroom.pipeline.makerules import make_rules
from pressroom.project.config import load_project
from pressroom.source.load import load_publication

BRIEF = """
---
type: policy-brief
title: "« Bonjour » : un titre"
date: 2025-06
---

# Introduction

« Bonjour » : le corps du texte ! Et `« code » : intact`.
"""


def test_every_variant_has_its_own_path_and_dependency_file(project):
    pub = load_publication(load_project(project), write(project, "content/brief/fr.md", BRIEF))
    paths = {Output(pub, v).path(Path("build")) for v in VARIANTS.values()}
    deps = {Output(pub, v).deps_path(Path("build")) for v in VARIANTS.values()}
    assert len(paths) == len(deps) == len(VARIANTS)
    assert Output(pub, VARIANTS["screen"]).path(Path("build")) == Path("build/fr/brief.pdf")
    assert Output(pub, VARIANTS["archive"]).path(Path("build")) == Path("build/archive/fr/brief.pdf")


def test_variants_with_the_same_stylesheets_share_one_layout(project):
    pub = load_publication(load_project(project), write(project, "content/brief/fr.md", BRIEF))
    shared = layouts(pub, [VARIANTS["screen"], VARIANTS["archive"]])
    assert len(shared) == 1 and len(shared[0].outputs) == 2


def test_make_rules_name_every_output_of_every_variant(project):
    write(project, "content/brief/fr.md", BRIEF)
    rules = make_rules(load_project(project))
    assert "build/fr/brief.pdf: content/brief/fr.md" in rules
    assert "build/archive/fr/brief.pdf: content/brief/fr.md" in rules
    assert "echo archive content/brief/fr.md >> $(QUEUE)" in rules
    assert "DEFAULT_OUTPUTS := $(OUTPUTS_screen)" in rules


def test_an_unknown_output_in_project_yaml_is_named_with_its_line(project):
    (project / "project.yaml").write_text("languages: [en, fr]\noutputs: [screen, archiv]\n")
    with pytest.raises(BuildError) as caught:
        load_project(project)
    message = str(caught.value)
    assert message.startswith("project.yaml:2:") and "archiv" in message and "did you mean 'archive'" in message


def test_a_funder_logo_needs_alternative_text(project):
    brand = project / "brand.yaml"
    brand.write_text(brand.read_text().replace("    alt: Bridging the Gaps\n", ""))
    with pytest.raises(BuildError) as caught:
        load_project(project)
    assert "alt" in str(caught.value) and str(caught.value).startswith("brand.yaml:")


def test_french_spacing_is_one_rule_for_titles_and_body():
    html = '<title>« Bonjour » : x</title><p>« Bonjour » : y</p><code>« a » : b</code><a title="a : b">'
    out = typeset_html(html, "fr")
    assert out.count("«\u202fBonjour\u202f»\u202f:") == 2
    assert "<code>« a » : b</code>" in out and 'title="a : b"' in out
    assert typeset_html(html, "en") == html  # control: other languages untouched


def test_french_spacing_in_the_built_pdf(project):
    import pdfplumber

    write(project, "content/brief/fr.md", BRIEF)
    report = build(project, say=quiet, outputs=["screen"])
    assert report.ok, report.failed
    with pdfplumber.open(report.built[0]) as pdf:
        text = "".join(char["text"] for page in pdf.pages for char in page.chars)  # spaces as drawn
    assert "«\u202fBonjour\u202f»\u202f:" in text and "«\u202fBonjour\u202f»\u202f: le corps du texte\u202f!" in text
    assert "« Bonjour »" not in text
