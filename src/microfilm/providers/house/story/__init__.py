"""The house writer's story material: per-genre beat sheets, casts, places and lines.

Each genre is one YAML file beside this module (`<genre-id>.yaml`), names are in
`names.yaml`. They are data so that a screenwriter can improve the stories without touching
code; `load()` checks them against the form's beats and their own roles and slots, so a
mistake in a file is reported with the file and the place in it, not as a broken film.

A genre file holds, for English and Chinese side by side:
- `roles`: the cast. `core` roles are in every film; the others join by seed (2-4 in all).
  Each has a gender ('female', 'male' or 'any'), a generation (child, young, mid, old),
  optional `hints` (words in the brief's title or logline that fix the gender and the term
  of address: `grandmother: [female, Grandma, grandmother]`),
  an age range, `kin` (shares the first role's surname in Chinese), short role words, pools
  of concrete looks and wardrobes, and optional terms of address by gender (`title`).
- `places`: slots (home, street...) each with alternatives the seed chooses from; an
  alternative with `kit: N` is only used with kit N (the landscape a kit talks about).
- `times`, `themes`, `kits` (the conflict: slot values the lines use, e.g. {prop}; a kit
  with a `time` key sets the film's time, so a festival and its season agree). A kit whose
  words appear in the brief's title or logline is preferred.
- `keep`: the beats in order of importance, for films too short to show them all.
- `beats`: for every beat of `microfilm.form` preset, scene variants: a place slot, times of
  day, optional `vary` values that change each time the variant is reused, and the steps.

A step is an action paragraph ("{hero} opens the door."), a line ("hero: (softly) Hi."),
or an exchange (a YAML list of those, kept or cut together). A leading '* ' marks a core
step (kept even in a 20-second film), '+ ' an extra one (only in long films).
Slots: {role} the name (Chinese: full name), {role.given} the name to call them by,
{role.he/him/his/He/His/ta} pronouns, {role.title}/{role.Title} the term of address,
{role.noun} the relation ('mother'),
{here} the scene's place, and any key of the chosen kit or of the variant's `vary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from microfilm import form

LANGS = ("en", "zh")
SLOT = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
LINE = re.compile(
    r"^(?P<role>[a-z][a-z0-9_]*)\s*(?:[(（](?P<ext>[^)）]*)[)）])?\s*:\s*"
    r"(?:[(（](?P<paren>[^)）]*)[)）]\s*)?(?P<text>.+)$", re.S)
ROLE_ATTRS = {"", "given", "he", "him", "his", "He", "His", "Him", "ta", "title", "Title", "noun"}


class StoryDataError(ValueError):
    """A story file is malformed; the message names the file and where."""


@dataclass(frozen=True)
class LineT:
    """A line of dialogue before its slots are filled."""

    role: str
    text: str
    parenthetical: str = ""
    extension: str = ""


Item = str | LineT  # an action paragraph template, or a line


@dataclass(frozen=True)
class Step:
    level: int  # 1 core, 2 normal, 3 extra
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Variant:
    place: str
    tod: dict[str, tuple[str, ...]]
    vary: dict[str, dict[str, tuple[str, ...]]]  # key -> lang -> values
    steps: dict[str, tuple[Step, ...]]


@dataclass(frozen=True)
class Hint:
    """A word in the brief that decides a role: 'grandmother' -> female, 'Grandma'."""

    gender: str
    title: str = ""
    noun: str = ""


@dataclass(frozen=True)
class RoleSpec:
    id: str
    core: bool
    gender: str  # female | male | any
    generation: str  # young | mid | old
    age: tuple[int, int]
    kin: bool
    role: dict[str, str]
    title: dict[str, dict[str, str]]  # lang -> gender -> term of address ("Mom", "妈")
    noun: dict[str, dict[str, str]]  # lang -> gender -> what others call the relation ("mother")
    look: dict[str, dict[str, tuple[str, ...]]]  # lang -> gender -> choices
    wardrobe: dict[str, dict[str, tuple[str, ...]]]
    hints: dict[str, dict[str, Hint]] = field(default_factory=dict)  # lang -> word -> hint


@dataclass(frozen=True)
class PlaceText:
    name: str
    description: str
    motifs: tuple[str, ...]


@dataclass(frozen=True)
class PlaceSpec:
    slot: str
    interior: bool
    text: dict[str, PlaceText]
    kit: int | None = None  # only with this kit (a salt lake needs the salt-lake story)


@dataclass(frozen=True)
class GenreStory:
    genre: form.Genre
    names: str  # "modern" or "ancient"
    look: dict[str, str]
    mood: dict[str, str]
    roles: tuple[RoleSpec, ...]
    places: dict[str, tuple[PlaceSpec, ...]]
    times: dict[str, tuple[str, ...]]
    themes: dict[str, tuple[str, ...]]
    kits: tuple[dict[str, dict[str, str]], ...]  # kit -> lang -> slot -> value
    keep: tuple[str, ...]
    beats: dict[str, tuple[Variant, ...]]


@dataclass(frozen=True)
class Names:
    """Name pools: modern (en first names; zh surnames + given names) and ancient."""

    en: dict[str, dict[str, tuple[str, ...]]]  # gender -> generation -> first names
    zh_surnames: tuple[str, ...]
    zh: dict[str, dict[str, tuple[str, ...]]]  # gender -> generation -> given names
    ancient: dict[str, dict[str, tuple[str, ...]]]  # lang -> gender -> full names


def _read(name: str) -> dict:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _per_lang(raw: object, where: str) -> dict:
    if not isinstance(raw, dict) or any(lang not in raw for lang in LANGS):
        raise StoryDataError(f"{where}: needs both 'en' and 'zh'")
    return raw


def _tuple(raw: object, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not raw:
        raise StoryDataError(f"{where}: needs a non-empty list")
    return tuple(str(x) for x in raw)


def _by_gender(raw: object, where: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per language, a list for anyone or a mapping female/male -> list."""
    out = {}
    for lang, v in _per_lang(raw, where).items():
        if isinstance(v, dict):
            out[lang] = {g: _tuple(v[g], f"{where}.{lang}.{g}") for g in ("female", "male")}
        else:
            pool = _tuple(v, f"{where}.{lang}")
            out[lang] = {"female": pool, "male": pool}
    return out


def _item(raw: str, where: str) -> Item:
    m = LINE.match(raw)
    if m is None:
        return raw
    return LineT(m.group("role"), m.group("text").strip(), (m.group("paren") or "").strip(),
                 (m.group("ext") or "").strip())


def _step(raw: object, where: str) -> Step:
    parts = raw if isinstance(raw, list) else [raw]
    if not parts or not all(isinstance(p, str) for p in parts):
        raise StoryDataError(f"{where}: a step is a string or a list of strings")
    level = 2
    first = parts[0]
    if first.startswith("* "):
        level, first = 1, first[2:]
    elif first.startswith("+ "):
        level, first = 3, first[2:]
    items = [first] + parts[1:]
    return Step(level, tuple(_item(p.strip(), where) for p in items))


def _genre(genre: form.Genre) -> GenreStory:
    fname = f"{genre.value}.yaml"
    raw = _read(fname)
    roles = tuple(
        RoleSpec(
            id=r["id"], core=bool(r.get("core", False)), gender=r.get("gender", "any"),
            generation=r.get("gen", "young"), age=tuple(r.get("age", [20, 30])),
            kin=bool(r.get("kin", False)), role=_per_lang(r["role"], f"{fname}: role {r['id']}"),
            title={lang: dict(v) for lang, v in (r.get("title") or {}).items()},
            noun={lang: dict(v) for lang, v in (r.get("noun") or {}).items()},
            hints={lang: {word: Hint(*h) for word, h in (words or {}).items()}
                   for lang, words in (r.get("hints") or {}).items()},
            look=_by_gender(r["look"], f"{fname}: roles.{r['id']}.look"),
            wardrobe=_by_gender(r["wardrobe"], f"{fname}: roles.{r['id']}.wardrobe"),
        ) for r in raw["roles"])
    places = {
        slot: tuple(PlaceSpec(slot, bool(p.get("interior", True)), {
            lang: PlaceText(p[lang]["name"], p[lang].get("description", ""),
                            tuple(p[lang].get("motifs", ()))) for lang in LANGS}, p.get("kit"))
            for p in options)
        for slot, options in raw["places"].items()}
    beats: dict[str, tuple[Variant, ...]] = {}
    for beat, variants in raw["beats"].items():
        out = []
        for k, v in enumerate(variants):
            where = f"{fname}: beats.{beat}[{k}]"
            out.append(Variant(
                place=v["place"],
                tod={lang: _tuple(x, f"{where}.tod")
                     for lang, x in _per_lang(v["tod"], where).items()},
                vary={key: {lang: _tuple(x, f"{where}.vary.{key}") for lang, x in
                            _per_lang(vals, f"{where}.vary.{key}").items()}
                      for key, vals in (v.get("vary") or {}).items()},
                steps={lang: tuple(_step(s, f"{where}.{lang}[{i}]") for i, s in enumerate(v[lang]))
                       for lang in LANGS},
            ))
        beats[beat] = tuple(out)
    story = GenreStory(
        genre=genre, names=raw.get("names", "modern"),
        look=_per_lang(raw["look"], f"{fname}: look"),
        mood=_per_lang(raw["mood"], f"{fname}: mood"),
        roles=roles, places=places,
        times={lang: _tuple(v, f"{fname}: times")
               for lang, v in _per_lang(raw["times"], f"{fname}: times").items()},
        themes={lang: _tuple(v, f"{fname}: themes") for lang, v in
                _per_lang(raw["themes"], f"{fname}: themes").items()},
        kits=tuple(_per_lang(k, f"{fname}: kits[{i}]") for i, k in enumerate(raw["kits"])),
        keep=tuple(raw["keep"]), beats=beats,
    )
    _validate(story, fname)
    return story


def _validate(story: GenreStory, fname: str) -> None:
    """Every beat of the preset has variants; every slot and role a template uses exists."""
    preset = form.PRESETS[story.genre]
    if set(story.beats) != set(preset.beats) or set(story.keep) != set(preset.beats):
        raise StoryDataError(f"{fname}: beats and keep must be exactly {', '.join(preset.beats)}")
    roles = {r.id for r in story.roles}
    if sum(r.core for r in story.roles) < 2 or len(story.roles) > 4:
        raise StoryDataError(f"{fname}: needs at least 2 core roles and at most 4 roles")
    for r in story.roles:
        if r.generation not in ("child", "young", "mid", "old"):
            raise StoryDataError(f"{fname}: roles.{r.id}.gen must be child, young, mid or old")
    for slot, options in story.places.items():
        for k in range(len(story.kits)):
            if not any(o.kit in (None, k) for o in options):
                raise StoryDataError(f"{fname}: places.{slot} has no place for kit {k}")
    kit_keys = [{lang: set(k[lang]) for lang in LANGS} for k in story.kits]
    for lang in LANGS:
        common = set.intersection(*(k[lang] for k in kit_keys))
        for beat, variants in story.beats.items():
            for vi, v in enumerate(variants):
                where = f"{fname}: beats.{beat}[{vi}].{lang}"
                if v.place not in story.places:
                    raise StoryDataError(f"{where}: unknown place slot {v.place!r}")
                known = common | set(v.vary) | {"here"}
                first = v.steps[lang][0] if v.steps[lang] else None
                if first is None or len(first.items) != 1 or not isinstance(first.items[0], str):
                    raise StoryDataError(f"{where}: the first step must be one action paragraph "
                                         "(it opens the scene)")
                for step in v.steps[lang]:
                    for item in step.items:
                        text = (item if isinstance(item, str)
                                else f"{item.parenthetical} {item.text}")
                        if isinstance(item, LineT) and item.role not in roles:
                            raise StoryDataError(f"{where}: unknown role {item.role!r} in {text!r}")
                        for m in SLOT.finditer(text):
                            key, attr = m.group(1), m.group(2) or ""
                            if key in roles and attr in ROLE_ATTRS:
                                continue
                            if key in known and not attr:
                                continue
                            raise StoryDataError(f"{where}: unknown slot {m.group(0)} in {text!r}")


@cache
def load(genre: form.Genre | str) -> GenreStory:
    """The story material of a genre (read once, checked)."""
    return _genre(form.parse_genre(genre))


@cache
def names() -> Names:
    raw = _read("names.yaml")
    def pools(d: dict) -> dict[str, dict[str, tuple[str, ...]]]:
        return {g: {gen: tuple(v) for gen, v in by.items()} for g, by in d.items()}

    return Names(en=pools(raw["en"]), zh_surnames=tuple(raw["zh"]["surnames"]),
                 zh=pools({g: raw["zh"][g] for g in ("female", "male")}),
                 ancient={lang: {g: tuple(v) for g, v in raw["ancient"][lang].items()}
                          for lang in LANGS})
