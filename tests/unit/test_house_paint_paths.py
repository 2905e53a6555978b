"""The house painter's and voice's faster paths give exactly what the plain ones gave.

Each fast path (issue 14 point 4a) replaces a straightforward computation by a cheaper one
that must be pixel-for-pixel (or sample-for-sample) the same, so that keyframes, covers and
voices keep their bytes and their cache keys: each test computes both ways and compares.
"""

from __future__ import annotations

import ast
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from microfilm.errors import ProviderError
from microfilm.providers.house import espeak, espeak_engine, passes, typeset
from microfilm.providers.house.drawing import (
    Pen, gradient_canvas, supersample, to_image, to_uint8, vertical_gradient,
)


def _random_frame(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_opaque_shapes_drawn_unblended_match_blended_drawing():
    rng = random.Random(3)
    img = Image.fromarray(_random_frame(np.random.default_rng(3), 120, 90))
    blended = img.copy()
    pen, ref = Pen(img), ImageDraw.Draw(blended, "RGBA")
    k = pen.k
    for _ in range(60):
        c = tuple(rng.randrange(256) for _ in range(3))
        alpha = rng.choice([None, 255, 120])
        ink = c + (255 if alpha is None else alpha,)
        x0, y0 = rng.uniform(-10, 50), rng.uniform(-10, 70)
        box = (x0, y0, x0 + rng.uniform(1, 40), y0 + rng.uniform(1, 40))
        big = [v * k for v in box]
        shape = rng.choice(["rect", "rounded", "ellipse", "poly", "line"])
        if shape == "rect":
            pen.rect(box, c, alpha)
            ref.rectangle(big, fill=ink)
        elif shape == "rounded":
            pen.rect(box, c, alpha, radius=4)
            ref.rounded_rectangle(big, min(4 * k, (big[2] - big[0]) / 2, (big[3] - big[1]) / 2),
                                  fill=ink)
        elif shape == "ellipse":
            pen.ellipse(box, c, alpha)
            ref.ellipse(big, fill=ink)
        elif shape == "poly":
            pts = [(rng.uniform(0, 45), rng.uniform(0, 60)) for _ in range(5)]
            pen.poly(pts, c, alpha)
            ref.polygon([(x * k, y * k) for x, y in pts], fill=ink)
        else:
            pts = [(rng.uniform(0, 45), rng.uniform(0, 60)) for _ in range(3)]
            pen.line(pts, c, 3.0, alpha)
            ref.line([(x * k, y * k) for x, y in pts], fill=ink, width=6, joint="curve")
            for x, y in (pts[0], pts[-1]):
                ref.ellipse([(x - 1.5) * k, (y - 1.5) * k, (x + 1.5) * k, (y + 1.5) * k],
                            fill=ink)
    assert np.array_equal(np.asarray(img), np.asarray(blended))


@pytest.mark.parametrize("size", [(96, 160), (1296, 2304), (17, 31)])
def test_gradient_canvas_is_the_enlarged_gradient(size):
    w, h = size
    stops = [(0.0, (200, 180, 160)), (0.37, (120, 140, 200)), (0.6, (91, 80, 70)),
             (1.0, (30, 40, 50))]
    plain = supersample(to_image(vertical_gradient(w, h, stops)))
    assert np.array_equal(np.asarray(gradient_canvas(w, h, stops, 2)), np.asarray(plain))


def _all_passes(h: int, w: int, seed: int) -> list[passes.Pass]:
    rng = np.random.default_rng(seed)
    lights = [(float(rng.uniform(0, w)), float(rng.uniform(0, h)), float(rng.uniform(5, w)),
               (255, 200, 150), 0.4, float(rng.uniform(0.3, 1.0))) for _ in range(3)]
    mask = np.clip(rng.standard_normal((h, w)).astype(np.float32), 0, 1) * 0.94
    return [p for p in (passes.tint_pass(mask, (20, 16, 22)), passes.light_pass(h, w, lights),
                        passes.shade_pass(h, h * 0.38, h * 0.6, (12, 10, 18), 0.78),
                        passes.shade_pass(h, h * 0.9, h * 0.7, (200, 10, 18), 0.3),
                        passes.vignette_pass(h, w, 0.24),
                        passes.grain_pass(h, w, np.random.default_rng(seed), 2.0))
            if p is not None]


@pytest.mark.parametrize("size", [(200, 130), (131, 77), (64, 48), (2304, 1296)])
def test_passes_band_by_band_give_the_whole_frame_bytes(size):
    h, w = size
    frame = _random_frame(np.random.default_rng(h), h, w)
    whole = frame.astype(np.float32)
    passes.apply(whole, _all_passes(h, w, 7))
    banded = passes.develop(frame, _all_passes(h, w, 7))
    assert banded.dtype == np.uint8 and np.array_equal(banded, to_uint8(whole))


def test_a_light_outside_the_frame_or_an_empty_scrim_adds_nothing():
    assert passes.light_pass(40, 30, [(-500.0, -500.0, 10.0, (255, 255, 255), 1.0, 1.0)]) is None
    assert passes.shade_pass(40, 50.0, 60.0, (0, 0, 0), 0.8) is None


def test_the_vignette_gain_is_kept_per_size_and_the_same_as_a_fresh_one():
    kept = passes.vignette_gain(90, 60, 0.24)
    assert passes.vignette_gain(90, 60, 0.24) is kept and not kept.flags.writeable
    assert np.array_equal(kept, passes.vignette_gain.__wrapped__(90, 60, 0.24))


@pytest.mark.parametrize("blur", [0.0, 0.7, 6.0, 25.0])
def test_a_text_shadow_blurred_around_its_text_matches_the_whole_frame_blur(blur):
    img = Image.fromarray(_random_frame(np.random.default_rng(5), 400, 300))
    block = typeset.set_text("最后一班车 The Last Bus", 260, 48, max_lines=2)
    fast = img.copy()
    typeset.draw_block(fast, block, 150, 150, (250, 250, 240), shadow=(0, 0, 0),
                       shadow_blur=blur)
    # the plain way: the whole frame's shadow layer blurred and pasted, then the type
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    off = max(1, block.size // 18)
    for i, ln in enumerate(block.lines):
        d.text((150 + off, 150 + off + i * block.line_height + block.line_height / 2), ln,
               font=block.font, fill=200, anchor="mm", stroke_width=block.size // 14)
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    plain = img.copy()
    plain.paste(Image.new("RGB", img.size, (0, 0, 0)), (0, 0), layer)
    typeset.draw_block(plain, block, 150, 150, (250, 250, 240))
    assert np.array_equal(np.asarray(fast), np.asarray(plain))


def test_the_espeak_child_needs_only_the_standard_library():
    """It runs as `python -I -S espeak_engine.py`: no site-packages, so no microfilm."""
    tree = ast.parse(open(espeak_engine.__file__, encoding="utf-8").read())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and n.module}
    assert imported <= {"__future__", "ctypes", "sys"}


def test_an_espeak_child_that_fails_is_a_clear_provider_error(monkeypatch):
    monkeypatch.setattr(espeak, "_library_path", lambda: "/nonexistent/libespeak-ng.so")
    with pytest.raises(ProviderError, match="failed speaking 'Hello.*cannot load eSpeak NG"):
        espeak.synthesize("Hello.", language="en-us")


def test_word_hit_finds_what_the_whole_word_pattern_finds():
    """wordmatch.word_hit replaced one compiled pattern per word; it must agree with it."""
    import re

    from microfilm.providers.house.wordmatch import word_hit

    rng = random.Random(1)
    alphabet = "ab zA.-红色é'"
    for _ in range(3000):
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        pattern = (r"(?<![a-z])" + re.escape(word) + r"(?![a-z])" if word.isascii()
                   else re.escape(word))
        assert word_hit(word, text) == (re.search(pattern, text) is not None), (word, text)
    assert word_hit("bar", "a bar.") and not word_hit("bar", "the barber")
    assert word_hit("红", "穿红色外套") and not word_hit("red", "tired")
