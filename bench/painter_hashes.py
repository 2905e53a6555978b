"""Before/after check of the house painter: the same requests, the same pictures, byte for byte.

Why: a refactor of the painter (word tables moved to data files, rooms split into drawer
modules, figures into body-part drawers) must not change a single pixel, and a drawing changed
on purpose must change only the pictures it should. `--save` paints a fixed set of requests
(keyframes from real house boards, 6 genres x 2 languages, plus random requests over every
kind of place, framing, hour and cast) and stores each request with the sha256 of its pixels;
`--compare` paints the stored requests again with the current code and lists what differs,
grouped by the place kind the painter read.

    .venv/bin/python bench/painter_hashes.py --save /tmp/painter-before.json
    (change the code)
    .venv/bin/python bench/painter_hashes.py --compare /tmp/painter-before.json
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from microfilm.form import PRESETS  # noqa: E402
from microfilm.providers.base import Capabilities, CharacterLook, PaintRequest  # noqa: E402
from microfilm.providers.house.painter import render  # noqa: E402
from microfilm.providers.house.writer import write  # noqa: E402
from microfilm.spec.brief import Brief  # noqa: E402
from microfilm.stages.board import plan  # noqa: E402
from tests import painter_cases as pool  # noqa: E402


def board_requests(seeds: int, width: int, height: int) -> list[PaintRequest]:
    """Every story shot of house boards, as the generate stage would ask for its keyframe."""
    out = []
    for genre in (g.value for g in PRESETS):
        for lang in ("en", "zh"):
            for seed in range(seeds):
                brief = Brief.from_mapping({"title": "Hash", "genre": genre, "language": lang,
                                            "duration": 60, "logline": "A test film.", "seed": seed})
                draft = write(brief, seed=seed)
                board = plan(brief, draft.bible, draft.screenplay, Capabilities())
                for shot in (s for s in board.shots if s.kind == "shot"):
                    loc = draft.bible.location(shot.location)
                    cast = [draft.bible.character(c) for c in shot.characters]
                    out.append(PaintRequest(
                        kind="keyframe", prompt=shot.prompt, width=width, height=height,
                        genre=genre, framing=shot.framing, time_of_day=shot.time_of_day,
                        location=loc.name if loc else shot.location,
                        motifs=tuple(loc.motifs) if loc else (),
                        characters=tuple(CharacterLook(id=c.id, name=c.name, look=c.look,
                                                       wardrobe=c.wardrobe, color=c.color)
                                         for c in cast if c),
                        seed=seed))
    return out


def random_requests(n: int, rng: random.Random) -> list[PaintRequest]:
    """Requests over the property test's space, drawn by a seeded `random` (reproducible)."""
    out = []
    for i in range(n):
        chars = tuple(CharacterLook(id=f"c{j}", name=rng.choice(["Mei", "老王", "Howard", "X"]),
                                    look=rng.choice(pool.LOOKS), wardrobe=rng.choice(pool.WARDROBES),
                                    color=rng.choice(["#b8372c", "#2f7a4c", "#000000"]))
                      for j in range(rng.randint(0, 4)))
        sides = [f"{c.name} on the {rng.choice(['left', 'right', 'center'])}" for c in chars]
        prompt = ". ".join([rng.choice(pool.INOUT), " ".join(rng.sample(pool.PROPS, rng.randint(0, 3))),
                            ", ".join(sides[:2])])
        out.append(PaintRequest(
            kind=rng.choice(["keyframe", "keyframe", "keyframe", "cover"]), prompt=prompt,
            width=rng.choice([96, 160, 200]), height=rng.choice([120, 200, 284]),
            genre=rng.choice(pool.GENRES), framing=rng.choice(pool.FRAMINGS_ALL),
            time_of_day=rng.choice(pool.TIMES), location=rng.choice(pool.PLACES),
            motifs=tuple(rng.sample(pool.PROPS, rng.randint(0, 2))), characters=chars,
            seed=rng.randint(0, 2**31 - 1), title=rng.choice(["", "Title"])))
    return out


def digest(req: PaintRequest) -> str:
    img = render(req)
    return hashlib.sha256(img.tobytes() + repr((img.mode, img.size)).encode()).hexdigest()


def place_of(req: PaintRequest) -> str:
    from microfilm.providers.house import painter

    s = painter.read_setting(req.location, req.motifs, req.prompt, req.time_of_day, req.genre)
    return f"{'INT' if s.interior else 'EXT'} {s.kind}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path)
    mode.add_argument("--compare", type=Path)
    ap.add_argument("--random", type=int, default=200)
    ap.add_argument("--seeds", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.save:
        reqs = board_requests(args.seeds, 144, 256) + random_requests(args.random, random.Random(11))
        rows = [{"request": r.model_dump(mode="json", exclude={"out"}), "sha256": digest(r)} for r in reqs]
        args.save.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        print(f"saved {len(rows)} pictures in {time.perf_counter() - t0:.1f} s -> {args.save}")
        return
    rows = json.loads(args.compare.read_text(encoding="utf-8"))
    changed: collections.Counter = collections.Counter()
    same: collections.Counter = collections.Counter()
    for row in rows:
        req = PaintRequest.model_validate(row["request"])
        (same if digest(req) == row["sha256"] else changed)[place_of(req)] += 1
    print(f"{len(rows)} pictures in {time.perf_counter() - t0:.1f} s: "
          f"{sum(same.values())} byte-identical, {sum(changed.values())} changed")
    for place in sorted(set(same) | set(changed)):
        print(f"  {place:<18} same {same[place]:>4}  changed {changed[place]:>4}")


if __name__ == "__main__":
    main()
