"""How each spoken line of a shot reaches the screen: spoken in the clip, lip-synced, or heard.

A character who speaks on screen in a medium or closer shot should move their lips to the
line. Where the animator speaks dialogue itself, the line can be spoken in the clip
("native"); otherwise a lip-sync step fits the character's TTS line to the face ("lipsync").
A heard-only line (its character not in `shot.characters`: V.O., phone, 画外音) is never
lip-synced, and a wide shot keeps the TTS line without touching the picture. The choice is
`Shot.dialogue` in storyboard.yaml; `auto` takes it from the providers' capabilities.
"""

from __future__ import annotations

from typing import Literal

from microfilm.errors import SpecError
from microfilm.providers.base import ProviderInfo
from microfilm.spec.storyboard import Shot, ShotLine

Delivery = Literal["native", "lipsync", "tts", "heard"]
"""native: spoken in the clip; lipsync: TTS fitted to the face; tts: TTS over the picture
(wide shot or dialogue off); heard: a heard-only line, TTS, never on a face."""

CLOSE_ENOUGH = ("medium", "close", "two-shot", "over-the-shoulder", "single")
"""Framings in which a face is big enough for lips to be read (medium or closer)."""


def close_enough(framing: str) -> bool:
    f = framing.lower()
    return "wide" not in f and "long" not in f and any(word in f for word in CLOSE_ENOUGH)


def heard_only(shot: Shot, line: ShotLine) -> bool:
    """The rule both board and generate use: heard-only when its speaker is not on screen."""
    return line.character not in shot.characters


def shot_mode(shot: Shot, animator: ProviderInfo, lipsync: ProviderInfo | None,
              where: str = "storyboard.yaml") -> Literal["native", "lipsync", "off"]:
    """The shot's mode once `auto` is resolved; an impossible explicit choice is an error
    naming the shot, before anything is paid for."""
    speaks = animator.capabilities.native_audio and _dialogue(animator)
    if shot.dialogue == "native" and not speaks:
        raise SpecError(f"{where}: shot {shot.id}: dialogue: native, but the animator "
                        f"{animator.id} does not speak dialogue; use lipsync, auto or off")
    if shot.dialogue == "lipsync" and lipsync is None:
        raise SpecError(f"{where}: shot {shot.id}: dialogue: lipsync, but no lip-sync provider "
                        "is set ([providers] lipsync in film.toml); use auto or off")
    if shot.dialogue != "auto":
        return shot.dialogue
    if speaks:
        return "native"
    return "lipsync" if lipsync is not None else "off"


def _dialogue(info: ProviderInfo) -> bool:
    from microfilm.providers import catalogue

    listed = catalogue.load().get(info.id)
    return bool(listed and listed.capabilities.dialogue)


def deliveries(shot: Shot, animator: ProviderInfo, lipsync: ProviderInfo | None,
               where: str = "storyboard.yaml") -> list[Delivery]:
    """One delivery per line of `shot`, in order."""
    mode = shot_mode(shot, animator, lipsync, where) if shot.lines else "off"
    out: list[Delivery] = []
    for line in shot.lines:
        if heard_only(shot, line):
            out.append("heard")
        elif mode == "off" or not close_enough(shot.framing):
            out.append("tts")
        else:
            out.append(mode)
    return out
