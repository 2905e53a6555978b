"""Prompts in Chinese for the model families whose guides are written for Chinese prompts.

Kling (可灵), Seedance (即梦/豆包), Wan (通义万相) and Hailuo (海螺) publish their prompting
guides in Chinese and read Chinese natively; a Chinese film's shot sent to them in an English
scaffold ("Camera: static. Lighting: 窗边清冷的晨光") mixes two languages in one
instruction. For a Chinese film these families get the same parts, in the same order and with
the same reference tags, in Chinese words (direction/phrases.py). Families whose guides are
English (gpt-image, Veo, Runway, local diffusers) keep their English scaffold.
"""

from __future__ import annotations

import re

from microfilm.direction.phrases import HEARD_MARKS, ZH
from microfilm.direction.prompts.shared import clause, tagged_name
from microfilm.spec.bible import Bible
from microfilm.spec.storyboard import Shot

CHINESE_NATIVE = frozenset({"kling", "seedance", "wan", "hailuo"})
NEGATIVE_ZH = "多余的人物，重复的脸，变形的手，扭曲的脸，文字，字幕，水印，标志，闪烁，抖动"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(shot: Shot, bible: Bible) -> bool:
    """A Chinese film's shot: its heading or action is written in Chinese characters."""
    return bool(_CJK.search(f"{shot.heading} {shot.action}"))


def subject(shot: Shot, bible: Bible, refs: dict[str, str]) -> str:
    who = []
    for cid in shot.characters:
        c, name = tagged_name(bible, cid, refs)
        if c and (c.look or c.wardrobe):
            name = ZH.look.format(name=name, look=c.look, wardrobe=c.wardrobe)
        pos = shot.positions.get(cid, "")
        if len(shot.characters) > 1 and pos:
            name += ZH.at.get(pos, ZH.at["center"])
        who.append(name)
    return ZH.people_sep.join(who) if who else "画面中没有人物"


def scene(shot: Shot, bible: Bible) -> str:
    loc = bible.location(shot.location)
    place = (ZH.where.format(name=loc.name, description=clause(loc.description))
             if loc and loc.description else (loc.name if loc else shot.location))
    inside = shot.heading.strip().upper().startswith(("INT", "内景")) or (
        not shot.heading and bool(loc and loc.interior))
    return ZH.place_sep.join(p for p in (ZH.place[inside], clause(place), shot.time_of_day) if p)


def action(shot: Shot, bible: Bible) -> str:
    text = clause(shot.action)
    heard = [bible.character(h).name if bible.character(h) else h for h in shot.heard]
    if heard and not any(m in text for m in HEARD_MARKS):
        text += "；" + "、".join(heard) + "的声音从画外传来，人不入画"
    return text


def dialogue(shot: Shot, bible: Bible) -> str:
    out = []
    for ln in shot.lines:
        c = bible.character(ln.character)
        name = c.name if c else ln.character
        said = "说" if ln.character in shot.characters else "的声音从画外传来，说"
        out.append(f"{name}{said}：“{ln.text}”")
    return "".join(out)


def parts(shot: Shot, bible: Bible, refs: dict[str, str], *, camera: str, style: str,
          sound: bool, with_dialogue: bool) -> dict[str, str]:
    """The same parts a family's English writer makes, in Chinese."""
    look = style or bible.style.look
    return {
        "shot": ZH.framing.get(shot.framing, shot.framing),
        "subject": subject(shot, bible, refs),
        "action": action(shot, bible),
        "motion": clause(shot.motion),
        "scene": scene(shot, bible),
        "camera": ZH.camera_label + camera,
        "light": ZH.light_label + clause(shot.light) if shot.light else "",
        "style": ZH.style_label + clause(look) if look else "",
        "sound": "环境声：" + clause(shot.sound) if sound and shot.sound else "",
        "dialogue": dialogue(shot, bible) if sound and with_dialogue else "",
        "constraints": "",
    }


def join(order: tuple[str, ...], parts: dict[str, str]) -> str:
    text = "。".join(p for p in (parts[k] for k in order) if p)
    return text + "。" if text else ""


def cut(text: str, max_chars: int) -> str:
    """Shorten at the last full stop or comma that fits (Chinese has no spaces to cut at)."""
    head = text[:max_chars - 1]
    stop = max(head.rfind("。"), head.rfind("，"), head.rfind("；"))
    return (head[:stop] if stop > 0 else head).rstrip("，；。") + "。"
