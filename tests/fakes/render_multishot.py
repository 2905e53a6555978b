"""Multi-shot runs for the kill -9 test: `python -m tests.fakes.render_multishot BASE_URL PROJECT`.

Four runs of three shots each go to the fake Kling 3 server as one multi-shot task per run
(jobs.execute with the project's ledger, two runs at a time); each finished clip is cut back
into its planned shots (stages.multishot.cut_points, media.clip_split), as generate does.
Prints one line per finished run.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from microfilm.ledger import Ledger
from microfilm.media.clip_split import split_at_frames
from microfilm.providers import planner
from microfilm.providers.base import MultiShotRequest, ShotPart
from microfilm.providers.jobs import RetryPolicy, execute
from microfilm.providers.kling import KlingV3
from microfilm.providers.pricing import BudgetGuard
from microfilm.spec.storyboard import Shot
from microfilm.stages.multishot import cut_points
from tests.fakes import media

RUNS = 4
FPS = 24
DURATIONS = (2.5, 1.75, 3.0)  # planned seconds of each run's three shots: 3 + 2 + 3 asked
POLICY = RetryPolicy(retries=6, base_delay=0.05, max_delay=0.2, poll_interval=0.05,
                     max_poll_interval=0.1, max_wait=60.0)


def runs(project: Path) -> list[tuple[tuple[Shot, ...], MultiShotRequest]]:
    frames = project / "keyframes"
    frames.mkdir(parents=True, exist_ok=True)
    caps = KlingV3.info.capabilities
    out = []
    for r in range(RUNS):
        key = frames / f"run{r}.png"
        if not key.exists():
            key.write_bytes(media.png(72, 128, (40 * r, 90, 160)))
        shots = tuple(Shot(id=f"r{r}s{i}", scene=r + 1, group=f"g{r}", duration=d)
                      for i, d in enumerate(DURATIONS))
        parts = tuple(ShotPart(shot_id=s.id, prompt=f"run {r} shot {i}: a face turns to the window",
                               seconds=planner.part_seconds(s.duration, caps))
                      for i, s in enumerate(shots))
        out.append((shots, MultiShotRequest(
            out=project / "clips" / f"run{r}.mp4", image=key, image_sha256=f"{r:064x}",
            duration=float(sum(p.seconds for p in parts)), width=72, height=128, fps=FPS,
            prompt=parts[0].prompt, shots=parts)))
    return out


def main(base_url: str, project: Path) -> None:
    ledger = Ledger.for_project(project)
    guard = BudgetGuard(limit=100.0, currency="USD", spent=ledger.committed("USD"))
    kling = KlingV3(base_url=base_url, timeout=5.0)

    def one(item: tuple[int, tuple[tuple[Shot, ...], MultiShotRequest]]) -> None:
        r, (shots, req) = item
        execute(kling, req, ledger=ledger, budget_guard=guard, shot_id=shots[0].id, policy=POLICY)
        starts, counts = cut_points(shots, [p.seconds for p in req.shots], FPS)
        outs = [project / "shots" / f"{s.id}.mp4" for s in shots]
        outs[0].parent.mkdir(parents=True, exist_ok=True)
        split_at_frames(req.out, outs, starts, counts, FPS)
        print(f"done run{r}", flush=True)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, enumerate(runs(project))))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
