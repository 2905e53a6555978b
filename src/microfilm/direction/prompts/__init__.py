"""Prompts per model family: one shot, written the way each vendor's guide asks.

    from microfilm.direction.prompts import prompt_for
    p = prompt_for("kling", shot, bible)          # -> ShotPrompt
    p.prompt, p.negative, p.references            # text, negative text ("" if none), bindings

Families: gpt-image (keyframes and covers), veo (Gemini/Veo), kling, seedance, wan, hailuo
(MiniMax), runway, diffusers (local). What each guide asks, and when it was read, is in
docs/prompts.md. The shot's decisions (who is on screen and where, who is only heard, the
action, what moves, the camera, the light, the sound) come from the storyboard fields, so a
hand edit to a shot changes every family's prompt the same way.
"""

from microfilm.direction.prompts.families import FAMILIES, ReferenceBinding, ShotPrompt, prompt_for

__all__ = ["FAMILIES", "ReferenceBinding", "ShotPrompt", "prompt_for"]
