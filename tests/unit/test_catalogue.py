"""The model catalogue as data: every entry dated, every client listed, retired models refused
before any call (check, estimate, make), `follow_successor` switching and saying so, and
`microfilm providers` readable in 80 columns."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from microfilm import api
from microfilm.errors import ProviderError, SpecError
from microfilm.ledger import Ledger
from microfilm.providers import catalogue, lifecycle, registry
from microfilm.spec.brief import ProviderChoice
from tests.unit.test_cli import run

TODAY = date(2026, 12, 4)


def test_every_entry_is_dated_and_every_client_is_registered():
    cat = catalogue.load()
    assert len(cat.models) >= 25
    for pf in cat.providers:
        assert all(isinstance(r.read_on, date) for r in pf.references)
    for m in cat.models.values():
        assert isinstance(m.price.read_on, date) and isinstance(m.lifecycle.read_on, date), m.name
        assert m.price.read_on <= TODAY and m.lifecycle.read_on <= TODAY, m.name
        if m.status_on(TODAY) != "current":
            assert m.lifecycle.shut_off is not None, m.name
        if m.client:  # the entry point that speaks its protocol exists and reads this entry
            entry = registry.entries()[m.client]
            assert entry.info is not None and entry.info.model == m.model
            assert entry.info.price.amount == m.price.amount
            assert entry.info.prices_read_on == m.price.read_on
    paid = [e for e in registry.entries().values()
            if e.info and e.info.paid and e.info.price.amount > 0]
    assert paid and all(cat.get(e.name) is not None for e in paid)  # one source of truth


def test_an_entry_without_a_date_fails_naming_the_file_and_field(tmp_path):
    bad = tmp_path / "acme.yaml"
    bad.write_text("provider: acme\ntitle: Acme\nreferences:\n  - {url: 'https://x', read_on: 2026-12-01}\n"
                   "models:\n  - name: acme-v1\n    model: v1\n    version: '1'\n"
                   "    capability: animator\n    title: Acme\n"
                   "    price: {unit: second, amount: 0.1}\n"
                   "    lifecycle: {status: current, read_on: 2026-12-01}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"acme\.yaml.*price.*read_on"):
        catalogue.parse(bad)
    bad.write_text(bad.read_text().replace("amount: 0.1}", "amount: 0.1, read_on: 2026-12-01}")
                   .replace("{status: current,", "{status: deprecated,"), encoding="utf-8")
    with pytest.raises(SpecError, match="shut_off"):
        catalogue.parse(bad)


def test_retired_model_is_refused_naming_its_successor():
    choice = ProviderChoice(animator="veo")
    with pytest.raises(ProviderError) as err:
        lifecycle.resolve(choice, day=TODAY)
    text = str(err.value)
    assert "veo-3.1-generate-preview" in text and "2026-10-22" in text
    assert 'animator = "veo-3.1"' in text and "follow_successor" in text
    # still served the day before the shut-off
    assert lifecycle.resolve(choice, day=date(2026, 10, 21)).choice.animator == "veo"
    with pytest.raises(ProviderError, match="no successor"):
        lifecycle.resolve(ProviderChoice(animator="sora-2"), day=TODAY)


def test_follow_successor_switches_and_says_so():
    r = lifecycle.resolve(ProviderChoice(animator="veo", painter="gemini-image",
                                         voice="openai-tts"), follow_successor=True, day=TODAY)
    assert (r.choice.animator, r.choice.painter, r.choice.voice) == ("veo-3.1", "gemini-image-3.1",
                                                                      "openai-tts")
    said = " ".join(r.notes)
    assert 'using its successor "veo-3.1"' in said and 'using its successor "gemini-image-3.1"' in said
    assert "gpt-4o-mini-tts will be shut off by openai on 2027-01-06" in said  # deprecated: warned


def test_providers_listing_fits_80_columns_uncut(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLING_")}
    done = subprocess.run([sys.executable, "-c", "from microfilm.cli.app import main; main()",
                           "providers"], env={**env, "COLUMNS": "80", "TERM": "dumb"},
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    code, text = done.returncode, done.stdout
    assert code == 0, done.stderr
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text and "..." not in text
    flat = re.sub(r"\s+", " ", text)
    assert "set KLING_ACCESS_KEY" in flat and "set KLING_SECRET_KEY" in flat
    assert "RETIRED 2026-10-22 -> use veo-3.1" in flat and "RETIRED 2026-09-24" in flat
    assert "deprecated, shut off 2027-01-06" in flat
    assert "gemini-omni-flash" in flat and "set GEMINI_API_KEY" in flat  # a client since models12c
    for name in catalogue.load().models:
        assert f" {name} " in flat


@pytest.fixture(scope="module")
def developed(tmp_path_factory) -> Path:
    folder = api.new(tmp_path_factory.mktemp("film") / "film", title="The Last Bus",
                     genre="touching-family", logline="A driver waits for one last passenger.",
                     duration=30, seed=3)
    api.make(folder, stages=["research", "develop", "board"])
    return folder


def _pick(folder: Path, animator: str, follow: bool = False) -> None:
    toml = folder / "film.toml"
    text = re.sub(r'animator = "[^"]*"', f'animator = "{animator}"', toml.read_text("utf-8"))
    text = re.sub(r"\[settings\]\n(follow_successor = \w+\n)?",
                  "[settings]\n" + ("follow_successor = true\n" if follow else ""), text)
    toml.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("command", ["check", "estimate", "make"])
def test_veo_today_is_refused_before_any_call(developed, monkeypatch, capsys, command):
    _pick(developed, "veo")
    code, flat = run(monkeypatch, capsys, command, developed)
    assert code != 0 and "veo-3.1-generate-preview was shut off by google on 2026-10-22" in flat
    assert 'set animator = "veo-3.1"' in flat
    assert Ledger.for_project(developed).committed("USD").amount == 0  # nothing was sent


def test_follow_successor_estimates_the_successor(developed, monkeypatch, capsys):
    _pick(developed, "veo", follow=True)
    code, flat = run(monkeypatch, capsys, "estimate", developed)
    assert 'using its successor "veo-3.1"' in flat and "veo-3.1" in flat.split("using")[-1]
    assert code in (0, 3)  # priced (over the zero budget is exit 3), not refused
