"""Bench: the studio under load, idle against loaded in one run, figures and ratios printed.

    .venv/bin/python bench/studio_load.py [--rounds 3] [--workers 1,2] [--json FILE]

What it sets up (tests/studio/load_scenario.py, shared with tests/studio/test_load.py): a
studio on 127.0.0.1 with 5 people in their own workspaces, 10 rendered and published films
(the gallery's cards), then one render per film held running or queued by the fake pipeline
(no ffmpeg, no provider), each with its progress stream open.

What it measures, per round, from a child process (`python -m microfilm.studio.loadcheck`:
stdlib asyncio, plain HTTP/1.1, one fresh connection per request, so the client shares no
interpreter lock with the server):

- idle: 200 gallery pages (/watch) one after another, from the visitor's process;
- the burst: 200 anonymous gallery requests (every other one with a junk `mf_session`
  cookie) and 50 logged-in film-page loads, all sent at once, 10 progress streams open;
- the probe: one more visitor opening the gallery again and again while the burst is served;
- errors of any kind (a status other than 200, a reset, a timeout, a stream that broke).

`--workers` repeats the rounds with other numbers of server processes (`microfilm serve
--workers N`; 1 is how the studio served before), each a fresh studio served the way `serve`
serves it (tests/studio/multiserve.py), so the figures say what the processes buy on this
machine. The goal (issue 9): a visitor's p99 under load within 10x of the gallery idle,
printed against idle p50 (strict) and against idle p99 (like with like). It is this bench's
figure; tests/studio/test_load.py asserts the visitor's median (bench/README.md says why).

Before/after in one session: run this script from the two checkouts in turn, each with its
own `src` on PYTHONPATH (`--rounds 1`, repeated), so both meet the same machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from microfilm.studio.loadcheck import cpu_wait_ms  # noqa: E402
from microfilm.studio.workers import default_workers  # noqa: E402
from tests.studio.conftest import make_tiny_cut  # noqa: E402
from tests.studio.load_scenario import run_check, seed  # noqa: E402
from tests.studio.multiserve import served  # noqa: E402


def one_studio(workers: int, rounds: int, work: Path, cut: Path) -> list[dict]:
    with served(work / f"studio-{workers}", cut, workers) as studio:
        seeded = seed(studio, people=5, films_each=2, gallery=200, film_pages=50, idle_samples=200)
        try:
            return [measured(studio, seeded.plan) for _ in range(rounds)]
        finally:
            seeded.release()


def measured(studio, plan) -> dict:
    """One round's figures, with how long the server's processes waited for a CPU in it (on
    a machine whose cores are all taken, that wait is the latencies' tail)."""
    pids = studio.worker_pids()
    before = {pid: cpu_wait_ms(pid) for pid in pids}
    figures = run_check(plan)
    waits = [(cpu_wait_ms(pid), before[pid]) for pid in pids]
    figures["server_cpu_wait_ms"] = round(sum(a - b for a, b in waits if a is not None and b is not None), 1)
    return figures


def row(name: str, fig: dict) -> str:
    return (f"{name:<34} {fig.get('n', 0):>5} {fig.get('errors', 0):>6} {fig.get('p50_ms', 0):>9.1f} "
            f"{fig.get('p90_ms', 0):>9.1f} {fig.get('p99_ms', 0):>9.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", default=f"1,{max(2, default_workers())}",
                        help="numbers of server processes to compare, comma-separated")
    parser.add_argument("--json", type=Path, help="write every round's figures here")
    args = parser.parse_args()
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="microfilm-load-") as tmp:
        work = Path(tmp)
        cut = make_tiny_cut(work / "film.mp4")
        for workers in (int(t) for t in args.workers.split(",")):
            results[str(workers)] = one_studio(workers, args.rounds, work, cut)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    for workers, rounds in results.items():
        print(f"\nworkers={workers}  ({len(rounds)} rounds; ms)")
        print(f"{'':<34} {'n':>5} {'errors':>6} {'p50':>9} {'p90':>9} {'p99':>9}")
        for i, fig in enumerate(rounds, 1):
            print(f"round {i}")
            for key, name in (("gallery_idle", "gallery, idle"), ("gallery_load", "gallery, in the burst"),
                              ("gallery_load_junk_cookie", "  of which with a junk cookie"),
                              ("gallery_probe_load", "gallery, a visitor during the burst"),
                              ("film_load", "film page (logged in), in the burst"),
                              ("streams", "progress streams (open for)")):
                print(row(f"  {name}", fig[key]))
            print(f"  burst served in {fig['load_wall_s']} s; errors {fig['errors']}; "
                  f"visitor p99 / idle p50 {fig['ratio_probe_p99_load_to_p50_idle']}x, "
                  f"visitor p99 / idle p99 {fig['ratio_probe_p99_load_to_p99_idle']}x, "
                  f"burst p99 / idle p50 {fig['ratio_burst_p99_load_to_p50_idle']}x")
            waits = fig.get("visitor_cpu_wait_ms", {})
            print(f"  waited for a CPU (run queue): server processes {fig.get('server_cpu_wait_ms')} ms in the "
                  f"round; the visitor {waits.get('go')} ms during the burst, {waits.get('idle')} ms over its idle pages")
        median = statistics.median(f["ratio_probe_p99_load_to_p50_idle"] for f in rounds)
        like = statistics.median(f["ratio_probe_p99_load_to_p99_idle"] for f in rounds)
        print(f"  median over rounds: visitor p99 / idle p50 {median}x, visitor p99 / idle p99 {like}x; "
              f"errors {sum(f['errors'] for f in rounds)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
