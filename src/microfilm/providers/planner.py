"""What generate will ask each provider for, computed once for `estimate` and `generate`.

The estimate priced keyframes at the film's size while generate painted them 1.2x larger
per side (room for the house animator's camera moves), so an area-priced painter was
under-estimated by about 44%. Both now take the keyframe size from here, and the oversize
goes only where it is used: a paid animator renders its own frame from the keyframe, so a
paid painter is asked for the size that animator needs, not the house animator's margin.
"""

from __future__ import annotations

import math
from typing import Sequence

from microfilm.providers.base import Capabilities, ProviderInfo
from microfilm.providers.jobs import closest_size
from microfilm.spec.storyboard import Shot

HOUSE_ANIMATOR = "house-animator"


def _even16(value: float) -> int:
    return max(16, int(round(value / 16) * 16))


def keyframe_size(width: int, height: int, animator: ProviderInfo, oversize: float) -> tuple[int, int]:
    """The keyframe's pixel size for a film of `width` x `height` moved by `animator`.

    The house animator pans and pushes inside the picture, so it gets `oversize` per side;
    an animator with fixed output sizes gets the one it will render (closest aspect); any
    other gets the film's size."""
    if animator.id == HOUSE_ANIMATOR:
        return _even16(width * oversize), _even16(height * oversize)
    if animator.capabilities.sizes:
        return closest_size(width, height, animator.capabilities.sizes)
    return width, height


def part_seconds(duration: float, caps: Capabilities) -> int:
    """Whole seconds a multi-shot call is asked for one shot: the planned length rounded up
    (never less picture than planned), at least one second."""
    return max(1, math.ceil(duration - 1e-6))


def multishot_runs(shots: Sequence[Shot], animator: ProviderInfo) -> list[tuple[Shot, ...]]:
    """The runs of consecutive story shots of one scene that share a `group` and that
    `animator` renders in one call: at most its `multi_shot` shots and its longest clip.

    A longer group is cut into several calls; a run of one shot is an ordinary call. The
    estimate prices these runs and generate sends them, so both agree (one job per run)."""
    caps = animator.capabilities
    if caps.multi_shot < 2:
        return []
    runs: list[tuple[Shot, ...]] = []
    run: list[Shot] = []

    def close() -> None:
        if len(run) >= 2:
            runs.append(tuple(run))

    for shot in shots:
        joins = (shot.kind == "shot" and shot.group and run and shot.group == run[-1].group
                 and shot.scene == run[-1].scene and len(run) < caps.multi_shot
                 and sum(part_seconds(s.duration, caps) for s in (*run, shot)) <= caps.max_duration)
        if joins:
            run.append(shot)
            continue
        close()
        run = [shot] if shot.kind == "shot" and shot.group else []
    close()
    return [r for r in runs if sum(part_seconds(s.duration, caps) for s in r) >= caps.min_duration]
