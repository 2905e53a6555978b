"""One of two processes racing on a film's ledger: `python -m tests.race_worker BASE PROJECT GO`.

Waits until the file GO exists (so both racers start together), then animates the same four
keyframes on the fake Ark server through jobs.execute with the project's ledger, two at a
time, and prints one line per clip. Used by tests/unit/test_one_run_per_film.py.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from microfilm.ledger import open_ledger
from microfilm.providers.ark import ArkSeedance
from microfilm.providers.base import AnimateRequest
from microfilm.providers.jobs import RetryPolicy, execute
from tests.fakes import media

SHOTS = 4
POLICY = RetryPolicy(retries=3, base_delay=0.05, max_delay=0.2, poll_interval=0.05,
                     max_poll_interval=0.1, max_wait=60.0)


def main(base_url: str, project: Path, go: Path) -> None:
    frames = project / "keyframes"
    requests = [AnimateRequest(out=project / "clips" / f"s{n}.mp4", image=frames / f"s{n}.png",
                               image_sha256=f"{n:064x}", duration=4, width=72, height=128,
                               fps=24, prompt=f"shot {n}") for n in range(SHOTS)]
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    ledger = open_ledger(project, os.environ.get("MICROFILM_LEDGER_URL", ""))  # "": SQLite
    provider = ArkSeedance(api_key="ark-race-test-key", base_url=f"{base_url}/api/v3", timeout=5.0)

    printing = threading.Lock()

    def one(n: int) -> None:
        result = execute(provider, requests[n], ledger=ledger, shot_id=f"s{n}", policy=POLICY)
        # under a lock: print() writes the text and the newline apart, so two threads could
        # interleave them into "done s0 4.00done s1 4.00\n\n"
        with printing:
            print(f"done s{n} {result.duration:.2f}", flush=True)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, range(SHOTS)))


def prepare(project: Path) -> None:
    frames = project / "keyframes"
    frames.mkdir(parents=True, exist_ok=True)
    for n in range(SHOTS):
        media.keyframe(frames / f"s{n}.png")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
