"""A person's own script becomes a film: read in any of three formats, bible derived.

The script is the person's file: a Fountain file is kept byte for byte (only a missing
Logline, given by flag, is added to its title page); .fdx and plain text are converted to
Fountain with nothing dropped, and the original is kept in refs/script/. Both files are
recorded as hand edits against the develop stage's inputs, so `make` keeps them and never
asks a writer to redo them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from microfilm import form
from microfilm.errors import SpecError
from microfilm.spec import fdx, fountain, plaintext
from microfilm.spec.bible import Bible, Location
from microfilm.spec.screenplay import Action, Dialogue, Screenplay

Format = Literal["fountain", "fdx", "plaintext"]
SUFFIXES: dict[str, Format] = {".fountain": "fountain", ".spmd": "fountain", ".fdx": "fdx",
                               ".txt": "plaintext", ".md": "plaintext", ".markdown": "plaintext",
                               ".text": "plaintext"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_FOUNTAIN_MARKS = re.compile(r"^\s*(?:@\S|\.[A-Z\u4e00-\u9fff]|.*\^\s*$|.*\[\[|/\*)|^Title\s*:", re.M)
_INLINE_SPEECH = re.compile(r"^\s*[\u3400-\u9fff·]{1,6}\s*(?:[（(][^）)]*[）)])?\s*[：:]\s*\S", re.M)


@dataclass(frozen=True)
class ImportedScript:
    format: Format
    screenplay: Screenplay
    fountain_text: str  # what screenplay.fountain will hold


def detect_format(name: str, data: bytes) -> Format:
    """By the file's suffix; pasted text (no suffix) by what it looks like."""
    suffix = Path(name).suffix.casefold()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml") or b"<FinalDraft" in head:
        return "fdx"
    text = data.decode("utf-8", "replace")
    if _INLINE_SPEECH.search(text) or not _FOUNTAIN_MARKS.search(text):
        return "plaintext"
    return "fountain"


def read_script(data: bytes, name: str = "script") -> ImportedScript:
    """Read a script; errors name the file and the line."""
    kind = detect_format(name, data)
    if kind == "fdx":
        sp = fdx.parse(data, source=name)
        return ImportedScript(kind, sp, fountain.dump(sp))
    text = plaintext.decode(data, name)
    if kind == "fountain":
        sp = fountain.parse(text, source=name)
        if not sp.scenes:
            raise fountain.FountainError(name, 1, "no scene heading found; start each scene with "
                                         "a line like 'INT. KITCHEN - NIGHT' or '.内景 厨房 - 夜'")
        return ImportedScript(kind, sp, text.removeprefix("\ufeff"))
    sp = plaintext.parse(text, source=name)
    return ImportedScript(kind, sp, fountain.dump(sp))


def language_of(sp: Screenplay) -> Literal["en", "zh"]:
    words = " ".join(e.text for s in sp.scenes for e in s.elements
                     if isinstance(e, (Action, Dialogue)))
    return "zh" if len(_CJK.findall(words)) * 2 >= len(_LATIN.findall(words)) and _CJK.search(words) \
        else "en"


def title_keys_added(text: str, keys: dict[str, str], has_title_page: bool) -> str:
    """Fountain text with 'Key: value' lines put at the top of its title page (a new title
    page when it had none); every other byte as it was."""
    added = "".join(f"{k}: {' '.join(v.split())}\n" for k, v in keys.items() if v)
    return added + ("" if has_title_page else "\n") + text


def with_title_keys(imported: ImportedScript, keys: dict[str, str]) -> ImportedScript:
    """Add title-page keys the script lacks (a Logline given by flag): a Fountain file
    gets the lines inserted at the top of its title page, the rest byte for byte."""
    missing = {k: v for k, v in keys.items() if v and not imported.screenplay.title_page.get(k)}
    if not missing:
        return imported
    page = {**imported.screenplay.title_page, **missing}
    sp = imported.screenplay.model_copy(update={"title_page": page})
    if imported.format != "fountain":
        return ImportedScript(imported.format, sp, fountain.dump(sp))
    text = title_keys_added(imported.fountain_text, missing, bool(imported.screenplay.title_page))
    if fountain.parse(text).scenes != sp.scenes:
        raise SpecError("could not add the title page without changing the script; add "
                        f"{', '.join(missing)} to its title page by hand")
    return ImportedScript(imported.format, fountain.parse(text), text)


def _title_value(sp: Screenplay, *keys: str) -> str:
    tp = {k.casefold(): v.strip() for k, v in sp.title_page.items()}
    return next((tp[k.casefold()] for k in keys if tp.get(k.casefold())), "")


_NOT_A_TIME = {"CONTINUOUS", "LATER", "MOMENTS LATER", "SAME", "CONT'D", "SAME TIME", "连续",
               "稍后", "同时"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b|(\d{4})年")
_SEASONS = {"en": ("spring", "summer", "autumn", "fall", "winter", "new year", "christmas"),
            "zh": ("春", "夏", "秋", "冬", "除夕", "春节", "中秋", "年夜")}


def time_of(sp: Screenplay, language: str) -> str:
    """The film's time: the title page's, else what the action and headings say."""
    if stated := _title_value(sp, "Time", "时间"):
        return stated
    action = " ".join(e.text for s in sp.scenes for e in s.elements if isinstance(e, Action))
    parts = []
    if m := _YEAR.search(action):
        parts.append(m.group(0))
    seasons = [w for w in _SEASONS[language] if w in action.casefold()]
    parts += seasons[:1]
    times = list(dict.fromkeys(s.time_of_day for s in sp.scenes if s.time_of_day
                               and s.time_of_day.upper() not in _NOT_A_TIME))
    if not parts:
        parts.append("当下" if language == "zh" else "the present day")
    if times:
        parts.append(("、" if language == "zh" else ", ").join(times[:3]))
    return ("，" if language == "zh" else ", ").join(parts)


def derive_bible(sp: Screenplay, genre: str, language: str, seed: int = 0) -> Bible:
    """Who and where the script names, with looks and voices from the house writer: every
    speaker (a voice heard only off screen is a character too) and every scene's place."""
    from microfilm.providers.house import writer

    action = "\n".join(e.text for s in sp.scenes for e in s.elements if isinstance(e, Action))
    speakers: dict[str, str] = {}
    for name in sp.speaking_characters():  # 'Mark' and 'MARK' are one person
        speakers.setdefault(name.casefold(), name)
    characters = writer.cast_script(list(speakers.values()), genre, language, seed, action)
    locations: list[Location] = []
    for scene in sp.scenes:
        place = scene.location
        if not place or any(loc.name.casefold() == place.casefold() for loc in locations):
            continue
        pid = re.sub(r"[^a-z0-9]+", "-", place.casefold()).strip("-")
        if not pid or any(loc.id == pid for loc in locations):
            pid = f"place-{len(locations) + 1}"
        described = next((e.text.split("\n")[0] for e in scene.elements
                          if isinstance(e, Action) and e.text.strip()), "")
        locations.append(Location(id=pid, name=place, description=described[:200],
                                  interior=scene.interior))
    theme = _title_value(sp, "Theme", "主题") or writer.genre_theme(genre, language, seed)
    return Bible(theme=theme, time=time_of(sp, language), characters=characters,
                 locations=locations, style=writer.genre_style(genre, language))


def cast_by_model(bible: Bible, imported: ImportedScript, writer_id: str, language: str) -> Bible:
    """The film's LLM writer reads the script and says how each character looks and sounds;
    the house writer's voice tables turn gender and age into a distinct eSpeak voice."""
    from microfilm.providers.house.writer import PITCH, VARIANTS
    from microfilm.providers.llm import assistant
    from microfilm.spec.bible import VoiceSpec

    backend = assistant.backend_for(writer_id)
    if backend is None or not bible.characters:
        return bible
    casting = assistant.cast(backend, script_text=imported.fountain_text, language=language,
                             names=[c.name for c in bible.characters])
    by_name = {c.name.casefold(): c for c in casting.characters}
    characters = []
    for i, c in enumerate(bible.characters):
        got = by_name.get(c.name.casefold())
        if got is None:
            characters.append(c)
            continue
        gender = got.gender if got.gender != "neutral" else c.voice.gender
        generation = "child" if got.age < 14 else "young" if got.age < 36 else "mid" if got.age < 60 else "old"
        voice = c.voice
        if gender in VARIANTS:
            voice = VoiceSpec(gender=gender, pitch=PITCH[(gender, generation)] + (i % 3) * 4,
                              rate=c.voice.rate, variant=VARIANTS[gender][i % len(VARIANTS[gender])])
        characters.append(c.model_copy(update={"age": got.age, "look": got.look,
                                               "wardrobe": got.wardrobe, "voice": voice}))
    return bible.model_copy(update={"characters": characters})


def brief_fields(sp: Screenplay, *, name: str, title: str | None, genre: str | None,
                 logline: str | None, language: str | None,
                 duration: float | None) -> dict:
    """The brief's fields: flags first, then the title page, then what the script implies."""
    from microfilm.checks import estimate_runtime

    lang = language or language_of(sp)
    genre = genre or _title_value(sp, "Genre", "类型")
    if not genre:
        raise SpecError(f"{name}: the title page names no Genre; pass --genre "
                        f"({form.allowed_genres()})")
    try:
        form.parse_genre(genre)
    except (ValueError, SpecError) as exc:
        raise SpecError(f"{name}: genre {genre!r}: {exc}") from None
    logline = logline or _title_value(sp, "Logline", "梗概")
    if not logline:
        raise SpecError(f"{name}: the title page has no Logline; pass --logline \"the story "
                        "in one sentence\" (it is added to the title page)")
    runtime = estimate_runtime(sp, lang).total
    if duration is None:
        duration = min(form.MAX_DURATION_S, max(form.MIN_DURATION_S, round(runtime)))
    return {"title": (title or _title_value(sp, "Title", "片名") or Path(name).stem)[:80],
            "genre": genre, "logline": logline, "language": lang, "duration": duration}


def start_film(path: str | Path, data: bytes, name: str, *, title: str | None = None,
               genre: str | None = None, logline: str | None = None,
               language: str | None = None, duration: float | None = None,
               aspect: str = "9:16", platform: str = "generic", budget: float = 0.0,
               seed: int = 0, writer: str = "house-writer",
               currency: str = "CNY") -> tuple[Path, ImportedScript]:
    """A new film folder from a script: film.toml, bible.yaml, screenplay.fountain (and the
    original in refs/script/). Nothing is written if the script or the brief is bad."""
    from microfilm import api
    from microfilm.cache import WrittenFiles
    from microfilm.fsutil import atomic_write_bytes, atomic_write_text
    from microfilm.pipeline import context
    from microfilm.project import Project
    from microfilm.stages import develop
    from microfilm.stages.base import Timer, record_run

    project = Project.at(path)
    if project.brief_path.exists():
        raise SpecError(f"{project.brief_path} already exists; edit it or choose another folder")
    imported = read_script(data, name)
    fields = brief_fields(imported.screenplay, name=name, title=title, genre=genre,
                          logline=logline, language=language, duration=duration)
    imported = with_title_keys(imported, {"Logline": fields["logline"]})
    bible = derive_bible(imported.screenplay, fields["genre"], fields["language"], seed)
    if writer != "house-writer":
        bible = cast_by_model(bible, imported, writer, fields["language"])
    api.new(project.root, aspect=aspect, platform=platform, budget=budget, currency=currency,
            seed=seed, **fields)
    if writer != "house-writer":
        from microfilm.spec.brief import Brief

        brief = project.brief()
        raw = brief.model_dump(mode="json", exclude_none=True)
        raw["providers"]["writer"] = writer
        Brief.from_mapping(raw, source=str(project.brief_path)).save(project.brief_path)
    atomic_write_text(project.screenplay, imported.fountain_text)
    bible.save(project.bible)
    if imported.format != "fountain":
        original = project.root / "refs" / "script" / Path(name).name
        original.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(original, data)
    ctx = context(project)
    key = develop.inputs_key(ctx)
    written = WrittenFiles(project.root)
    for f in (project.bible, project.screenplay):
        written.record_inputs(f.name, key)  # the person's files, against these inputs
    record_run(ctx, develop.NAME, key, Timer(), data={"imported": imported.format})
    return project.root, imported
