"""The house painter never crashes: a property test over genres, kinds of place, framings,
times of day, numbers of characters, sizes and seeds (bench/painter_property.py runs the
same space for thousands of cases)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from microfilm.providers.house.painter import render
from tests.painter_cases import keyframe_request


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(keyframe_request(max_side=200))
def test_any_keyframe_or_cover_request_paints_a_picture_of_its_size(req):
    img = render(req)
    assert img.size == (req.width, req.height)
    lo, hi = img.convert("L").getextrema()
    assert hi > lo  # a picture, not a flat fill
