"""Multi-shot calls: the planner groups consecutive shots of one scene for an animator that
renders several shots in one call, Kling 3 sends them as one task, a kill -9 mid-job resumes
without a second submission, and the clip is cut back into the planned frames (ffprobe)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from microfilm.ledger import Ledger, Status
from microfilm.media import ffmpeg
from microfilm.providers import planner, registry
from microfilm.spec.storyboard import Shot
from tests.fakes import kling as fake_kling
from tests.fakes import render_multishot
from tests.fakes.ledger_probe import kill_9_when, ledger_counts
from tests.fakes.server import FakeServer

ROOT = Path(__file__).resolve().parents[2]


def _frames(path: Path) -> int:
    """Frames in the file's picture, counted by decoding (ffprobe -count_frames)."""
    probe = Path(ffmpeg.ffmpeg_exe()).with_name("ffprobe")
    out = subprocess.run([str(probe) if probe.exists() else "ffprobe", "-v", "error",
                          "-count_frames", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_frames", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return int(json.loads(out)["streams"][0]["nb_read_frames"])


def _shot(sid: str, scene: int, group: str, duration: float = 2.0, kind: str = "shot") -> Shot:
    return Shot(id=sid, scene=scene, group=group, duration=duration, kind=kind)


def test_runs_follow_group_scene_and_the_animators_limits():
    kling = registry.entries()["kling-v3"].info  # 6 shots, 15 s a call
    shots = [_shot("title", 0, "", kind="title"), _shot("a", 1, "g"), _shot("b", 1, "g"),
             _shot("c", 2, "g"),  # another scene: not with a, b
             _shot("d", 2, "g"), _shot("e", 2, ""), _shot("f", 3, "h", 9.5), _shot("g", 3, "h", 6.0),
             *[_shot(f"x{i}", 4, "x") for i in range(8)]]
    runs = [[s.id for s in r] for r in planner.multishot_runs(shots, kling)]
    # f (10 s asked) + g (6 s) is over 15 s: no run; eight 2 s shots: 6 then 2
    assert runs == [["a", "b"], ["c", "d"], [f"x{i}" for i in range(6)], ["x6", "x7"]]
    assert planner.multishot_runs(shots, registry.entries()["house-animator"].info) == []
    assert planner.multishot_runs(shots, registry.entries()["runway-gen4.5"].info) == []


def test_estimate_prices_a_run_as_one_job(tmp_path):
    from microfilm import api
    from microfilm.estimate import estimate_plan
    from microfilm.project import Project
    from microfilm.spec.storyboard import Storyboard

    root = tmp_path / "film"
    api.new(root, title="Rain", genre="youth-romance", logline="Two strangers share an umbrella.",
            language="en", duration=20, seed=5, budget=50, currency="USD")
    toml = root / "film.toml"
    toml.write_text(toml.read_text().replace('animator = "house-animator"', 'animator = "kling-v3"'))
    shots = [Shot(id="title", kind="title", duration=2.0), _shot("s1", 1, "g", 2.5),
             _shot("s2", 1, "g", 1.75), _shot("s3", 1, "g", 3.0), _shot("s4", 2, "", 4.0)]
    board = Storyboard(title="Rain", shots=shots)
    plan = estimate_plan(Project.at(root).brief(), board)
    animator = next(ln for ln in plan.lines if ln.provider == "kling-v3")
    assert animator.items == 2  # one job for s1-s3, one for s4
    price = registry.entries()["kling-v3"].info.price.amount
    assert animator.cost == pytest.approx(price * (3 + 2 + 3 + 4))


def _run(base_url: str, project: Path, home: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(home), KLING_ACCESS_KEY="kling-access",
               KLING_SECRET_KEY=fake_kling.SECRET)
    return subprocess.Popen([sys.executable, "-m", "tests.fakes.render_multishot", base_url, str(project)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.e2e  # two subprocess renders and a kill: out of the fast lane, like the other kill tests
@pytest.mark.timeout(240)
def test_kill_9_mid_multishot_job_resumes_without_a_second_submission(tmp_path, capsys):
    with FakeServer() as server:
        fake_kling.install(server)
        server.polls_to_finish = 10  # each job takes ~10 polls, so the kill lands mid-flight
        project = tmp_path / "film"
        db = project / ".microfilm" / "ledger.sqlite"
        first = _run(server.base_url, project, tmp_path)
        kill_9_when(first, lambda: ledger_counts(db).get("submitted", 0) >= 2, timeout=90)
        at_kill = ledger_counts(db)
        submits_at_kill = server.counts["multi_shot_submit"]

        second = _run(server.base_url, project, tmp_path)
        _, err = second.communicate(timeout=180)
        assert second.returncode == 0, err.decode()[-3000:]

        rows = Ledger.for_project(project).rows()
        assert len(rows) == render_multishot.RUNS and all(r.status == Status.DONE for r in rows)
        assert server.counts["jobs_created"] == render_multishot.RUNS  # one task per run, in all
        assert server.counts["multi_shot_submit"] == render_multishot.RUNS  # zero duplicates
        body = server.kling_bodies[0]
        assert [p["duration"] for p in body["multi_prompt"]] == ["3", "2", "3"]
        assert body["duration"] == "8" and "prompt" not in body

    fps = render_multishot.FPS
    want = [round(d * fps) for d in render_multishot.DURATIONS]  # 60, 42, 72 frames
    for r in range(render_multishot.RUNS):
        got = [_frames(project / "shots" / f"r{r}s{i}.mp4") for i in range(3)]
        assert got == want, f"run {r}: {got} frames, planned {want}"
    with capsys.disabled():
        print(f"\nmulti-shot kill -9: ledger at kill {at_kill}, multi-shot submissions before the kill "
              f"{submits_at_kill}, after resume {server.counts['multi_shot_submit']} for "
              f"{render_multishot.RUNS} runs (duplicates 0); cut-back frames per run {want}")


@pytest.mark.e2e  # a whole make through the pipeline: not in the fast lane
@pytest.mark.timeout(600)
def test_generate_sends_a_grouped_scene_as_one_call_and_cuts_it_back(tmp_path, monkeypatch):
    from microfilm import api
    from microfilm.media.segments import frames_for
    from microfilm.project import Project
    from microfilm.spec.manifest import Manifest
    from microfilm.spec.storyboard import Storyboard

    with FakeServer() as server:
        fake_kling.serve(server, monkeypatch)
        root = tmp_path / "film"
        api.new(root, title="One Take", genre="youth-romance", logline="Two strangers share an umbrella.",
                language="en", duration=20, seed=5, budget=50, currency="USD")
        toml = root / "film.toml"
        toml.write_text(toml.read_text().replace('animator = "house-animator"', 'animator = "kling-v3"')
                        .replace("[settings]", "[settings]\napprove_before_animating = false"))
        api.make(root, stages=["research", "develop", "board"])
        project = Project.at(root)
        board = Storyboard.load(project.storyboard)
        story = [s for s in board.shots if s.kind == "shot"]
        pair = (story[0], story[1])  # a short film has a shot a scene: make these two one scene
        pair[1].scene = pair[0].scene
        for s in pair:
            s.group = "together"
        board.save(project.storyboard)
        api.make(root, stages=["generate"])
        assert server.counts["multi_shot_submit"] == 1
        assert server.counts["jobs_created"] == len(story) - 1  # two shots, one call
        manifest = Manifest.load(project.manifest_json)
        by_id = {a.shot_id: a for a in manifest.shots}
        for s in pair:
            clip = root / by_id[s.id].clip
            assert _frames(clip) == frames_for(s.duration, board.fps)
            assert by_id[s.id].clip_has_audio
        assert by_id[pair[0].id].clip != by_id[pair[1].id].clip
        api.make(root)  # and the cut and master take the cut-back shots like any others
        assert server.counts["jobs_created"] == len(story) - 1  # nothing sent again
    qc = json.loads((root / "out" / "qc.json").read_text(encoding="utf-8"))
    assert (root / "out" / "film.mp4").exists() and qc["spend"]["total"] > 0


def test_a_refused_run_leaves_each_of_its_shots_to_be_made_alone():
    """The provider refuses the run's one call: every shot of the run comes back None (then
    generate makes each alone), the refusal is logged once, and nothing is cut."""
    from concurrent.futures import Future
    from types import SimpleNamespace

    from microfilm.stages.multishot import MultiShotCalls
    from microfilm.tasks import AssetResult

    shots = [_shot("a", 1, "g"), _shot("b", 1, "g"), _shot("c", 1, "g")]
    logged: list[dict] = []
    refused = AssetResult(path=Path(), made=False, refused="kling-v3 refused sc01: policy")
    gen = SimpleNamespace(board=SimpleNamespace(shots=shots), review=False,
                          animator=SimpleNamespace(info=registry.entries()["kling-v3"].info),
                          _took=lambda fut, kind: fut.result(),
                          ctx=SimpleNamespace(store=SimpleNamespace(log=logged.append)))
    calls = MultiShotCalls(gen)
    assert [tuple(s.id for s in run) for run in calls.runs] == [("a", "b", "c")]
    fut: Future = Future()
    fut.set_result(refused)
    assert calls.made([(calls.runs[0], None, fut)]) == {"a": None, "b": None, "c": None}
    assert len(logged) == 1 and logged[0]["shots"] == ["a", "b", "c"]
