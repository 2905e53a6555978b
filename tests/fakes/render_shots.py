"""A 12-shot render for the kill -9 test: `python -m tests.fakes.render_shots BASE_URL PROJECT [lipsync]`.

Animates 12 keyframes on the fake Runway server (or, with `lipsync`, fits 12 spoken lines to
12 clips on the fake fal lip-sync queue) through jobs.execute with the project's ledger,
three shots at a time, and prints one line per finished shot.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from microfilm.ledger import Ledger
from microfilm.providers.base import AnimateRequest, LipSyncRequest
from microfilm.providers.fal import FalLipSync
from microfilm.providers.jobs import RetryPolicy, execute
from microfilm.providers.pricing import BudgetGuard
from microfilm.providers.runway import RunwayGen4
from tests.fakes import media

SHOTS = 12
POLICY = RetryPolicy(retries=6, base_delay=0.05, max_delay=0.2, poll_interval=0.05,
                     max_poll_interval=0.1, max_wait=60.0)


def requests(project: Path) -> list[AnimateRequest]:
    frames = project / "keyframes"
    frames.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(SHOTS):
        key = frames / f"s{n:02d}.png"
        if not key.exists():
            media.keyframe(key)
        out.append(AnimateRequest(out=project / "clips" / f"s{n:02d}.mp4", image=key,
                                  image_sha256=f"{n:064x}", duration=2 + (n % 3),
                                  width=72, height=128, fps=24, prompt=f"shot {n}"))
    return out


def lipsync_requests(project: Path) -> list[LipSyncRequest]:
    src = project / "drafts"
    src.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(SHOTS):
        clip, line = src / f"s{n:02d}.mp4", src / f"s{n:02d}.wav"
        if not clip.exists():
            clip.write_bytes(media.clip(float(2 + (n % 3))))
            line.write_bytes(media.audio(1.0 + 0.1 * n, "wav"))
        out.append(LipSyncRequest(out=project / "clips" / f"s{n:02d}.mp4", video=clip,
                                  video_sha256=f"{n:064x}", audio=line,
                                  audio_sha256=f"{n + 100:064x}", duration=2 + (n % 3),
                                  width=72, height=128, fps=24))
    return out


def main(base_url: str, project: Path, mode: str = "animate") -> None:
    ledger = Ledger.for_project(project)
    guard = BudgetGuard(limit=100.0, currency="USD", spent=ledger.committed("USD"))
    if mode == "lipsync":
        provider, made = FalLipSync(api_key="fal-kill-test-key", base_url=base_url, timeout=5.0), \
            lipsync_requests(project)
    else:
        provider, made = RunwayGen4(api_key="rw-kill-test-key", base_url=base_url, timeout=5.0), \
            requests(project)

    def one(pair: tuple[int, AnimateRequest]) -> None:
        n, req = pair
        result = execute(provider, req, ledger=ledger, budget_guard=guard,
                         shot_id=f"s{n:02d}", policy=POLICY)
        print(f"done s{n:02d} {result.duration:.2f}", flush=True)

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(one, enumerate(made)))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:4])
