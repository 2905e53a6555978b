"""Lanes: a paid provider keeps its declared concurrency in flight whatever the cores; work
done on this machine never runs wider than the cores."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from microfilm.lanes import DEFAULT_PAID_CONCURRENCY, Lanes, width
from microfilm.providers.base import AnimateRequest, Capabilities, ProviderInfo


def _info(pid: str, *, paid: bool, concurrency: int | None = None) -> ProviderInfo:
    return ProviderInfo(id=pid, capability="animator", model="m", version="1", paid=paid,
                        capabilities=Capabilities(concurrency=concurrency))


def _most_at_once(lanes: Lanes, jobs: list[ProviderInfo], pool: int) -> dict[str, int]:
    """Run every job (a short wait inside its provider's slot); the most seen at once per id."""
    lock = threading.Lock()
    now: dict[str, int] = {}
    most: dict[str, int] = {}
    gate = threading.Barrier(pool, timeout=5)  # every thread started before any job runs

    def job(info: ProviderInfo) -> None:
        try:
            gate.wait()
        except threading.BrokenBarrierError:
            pass
        with lanes.slot(info):
            with lock:
                now[info.id] = now.get(info.id, 0) + 1
                most[info.id] = max(most.get(info.id, 0), now[info.id])
            time.sleep(0.05)
            with lock:
                now[info.id] -= 1

    with ThreadPoolExecutor(max_workers=pool) as ex:
        list(ex.map(job, jobs))
    return most


def test_a_paid_provider_runs_its_concurrency_on_two_cores() -> None:
    paid = _info("paid-video", paid=True, concurrency=4)
    house = _info("house-animator", paid=False)
    lanes = Lanes(workers=2)
    pool = lanes.pool_size([paid, house])
    assert pool == 2 + 4
    assert lanes.pool_size([paid, house], tasks=30) == 30  # a thread for each waiting task
    most = _most_at_once(lanes, [paid] * 8 + [house] * 4, pool)
    assert most == {"paid-video": 4, "house-animator": 2}


def test_house_providers_share_one_lane_as_wide_as_the_cores() -> None:
    painter, voice = _info("house-painter", paid=False), _info("house-voice", paid=False)
    lanes = Lanes(workers=2)
    assert lanes.pool_size([painter, voice]) == 2  # no paid provider: the pool is the cores
    lock, now, most = threading.Lock(), [0], [0]

    def job(info: ProviderInfo) -> None:
        with lanes.slot(info):
            with lock:
                now[0] += 1
                most[0] = max(most[0], now[0])
            time.sleep(0.03)
            with lock:
                now[0] -= 1

    with ThreadPoolExecutor(max_workers=6) as ex:  # wider than the lane on purpose
        list(ex.map(job, [painter, voice] * 4))
    assert most[0] == 2


def test_widths_come_from_the_declaration_or_the_default() -> None:
    assert width(_info("a", paid=True, concurrency=3), workers=16) == 3
    assert width(_info("b", paid=True), workers=16) == DEFAULT_PAID_CONCURRENCY
    assert width(_info("c", paid=False, concurrency=9), workers=16) == 16


def test_a_paid_call_holds_its_lane_while_the_service_works_not_while_it_downloads(tmp_path) -> None:
    """jobs.execute(slot=...) holds the lane from the submit to the last poll: the download
    and the media check run after the lane is free for the next call."""
    pytest.importorskip("runwayml")
    from contextlib import contextmanager

    from microfilm.ledger import Ledger
    from microfilm.providers.jobs import RetryPolicy, execute
    from microfilm.providers.runway import RunwayGen4
    from tests.fakes import media, runway
    from tests.fakes.server import FakeServer

    seen: list[tuple[str, dict]] = []
    with FakeServer() as server:
        runway.install(server)

        @contextmanager
        def slot():
            seen.append(("enter", dict(server.counts)))
            yield
            seen.append(("exit", dict(server.counts)))

        key = media.keyframe(tmp_path / "k.png")
        req = AnimateRequest(out=tmp_path / "shot.mp4", image=key, image_sha256="0" * 64,
                             duration=2.0, width=72, height=128, fps=24, prompt="she turns")
        execute(RunwayGen4(api_key="rw-test-secret-123456", base_url=server.base_url), req,
                ledger=Ledger(tmp_path / "ledger.sqlite"), slot=slot,
                policy=RetryPolicy(poll_interval=0.01, max_poll_interval=0.02, max_wait=10.0))
        assert req.out.exists() and server.counts["download"] == 1
    (enter, before), (leave, after) = seen
    assert (enter, leave) == ("enter", "exit")
    assert before.get("submit", 0) == 0 and after["submit"] == 1 and after["poll"] >= 1
    assert after.get("download", 0) == 0  # the lane was free before the download began


def test_a_cluster_keeps_the_paid_lanes_and_each_process_its_cpu_lane() -> None:
    """With `shared` (a Ray run's lane board), a paid provider's places are taken there, with
    the provider's width, so every worker process counts against one lane; the CPU lane stays
    this process's own. The board's own logic is checked too (executor.ray_backend.LaneBoard)."""
    from contextlib import contextmanager

    from microfilm.executor.ray_backend import LaneBoard

    board, asked = LaneBoard(), []

    class Shared:
        @contextmanager
        def slot(self, lane: str, width: int):
            asked.append((lane, width))
            token = f"t{len(asked)}"
            assert board.take(lane, width, token)
            try:
                yield
            finally:
                board.give(lane, token)

    lanes = Lanes(2, shared=Shared())
    with lanes.slot(_info("kling", paid=True, concurrency=3)):
        assert board.counts() == {"provider:kling": 1}
    with lanes.slot(_info("house", paid=False)):
        pass
    assert asked == [("provider:kling", 3)] and board.counts() == {"provider:kling": 0}
    assert board.take("x", 2, "a") and board.take("x", 2, "b") and not board.take("x", 2, "c")
    assert board.take("x", 2, "a")  # a holder asking again keeps its place
    board.give("x", "a")
    assert board.take("x", 2, "c")
