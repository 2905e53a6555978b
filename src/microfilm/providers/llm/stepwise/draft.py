"""The accepted pieces assembled into the project's Bible and Screenplay (the Draft): voices
and colours given to the characters, dialogue placed between the action paragraphs, the
title page written in the film's language."""

from __future__ import annotations

from microfilm import i18n
from microfilm.providers.llm.schemas import BibleSketch, Line, Outline, SceneAction, SceneDialogue
from microfilm.spec.bible import Bible, Character, Location, StyleGuide, VoiceSpec
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Action, Dialogue, Scene, Screenplay


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
        "Credit": i18n.messages(brief.language)("credits.written_by"),
        "Author": author,
        "Genre": brief.preset.name_zh if zh else brief.preset.name_en,
        "Logline": sketch.logline,
        "Theme": sketch.theme,
        "Time": sketch.time,
    }
    return Screenplay(title_page=title_page, scenes=scenes)
