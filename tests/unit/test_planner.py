"""`estimate` prices exactly what `generate` sends: one planner for the keyframe size, and a
paid painter asked for the size the animator needs, not the house animator's oversize."""

from __future__ import annotations

import pytest

pytest.importorskip("openai")

from microfilm import api
from microfilm.estimate import estimate_plan
from microfilm.ledger import Ledger
from microfilm.project import Project
from microfilm.providers import planner, registry
from microfilm.providers.openai_media import OpenAIImage, image_size
from microfilm.providers.base import AnimateRequest, PaintRequest
from microfilm.spec.bible import Bible
from microfilm.spec.storyboard import Storyboard
from tests.fakes import openai as fake_openai
from tests.fakes.server import FakeServer


def _film(tmp_path, painter: str, animator: str = "house-animator"):
    root = tmp_path / "film"
    api.new(root, title="The Umbrella", genre="youth-romance", logline="Two strangers share an umbrella.",
            language="en", duration=20, seed=5, budget=20, currency="USD")
    toml = root / "film.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('painter = "house-painter"', f'painter = "{painter}"')
    text = text.replace('animator = "house-animator"', f'animator = "{animator}"')
    toml.write_text(text, encoding="utf-8")
    return root


def test_keyframe_size_follows_the_animator():
    house = registry.entries()["house-animator"].info
    runway = registry.entries()["runway-gen4"].info  # renders 720x1280 for 9:16
    wan = registry.entries()["dashscope-wan"].info  # any size
    assert planner.keyframe_size(1080, 1920, house, 1.2) == (1296, 2304)
    assert planner.keyframe_size(1080, 1920, runway, 1.2) == (720, 1280)
    assert planner.keyframe_size(1080, 1920, wan, 1.2) == (1080, 1920)


@pytest.mark.e2e  # a whole make through the pipeline: not in the fast lane
def test_estimate_prices_the_keyframes_generate_paints(tmp_path, monkeypatch):
    with FakeServer() as server:
        fake_openai.install(server)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/v1")
        root = _film(tmp_path, "openai-image")
        api.make(root, stages=["research", "develop", "board", "generate"])
        sent = list(server.sizes_seen)
    project = Project.at(root)
    board = Storyboard.load(project.storyboard)
    cast = len(Bible.load(project.bible).characters)
    plan = estimate_plan(project.brief(), board, characters=cast)
    estimated = sum(ln.cost for ln in plan.lines if ln.capability == "painter" and ln.paid)
    rows = [r for r in Ledger.for_project(root).rows() if r.capability == "painter"]
    charged = sum(r.estimated_cost for r in rows)
    shots = [s for s in board.shots if s.kind == "shot"]
    # the keyframes went out at the house animator's oversize, and were priced at it
    assert sent.count("%dx%d" % image_size(1296, 2304)) == len(shots)
    assert len(rows) == len(sent) and charged > 0
    assert estimated == pytest.approx(charged, abs=1e-3)


def test_paid_painter_is_priced_at_the_paid_animators_size(tmp_path):
    from microfilm.estimate import _sketch
    from microfilm.providers.pricing import estimate

    root = _film(tmp_path, "openai-image", "runway-gen4")
    brief = Project.at(root).brief()
    board = _sketch(brief)
    plan = estimate_plan(brief, board, characters=0)
    keyframe = OpenAIImage().price(PaintRequest(prompt="", width=720, height=1280, genre="x"))
    oversized = OpenAIImage().price(PaintRequest(prompt="", width=1296, height=2304, genre="x"))
    runway = registry.entries()["runway-gen4"].info  # renders 720x1280 for 9:16
    shots = [s for s in board.shots if s.kind == "shot"]
    assert shots
    for shot in shots:
        clip = estimate(runway, AnimateRequest(image="k.png", image_sha256="", duration=shot.duration,
                                               width=1080, height=1920))
        assert plan.by_shot[shot.id] == pytest.approx(keyframe.amount + clip.amount, abs=1e-4)
    assert keyframe.amount < oversized.amount / 2  # what the old estimate (and generate) used
