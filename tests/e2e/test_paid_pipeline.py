"""A film whose animator is a paid provider (Runway, on the local fake server): the budget
is a hard cap checked before each call, spend shows per shot in status and qc.json, a
refused shot is reported and made by the house animator while the film goes on, and a
re-run submits nothing again. Cards never reach the paid provider."""

from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("runwayml")

from microfilm import api
from microfilm.errors import BudgetExceeded
from microfilm.estimate import estimate_plan
from microfilm.ledger import Ledger
from microfilm.project import Project
from microfilm.providers.runway import RunwayGen4
from microfilm.spec.storyboard import Storyboard
from tests.fakes import runway
from tests.fakes.server import FakeServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server():
    with FakeServer() as s:
        runway.install(s)
        s.polls_to_finish = 2
        yield s


@pytest.fixture
def paid_env(server, monkeypatch):
    monkeypatch.setenv("RUNWAYML_API_SECRET", "key_test_0123456789abcdef")
    monkeypatch.setenv("RUNWAYML_BASE_URL", server.base_url)
    monkeypatch.setattr(RunwayGen4, "poll_every_s", 0.05, raising=False)
    return server


def _new(tmp_path, budget: float):
    root = tmp_path / "film"
    api.new(root, title="The Paid Shot", genre="youth-romance", logline="Two strangers share an umbrella.",
            language="en", duration=20, seed=5, budget=budget, currency="USD")
    toml = root / "film.toml"
    text = toml.read_text(encoding="utf-8").replace('animator = "house-animator"',
                                                    'animator = "runway-gen4"')
    assert "runway-gen4" in text
    toml.write_text(text, encoding="utf-8")
    return root


def _story_shots(root) -> list[str]:
    return [s.id for s in Storyboard.load(root / "storyboard.yaml").shots if s.kind == "shot"]


def test_budget_stops_before_the_call_that_would_cross_it(paid_env, tmp_path):
    root = _new(tmp_path, budget=0.01)
    toml = root / "film.toml"  # review off: paid motion without approval (tests/e2e/test_review.py)
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[settings]", "[settings]\napprove_before_animating = false"), encoding="utf-8")
    before = paid_env.counts["submit"]
    with pytest.raises(BudgetExceeded) as exc:
        api.make(root)
    msg = str(exc.value)
    assert "runway-gen4" in msg and "budget" in msg and "film.toml" in msg
    assert paid_env.counts["submit"] == before  # nothing was sent
    assert Ledger.for_project(root).total("USD").amount == 0


def test_paid_film_spend_refusal_and_no_second_payment(paid_env, tmp_path):
    root = _new(tmp_path, budget=50)
    api.make(root, stages=["research", "develop", "board"])
    assert api.approve_shots(root) == _story_shots(root)
    shots = _story_shots(root)
    assert len(shots) >= 2
    plan = estimate_plan(Project.at(root).brief(), Storyboard.load(root / "storyboard.yaml"))
    assert plan.total > 0 and set(shots) <= set(plan.by_shot)
    assert plan.by_shot.get("title", 0) == 0 and plan.by_shot.get("credits", 0) == 0

    before = paid_env.counts["submit"]
    paid_env.inject("submit", "refuse")  # the first shot sent is refused on content policy
    report = api.make(root)
    assert paid_env.counts["submit"] - before == len(shots)  # cards never reach Runway
    gen = next(o for o in report.outcomes if o.stage == "generate")
    assert "refused" in gen.message and "moderation" in gen.message
    assert (root / "out" / "film.mp4").exists()

    st = api.status(root)
    assert st.spend > 0 and st.currency == "USD"
    assert len([s for s, v in st.spend_by_shot.items() if v > 0]) == len(shots) - 1
    qc = json.loads((root / "out" / "qc.json").read_text(encoding="utf-8"))
    assert qc["spend"]["total"] == pytest.approx(st.spend)
    assert st.spend <= 50

    # Everything again from an empty asset store: the ledger holds every paid result,
    # so nothing is submitted twice (the refused shot is not retried either).
    shutil.rmtree(root / ".microfilm" / "assets" / "clip")
    again = paid_env.counts["submit"]
    api.make(root, stages=["generate"], force=True)
    assert paid_env.counts["submit"] == again
    assert api.status(root).spend == pytest.approx(st.spend)
