"""Board lint over many films without rendering: the house writer drafts, the house director
boards, the lint (microfilm.direction.lint) checks; figures: boards, shots, findings by kind.

    .venv/bin/python bench/board_lint.py               # 20 seeds x 6 genres x 2 languages
    .venv/bin/python bench/board_lint.py --seeds 3

It also counts, as the baseline of the same run, how often the script itself gives a
heard-only character (V.O., phone, 画外音) a scene: the cases the director must keep off screen.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microfilm.direction.lint import lint  # noqa: E402
from microfilm.direction.staging import stage  # noqa: E402
from microfilm.form import PRESETS  # noqa: E402
from microfilm.providers.base import Capabilities  # noqa: E402
from microfilm.providers.house.writer import write  # noqa: E402
from microfilm.spec.brief import Brief  # noqa: E402
from microfilm.stages.board import plan  # noqa: E402

CAPS = {"any length": Capabilities(), "5/10 s": Capabilities(durations=(5, 10), max_duration=10)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--duration", type=int, default=60)
    args = ap.parse_args()
    t0 = time.perf_counter()
    boards = shots = heard_scenes = 0
    codes: collections.Counter = collections.Counter()
    examples: dict[str, str] = {}
    for genre in PRESETS:
        for lang in ("en", "zh"):
            for seed in range(1, args.seeds + 1):
                brief = Brief.from_mapping({"title": "Bench", "genre": genre.value, "language": lang,
                                            "duration": args.duration, "logline": "A bench film.",
                                            "seed": seed})
                draft = write(brief, seed=seed)
                heard_scenes += sum(1 for st in stage(draft.screenplay, draft.bible) if st.heard)
                for caps in CAPS.values():
                    board = plan(brief, draft.bible, draft.screenplay, caps)
                    boards += 1
                    shots += sum(1 for s in board.shots if s.kind == "shot")
                    for f in lint(board, draft.screenplay, draft.bible):
                        codes[f.code] += 1
                        examples.setdefault(f.code, f"{genre.value} {lang} seed {seed}: {f}")
    secs = time.perf_counter() - t0
    print(f"{boards} boards ({len(PRESETS)} genres x 2 languages x {args.seeds} seeds x "
          f"{len(CAPS)} animator kinds), {shots} shots, {secs:.1f} s")
    print(f"scenes where the script has a heard-only character: {heard_scenes}")
    print(f"staging findings: {sum(codes.values())}")
    for code, n in codes.most_common():
        print(f"  {n} x {code}, e.g. {examples[code]}")
    return 1 if codes else 0


if __name__ == "__main__":
    raise SystemExit(main())
