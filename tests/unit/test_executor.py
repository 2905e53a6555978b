"""The executor seam: typed tasks that survive pickling (what Ray does to them), one pool,
the settings that choose a cluster, and a store two processes publish into at once."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from microfilm.cache import Store
from microfilm.config import load_settings
from microfilm.errors import SpecError
from microfilm.executor import is_ray, open_executor, using
from microfilm.fsutil import sha256_file
from microfilm.media.segments import Transition
from microfilm.providers.base import AnimateRequest, PaintRequest, SpeechRequest
from microfilm.spec.bible import VoiceSpec
from microfilm.tasks import (
    ClipTask, KeyframeTask, RunSpec, SegmentTask, SplitTask, TransitionWindowTask, VoiceTask,
)
from tests.store_writer import CHUNK, KEY

ROOT = Path(__file__).resolve().parents[2]


def test_tasks_pickle_to_equal_tasks(tmp_path):
    """Ray ships a task to another process by pickling it: it must come back equal, with
    its typed request intact (a dataclass of pydantic models and paths)."""
    spec = RunSpec(run_id="r1", root=tmp_path, budget=5.0, currency="CNY", usd_to_cny=7.1)
    paint = PaintRequest(kind="keyframe", prompt="rain on a bus stop", width=64, height=112,
                         genre="youth-romance")
    tasks = [
        KeyframeTask(spec=spec, provider="house-painter", request=paint, key="a" * 64, shot_id="s1"),
        ClipTask(spec=spec, provider="runway-gen4", key="b" * 64, shot_id="s1", request=AnimateRequest(
            image=tmp_path / "k.png", image_sha256="c" * 64, duration=4, width=72, height=128,
            fps=24, prompt="she turns")),
        VoiceTask(spec=spec, provider="house-voice", key="d" * 64, request=SpeechRequest(
            text="Hello.", language="en", voice=VoiceSpec(), character="ana")),
        SegmentTask(root=tmp_path, key="e" * 64, job={"clip": "c.mp4", "cues": [], "fps": 24}),
        SplitTask(tmp_path / "s.mp4", None, Transition("dissolve", 0.5), 24, tmp_path, "s0001"),
        TransitionWindowTask(tmp_path / "a.mp4", tmp_path / "b.mp4", Transition("fade", 0.8), 24,
                             tmp_path / "t.mp4", None),
    ]
    for task in tasks:
        back = pickle.loads(pickle.dumps(task))
        assert back == task and type(back) is type(task)
    assert tasks[1].kind == "clip" and tasks[1].capability == "animator" and tasks[1].ext == ".mp4"


class _Square:
    def __init__(self, n: int):
        self.n = n

    def run(self) -> int:
        return self.n * self.n


def test_local_executor_runs_tasks_and_using_reuses_the_runs_executor():
    with open_executor("local", 2) as ex:
        assert [f.result() for f in [ex.submit(_Square(n)) for n in range(5)]] == [0, 1, 4, 9, 16]
        with using(ex, 8) as same:
            assert same is ex
    with using(None, 2) as own:
        assert own is not ex and own.submit(_Square(3)).result() == 9


def test_executor_setting_and_ledger_url_are_checked():
    assert load_settings().executor == "local" and not is_ray("local")
    for ok in ("auto", "127.0.0.1:6379", "head.lan:6379", "ray://10.0.0.2:10001"):
        assert load_settings(executor=ok).executor == ok and is_ray(ok)
    with pytest.raises(SpecError, match="executor"):
        load_settings({"executor": "spark://x"}, source="film.toml [settings]")
    secret = "postgresql://u:s3cret-pw@db/films"
    assert load_settings(ledger_url=secret).ledger_url == secret
    with pytest.raises(SpecError, match="ledger_url") as err:
        load_settings(ledger_url="mysql://u:s3cret-pw@db/films")
    assert "s3cret" not in str(err.value)
    assert "s3cret" not in repr(load_settings(ledger_url=secret))


def test_two_processes_publishing_the_same_asset_leave_one_whole_file(tmp_path):
    """Two writers (two nodes on a shared folder) make the same key at the same time: each
    writes its own temporary file and renames it over the final name, so the asset is whole
    (never interleaved or cut) and no temporary file is left."""
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-m", "tests.store_writer", str(tmp_path), str(go)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    go.touch()
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e.decode()[-800:] for _o, e in outs]
    final = Store(tmp_path).path("clip", KEY, ".mp4")
    assert {o.decode().strip() for o, _e in outs} == {str(final)}
    expected = tmp_path / "expected"
    expected.write_bytes(CHUNK * 128)
    assert final.stat().st_size == 128 * len(CHUNK) and sha256_file(final) == sha256_file(expected)
    assert sorted(p.name for p in final.parent.iterdir()) == [final.name]


def test_a_workers_budget_guard_counts_what_other_workers_committed(tmp_path):
    """On a cluster each worker has its own guard: it reads the shared ledger again before
    each reservation, so a cap another node has nearly spent stops this one too."""
    from microfilm.errors import BudgetExceeded
    from microfilm.providers.pricing import Money
    from microfilm.tasks.runs import LedgerBudgetGuard, context, forget

    spec = RunSpec(run_id="budget", root=tmp_path, budget=5.0, currency="USD")
    guard = context(spec).guard
    assert isinstance(guard, LedgerBudgetGuard)
    ledger = context(spec).ledger
    guard.reserve(Money(2.0, "USD"))  # then recorded, as jobs.execute does
    ledger.record("here", provider="runway-gen4", model="gen4_turbo", capability="animator",
                  shot_id="s1", estimated=Money(2.0, "USD"))
    ledger.record("elsewhere", provider="runway-gen4", model="gen4_turbo",
                  capability="animator", shot_id="s9", estimated=Money(2.5, "USD"))
    with pytest.raises(BudgetExceeded):
        guard.reserve(Money(1.0, "USD"))
    guard.reserve(Money(0.5, "USD"))  # 2.0 here + 2.5 elsewhere + 0.5 = the cap
    forget(spec)


def test_a_paid_film_on_a_remote_cluster_without_a_cluster_ledger_is_refused_first(tmp_path):
    """SQLite on a shared folder is no ledger for many machines: refused before connecting to
    the cluster or sending anything, naming the setting to give."""
    from microfilm import api, pipeline

    root = api.new(tmp_path / "film", title="Far", genre="youth-romance", logline="x", duration=30)
    toml = root / "film.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('animator = "house-animator"',
                                                            'animator = "runway-gen4"'),
                    encoding="utf-8")
    with pytest.raises(SpecError, match="runway-gen4.*10.9.8.7:6379.*ledger_url"):
        pipeline.make(root, stages=["research"], executor="10.9.8.7:6379")
    assert not (root / "research.md").exists()
