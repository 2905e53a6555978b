"""What a 4-variant campaign costs against the one film it derives from, measured in one run.

1. one film: `make` of a fresh house film (research to master), timed;
2. the campaign: `batch` of 2 platforms x 2 aspects (douyin, tiktok x 9:16, 1:1) from that
   film: the base is up to date, so this is the four variants alone;
3. the same campaign again: nothing changed, so what an idle batch costs.

Wall seconds depend on what else the machine does; CPU seconds (self + children, from
getrusage) are the figures to compare across runs. It prints, per variant, what it made and
what it took from the base's store: a variant that paints or animates is a defect.

    .venv/bin/python bench/campaign.py              # a 20 s film, about 10 minutes on 2 cores
    .venv/bin/python bench/campaign.py --duration 60
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn):
    w0, c0 = time.monotonic(), _cpu()
    result = fn()
    return result, time.monotonic() - w0, _cpu() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="the base film's seconds")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mf-campaign-bench.") as tmp:
        root = Path(tmp)
        os.environ["HOME"] = str(root / "home")  # no user config leaks into the figures
        from microfilm import api
        from microfilm.campaign.make import make_campaign

        film = api.new(root / "film", title="The Umbrella", genre="youth-romance",
                       logline="Two strangers share an umbrella at a bus stop.",
                       duration=args.duration, seed=7)
        _, film_wall, film_cpu = _timed(lambda: api.make(film))
        camp = root / "camp"
        camp.mkdir()
        (camp / "campaign.toml").write_text(
            'base = "../film"\n[matrix]\nplatforms = ["douyin", "tiktok"]\n'
            'aspects = ["9:16", "1:1"]\ncovers = ["a", "b"]\n', "utf-8")
        status, camp_wall, camp_cpu = _timed(lambda: make_campaign(camp / "campaign.toml"))
        _, idle_wall, idle_cpu = _timed(lambda: make_campaign(camp / "campaign.toml"))

    rows = [("one film (make)", film_wall, film_cpu),
            ("4-variant campaign (batch, base up to date)", camp_wall, camp_cpu),
            ("the same batch again (nothing changed)", idle_wall, idle_cpu)]
    print(f"base film: {args.duration:g} s house film\n")
    print(f"{'case':<46} {'wall s':>8} {'CPU s':>8} {'x one film (CPU)':>17}")
    for name, wall, cpu in rows:
        print(f"{name:<46} {wall:>8.1f} {cpu:>8.1f} {cpu / film_cpu:>16.2f}x")
    print(f"\nper variant (CPU of the campaign / 4 / one film): {camp_cpu / 4 / film_cpu:.2f}x")
    print("\nvariant                 wall s  made                              from the store")
    for v in status.variants:
        made = ", ".join(f"{n} {k}" for k, n in sorted(v.made.items())) or "-"
        print(f"{v.name:<22} {v.elapsed_s:>7.1f}  {made:<33} {sum(v.reused.values())}")
    painted = [v.name for v in status.variants if {"keyframe", "clip"} & set(v.made)]
    print("\nkeyframes or clips made by a variant: " + (", ".join(painted) if painted else "none"))
    if args.json:
        args.json.write_text(json.dumps({
            "film_s": args.duration, "cases": [{"case": n, "wall_s": round(w, 2), "cpu_s": round(c, 2)}
                                               for n, w, c in rows],
            "variants": [v.model_dump() for v in status.variants]}, indent=1))


if __name__ == "__main__":
    main()
