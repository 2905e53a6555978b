"""One of two processes publishing the same asset: `python -m tests.store_writer ROOT GO SEED`.

Waits for the file GO (so both start together), then produces one key in the store, writing
its 8 MiB in small chunks so the two writes overlap. Both processes write the same bytes, as
two nodes making the same asset do. Prints the published path. Used by tests/test_executor.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from microfilm.cache import Store

KEY = "ef" * 32
CHUNK = bytes(range(256)) * 256  # 64 KiB


def main(root: Path, go: Path) -> None:
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.002)

    def make(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            for _ in range(128):
                fh.write(CHUNK)
                fh.flush()
                time.sleep(0.002)

    print(Store(root).produce("clip", KEY, ".mp4", make), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
