"""What ships beside the film: platform cover crops and a teaser cut.

Covers: platforms show a 9:16 film's cover as 3:4 in feeds and 1:1 in profiles; the house
painter keeps the title in the middle band so a centre crop still carries it. The teaser is
cut from the finished master (picture and mixed sound together) in one short ffmpeg pass:
15-30 s is a few seconds of encoding, and the master's mix and subtitles come with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from microfilm.fsutil import atomic_output
from microfilm.media.ffmpeg import run, video_encode_args

COVER_CROPS = {"3x4": (3, 4), "1x1": (1, 1)}
TEASER_MIN_S = 15.0
TEASER_MAX_S = 30.0
TEASER_FADE_S = 0.25


def crop_cover(cover: Path, out: Path, ratio: tuple[int, int]) -> Path:
    """The largest centred crop of `cover` at `ratio` (w:h), saved as PNG."""
    with Image.open(cover) as im:
        w, h = im.size
        rw, rh = ratio
        cw, ch = (w, w * rh // rw) if w * rh // rw <= h else (h * rw // rh, h)
        left, top = (w - cw) // 2, (h - ch) // 2
        crop = im.convert("RGB").crop((left, top, left + cw, top + ch))
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


def cut_teaser(film: Path, spans: list[Span], out: Path, *, fps: int,
               end_card: Span | None = None) -> Path:
    """Cut `spans` (and the title card as an end card) out of the master into one teaser,
    with short audio fades at every join so no cut clicks."""
    parts = list(spans) + ([end_card] if end_card else [])
    if not parts:
        raise ValueError(f"{out}: a teaser needs at least one span")
    graph, labels = [], []
    for i, sp in enumerate(parts):
        fade_out = max(0.0, sp.duration - TEASER_FADE_S)
        graph.append(f"[0:v]trim=start={sp.start:.4f}:end={sp.end:.4f},setpts=PTS-STARTPTS[v{i}]")
        graph.append(f"[0:a]atrim=start={sp.start:.4f}:end={sp.end:.4f},asetpts=PTS-STARTPTS,"
                     f"afade=t=in:d={TEASER_FADE_S},afade=t=out:st={fade_out:.4f}:d={TEASER_FADE_S}[a{i}]")
        labels.append(f"[v{i}][a{i}]")
    graph.append(f"{''.join(labels)}concat=n={len(parts)}:v=1:a=1[v][a]")
    with atomic_output(out) as tmp:
        run(["-y", "-i", str(film), "-filter_complex", ";".join(graph), "-map", "[v]", "-map", "[a]",
             *video_encode_args(fps), "-c:a", "aac", "-b:a", "192k", "-ar", "48000",
             "-movflags", "+faststart", "-f", "mp4", str(tmp)], what=f"teaser {out.name}")
    return out
