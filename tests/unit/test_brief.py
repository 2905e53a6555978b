"""The brief refuses what the form does not allow, naming the field, and writes nothing."""

from __future__ import annotations

import pytest

from microfilm import api, form
from microfilm.errors import SpecError
from microfilm.spec.brief import Brief


def _new(tmp_path, **over):
    args = dict(title="T", genre="touching-family", logline="L", duration=60)
    args.update(over)
    return api.new(tmp_path / "film", **args)


@pytest.mark.parametrize("name", ["touching-family", "温情亲情", "Touching Family", "TOUCHING_FAMILY"])
def test_genre_by_english_or_chinese_name(tmp_path, name):
    root = _new(tmp_path, genre=name)
    assert Brief.load(root / "film.toml").genre is form.Genre.TOUCHING_FAMILY


@pytest.mark.parametrize("over, field, allowed", [
    ({"genre": "horror"}, "genre", "ancient-style"),
    ({"duration": 601}, "duration", "10:00"),
    ({"aspect": "4:3"}, "aspect", "9:16"),
    ({"language": "fr"}, "language", "'en'"),
    ({"platform": "myspace"}, "platform", "douyin"),
])
def test_bad_brief_is_refused_naming_field_and_nothing_written(tmp_path, over, field, allowed):
    with pytest.raises(SpecError) as exc:
        _new(tmp_path, **over)
    msg = str(exc.value)
    assert f"'{field}'" in msg and allowed in msg
    assert not (tmp_path / "film").exists()


def test_malformed_toml_names_the_file(tmp_path):
    p = tmp_path / "film.toml"
    p.write_text('title = "x"\ngenre = \n', encoding="utf-8")
    with pytest.raises(SpecError, match="film.toml: not valid TOML"):
        Brief.load(p)


def test_unknown_field_in_toml_is_named(tmp_path):
    p = tmp_path / "film.toml"
    p.write_text('title = "x"\ngenre = "古风"\nlogline = "y"\nrunning_time = 3\n', encoding="utf-8")
    with pytest.raises(SpecError, match="running_time': unknown field"):
        Brief.load(p)


def test_new_refuses_to_overwrite_an_existing_brief(tmp_path):
    root = _new(tmp_path)
    before = (root / "film.toml").read_bytes()
    with pytest.raises(SpecError, match="already exists"):
        _new(tmp_path, title="Other")
    assert (root / "film.toml").read_bytes() == before


def test_brief_round_trips_through_toml(tmp_path):
    root = _new(tmp_path, language="zh", title="外婆的饺子", budget=500)
    b = Brief.load(root / "film.toml")
    assert b.title == "外婆的饺子" and b.language == "zh" and b.budget.amount == 500


def test_settings_table_is_checked_and_reaches_the_run(tmp_path):
    from microfilm.pipeline import context
    from microfilm.project import Project

    root = api.new(tmp_path / "f", title="T", genre="youth-romance", logline="x", duration=30)
    toml = root / "film.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[settings]" in text
    toml.write_text(text.replace("[settings]", "[settings]\nworkerz = 3"), encoding="utf-8")
    with pytest.raises(SpecError, match=r"film.toml: field 'settings': unknown setting\(s\) workerz; "
                                        r"allowed: .*approve_before_animating"):
        Project.at(root).brief()
    toml.write_text(text.replace("[settings]", '[settings]\nworkers = "many"'), encoding="utf-8")
    with pytest.raises(SpecError, match="settings.*workers"):
        Project.at(root).brief()
    toml.write_text(text.replace("[settings]", "[settings]\nworkers = 1\napprove_before_animating = false"),
                    encoding="utf-8")
    settings = context(Project.at(root)).settings
    assert settings.workers == 1 and settings.approve_before_animating is False


def test_brief_accepts_a_genre_member_as_well_as_a_name():
    brief = Brief(title="T", genre=form.Genre.YOUTH_ROMANCE, logline="x")
    assert brief.genre is form.Genre.YOUTH_ROMANCE
