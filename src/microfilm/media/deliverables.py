"""What ships beside the film: platform cover crops and a teaser cut.

Covers: platforms show a 9:16 film's cover as 3:4 in feeds and 1:1 in profiles; the house
painter keeps the title in the middle band so a centre crop still carries it. The teaser is
made like the master: whole segments joined by stream copy (a teaser cuts rather than
dissolves), and the film's own mix cut to the same spans; nothing is re-encoded but sound.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from microfilm.fsutil import atomic_output
from microfilm.media.ffmpeg import run
from microfilm.media.probe import count_frames

COVER_CROPS = {"3x4": (3, 4), "1x1": (1, 1)}
TEASER_MIN_S = 15.0
TEASER_MAX_S = 30.0
TEASER_FADE_S = 0.25


def crop_cover(cover: Path, out: Path, ratio: tuple[int, int],
               size: tuple[int, int] | None = None) -> Path:
    """The largest centred crop of `cover` at `ratio` (w:h), resized to `size` if given,
    saved as PNG."""
    with Image.open(cover) as im:
        w, h = im.size
        rw, rh = ratio
        cw, ch = (w, w * rh // rw) if w * rh // rw <= h else (h * rw // rh, h)
        left, top = (w - cw) // 2, (h - ch) // 2
        crop = im.convert("RGB").crop((left, top, left + cw, top + ch))
        if size is not None and crop.size != size:
            crop = crop.resize(size, Image.Resampling.LANCZOS)
        with atomic_output(out) as tmp:
            crop.save(tmp, format="PNG")
    return out


def cover_crops(cover: Path, out_dir: Path) -> dict[str, Path]:
    return {name: crop_cover(cover, out_dir / f"cover-{name}.png", ratio)
            for name, ratio in COVER_CROPS.items()}


@dataclass(frozen=True)
class Span:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def pick_teaser(shots: list[tuple[float, float, int, bool]], *, max_s: float = TEASER_MAX_S,
                min_s: float = TEASER_MIN_S) -> list[Span]:
    """Spans of the film for a teaser from (start, duration, scene, has_dialogue) per story
    shot: the opening shot, then dialogue shots from the middle of the film (the conflict)
    in film order, stopping before the ending so the teaser does not give it away."""
    if not shots:
        return []
    body = shots[:-1] if len(shots) > 2 else shots  # never the last story shot: no spoilers
    chosen = [body[0]]
    middle = sorted(body[1:], key=lambda s: (not s[3], abs(s[0] - body[len(body) // 2][0])))
    total = body[0][1]
    for shot in middle:
        if total + shot[1] > max_s:
            continue
        chosen.append(shot)
        total += shot[1]
        if total >= max_s - 2.0:
            break
    if total < min_s:  # short film: take shots in order until the minimum is reached
        for shot in body:
            if shot not in chosen and total < min_s:
                chosen.append(shot)
                total += shot[1]
    chosen.sort(key=lambda s: s[0])
    return [Span(s[0], s[0] + min(s[1], max_s)) for s in chosen]


def cut_teaser(pieces: list[tuple[Path, Span]], mix: Path, out: Path, *, fps: int,
               metadata: dict[str, str]) -> Path:
    """The teaser from whole segments (stream copy, no re-encode) and the film's mix cut to
    the same spans, with short fades at every join so no cut clicks; then one mux."""
    from microfilm.media import master, segments

    if not pieces:
        raise ValueError(f"{out}: a teaser needs at least one shot")
    with tempfile.TemporaryDirectory(prefix=".teaser.", dir=out.parent) as work:
        # a piece longer than its span ends in a window drawn into the next shot of the
        # film: the teaser cuts before it (there is a keyframe where it begins)
        pictures = [p if count_frames(p) <= segments.frames_for(sp.duration, fps) else
                    segments.leading(p, segments.frames_for(sp.duration, fps), Path(work), f"p{i:03d}")
                    for i, (p, sp) in enumerate(pieces)]
        video = segments.concat(pictures, Path(work) / "picture.mp4", fps=fps)
        inputs, graph, labels = [], [], []
        for i, (_, sp) in enumerate(pieces):
            inputs += ["-ss", f"{sp.start:.4f}", "-t", f"{sp.duration:.4f}", "-i", str(mix)]
            fade_out = max(0.0, sp.duration - TEASER_FADE_S)
            graph.append(f"[{i}:a]asetpts=PTS-STARTPTS,afade=t=in:d={TEASER_FADE_S},"
                         f"afade=t=out:st={fade_out:.4f}:d={TEASER_FADE_S}[a{i}]")
            labels.append(f"[a{i}]")
        graph.append(f"{''.join(labels)}concat=n={len(pieces)}:v=0:a=1[a]")
        sound = Path(work) / "sound.wav"
        run([*inputs, "-filter_complex", ";".join(graph), "-map", "[a]", "-c:a", "pcm_s16le",
             str(sound)], what=f"teaser sound {out.name}")
        master.mux(video, sound, out, metadata)
    return out
