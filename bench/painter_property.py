"""The house painter over thousands of requests: zero exceptions is the figure that counts.

Two parts, one run:
1. `--cases` (default 2,000) requests drawn by hypothesis from tests/painter_cases.py: every
   genre, kind of place, framing, time of day, 0-5 characters, sizes from 16 px, any seed.
2. Keyframes from real boards: the house writer and the house director board films over
   6 genres x 2 languages x `--seeds` seeds, and every story shot is painted at `--side` px
   (the board's own prompt, framing, place, time and on-screen characters).
It prints the cases, the exceptions by kind (with one failing request each), and the
seconds per picture, for the same space as the test suite's few hundred cases.

    .venv/bin/python bench/painter_property.py            # ~5 min on 2 cores
    .venv/bin/python bench/painter_property.py --cases 300 --seeds 1
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from microfilm.form import PRESETS  # noqa: E402
from microfilm.providers.base import Capabilities, CharacterLook, PaintRequest  # noqa: E402
from microfilm.providers.house.painter import render  # noqa: E402
from microfilm.providers.house.writer import write  # noqa: E402
from microfilm.spec.brief import Brief  # noqa: E402
from microfilm.stages.board import plan  # noqa: E402
from tests.painter_cases import keyframe_request  # noqa: E402


def _where(exc: BaseException) -> str:
    frames = [f"{Path(f.filename).name}:{f.lineno}" for f in traceback.extract_tb(exc.__traceback__)]
    return f"{type(exc).__name__}: {exc} @ {' < '.join(reversed(frames[-3:]))}"


def random_requests(n: int, errors: collections.Counter, first: dict) -> float:
    t0 = time.perf_counter()

    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(keyframe_request())
    def one(req: PaintRequest) -> None:
        try:
            render(req)
        except Exception as exc:  # counted, not raised: the bench reports every kind
            key = _where(exc)
            errors[key] += 1
            first.setdefault(key, req.model_dump(exclude={"out"}))

    one()
    return time.perf_counter() - t0


def board_requests(seeds: int, side: int, errors: collections.Counter, first: dict) -> tuple[int, float]:
    t0, count = time.perf_counter(), 0
    for genre in PRESETS:
        for lang in ("en", "zh"):
            for seed in range(1, seeds + 1):
                brief = Brief.from_mapping({"title": "Bench", "genre": genre.value, "language": lang,
                                            "duration": 60, "logline": "A bench film.", "seed": seed})
                draft = write(brief, seed=seed)
                board = plan(brief, draft.bible, draft.screenplay, Capabilities())
                bible = draft.bible
                for shot in board.shots:
                    if shot.kind != "shot":
                        continue
                    looks = tuple(CharacterLook(id=c.id, name=c.name, look=c.look, wardrobe=c.wardrobe,
                                                color=c.color)
                                  for c in (bible.character(i) for i in shot.characters) if c)
                    loc = bible.location(shot.location)
                    req = PaintRequest(prompt=shot.prompt, width=side * 9 // 16 // 16 * 16 or 16,
                                       height=side, genre=genre.value, framing=shot.framing,
                                       time_of_day=shot.time_of_day,
                                       location=loc.name if loc else shot.location,
                                       motifs=tuple(loc.motifs) if loc else (), characters=looks,
                                       language=lang, seed=seed)
                    count += 1
                    try:
                        render(req)
                    except Exception as exc:
                        key = _where(exc)
                        errors[key] += 1
                        first.setdefault(key, {"film": (genre.value, lang, seed), "shot": shot.id})
    return count, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--side", type=int, default=320, help="board keyframes' height in px")
    args = ap.parse_args()
    errors: collections.Counter = collections.Counter()
    first: dict = {}
    secs = random_requests(args.cases, errors, first)
    print(f"random requests: {args.cases} cases, {secs:.1f} s, {1000 * secs / args.cases:.1f} ms each")
    n, bsecs = board_requests(args.seeds, args.side, errors, first)
    print(f"board keyframes: {n} shots from {len(PRESETS) * 2 * args.seeds} boards, {bsecs:.1f} s, "
          f"{1000 * bsecs / max(1, n):.1f} ms each")
    total = sum(errors.values())
    print(f"exceptions: {total} in {args.cases + n} pictures")
    for key, count in errors.most_common():
        print(f"  {count} x {key}\n     e.g. {first[key]}")
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
