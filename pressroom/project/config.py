"""The project: brand.yaml and locale files, checked against their schemas up front."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.errors import BuildError, Problem, fail
from pressroom.project.schema import Field, check, matches, one_of
from pressroom.project.yamlfile import YamlDoc, load_yaml_file

COLOUR = matches(r"#[0-9a-fA-F]{6}", "#RRGGBB")
LANG_TAG = matches(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", "a BCP 47 tag such as 'en' or 'pt-BR'")

FUNDER_FIELDS = {
    "id": Field("text", required=True, check=matches(r"[a-z0-9][a-z0-9-]*", "lower-case-with-dashes")),
    "name": Field("text", required=True),
    "logo": Field("text", required=True, hint="path to an SVG or PNG inside the project"),
    "alt": Field("text", required=True, hint="the logo's words, for screen readers, e.g. 'Robert Carr Fund'"),
    "url": Field("text"),
}

BRAND_FIELDS = {
    "name": Field("text", required=True, hint="the organisation's full name"),
    "short_name": Field("text", required=True),
    "wordmark": Field("text", required=True, hint="path to the wordmark SVG inside the project"),
    "address": Field("texts", required=True, hint="a list of address lines"),
    "phone": Field("text"),
    "email": Field("text"),
    "website": Field("text"),
    "colours": Field("mapping", required=True, check=COLOUR, open=True,
                     hint="colours as '#RRGGBB', e.g. primary: '#b0173a'"),
    "funders": Field("mappings", fields=FUNDER_FIELDS),
}


def _cmyk(value: Any) -> str | None:
    ok = isinstance(value, list) and len(value) == 4 and all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)
    return None if ok else f"'{value}' is not in the form [C, M, Y, K] (percentages 0-100)"


PRINT_FIELDS = {
    "colours": Field("mapping", required=True, check=_cmyk, open=True,
                     hint="each brand colour in CMYK percentages, e.g. primary: [0, 92, 62, 28]"),
    "profile": Field("text", hint="the printer's CMYK ICC profile, a path inside the project"),
    "marks": Field("flag", hint="true draws crop marks outside the bleed (off by default)"),
}
BRAND_FIELDS["print"] = Field("mapping", required=True, fields=PRINT_FIELDS,
                              hint="the print edition: CMYK colours, printer's profile, crop marks")

REQUIRED_COLOURS = ("primary", "ink", "tint")


def _known_output(name: str) -> str | None:
    from pressroom.formats import VARIANTS

    return one_of(list(VARIANTS))(name)


PROJECT_FIELDS = {
    "languages": Field("texts", required=True, check=LANG_TAG,
                       hint="the first language is the source of translations"),
    "outputs": Field("texts", required=True, check=_known_output,
                     hint="what `make` builds by default, e.g. [screen]; each also has its own make target"),
}


@dataclass(frozen=True)
class Locale:
    """The words a template prints in one language; a missing word is an error."""

    lang: str
    path: str
    words: dict[str, str]

    def __getattr__(self, key: str) -> str:
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self.words[key]
        except KeyError:
            raise fail(self.path, None, f"missing key '{key}'",
                       f"add '{key}: ...' to {self.path} (see locales/en.yaml)") from None

    __getitem__ = __getattr__

    def has(self, key: str) -> bool:
        return key in self.words


@dataclass
class Project:
    root: Path
    brand: dict[str, Any]
    languages: list[str]  # the first is the source of translations
    outputs: list[str]  # the variants `make` builds by default
    _locales: dict[str, Locale] = field(default_factory=dict)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def bibliography(self) -> Path:
        return self.root / "references.bib"

    @property
    def source_lang(self) -> str:
        return self.languages[0]

    def rel(self, path: Path) -> str:
        """A path as the user knows it: relative to the project root."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def locale(self, lang: str) -> Locale:
        if lang not in self._locales:
            self._locales[lang] = _load_locale(self, lang)
        return self._locales[lang]

    def funders(self, ids: list[str] | None) -> list[dict[str, Any]]:
        known = {f["id"]: f for f in self.brand.get("funders") or []}
        return [known[i] for i in ids] if ids is not None else list(known.values())


def load_project(root: Path) -> Project:
    """``project.yaml`` (languages, default outputs) and ``brand.yaml``, every problem reported at once."""
    root = root.resolve()
    settings, brand = (_load_checked(root, name, fields) for name, fields in
                       (("project.yaml", PROJECT_FIELDS), ("brand.yaml", BRAND_FIELDS)))
    problems = settings.problems + brand.problems
    if not brand.problems:
        problems += _check_brand_files(root, brand.doc)
    if problems:
        raise BuildError(problems)
    return Project(root, _with_defaults(brand.doc.data), settings.doc.data["languages"], settings.doc.data["outputs"])


@dataclass
class _Checked:
    doc: YamlDoc
    problems: list[Problem]


def _load_checked(root: Path, name: str, fields: dict[str, Field]) -> _Checked:
    path = root / name
    if not path.exists():
        raise fail(name, None, f"no {name} in {root}", "run the command from the project folder, or pass --root")
    doc = load_yaml_file(path, name)
    return _Checked(doc, check(doc, fields))


def _with_defaults(brand: dict[str, Any]) -> dict[str, Any]:
    """Optional keys present as None, so templates can test them under StrictUndefined."""
    brand = {key: brand.get(key) for key in BRAND_FIELDS}
    brand["funders"] = [{key: f.get(key) for key in FUNDER_FIELDS} for f in brand["funders"] or []]
    brand["print"] = {key: brand["print"].get(key) for key in PRINT_FIELDS}
    return brand


def _check_brand_files(root: Path, doc: YamlDoc) -> list[Problem]:
    brand = doc.data
    problems = [Problem(doc.path, doc.line("colours"), f"missing colour 'colours.{name}'",
                        f"add '{name}: \"#RRGGBB\"' under colours")
                for name in REQUIRED_COLOURS if name not in brand["colours"]]
    problems += _check_cmyk_colours(root, doc)
    files = [("wordmark", brand["wordmark"])]
    if brand["print"].get("profile"):
        files.append(("print.profile", brand["print"]["profile"]))
    files += [(f"funders[{i}].logo", f["logo"]) for i, f in enumerate(brand.get("funders") or [])]
    for key, rel in files:
        target = (root / rel).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            problems.append(Problem(doc.path, doc.line(key), f"'{key}': file '{rel}' not found in the project",
                                    "give a path relative to the project folder"))
    return problems


def _check_cmyk_colours(root: Path, doc: YamlDoc) -> list[Problem]:
    """Every brand colour needs its CMYK value; the hint gives one computed through the print profile.
    A profile that is not CMYK is an error (a missing one is reported with the other files)."""
    brand = doc.data
    profile = output_profile(root, brand["print"])
    usable = profile.is_file() and _colour_space(profile) == b"CMYK"
    problems = []
    if profile.is_file() and not usable:
        problems.append(Problem(doc.path, doc.line("print.profile"), f"'print.profile': '{profile.name}' is not a "
                                "CMYK ICC profile", "name the printer's CMYK profile (.icc), as the printer gives it"))
    given = brand["print"].get("colours") or {}
    for name in (name for name in brand["colours"] if name not in given):
        hex_value = brand["colours"][name]
        problems.append(Problem(doc.path, doc.line("print.colours"),
                                f"brand colour '{name}' has no CMYK value ('print.colours.{name}')",
                                _cmyk_hint(name, hex_value, profile if usable else None)))
    return problems


def _cmyk_hint(name: str, hex_value: str, profile: Path | None) -> str:
    if profile is None:
        return f"add '{name}: [C, M, Y, K]' under print: colours: (percentages for {hex_value})"
    from pressroom.formats.colour import suggest_cmyk

    return (f"add '{name}: {suggest_cmyk(hex_value, profile)}' under print: colours: (computed from "
            f"{hex_value} through {profile.name}; check it with the printer)")


def _colour_space(profile: Path) -> bytes:
    """The colour space an ICC profile converts to (bytes 16-20 of its header): b'CMYK', b'RGB '..."""
    with profile.open("rb") as file:
        return file.read(20)[16:20]


def output_profile(root: Path, settings: dict[str, Any]) -> Path:
    """The printer's ICC profile named in brand.yaml, or the generic CMYK profile Ghostscript ships."""
    return root / settings["profile"] if settings.get("profile") else DEFAULT_PROFILE


# Debian's libgs-common (AGPL-3+, with Ghostscript): "Artifex CMYK SWOP Profile".
DEFAULT_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def _load_locale(project: Project, lang: str) -> Locale:
    rel = f"locales/{lang}.yaml"
    path = project.root / rel
    if not path.exists():
        raise fail(rel, None, f"no locale file for language '{lang}'",
                   f"copy locales/{project.source_lang}.yaml to {rel} and translate its values")
    doc = load_yaml_file(path, rel)
    if not isinstance(doc.data, dict) or not all(isinstance(v, str) for v in doc.data.values()):
        raise fail(rel, None, "a locale file must be a flat mapping of keys to text",
                   "write one 'key: text' per line")
    if lang != project.source_lang:
        reference = project.locale(project.source_lang).words
        missing = [k for k in reference if k not in doc.data]
        if missing:
            raise BuildError([Problem(rel, None, f"missing key '{k}'",
                                      f"add '{k}: ...' (English: \"{reference[k]}\")") for k in missing])
    return Locale(lang, rel, doc.data)
