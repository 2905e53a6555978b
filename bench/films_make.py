"""Every film `make`s: the house pipeline end to end over genres x languages x seeds.

For each film: `microfilm new` (through the API), `make` (research .. master), then the board
lint on the storyboard made, and a probe of out/film.mp4 (a video and an audio stream, the
duration near the board's). Prints per film the seconds, the shots, the lint findings and
any error; then the totals. The full run is 20 seeds x 6 genres x 2 languages = 240 films
(hours on 2 cores); `--seeds 1 --genres grassroots-spoof` makes a handful.

    .venv/bin/python bench/films_make.py --seeds 20
    .venv/bin/python bench/films_make.py --seeds 1 --langs zh --duration 30
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microfilm import api  # noqa: E402
from microfilm.direction.lint import lint  # noqa: E402
from microfilm.form import PRESETS  # noqa: E402
from microfilm.media.probe import probe  # noqa: E402
from microfilm.spec import fountain  # noqa: E402
from microfilm.spec.bible import Bible  # noqa: E402
from microfilm.spec.storyboard import Storyboard  # noqa: E402

TITLES = {"en": ("The <b>Boss</b> & Me", "An intern swaps phones with the CEO."),
          "zh": ("最后一班车", "一个从不说爱的父亲，每晚都在末班车站等女儿。")}


def one(root: Path, genre: str, lang: str, seed: int, duration: int) -> tuple[int, int, str]:
    title, logline = TITLES[lang]
    api.new(root, title=title, genre=genre, logline=logline, language=lang, duration=duration,
            seed=seed)
    api.make(root)
    board = Storyboard.load(root / "storyboard.yaml")
    findings = lint(board, fountain.load(root / "screenplay.fountain"), Bible.load(root / "bible.yaml"))
    info = probe(root / "out" / "film.mp4")
    if not info.video or not info.audio:
        return len(board.shots), len(findings), "film.mp4 lacks a video or an audio stream"
    if info.duration is None or abs(info.duration - board.duration) > 1.0:
        return len(board.shots), len(findings), f"film {info.duration} s, board {board.duration:.1f} s"
    return len(board.shots), len(findings), ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=20, help="the last seed")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--genres", default=",".join(g.value for g in PRESETS))
    ap.add_argument("--langs", default="en,zh")
    ap.add_argument("--duration", type=int, default=40)
    ap.add_argument("--keep", type=Path, help="make the films here and keep them")
    args = ap.parse_args()
    t_all = time.perf_counter()
    made = failed = lint_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        # Seeds outermost: a run cut short has still covered every genre and language.
        for seed in range(args.first_seed, args.seeds + 1):
            for genre in args.genres.split(","):
                for lang in args.langs.split(","):
                    root = base / f"{genre}-{lang}-{seed}"
                    t0 = time.perf_counter()
                    try:
                        shots, findings, problem = one(root, genre, lang, seed, args.duration)
                    except Exception as exc:  # reported, the run goes on
                        shots, findings = 0, 0
                        problem = f"{type(exc).__name__}: {exc} @ " + " < ".join(
                            f"{Path(f.filename).name}:{f.lineno}"
                            for f in reversed(traceback.extract_tb(exc.__traceback__)[-3:]))
                    secs = time.perf_counter() - t0
                    made += not problem
                    failed += bool(problem)
                    lint_total += findings
                    print(f"{genre:24s} {lang} seed {seed:2d}: {secs:6.1f} s, {shots:3d} shots, "
                          f"{findings} lint findings{'  FAILED ' + problem if problem else ''}",
                          flush=True)
    print(f"films made: {made}, failed: {failed}, lint findings: {lint_total}, "
          f"{time.perf_counter() - t_all:.0f} s in all")
    return 1 if failed or lint_total else 0


if __name__ == "__main__":
    raise SystemExit(main())
