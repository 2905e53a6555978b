"""One BriefInput for every caller: `microfilm new`, `microfilm.api.new`, the studio's form and
its JSON API accept the same fields (currency included) and name the same bad field."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from microfilm import api
from microfilm.errors import SpecError
from microfilm.spec.brief import Brief
from microfilm.spec.brief_input import BriefInput
from microfilm.studio import StudioSettings, create_app
from tests.cli_run import invoke
from tests.studio.conftest import csrf_of, signup

FIELDS = {"title": "The Last Bus", "genre": "touching-family", "logline": "A daughter rides home.",
          "language": "en", "duration": 45, "aspect": "16:9", "platform": "bilibili",
          "budget": 12.5, "currency": "USD", "seed": 7}


def _written(folder) -> dict:
    b = Brief.load(folder / "film.toml")
    return {"title": b.title, "genre": b.genre.value, "logline": b.logline, "language": b.language,
            "duration": b.duration, "aspect": b.aspect, "platform": b.platform,
            "budget": b.budget.amount, "currency": b.budget.currency, "seed": b.seed}


@pytest.fixture()
def studio(tmp_path):
    app = create_app(StudioSettings(home=tmp_path / "studio"))
    browser = TestClient(app)
    csrf = signup(browser, "brief@example.com", workspace="Briefs")
    page = browser.get("/account")
    r = browser.post("/account/tokens", data={"csrf": csrf_of(page.text), "name": "t"})
    token = r.text.split('id="new-token">')[1].split("<")[0]
    yield app, browser, csrf, {"Authorization": f"Bearer {token}"}
    app.state.jobs.shutdown(wait=5)
    app.state.engine.dispose()


def _studio_folders(app) -> list:
    return sorted(p.parent for p in (app.state.settings.projects).rglob("film.toml"))


def test_every_caller_writes_the_same_brief_from_the_same_fields(tmp_path, monkeypatch, capsys, studio):
    api.new(tmp_path / "api", **FIELDS)
    api.new(tmp_path / "model", BriefInput(**FIELDS))
    code, out, err = invoke(monkeypatch, capsys, "new", str(tmp_path / "cli"), "--title", FIELDS["title"],
                            "--genre", FIELDS["genre"], "--logline", FIELDS["logline"], "--lang", "en",
                            "--duration", "45", "--aspect", "16:9", "--platform", "bilibili",
                            "--budget", "12.5", "--currency", "USD", "--seed", "7")
    assert code == 0, out + err
    app, browser, csrf, bearer = studio
    form = {k: str(v) for k, v in FIELDS.items()}
    r = browser.post("/films", data={"csrf": csrf, **form}, follow_redirects=False)
    assert r.status_code == 303, r.text
    r = TestClient(app).post("/api/v1/films", headers=bearer, json=FIELDS)
    assert r.status_code == 201, r.text
    folders = [tmp_path / "api", tmp_path / "model", tmp_path / "cli", *_studio_folders(app)]
    assert len(folders) == 5
    want = dict(FIELDS, duration=45.0)
    for folder in folders:
        assert _written(folder) == want, folder
    assert len({(f / "film.toml").read_bytes() for f in folders}) == 1


def test_a_bad_currency_names_the_field_everywhere(tmp_path, monkeypatch, capsys, studio):
    bad = dict(FIELDS, currency="EUR")
    with pytest.raises(SpecError, match=r"field 'budget\.currency'.*'CNY'"):
        api.new(tmp_path / "api", **bad)
    code, out, err = invoke(monkeypatch, capsys, "new", str(tmp_path / "cli"), "--title", "T",
                            "--genre", "touching-family", "--logline", "L", "--currency", "EUR")
    assert code == 2 and "budget.currency" in re.sub(r"\s+", " ", out + err)
    app, browser, csrf, bearer = studio
    r = browser.post("/films", data={"csrf": csrf, **{k: str(v) for k, v in bad.items()}})
    assert r.status_code == 400 and "budget.currency" in r.text
    r = TestClient(app).post("/api/v1/films", headers=bearer, json=bad)
    assert r.status_code == 422 and "budget.currency" in r.json()["detail"]
    assert not (tmp_path / "api").exists() and not (tmp_path / "cli").exists()
    assert _studio_folders(app) == []


def test_a_value_of_the_wrong_kind_or_an_unknown_field_is_named(tmp_path, studio):
    with pytest.raises(SpecError, match=r"field 'duration'"):
        BriefInput.parse(dict(FIELDS, duration="ninety"))
    with pytest.raises(SpecError, match=r"field 'colour': unknown field"):
        api.new(tmp_path / "film", **FIELDS, colour="red")
    app, browser, csrf, _ = studio
    r = browser.post("/films", data={"csrf": csrf, **{k: str(v) for k, v in FIELDS.items()},
                                     "duration": "ninety"})
    assert r.status_code == 400 and "duration" in r.text
    blank = BriefInput.parse(dict(FIELDS, duration="", budget=" ", seed=""))
    assert (blank.duration, blank.budget, blank.seed) == (90.0, 0.0, 0)
