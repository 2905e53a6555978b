"""One i18n mechanism: every language's message table has the same keys and the same
{fields}, and the research dossier, the AI label and the script credit read from it."""

from __future__ import annotations

import re

import pytest

from microfilm import i18n, research
from microfilm.config import default_ai_label
from microfilm.errors import MicrofilmError
from microfilm.spec.brief import Brief


def _fields(value) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", str(value)))


def test_every_language_has_the_same_keys_and_fields():
    en = i18n.table("en")
    for lang in i18n.LANGUAGES:
        other = i18n.table(lang)
        assert other.keys() == en.keys(), lang
        assert {k: _fields(v) for k, v in other.items()} == {k: _fields(v) for k, v in en.items()}
        assert all(str(v).strip() for v in other.values())


def test_a_missing_message_names_its_key_and_an_unknown_language_reads_english():
    with pytest.raises(MicrofilmError, match=r"no message 'research\.nope'"):
        i18n.messages("zh")("research.nope")
    assert i18n.messages("fr")("label.ai") == i18n.messages("en")("label.ai") == "AI-generated"
    assert default_ai_label("zh") == "本片由AI生成"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_dossier_is_written_from_its_language_template_with_nothing_left_unfilled(lang):
    brief = Brief(title="T", genre="touching-family", logline="L", language=lang, duration=60,
                  audience="students", brand="Acme", platform="douyin",
                  budget={"amount": 1, "currency": "CNY"})
    text = research.write_research(brief, providers_estimate=[("animator", "kling", 3.0)])
    assert "$" not in text.replace("$3", "") and "{" not in text
    t = i18n.messages(lang).prefixed("research.")
    for label in (t("row.logline"), t("capability"), t("schedule.review"), t("budget.over").strip()):
        assert label in text, label
    other = i18n.messages("zh" if lang == "en" else "en").prefixed("research.")
    assert other("row.runtime") not in text and other("schedule.review") not in text
