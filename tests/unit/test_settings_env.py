"""Settings from the environment: list fields take comma-separated items, and a bad value is
blamed on its variable, not on film.toml."""

from __future__ import annotations

import pytest

from microfilm.config import load_settings
from microfilm.errors import SpecError


def test_a_list_setting_reads_comma_separated_items(monkeypatch):
    monkeypatch.setenv("MICROFILM_SUBTITLES", "zh, en")
    assert load_settings({}).subtitles == ("zh", "en")
    monkeypatch.setenv("MICROFILM_SUBTITLES", "")
    assert load_settings({"subtitles": ["en"]}).subtitles == ()


def test_a_bad_environment_value_names_its_variable(monkeypatch):
    monkeypatch.setenv("MICROFILM_SUBTITLES", "zh,fr")
    with pytest.raises(SpecError) as err:
        load_settings({}, source="film.toml [settings]")
    message = str(err.value)
    assert "MICROFILM_SUBTITLES" in message and "'en' or 'zh'" in message, message


def test_a_bad_film_setting_is_not_blamed_on_the_environment(monkeypatch):
    monkeypatch.setenv("MICROFILM_SUBTITLES", "en")
    with pytest.raises(SpecError) as err:
        load_settings({"workers": 0}, source="film.toml [settings]")
    message = str(err.value)
    assert message.startswith("film.toml [settings]: field 'workers'") and "MICROFILM_" not in message
