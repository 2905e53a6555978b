"""A real local Ray cluster for tests: a head and more nodes, each its own `ray start` process.

Every node listens on 127.0.0.1 only, has the CPUs it is given (one by default), no
dashboard and a small object store. `RayCluster` is a context manager: leaving it kills
every process of every node (each node runs in its own session, found through /proc), so
a failed test leaves nothing running. Starting a node on two busy cores takes ~20 s.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

RAY = Path(sys.executable).with_name("ray")
START_TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_pids(sid: int) -> list[int]:
    """Every live process of the session `sid` (a node and the workers it started)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                pids.append(int(entry))
    return pids


class RayCluster:
    def __init__(self, env: dict[str, str] | None = None):
        pytest.importorskip("ray", reason='Ray is not installed (pip install "microfilm[ray]")')
        # short: Ray's Unix sockets live under it and a socket path is at most 107 bytes
        self.temp = Path(tempfile.mkdtemp(prefix="mfray", dir="/tmp"))
        self.env = dict(os.environ if env is None else env, RAY_USAGE_STATS_ENABLED="0")
        if env is None:  # not the user's home: a ~/.ray/auth_token there turns token auth on
            self.env["HOME"] = str(self.temp / "home")
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.nodes: list[subprocess.Popen] = []

    def _start(self, args: list[str], name: str) -> subprocess.Popen:
        log = open(self.temp / f"{name}.log", "wb")
        node = subprocess.Popen(
            [str(RAY), "start", *args, "--num-cpus", "1", "--node-ip-address", "127.0.0.1",
             "--object-store-memory", str(80 * 1024 * 1024), "--disable-usage-stats", "--block"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.nodes.append(node)
        return node

    def start_head(self) -> subprocess.Popen:
        return self._start(["--head", "--port", str(self.port), "--include-dashboard=false",
                            "--temp-dir", str(self.temp)], "head")

    def add_node(self) -> subprocess.Popen:
        return self._start(["--address", self.address], f"node{len(self.nodes)}")

    def wait_for(self, cpus: int) -> float:
        """Seconds until the cluster (this process connected to it) counts `cpus` alive CPUs."""
        import ray

        t0 = time.monotonic()
        while time.monotonic() - t0 < START_TIMEOUT_S:
            if any(n.poll() is not None for n in self.nodes):
                pytest.fail(f"a Ray node exited: {self.log_tail()}")
            try:
                if not ray.is_initialized():
                    ray.init(address=self.address, log_to_driver=False, configure_logging=False)
                alive = sum(n["Resources"].get("CPU", 0) for n in ray.nodes() if n["Alive"])
                if alive >= cpus:
                    return time.monotonic() - t0
            except (ConnectionError, RuntimeError):
                pass
            time.sleep(0.5)
        pytest.fail(f"the Ray cluster did not reach {cpus} CPUs in {START_TIMEOUT_S} s: "
                    f"{self.log_tail()}")

    def kill(self, node: subprocess.Popen) -> int:
        """SIGKILL a node and every process it started (raylet, its workers); how many."""
        pids = session_pids(node.pid)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        node.wait(timeout=30)
        return len(pids)

    def log_tail(self) -> str:
        return " | ".join(p.read_text(errors="replace")[-600:] for p in self.temp.glob("*.log"))

    def __enter__(self) -> "RayCluster":
        return self

    def __exit__(self, *exc) -> None:
        try:
            import ray

            ray.shutdown()
        except ImportError:
            pass
        for node in reversed(self.nodes):
            if node.poll() is None or session_pids(node.pid):
                self.kill(node)
        shutil.rmtree(self.temp, ignore_errors=True)
