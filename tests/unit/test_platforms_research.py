"""Platform specs, built-in knowledge and the research dossier (offline and with an LLM)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from microfilm import form, knowledge, platforms
from microfilm.providers.llm.openai_compat import OpenAICompatConfig, OpenAIWriter
from microfilm.research import write_research
from microfilm.spec.brief import PLATFORMS as BRIEF_PLATFORMS
from microfilm.spec.brief import Brief
from tests.fakes.llm_server import FakeLLMServer, Raw


def test_every_brief_platform_has_typed_specs() -> None:
    assert set(platforms.PLATFORMS) == set(BRIEF_PLATFORMS)
    assert isinstance(platforms.READ_ON, date)
    for p in platforms.PLATFORMS.values():
        x, y, w, h = p.safe_area.box(1080, 1920)
        assert 0 < x and 0 < y and w > 540 and h > 900, p.id  # a usable centre remains
        assert x + w <= 1080 and y + h <= 1920
        assert all(a in form.ASPECTS for a in p.aspects)
        assert p.max_duration_s >= 60 and p.covers and p.name_zh and p.notes_zh
        with pytest.raises(Exception):
            p.safe_area.top = 0  # type: ignore[misc]  # frozen


def test_safe_area_scales_to_other_frames() -> None:
    sa = platforms.safe_area("reels", 540, 960)
    assert (sa.top, sa.bottom, sa.left, sa.right) == (134, 336, 32, 32)
    assert platforms.get("douyin").safe_area.box(1080, 1920) == (60, 160, 860, 1320)
    with pytest.raises(ValueError, match="allowed: douyin"):
        platforms.get("myspace")


def test_platform_fit_flags_length_and_aspect() -> None:
    reels = platforms.get("reels")
    assert any("3:00" in p for p in reels.fit(400, "9:16"))
    assert any("16:9" in p for p in reels.fit(60, "16:9"))
    assert reels.fit(60, "9:16") == []
    assert any("剪短版" in p for p in reels.fit(400, "9:16", "zh"))


@pytest.mark.parametrize("genre", list(form.Genre))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_knowledge_covers_every_genre_in_both_languages(genre: form.Genre, language: str) -> None:
    notes = knowledge.genre_notes(genre, language)
    assert [b.name for b in notes.beats] == list(form.PRESETS[genre].beats)
    assert sum(b.share for b in notes.beats) == pytest.approx(1.0)
    assert len(notes.conventions) >= 4 and notes.references and notes.pitfalls and notes.brand
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in notes.conventions[0])
    assert cjk == (language == "zh")


def test_audience_notes_match_keywords() -> None:
    assert knowledge.audience_notes("大学生与年轻白领", "zh").segments == ("gen-z", "young-professionals")
    assert knowledge.audience_notes("retired parents", "en").segments == ("families", "seniors")
    assert knowledge.audience_notes("", "en").segments == ("general",)


def sections(md: str) -> list[str]:
    return re.findall(r"^## (.+)$", md, re.M)


def test_offline_research_en_has_every_part() -> None:
    b = Brief(title="Umbrella", genre="youth-romance", logline="Two students share an umbrella.",
              duration=400, platform="reels", audience="university students", brand="RainCo",
              budget={"amount": 500, "currency": "USD"},
              deadline=date.today() + timedelta(days=2))
    md = write_research(b, providers_estimate=[
        ("writer", "openai-writer", 1.2), ("painter", "house-painter", 0.0),
        ("animator", "runway", 640.0), ("voice", "house-voice", 0.0), ("composer", "house-composer", 0.0)])
    heads = sections(md)
    assert heads[0] == "The brief" and heads[1].startswith("Genre: Youth Romance")
    assert "Audience" in heads and "Platform: Instagram Reels" in heads
    assert "The form's constraints for this brief" in heads and "Budget and schedule (estimate)" in heads
    for beat in form.PRESETS[form.Genre.YOUTH_ROMANCE].beats:
        assert f"| {beat} |" in md
    assert "top 269, bottom 672, left 65, right 65 px" in md
    assert "takes at most 3:00.0" in md  # the 6:40 film does not fit Reels
    assert "**$641.20**" in md and "Over budget" in md
    assert "not enough" in md  # 2 days to a ~4-day schedule
    assert "Brand fit" in md and "Subtitles" not in heads
    assert "(5:40.0-7:40.0)" in md


def test_offline_research_zh_is_in_chinese() -> None:
    b = Brief(title="饺子", genre="温情亲情", logline="女儿回家过年。", language="zh",
              duration=240, platform="douyin", audience="中老年")
    md = write_research(b)
    assert sections(md)[0] == "需求" and "发布平台: 抖音" in sections(md)
    assert "上 160、下 440、左 60、右 160 像素" in md
    assert "| routine |" in md and "一个之后会以不同方式重现的家庭习惯。" in md
    assert "字幕更大" in md  # the seniors' note
    assert "无费用" in md and "免费" in md


def _writer(srv: FakeLLMServer) -> OpenAIWriter:
    return OpenAIWriter(OpenAICompatConfig.from_env({
        "MICROFILM_LLM_BASE_URL": srv.openai_url, "MICROFILM_LLM_MODEL": "fake",
        "MICROFILM_LLM_TIMEOUT": "0.5", "MICROFILM_LLM_MAX_RETRIES": "1"}))


def test_research_with_an_llm_adds_validated_notes() -> None:
    b = Brief(title="Dumplings", genre="touching-family", logline="A daughter comes home.",
              brand="GoodDumpling")
    with FakeLLMServer() as srv:
        md = write_research(b, writer=_writer(srv))
    assert srv.tasks() == ["research"]
    assert srv.requests[0].body["response_format"]["json_schema"]["name"] == "research"
    assert "GoodDumpling" in srv.requests[0].last_user  # the model reasons about this brief
    assert sections(md)[-1] == "The writer's notes"
    assert "- The brand's dumplings are the family's New Year dish" in md
    assert "**Hooks**" in md


def test_research_survives_a_writer_that_keeps_failing_after_two_tries() -> None:
    b = Brief(title="Dumplings", genre="touching-family", logline="A daughter comes home.")
    with FakeLLMServer() as srv:
        srv.script(Raw("not json"), Raw('{"tone": "oops"}'), Raw("never asked"))
        md = write_research(b, writer=_writer(srv))
    assert len(srv.requests) == 2  # bounded
    assert "could not be produced" in md and "## Genre" in md
