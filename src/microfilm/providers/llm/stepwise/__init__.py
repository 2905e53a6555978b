"""Writing a film in steps: bible -> outline -> scene action -> dialogue -> Draft.

A 10-minute script does not fit in one reliable reply (and a cut-off reply loses all of
it), so the film is written in small validated pieces: the bible, an outline that plans
every scene and its seconds, then action and dialogue for a few scenes at a time (about
`chunk_seconds` of screen time per call). Each piece is checked against what came before
(scene numbers, location and character ids) and saved to a progress file as soon as it is
accepted; a failure raises `WriterError` carrying everything written so far, and a re-run
with the same brief resumes from the file instead of paying for those steps again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar, TypeVar

from pydantic import BaseModel

from microfilm import form, knowledge
from microfilm.checks import ACTION_PARAGRAPH_S  # one figure times scripts everywhere
from microfilm.errors import ProviderError
from microfilm.fsutil import atomic_write_text
from microfilm.providers.base import DevelopRequest, Draft
from microfilm.providers.llm.schemas import (
    BibleSketch,
    Line,
    Outline,
    OutlineScene,
    SceneAction,
    SceneActions,
    SceneDialogue,
    SceneDialogues,
    Step,
)
from microfilm.providers.llm.structured import ChatBackend, Usage, generate
from microfilm.spec.bible import Bible, Character, Location, StyleGuide, VoiceSpec
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Action, Dialogue, Scene, Screenplay

log = logging.getLogger(__name__)

PROGRESS_VERSION = 1

B = TypeVar("B", bound=BaseModel)


# ---- progress ---------------------------------------------------------------------------


class Progress(BaseModel):
    """Everything accepted so far; saved after every step so nothing is paid for twice."""

    version: int = PROGRESS_VERSION
    key: str = ""  # hash of the brief, seed and writer identity this progress belongs to
    bible: BibleSketch | None = None
    outline: Outline | None = None
    actions: dict[int, SceneAction] = {}
    dialogue: dict[int, SceneDialogue] = {}
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def summary(self) -> str:
        parts = []
        if self.bible:
            parts.append(f"bible ({len(self.bible.characters)} characters, "
                         f"{len(self.bible.locations)} locations)")
        if self.outline:
            parts.append(f"outline ({len(self.outline.scenes)} scenes)")
        if self.actions:
            parts.append(f"action for {len(self.actions)} scene(s)")
        if self.dialogue:
            parts.append(f"dialogue for {len(self.dialogue)} scene(s)")
        return ", ".join(parts) or "nothing"


class WriterError(ProviderError):
    """A step failed for good; `partial` keeps every step that was accepted before it."""

    def __init__(self, message: str, *, step: Step, partial: Progress,
                 progress_path: Path | None, cause: Exception | None = None):
        super().__init__(message)
        self.step = step
        self.partial = partial
        self.progress_path = progress_path
        self.cause = cause


def load_progress(path: Path | None, key: str) -> Progress:
    if path is None or not path.exists():
        return Progress(key=key)
    try:
        progress = Progress.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        log.warning("%s: ignoring unreadable writer progress (%s)", path, exc)
        return Progress(key=key)
    if progress.key != key or progress.version != PROGRESS_VERSION:
        return Progress(key=key)  # another brief or writer: start afresh
    return progress


def progress_path_for(out: Path) -> Path | None:
    """Where a writer keeps its progress: `<request.out>/writer-progress.json`.

    None when the request names no output folder (the default "."), so a bare call never
    litters the working directory.
    """
    return None if Path(out) == Path(".") else Path(out) / "writer-progress.json"


def save_progress(path: Path | None, progress: Progress) -> None:
    if path is not None:
        atomic_write_text(path, progress.model_dump_json(indent=1))


# ---- sizing -----------------------------------------------------------------------------


CAP_HEADROOM_S = 30.0
"""A film aimed at the cap is planned this much under it: a script always runs a little
long, and 10:00 is a hard limit while the brief's target has 15% of slack."""


def planned_duration(brief: Brief) -> float:
    return min(brief.duration, form.MAX_DURATION_S - CAP_HEADROOM_S)


def body_seconds(brief: Brief) -> float:
    """Seconds the scenes must fill: the planned runtime minus title and credits cards."""
    return max(10.0, planned_duration(brief) - form.TITLE_CARD_S - form.CREDITS_CARD_S)


def suggested_scene_count(brief: Brief) -> int:
    body = body_seconds(brief)
    beats = len(brief.preset.beats)
    return max(min(beats, max(1, int(body // 12))), min(30, round(body / 25)))


def dialogue_share(brief: Brief) -> float:
    return 0.2 if brief.genre is form.Genre.AESTHETIC_SCENERY else 0.5


def scene_sizing(seconds: float, share: float) -> tuple[int, float]:
    """(action paragraphs, seconds of dialogue) for a scene of `seconds`."""
    paragraphs = max(1, min(12, round(seconds * (1 - share) / ACTION_PARAGRAPH_S)))
    return paragraphs, max(0.0, seconds - paragraphs * ACTION_PARAGRAPH_S)


def speech_budget(seconds: float, language: str) -> str:
    units = round(seconds * form.SPEECH_RATE[language])
    return f"about {units} Chinese characters" if language == "zh" else f"about {units} words"


def chunk_scenes(scenes: list[OutlineScene], chunk_seconds: float) -> list[list[OutlineScene]]:
    """Group consecutive scenes so one reply covers about `chunk_seconds` of screen time."""
    chunks: list[list[OutlineScene]] = []
    current: list[OutlineScene] = []
    total = 0.0
    for scene in scenes:
        if current and total + scene.seconds > chunk_seconds:
            chunks.append(current)
            current, total = [], 0.0
        current.append(scene)
        total += scene.seconds
    if current:
        chunks.append(current)
    return chunks


@dataclass(frozen=True)
class CallPlan:
    """How many calls and tokens a film should take: for pricing before the first call."""

    calls: int
    input_tokens: int
    output_tokens: int


def plan_calls(brief: Brief, chunk_seconds: float = 150.0) -> CallPlan:
    body = body_seconds(brief)
    n = suggested_scene_count(brief)
    per_chunk = max(1, int(chunk_seconds // (body / n)))
    chunks = -(-n // per_chunk)
    calls = 2 + 2 * chunks  # when every reply is usable; each re-ask adds one
    # zh text costs about one token per character; en about 1.3 tokens per word
    out_per_s = 9 if brief.language == "zh" else 6
    output = 900 + 700 + int(body * out_per_s * 1.6)
    input_ = calls * 1800 + int(body * out_per_s * 2)
    return CallPlan(calls, input_, output)


# ---- prompts ----------------------------------------------------------------------------


def _language_rule(brief: Brief) -> str:
    if brief.language == "zh":
        return ("Write every name, place, action line and line of dialogue in Simplified "
                "Chinese (简体中文). Ids stay latin (pinyin). Use ASCII JSON punctuation.")
    return "Write everything in English."


def system_prompt(brief: Brief) -> str:
    p = brief.preset
    return "\n".join([
        "You are a screenwriter of micro films (微电影): short, complete films for phones, "
        "with time, place, characters, theme and plot. Vertical 9:16, the cap is 10:00.",
        f"Genre: {p.name_en} ({p.name_zh}). Beat structure: {', '.join(p.beats)}. "
        f"Pacing: about {p.mean_shot_s:g} s per shot; mood: {p.music_mood}.",
        _language_rule(brief),
        "You answer with one JSON object that matches the given schema exactly: no code "
        "fences, no commentary, straight double quotes, no trailing commas.",
    ])


def _brief_block(brief: Brief) -> str:
    lines = [
        f"Title: {brief.title}",
        f"Logline: {brief.logline}",
        f"Target runtime: {planned_duration(brief):g} s including a {form.TITLE_CARD_S:g} s title card "
        f"and {form.CREDITS_CARD_S:g} s of credits; the scenes fill {body_seconds(brief):g} s.",
    ]
    if brief.audience:
        lines.append(f"Audience: {brief.audience}")
    if brief.brand:
        lines.append(f"Brand to feature (naturally, never as an advert): {brief.brand}")
    if brief.platform != "generic":
        lines.append(f"Platform: {brief.platform}")
    return "\n".join(lines)


def _schema_hint(model: type[BaseModel]) -> str:
    from microfilm.providers.llm.structured import wire_schema

    return "JSON schema of the reply:\n" + json.dumps(wire_schema(model), ensure_ascii=False)


def _conventions(brief: Brief) -> str:
    notes = knowledge.genre_notes(brief.genre, "en")
    return "Genre conventions:\n" + "\n".join(f"- {c}" for c in notes.conventions)


def _beat_sheet(brief: Brief) -> str:
    notes = knowledge.genre_notes(brief.genre, "en")
    body = body_seconds(brief)
    return "Beat sheet:\n" + "\n".join(
        f"- {b.name} (about {b.share * body:.0f} s): {b.description}" for b in notes.beats)


def bible_prompt(brief: Brief) -> str:
    return "\n".join([
        "Task: bible",
        _brief_block(brief),
        _conventions(brief),
        "Create the film's bible as JSON: the theme, the time the story happens, a sharpened "
        "logline, 2-5 characters and 1-6 locations (ids latin, lowercase, hyphens). A "
        "character's look and wardrobe are concrete visual words a painter can reuse in "
        "every shot. Location names are short, without dashes.",
        _schema_hint(BibleSketch),
    ])


def outline_prompt(brief: Brief, bible: BibleSketch) -> str:
    n = suggested_scene_count(brief)
    beats = brief.preset.beats
    return "\n".join([
        "Task: outline",
        _brief_block(brief),
        "Bible (JSON): " + bible.model_dump_json(),
        _beat_sheet(brief),
        f"Outline the film as JSON in about {n} scenes numbered from 1. Each scene plays one "
        f"beat; use every beat at least once, in order: {', '.join(beats)} (copy the beat "
        "name exactly). Use only location and character ids from the bible. Give each scene "
        f"its planned seconds; together they fill {body_seconds(brief):g} s.",
        _schema_hint(Outline),
    ])


def actions_prompt(brief: Brief, bible: BibleSketch, outline: Outline,
                   chunk: list[OutlineScene]) -> str:
    share = dialogue_share(brief)
    wanted = []
    for s in chunk:
        paragraphs, _ = scene_sizing(s.seconds, share)
        wanted.append(f"scene {s.number}: {paragraphs} action paragraph(s)")
    return "\n".join([
        "Task: scenes",
        f"Scenes: {', '.join(str(s.number) for s in chunk)}",
        _brief_block(brief),
        "Bible (JSON): " + bible.model_dump_json(),
        "Outline (JSON): " + outline.model_dump_json(),
        "Write the action of the scenes listed above as JSON: present tense, what the camera "
        "sees and hears, one visual moment per paragraph, each about three seconds of screen "
        "time. No dialogue yet. Paragraphs: " + "; ".join(wanted) + ".",
        _schema_hint(SceneActions),
    ])


def dialogue_prompt(brief: Brief, bible: BibleSketch, outline: Outline,
                    chunk: list[OutlineScene], actions: dict[int, SceneAction]) -> str:
    share = dialogue_share(brief)
    wanted = []
    for s in chunk:
        _, talk = scene_sizing(s.seconds, share)
        wanted.append(f"scene {s.number}: {speech_budget(talk, brief.language)} of dialogue"
                      if talk >= 1 else f"scene {s.number}: no dialogue (lines: [])")
    written = {s.number: actions[s.number].action for s in chunk}
    return "\n".join([
        "Task: dialogue",
        f"Scenes: {', '.join(str(s.number) for s in chunk)}",
        _brief_block(brief),
        "Bible (JSON): " + bible.model_dump_json(),
        "Outline (JSON): " + outline.model_dump_json(),
        "Action already written, by scene (JSON): " + json.dumps(written, ensure_ascii=False),
        "Write the dialogue of the scenes listed above as JSON. Every line moves the plot or "
        "reveals a character; subtext over statement. `after` places a line after that many "
        "action paragraphs of its scene. Speakers are character ids from the bible. Length: "
        + "; ".join(wanted) + ".",
        _schema_hint(SceneDialogues),
    ])


# ---- validation against earlier steps ----------------------------------------------------


def check_bible(b: BibleSketch) -> list[str]:
    problems = []
    for what, items in (("character", b.characters), ("location", b.locations)):
        ids = [x.id for x in items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            problems.append(f"{what} ids must be unique; repeated: {', '.join(dup)}")
        names = [x.name.casefold() for x in items]
        dupn = sorted({n for n in names if names.count(n) > 1})
        if dupn:
            problems.append(f"{what} names must be unique; repeated: {', '.join(dupn)}")
    return problems


def check_outline(o: Outline, bible: BibleSketch, beats: tuple[str, ...]) -> list[str]:
    problems = []
    numbers = [s.number for s in o.scenes]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"scenes must be numbered 1..{len(numbers)} in order; got {numbers}")
    places = {p.id for p in bible.locations}
    people = {c.id for c in bible.characters}
    allowed = {b.casefold(): b for b in beats}
    used = set()
    for s in o.scenes:
        if s.location not in places:
            problems.append(f"scene {s.number}: location {s.location!r} is not a bible "
                            f"location id ({', '.join(sorted(places))})")
        unknown = [c for c in s.characters if c not in people]
        if unknown:
            problems.append(f"scene {s.number}: unknown character id(s) {', '.join(unknown)} "
                            f"(bible: {', '.join(sorted(people))})")
        beat = allowed.get(s.beat.strip().casefold())
        if beat is None:
            problems.append(f"scene {s.number}: beat {s.beat!r} is not one of: {', '.join(beats)}")
        else:
            used.add(beat)
    if len(o.scenes) >= len(beats):
        missing = [b for b in beats if b not in used]
        if missing:
            problems.append(f"no scene plays the beat(s): {', '.join(missing)}")
    return problems


def normalise_outline(o: Outline, brief: Brief) -> Outline:
    """Scale the planned seconds so the scenes fill exactly the body of the film."""
    total = sum(s.seconds for s in o.scenes)
    factor = body_seconds(brief) / total if total > 0 else 1.0
    beats = {b.casefold(): b for b in brief.preset.beats}
    scenes = [s.model_copy(update={"seconds": round(s.seconds * factor, 2),
                                   "beat": beats.get(s.beat.strip().casefold(), s.beat)})
              for s in o.scenes]
    return Outline(scenes=scenes)


def _numbers_problem(got: list[int], want: list[int]) -> list[str]:
    if sorted(got) != sorted(want) or len(set(got)) != len(got):
        return [f"reply must contain exactly scenes {want}; got {got}"]
    return []


def check_actions(reply: SceneActions, chunk: list[OutlineScene]) -> list[str]:
    return _numbers_problem([s.number for s in reply.scenes], [s.number for s in chunk])


def check_dialogue(reply: SceneDialogues, chunk: list[OutlineScene], bible: BibleSketch,
                   brief: Brief) -> list[str]:
    problems = _numbers_problem([s.number for s in reply.scenes], [s.number for s in chunk])
    people = {c.id for c in bible.characters}
    budget = 0.0
    spoken = 0.0
    share = dialogue_share(brief)
    for s in chunk:
        budget += scene_sizing(s.seconds, share)[1]
    for scene in reply.scenes:
        for k, line in enumerate(scene.lines, 1):
            if line.character not in people:
                problems.append(f"scene {scene.number} line {k}: speaker {line.character!r} is "
                                f"not a bible character id ({', '.join(sorted(people))})")
            spoken += form.speech_seconds(line.text, brief.language)
    if spoken > 1.5 * budget + 4:
        problems.append(f"the dialogue runs about {spoken:.0f} s but these scenes have about "
                        f"{budget:.0f} s for it: cut it to fit")
    return problems


# ---- assembling the Draft ---------------------------------------------------------------

_COLORS = ("#d98e48", "#5bc0be", "#c94f6d", "#8fb996", "#f7b733", "#a0c4ff", "#b388eb", "#e8d8c3")
_VARIANTS = {"female": ("f2", "f3", "f4", "f1"), "male": ("m3", "m1", "m5", "m7"),
             "neutral": ("", "m2", "f5", "")}


def build_bible(sketch: BibleSketch, brief: Brief) -> Bible:
    characters = []
    seen: dict[str, int] = {}
    for i, c in enumerate(sketch.characters):
        k = seen.get(c.gender, 0)
        seen[c.gender] = k + 1
        base = {"female": 68, "male": 38, "neutral": 50}[c.gender]
        characters.append(Character(
            id=c.id, name=c.name, role=c.role, age=c.age, look=c.look, wardrobe=c.wardrobe,
            color=_COLORS[i % len(_COLORS)],
            voice=VoiceSpec(gender=c.gender, pitch=max(0, min(99, base + 7 * k - (c.age > 55) * 8)),
                            variant=_VARIANTS[c.gender][k % 4]),
        ))
    locations = [Location(id=p.id, name=p.name, description=p.description, interior=p.interior,
                          motifs=list(p.motifs)) for p in sketch.locations]
    style = StyleGuide(palette=list(brief.preset.palette), mood=sketch.mood or brief.preset.music_mood,
                       look=sketch.look)
    return Bible(theme=sketch.theme, time=sketch.time, characters=characters,
                 locations=locations, style=style)


def heading(place_name: str, interior: bool, time_of_day: str, language: str) -> str:
    tod = time_of_day.strip() or ("日" if language == "zh" else "DAY")
    if language == "zh":
        return f"{'内景' if interior else '外景'} {place_name} - {tod}"
    return f"{'INT.' if interior else 'EXT.'} {place_name.upper()} - {tod.upper()}"


def build_screenplay(brief: Brief, sketch: BibleSketch, outline: Outline,
                     actions: dict[int, SceneAction], dialogue: dict[int, SceneDialogue],
                     author: str) -> Screenplay:
    places = {p.id: p for p in sketch.locations}
    people = {c.id: c for c in sketch.characters}
    by_name = {c.name.casefold(): c for c in sketch.characters}
    zh = brief.language == "zh"
    scenes = []
    for o in outline.scenes:
        place = places[o.location]
        paragraphs = actions[o.number].action
        lines: list[Line] = sorted(dialogue[o.number].lines, key=lambda ln: min(ln.after, len(paragraphs)))
        elements: list = []
        li = 0
        for k in range(len(paragraphs) + 1):
            while li < len(lines) and min(lines[li].after, len(paragraphs)) <= k:
                line = lines[li]
                who = people.get(line.character) or by_name.get(line.character.casefold())
                name = who.name if who else line.character
                elements.append(Dialogue(character=name if zh else name.upper(), text=line.text,
                                         parenthetical=line.parenthetical))
                li += 1
            if k < len(paragraphs):
                elements.append(Action(text=paragraphs[k]))
        scenes.append(Scene(heading=heading(place.name, place.interior, o.time_of_day,
                                            brief.language),
                            number=str(o.number), elements=elements))
    title_page = {
        "Title": brief.title,
        "Credit": "编剧" if zh else "Written by",
        "Author": author,
        "Genre": brief.preset.name_zh if zh else brief.preset.name_en,
        "Logline": sketch.logline,
        "Theme": sketch.theme,
        "Time": sketch.time,
    }
    return Screenplay(title_page=title_page, scenes=scenes)


# ---- the writer -------------------------------------------------------------------------


def progress_key(brief: Brief, seed: int, identity: dict[str, str]) -> str:
    payload = json.dumps({"brief": brief.model_dump(mode="json"), "seed": seed,
                          "writer": identity}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class StepwiseWriter:
    """Writes a Draft through any ChatBackend, one validated step at a time."""

    def __init__(self, backend: ChatBackend, *, writer_id: str, identity: dict[str, str],
                 attempts: int = 3, max_tokens: int = 4096, chunk_seconds: float = 150.0):
        self.backend = backend
        self.writer_id = writer_id
        self.identity = identity
        self.attempts = attempts
        self.max_tokens = max_tokens
        self.chunk_seconds = chunk_seconds
        self.usage = Usage()

    def _ask(self, progress: Progress, path: Path | None, step: Step, model: type[B],
             system: str, prompt: str, validate: Callable[[B], list[str]]) -> B:
        try:
            result = generate(self.backend, model, name=step, system=system, prompt=prompt,
                              attempts=self.attempts, max_tokens=self.max_tokens,
                              validate=validate)
        except ProviderError as exc:
            save_progress(path, progress)
            kept = progress.summary()
            where = f"; saved to {path}, a re-run resumes from there" if path else ""
            raise WriterError(
                f"{self.writer_id}: could not write the {step}: {exc}\n"
                f"Kept what was already written: {kept}{where}.",
                step=step, partial=progress.model_copy(deep=True), progress_path=path, cause=exc,
            ) from exc
        self.usage = self.usage + result.usage
        progress.calls += result.usage.calls
        progress.input_tokens += result.usage.input_tokens
        progress.output_tokens += result.usage.output_tokens
        return result.value

    def write(self, brief: Brief, *, seed: int = 0, progress_path: Path | None = None) -> Draft:
        key = progress_key(brief, seed, self.identity)
        progress = load_progress(progress_path, key)
        if progress.calls:
            log.info("%s: resuming from %s (%s)", self.writer_id, progress_path, progress.summary())
        system = system_prompt(brief)

        if progress.bible is None:
            progress.bible = self._ask(progress, progress_path, "bible", BibleSketch, system,
                                       bible_prompt(brief), check_bible)
            save_progress(progress_path, progress)
        bible = progress.bible

        if progress.outline is None:
            outline = self._ask(progress, progress_path, "outline", Outline, system,
                                outline_prompt(brief, bible),
                                lambda o: check_outline(o, bible, brief.preset.beats))
            progress.outline = normalise_outline(outline, brief)
            save_progress(progress_path, progress)
        outline = progress.outline

        for chunk in chunk_scenes(outline.scenes, self.chunk_seconds):
            todo = [s for s in chunk if s.number not in progress.actions]
            if todo:
                reply = self._ask(progress, progress_path, "scenes", SceneActions, system,
                                  actions_prompt(brief, bible, outline, todo),
                                  lambda r, todo=todo: check_actions(r, todo))
                for s in reply.scenes:
                    progress.actions[s.number] = s
                save_progress(progress_path, progress)
            todo = [s for s in chunk if s.number not in progress.dialogue]
            if todo:
                reply = self._ask(progress, progress_path, "dialogue", SceneDialogues, system,
                                  dialogue_prompt(brief, bible, outline, todo, progress.actions),
                                  lambda r, todo=todo: check_dialogue(r, todo, bible, brief))
                for s in reply.scenes:
                    progress.dialogue[s.number] = s
                save_progress(progress_path, progress)

        author = f"microfilm {self.writer_id} ({self.identity.get('model', '')})"
        draft = Draft(bible=build_bible(bible, brief),
                      screenplay=build_screenplay(brief, bible, outline, progress.actions,
                                                  progress.dialogue, author))
        if progress_path is not None:
            progress_path.unlink(missing_ok=True)
        return draft


class LLMWriterBase:
    """What every LLM writer shares: its `missing()` check and a stepwise `develop`.

    A subclass names its SDK module, the pip extra that installs it and its config class
    (with `from_env()` and `missing()`), and sets `self.config`, `self.info` and
    `self.backend` in its constructor.
    """

    sdk_module: ClassVar[str]
    extra: ClassVar[str]
    config_cls: ClassVar[type]

    @classmethod
    def missing(cls) -> list[str]:
        import importlib.util

        problems = []
        if importlib.util.find_spec(cls.sdk_module) is None:
            problems.append(f"install microfilm[{cls.extra}]")
        try:
            problems += cls.config_cls.from_env().missing()
        except ProviderError as exc:
            problems.append(str(exc))
        return problems

    def develop(self, request: DevelopRequest) -> Draft:
        writer = StepwiseWriter(self.backend, writer_id=self.info.id,
                                identity=self.info.cache_identity(),
                                attempts=self.config.attempts, max_tokens=self.config.max_tokens)
        try:
            return writer.write(request.brief, seed=request.seed,
                                progress_path=progress_path_for(request.out))
        finally:
            self.last_usage = writer.usage
