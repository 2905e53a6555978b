"""The prompt text each provider is sent: its model family's writer, or the board's prompt.

Providers must not import direction (a provider sits below it), so the generate stage writes
the text here and passes it in the request. A catalogue entry's `prompt_family` names the
writer (direction.prompts); a provider without one (the house providers, a model whose guide
is not written up) gets the storyboard's own prompt, so its requests and cache keys do not
change.
"""

from __future__ import annotations

from microfilm.direction.prompts import prompt_for
from microfilm.providers.base import ProviderInfo
from microfilm.spec.bible import Bible
from microfilm.spec.storyboard import Shot


def shot_prompt(info: ProviderInfo, shot: Shot, bible: Bible, *, references: tuple[str, ...] = (),
                dialogue: bool = False) -> str:
    """The words `info`'s model is sent for `shot`. `references`: the bible ids whose reference
    images the request carries, in order, so a family that binds images by name (Kling's
    <<<image_1>>>, Seedance's @image1) names the right person; `dialogue`: the clip speaks the
    shot's lines itself."""
    if not info.prompt_family or shot.kind != "shot":
        return shot.prompt
    return prompt_for(info.prompt_family, shot, bible, references=references,
                      dialogue=dialogue).prompt
