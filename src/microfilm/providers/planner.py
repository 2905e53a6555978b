"""What generate will ask each provider for, computed once for `estimate` and `generate`.

The estimate priced keyframes at the film's size while generate painted them 1.2x larger
per side (room for the house animator's camera moves), so an area-priced painter was
under-estimated by about 44%. Both now take the keyframe size from here, and the oversize
goes only where it is used: a paid animator renders its own frame from the keyframe, so a
paid painter is asked for the size that animator needs, not the house animator's margin.
"""

from __future__ import annotations

from microfilm.providers.base import ProviderInfo
from microfilm.providers.jobs import closest_size

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
