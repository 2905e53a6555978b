"""Each step's reply checked against what came before (scene numbers, location and character
ids, beats, the dialogue's length): a non-empty list of problems makes the writer ask again,
quoting them."""

from __future__ import annotations

from microfilm import form
from microfilm.providers.llm.schemas import (BibleSketch, Outline, OutlineScene, SceneActions,
                                             SceneDialogues)
from microfilm.providers.llm.stepwise.sizing import body_seconds, dialogue_share, scene_sizing
from microfilm.spec.brief import Brief


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
