"""Assistance that proposes, never overwrites: the house assistant offline, and the LLM one
against the fake chat server on 127.0.0.1 (every built-in request, and its failures)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microfilm import checks
from microfilm.assist import proposals
from microfilm.assist.requests import AssistRequest, propose
from microfilm.assist.script_import import start_film
from microfilm.cli.app import app
from microfilm.errors import MicrofilmError, ProviderError
from microfilm.pipeline import context
from microfilm.project import Project
from microfilm.spec import fountain
from microfilm.spec.bible import Bible
from microfilm.spec.brief import Brief
from microfilm.stages import develop
from tests.fakes.llm_server import FakeLLMServer, Hang, Raw, Refuse

SCRIPTS = Path(__file__).parents[1] / "scripts"


def film(tmp_path: Path, writer: str = "house-writer", **brief) -> Project:
    root, _ = start_film(tmp_path / "film", (SCRIPTS / "dumplings.zh.fountain").read_bytes(),
                         "dumplings.zh.fountain", writer=writer)
    project = Project.at(root)
    if brief:
        raw = project.brief().model_dump(mode="json")
        raw.update(brief)
        Brief.from_mapping(raw).save(project.brief_path)
    return project


def snapshot(project: Project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project.screenplay, project.bible)}


def edit(project: Project, old: str, new: str) -> str:
    """A person's edit of the screenplay: `old` becomes `new`; returns the text."""
    text = project.screenplay.read_text("utf-8").replace(old, new)
    project.screenplay.write_text(text, encoding="utf-8")
    return text


def runtime(project: Project) -> float:
    sp = fountain.parse(project.screenplay.read_text("utf-8"))
    return checks.estimate_runtime(sp, project.brief().language).total


# ---- offline: the house assistant -----------------------------------------------------------


def test_fit_adds_beats_then_accept_is_a_kept_hand_edit(tmp_path: Path) -> None:
    project = film(tmp_path, duration=50)
    before = snapshot(project)
    made, _ = propose(project.root, AssistRequest(kind="fit"))
    assert len(made) == 1 and snapshot(project) == before  # proposed, nothing written
    diff = proposals.unified_diff(project, made[0])
    assert diff.startswith("--- a/screenplay.fountain\n+++ b/screenplay.fountain\n@@ ")
    added = [ln for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    assert added and not [ln for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    written = proposals.accept(project, made[0].id)
    assert written == ["screenplay.fountain"]
    assert abs(runtime(project) - 50) <= 50 * 0.05 + 3
    assert project.screenplay.read_text("utf-8").startswith("Title: 外婆的饺子")
    kept = project.screenplay.read_bytes()
    assert not develop.run(context(project)).ran  # no writer asked to redo it
    assert project.screenplay.read_bytes() == kept  # the accepted change survives a re-run


def test_fit_cuts_and_partial_hunks(tmp_path: Path) -> None:
    project = film(tmp_path)
    long = edit(project, "门铃响了。", "门铃响了。\n\n外婆放下饺子。\n\n她擦了擦手。\n\n她看了看钟。\n\n她走向门口。")
    made, _ = propose(project.root, AssistRequest(kind="fit"))
    all_hunks = proposals.hunks(project, made[0])
    assert all_hunks and all(ln[0] in " -" for h in all_hunks for ln in h.lines)
    proposals.accept(project, made[0].id, [all_hunks[0].number])
    assert runtime(project) < checks.estimate_runtime(fountain.parse(long), "zh").total


def test_fix_adds_missing_bible_entries(tmp_path: Path) -> None:
    project = film(tmp_path)
    edit(project, "淡出。", ".外景 小区门口 - 夜\n\n@保安\n新年好！\n\n淡出。")
    made, _ = propose(project.root, AssistRequest(kind="fix"))
    assert set(made[0].files) >= {"bible.yaml"}
    proposals.accept(project, made[0].id)
    bible = Bible.load(project.bible)
    assert bible.character("保安") is not None and bible.location("小区门口") is not None
    found = checks.check(project.brief(), bible, fountain.parse(project.screenplay.read_text("utf-8")))
    assert not [f for f in found if f.code in ("unknown-speaker", "unknown-location")]


def test_brand_must_say_placed_and_forbidden_words_reported(tmp_path: Path) -> None:
    project = film(tmp_path, brand={"name": "好饺子", "product": "速冻饺子",
                                    "must_say": ["好饺子，家的味道。"], "must_not_say": ["乖乖"],
                                    "placements": 1})
    made, left = propose(project.root, AssistRequest(kind="brand"))
    assert any("乖乖" in note and "line" in note for note in left)
    proposals.accept(project, made[0].id)
    sp = fountain.parse(project.screenplay.read_text("utf-8"))
    said = [(d.character, d.text) for s in sp.scenes for d in s.dialogue()]
    assert any(t == "好饺子，家的味道。" and c in ("外婆", "小雨", "妈妈") for c, t in said)


def test_requests_that_need_a_model_say_how_to_configure_one(tmp_path: Path) -> None:
    project = film(tmp_path)
    before = snapshot(project)
    for kind in ("free", "punch-up", "alternatives", "tone", "translate"):
        with pytest.raises(ProviderError, match="needs an LLM writer.*openai-writer.*MICROFILM_LLM"):
            propose(project.root, AssistRequest(kind=kind, text="x", tone="x"))
    assert snapshot(project) == before and not proposals.listed(project)


def test_stale_proposal_is_refused(tmp_path: Path) -> None:
    project = film(tmp_path, duration=50)
    made, _ = propose(project.root, AssistRequest(kind="fit"))
    project.screenplay.write_text(project.screenplay.read_text("utf-8") + "\n外婆笑了。\n", "utf-8")
    edited = snapshot(project)
    with pytest.raises(MicrofilmError, match="changed since.*Ask for the change again"):
        proposals.accept(project, made[0].id)
    assert snapshot(project) == edited
    with pytest.raises(MicrofilmError, match="hunks 1-"):
        proposals.accept(project, propose(project.root, AssistRequest(kind="fit"))[0][0].id, [99])


# ---- with a language model (the fake server) ------------------------------------------------


def _between(text: str, head: str) -> str:
    m = re.search(re.escape(head) + r".*?<<<\n(.*?)\n>>>", text, re.S)
    return m.group(1) if m else ""


def doctor(texts: list[str], system: str = "") -> dict:
    """A tiny script doctor: quiets the lines it may change, adds a neighbour when asked,
    offers three ways to say a line, translates by tagging every line of the script."""
    prompt = texts[0]
    task = re.search(r"^Task: (\w+)", prompt, re.M).group(1)
    if task == "casting":
        names = re.search(r"screenplay below: (.*?), give", prompt).group(1).split(", ")
        return {"characters": [{"name": n, "gender": "female", "age": 30 + 10 * k, "look": "短发",
                                "wardrobe": "棉袄"} for k, n in enumerate(names)]}
    if task == "alternatives":
        return {"alternatives": ["今年，她会回来的。", "她今年一定回来。", "回来吧，孩子。"],
                "summary": "three ways"}
    if task == "translate":
        src = _between(prompt, "to English.")
        out = re.sub(r"[\u4e00-\u9fff，。！？、]+", lambda m: f"w{len(m.group(0))}", src)
        return {"text": out, "summary": "translated"}
    excerpt = _between(prompt, "The lines you may change")
    new = excerpt.replace("！", "。").replace("烟花在远处炸开", "远处的烟花无声地亮起")
    if "邻居" in prompt.split("The whole screenplay")[0]:
        new += "\n\n@邻居\n新年好。"
    return {"text": new, "summary": "quieter"}


@pytest.fixture()
def llm(monkeypatch: pytest.MonkeyPatch):
    with FakeLLMServer(responder=doctor) as srv:
        for k, v in {"MICROFILM_LLM_BASE_URL": srv.openai_url, "MICROFILM_LLM_MODEL": "fake-model",
                     "MICROFILM_LLM_API_KEY": "sk-test-secret-123", "MICROFILM_LLM_TIMEOUT": "0.5",
                     "MICROFILM_LLM_MAX_RETRIES": "0"}.items():
            monkeypatch.setenv(k, v)
        yield srv


@pytest.mark.parametrize("request_", [
    AssistRequest(kind="free", text="make the ending quieter", scene=2),
    AssistRequest(kind="fit"), AssistRequest(kind="punch-up", scene=1),
    AssistRequest(kind="tone", tone="悬疑", scene=1), AssistRequest(kind="fix"),
    AssistRequest(kind="brand"),
])
def test_every_rewrite_request_through_the_model(tmp_path: Path, llm: FakeLLMServer,
                                                 request_: AssistRequest) -> None:
    project = film(tmp_path, writer="openai-writer",
                   brand={"name": "好饺子", "must_say": ["好饺子，家的味道。"]})
    before = snapshot(project)
    made, _ = propose(project.root, request_)
    assert snapshot(project) == before
    assert llm.tasks() == ["casting", "rewrite"]  # casting: the import read the script
    sent = llm.requests[-1].last_user
    assert "sk-test-secret-123" not in sent and "外婆的饺子" in sent
    if request_.scene == 2:
        a, b = (int(x) for x in re.search(r"lines (\d+)-(\d+)", sent).groups())
        lines = project.screenplay.read_text("utf-8").split("\n")
        assert lines[a - 1] == ".外景 楼下小路 - 夜" and b == len(lines) - 1
    if request_.kind == "brand":
        assert "好饺子，家的味道。" in sent
    assert len(made) == 1 and "！" not in made[0].files["screenplay.fountain"].split(".外景")[-1]
    proposals.accept(project, made[0].id)
    assert project.screenplay.read_text("utf-8") == made[0].files["screenplay.fountain"]


def test_a_new_character_from_the_model_joins_the_bible(tmp_path: Path, llm: FakeLLMServer) -> None:
    project = film(tmp_path, writer="openai-writer")
    made, _ = propose(project.root, AssistRequest(text="add a line for the 邻居", scene=2))
    assert set(made[0].files) == {"screenplay.fountain", "bible.yaml"}
    proposals.accept(project, made[0].id)
    assert Bible.load(project.bible).character("邻居") is not None


def test_three_alternatives_for_one_line(tmp_path: Path, llm: FakeLLMServer) -> None:
    project = film(tmp_path, writer="openai-writer")
    n = project.screenplay.read_text("utf-8").split("\n").index("今年她该回来了吧。") + 1
    made, _ = propose(project.root, AssistRequest(kind="alternatives", lines=f"{n}-{n}"))
    assert len(made) == 3 and len({p.id for p in made}) == 3
    diffs = [proposals.unified_diff(project, p) for p in made]
    assert all(f"-今年她该回来了吧。" in d for d in diffs)
    proposals.accept(project, made[1].id)
    assert "她今年一定回来。" in project.screenplay.read_text("utf-8")


def test_translate_keeps_structure_beside_the_original(tmp_path: Path, llm: FakeLLMServer) -> None:
    project = film(tmp_path, writer="openai-writer")
    made, _ = propose(project.root, AssistRequest(kind="translate"))
    assert list(made[0].files) == ["screenplay.en.fountain"] and made[0].base == {"screenplay.en.fountain": None}
    proposals.accept(project, made[0].id)
    en = fountain.parse((project.root / "screenplay.en.fountain").read_text("utf-8"))
    zh = fountain.parse(project.screenplay.read_text("utf-8"))
    assert [len(s.dialogue()) for s in en.scenes] == [len(s.dialogue()) for s in zh.scenes]


@pytest.mark.parametrize("fault,words", [
    ([Refuse("I can't help with that.")], "declined"),
    ([Raw("sure! here it is: {{{ not json"), Raw("still ```not json")], "rewrite"),
    ([Hang(1.5)], "no answer within"),
])
def test_failures_are_clear_and_write_nothing(tmp_path: Path, llm: FakeLLMServer, fault, words) -> None:
    project = film(tmp_path, writer="openai-writer")
    before = snapshot(project)
    llm.script(*fault)
    result = CliRunner().invoke(app, ["assist", str(project.root), "make the ending quieter"])
    assert result.exit_code != 0
    assert isinstance(result.exception, MicrofilmError) and words in str(result.exception)
    assert "sk-test-secret-123" not in str(result.exception)
    assert snapshot(project) == before and not proposals.listed(project)


def test_cli_shows_a_diff_then_accepts_chosen_hunks(tmp_path: Path) -> None:
    project = film(tmp_path, duration=50)
    shown = CliRunner().invoke(app, ["assist", str(project.root), "--do", "fit", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data[0]["hunks"] and data[0]["hunks"][0]["header"].startswith("@@ -")
    pid = data[0]["id"]
    listed = CliRunner().invoke(app, ["assist", str(project.root), "--list"])
    assert pid in listed.output
    ok = CliRunner().invoke(app, ["assist", str(project.root), "--accept", pid, "--hunks", "1"])
    assert ok.exit_code == 0 and "screenplay.fountain" in ok.output
    assert proposals.load(project, pid).accepted_hunks == [1]


def test_import_with_an_llm_writer_casts_from_the_script(tmp_path: Path, llm: FakeLLMServer) -> None:
    def casting(texts: list[str], system: str = "") -> dict:
        assert "Task: casting" in texts[0] and "外婆, 小雨, 妈妈" in texts[0]
        return {"characters": [
            {"name": "外婆", "gender": "female", "age": 78, "look": "银发，驼背", "wardrobe": "红棉袄"},
            {"name": "小雨", "gender": "female", "age": 24, "look": "短发", "wardrobe": "白羽绒服"},
            {"name": "妈妈", "gender": "female", "age": 50, "look": "卷发", "wardrobe": "灰大衣"}]}

    llm.responder = casting
    project = film(tmp_path, writer="openai-writer")
    bible = Bible.load(project.bible)
    grandma = bible.character("外婆")
    assert (grandma.look, grandma.wardrobe, grandma.age) == ("银发，驼背", "红棉袄", 78)
    assert grandma.voice.gender == "female" and grandma.voice.variant.startswith("f")
    assert llm.tasks() == ["casting"]


def test_import_fails_cleanly_when_the_model_refuses(tmp_path: Path, llm: FakeLLMServer) -> None:
    llm.script(Refuse("no"))
    with pytest.raises(MicrofilmError, match="declined"):
        film(tmp_path, writer="openai-writer")
    assert not (tmp_path / "film").exists()
