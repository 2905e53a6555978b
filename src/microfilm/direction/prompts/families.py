"""One prompt writer per model family, from one shot's storyboard fields.

Each family is data (`Family`): the order of the parts its guide asks for, whether it takes
a negative prompt, whether its clips carry sound (then ambience and effects go in), how it
names camera moves, its prompt length limit, and how the prompt names a reference image when
the API binds images to words ("<<<image_1>>>" for Kling Omni, "@image1" for Seedance, "image 1"
for GPT Image edits). Parts are dropped lowest-priority first to fit the limit, never cut
mid-word. Guides read 2026-12-04; see docs/prompts.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

from microfilm.direction.phrases import HEARD_MARKS, ZH
from microfilm.direction.prompts import chinese
from microfilm.direction.prompts.shared import clause, tagged_name
from microfilm.spec.bible import Bible
from microfilm.spec.storyboard import Shot

Part = Literal["shot", "subject", "action", "motion", "scene", "camera", "light", "style", "sound",
               "dialogue", "constraints"]

NEGATIVE = ("extra people, duplicate faces, deformed hands, distorted face, text, subtitles, "
            "watermark, logo, flicker, jitter")
NEGATIVE_STILL = "extra people, deformed hands, distorted face, text, watermark, logo, blurry"
FRAMING = {"extreme-wide": "extreme wide establishing shot", "wide": "wide shot",
           "medium": "medium shot", "close-up": "close-up", "extreme close-up": "extreme close-up insert",
           "two-shot": "medium two-shot", "over-the-shoulder": "over-the-shoulder shot"}
HAILUO_MOVES = (("push", "[Push in]"), ("pull", "[Pull out]"), ("pan-left", "[Pan left]"),
                ("pan left", "[Pan left]"), ("pan-right", "[Pan right]"), ("pan right", "[Pan right]"),
                ("tilt-up", "[Tilt up]"), ("tilt up", "[Tilt up]"), ("tilt-down", "[Tilt down]"),
                ("tilt down", "[Tilt down]"), ("whip", "[Pan right]"), ("static", "[Static shot]"))


@dataclass(frozen=True)
class ReferenceBinding:
    """A reference image the request sends, and the words that bind it to a character."""

    character: str  # bible id
    name: str
    index: int  # position in the request's list of reference images (0-based)
    tag: str  # how the prompt names it; "" when the API does not bind images by name


@dataclass(frozen=True)
class ShotPrompt:
    family: str
    prompt: str
    negative: str = ""  # "" when the family takes no negative prompt
    references: tuple[ReferenceBinding, ...] = ()
    max_chars: int = 0
    sound: bool = False  # whether the prompt carries sound cues


@dataclass(frozen=True)
class Family:
    name: str
    order: tuple[Part, ...]
    drop_first: tuple[Part, ...]  # dropped in this order to fit max_chars
    max_chars: int
    negative: str = ""
    sound: bool = False
    still: bool = False  # a picture model: no motion, no camera move
    tag: Callable[[int, str], str] | None = None  # (1-based index, character id) -> tag
    motion_only: bool = False  # image-to-video that keeps the look of the first frame
    camera_words: Callable[[str], str] = field(default=lambda c: c)


def _hailuo_camera(camera: str) -> str:
    low = camera.casefold()
    return next((cmd for key, cmd in HAILUO_MOVES if key in low), "[Static shot]")


FAMILIES: dict[str, Family] = {
    # OpenAI image guide: describe the picture in plain sentences, scene then subject then
    # details, constraints stated outright; edits refer to input images as "image 1", "image 2".
    "gpt-image": Family("gpt-image", ("shot", "scene", "subject", "action", "light", "style",
                                      "constraints"), ("style", "light"), 32000, still=True,
                        tag=lambda i, cid: f"image {i}"),
    # Veo guide: subject, action, scene, camera, light, style, then audio (dialogue in quotes,
    # sound effects and ambience named); negativePrompt field; reference images not named.
    "veo": Family("veo", ("shot", "subject", "action", "scene", "camera", "light", "style", "sound",
                          "dialogue"), ("style", "light", "dialogue"), 4000, negative=NEGATIVE,
                  sound=True),
    # Kling guide: subject, subject motion, scene, then camera, light and atmosphere;
    # negative_prompt field; Omni binds images as <<<image_N>>>; prompt capped at 2,500.
    # Kling 3 and Seedance 2 speak a line written in quotes (native dialogue): the line goes
    # last, after the sound, and is never dropped to fit.
    "kling": Family("kling", ("subject", "action", "motion", "scene", "shot", "camera", "light",
                              "style", "sound", "dialogue"), ("style", "sound", "light"), 2500, negative=NEGATIVE,
                    sound=True, tag=lambda i, cid: f"<<<image_{i}>>>"),
    # Seedance guide: natural sentences in story order, explicit camera, sound described;
    # references named @image1..; no dedicated negative field (say what should happen).
    "seedance": Family("seedance", ("shot", "subject", "action", "motion", "scene", "camera", "light",
                                    "style", "sound", "dialogue"), ("style", "light", "sound"), 2000, sound=True,
                       tag=lambda i, cid: f"@image{i}"),
    # Wan guide: subject (description) + scene (description) + motion (description) +
    # aesthetic control + style; negative_prompt field; about 800 characters.
    "wan": Family("wan", ("subject", "scene", "action", "motion", "shot", "camera", "light", "style",
                          "sound"), ("style", "sound", "light", "motion"), 800, negative=NEGATIVE,
                  sound=True),
    # MiniMax Hailuo: natural description, camera moves as bracketed commands ([Push in]).
    "hailuo": Family("hailuo", ("subject", "action", "scene", "camera", "shot", "light", "style"),
                     ("style", "light"), 2000, camera_words=_hailuo_camera),
    # Runway Gen-4 image to video: the first frame sets the look; the prompt says the motion
    # and the camera in simple direct words, positively; promptText up to 1,000 characters.
    "runway": Family("runway", ("motion", "action", "camera", "light"), ("light",), 1000,
                     motion_only=True),
    # Local diffusers (CLIP text encoders read about 77 tokens): short comma-separated
    # phrases, most important first; negative prompt supported.
    "diffusers": Family("diffusers", ("subject", "action", "shot", "scene", "light", "style"),
                        ("style", "light", "scene"), 320, negative=NEGATIVE_STILL),
}


def _subject(shot: Shot, bible: Bible, refs: dict[str, str], short: bool) -> str:
    who = []
    for cid in shot.characters:
        c, name = tagged_name(bible, cid, refs)
        if c and not short:
            words = "; ".join(w for w in (c.look, f"wearing {c.wardrobe}" if c.wardrobe else "") if w)
            desc = f"{name} ({words})" if words else name
        elif c and short:
            desc = ", ".join(w for w in (name, c.look.split(",")[0] if c.look else "") if w)
        else:
            desc = name
        pos = shot.positions.get(cid, "")
        if len(shot.characters) > 1 and pos:
            desc += " in the center" if pos == "center" else f" on the {pos}"
        who.append(desc)
    if not who:
        return "no people in frame"
    return (", " if short else "; ").join(who)


def _scene(shot: Shot, bible: Bible) -> str:
    loc = bible.location(shot.location)
    place = f"{loc.name}, {clause(loc.description)}" if loc and loc.description else (
        loc.name if loc else shot.location)
    inside = "interior" if (shot.heading.strip().upper().startswith(("INT", "内景")) or
                            (not shot.heading and loc and loc.interior)) else "exterior"
    return f"{inside}, {place}, {shot.time_of_day.lower()}".rstrip(", ")


def _dialogue(shot: Shot, bible: Bible) -> str:
    out = []
    for ln in shot.lines:
        c = bible.character(ln.character)
        name = c.name if c else ln.character
        if ln.character in shot.characters:
            out.append(f'{name} says: "{ln.text}"')
        else:
            out.append(f'{name}\'s voice, off screen, says: "{ln.text}"')
    return " ".join(out)


def _action(fam: Family, shot: Shot, bible: Bible, short: bool) -> str:
    """The shot's action; a picture has no voices, so naming the absent only invites them in:
    still and short prompts drop the heard-only clauses, the others make sure they say so."""
    heard = [bible.character(h).name if bible.character(h) else h for h in shot.heard]
    action = clause(shot.action)
    if fam.still or short:
        sep = "；" if "；" in action and "; " not in action else "; "  # a Chinese board's clauses
        return sep.join(a for a in action.split(sep) if not any(m in a for m in HEARD_MARKS))
    if heard and "not seen" not in action and not any(m in action for m in HEARD_MARKS):
        action += "; " + ", ".join(heard) + " is heard off screen, not seen"
    return action


def _parts(fam: Family, shot: Shot, bible: Bible, refs: dict[str, str], dialogue: bool,
           style: str) -> dict[Part, str]:
    short = fam.name == "diffusers"
    action = _action(fam, shot, bible, short)
    parts: dict[Part, str] = {
        "shot": FRAMING.get(shot.framing, shot.framing),
        "subject": _subject(shot, bible, refs, short),
        "action": action,
        "motion": "" if fam.still else clause(shot.motion),
        "scene": _scene(shot, bible),
        "camera": "" if fam.still else "camera: " + fam.camera_words(shot.camera),
        "light": ("lighting: " if not short else "") + clause(shot.light) if shot.light else "",
        "style": ("style: " if not short else "") + clause(style or bible.style.look)
        if (style or bible.style.look) else "",
        "sound": "Ambient sound: " + clause(shot.sound) if fam.sound and shot.sound else "",
        "dialogue": _dialogue(shot, bible) if fam.sound and dialogue else "",
        "constraints": ("Only these people appear: " + ", ".join(
            bible.character(c).name if bible.character(c) else c for c in shot.characters)
            if shot.characters else "No people in the picture") + "; no text, no watermark",
    }
    if fam.motion_only:
        parts["motion"] = clause(shot.motion) or "subtle natural movement"
        parts["camera"] = ("the camera holds still" if shot.camera in ("", "static")
                           else f"camera: {shot.camera}")
    return parts


def _join(fam: Family, parts: dict[Part, str]) -> str:
    sep = ", " if fam.name == "diffusers" else ". "
    text = sep.join(p[:1].upper() + p[1:] if sep == ". " else p
                    for p in (parts[k] for k in fam.order) if p)
    return text + ("." if sep == ". " and text else "")


def prompt_for(family: str, shot: Shot, bible: Bible, *, style: str = "",
               references: tuple[str, ...] | None = None, dialogue: bool = False) -> ShotPrompt:
    """The prompt of one shot for one model family.

    `references`: the bible ids whose reference images the request sends, in order (default:
    the on-screen characters). `dialogue`: write the lines for a model that voices them
    itself (Veo, Kling, Seedance, Wan with native audio); the film voices them otherwise.
    """
    fam = FAMILIES.get(family)
    if fam is None:
        raise ValueError(f"unknown model family {family!r}; one of: {', '.join(FAMILIES)}")
    ids = tuple(shot.characters) if references is None else references
    bindings = tuple(
        ReferenceBinding(character=cid, name=(bible.character(cid).name if bible.character(cid) else cid),
                         index=i, tag=fam.tag(i + 1, cid) if fam.tag else "")
        for i, cid in enumerate(ids))
    refs = {b.character: b.tag for b in bindings if b.tag}
    if fam.name in chinese.CHINESE_NATIVE and chinese.is_chinese(shot, bible):
        return _in_chinese(fam, shot, bible, refs, bindings, dialogue, style)
    parts = _parts(fam, shot, bible, refs, dialogue, style)
    text = _join(fam, parts)
    for drop in fam.drop_first:
        if len(text) <= fam.max_chars:
            break
        parts[drop] = ""
        text = _join(fam, parts)
    if len(text) > fam.max_chars:  # still long: cut at the last word that fits
        text = text[:fam.max_chars].rsplit(" ", 1)[0].rstrip(",;. ") + "."
    return ShotPrompt(family=fam.name, prompt=text, negative=fam.negative, references=bindings,
                      max_chars=fam.max_chars, sound=fam.sound)


def _in_chinese(fam: Family, shot: Shot, bible: Bible, refs: dict[str, str],
                bindings: tuple[ReferenceBinding, ...], dialogue: bool, style: str) -> ShotPrompt:
    """A Chinese film's shot for a family that reads Chinese natively (prompts/chinese.py)."""
    camera = (fam.camera_words(shot.camera) if fam.camera_words is _hailuo_camera
              else ZH.cameras.get(shot.camera, shot.camera))
    parts = chinese.parts(shot, bible, refs, camera=camera, style=style, sound=fam.sound,
                          with_dialogue=dialogue)
    text = chinese.join(fam.order, parts)
    for drop in fam.drop_first:
        if len(text) <= fam.max_chars:
            break
        parts[drop] = ""
        text = chinese.join(fam.order, parts)
    if len(text) > fam.max_chars:
        text = chinese.cut(text, fam.max_chars)
    return ShotPrompt(family=fam.name, prompt=text, negative=chinese.NEGATIVE_ZH if fam.negative else "",
                      references=bindings, max_chars=fam.max_chars, sound=fam.sound)
