"""The bad-input corpus: every case runs the real `microfilm` command and must be refused
with a short, located, actionable error: non-zero exit, no traceback, the file/field/line
named, no absolute path of this machine where the relative one the user typed suffices.

Cases are (id, setup, argv, needles): `setup(film)` breaks a copy of a boarded film (or
the environment), `argv` is the command line as typed from the folder that holds `film`,
and every needle must appear in what the command printed. `--debug` shows the traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Callable

import pytest
import yaml

from microfilm import api, pipeline
from microfilm.cli.app import main
from microfilm.media import ffmpeg
from tests.cli_run import invoke

TOML_OK = ('title = "Bus"\ngenre = "touching-family"\nlogline = "A driver waits."\n'
           'duration = 30\n')


@pytest.fixture(scope="module")
def boarded(tmp_path_factory) -> Path:
    """A film boarded by the house providers (research, develop, board), copied per case."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        mp.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        film = api.new(tmp_path_factory.mktemp("boarded") / "film", title="The Last Bus",
                       genre="touching-family", logline="A driver waits for one last passenger.",
                       duration=30, seed=3)
        pipeline.make(film, stages=["research", "develop", "board"])
    return film


@pytest.fixture(scope="module")
def tiny_mp4(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mp4") / "tiny.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", "testsrc2=s=64x64:r=10:d=1", "-pix_fmt", "yuv420p", str(out)],
               what="tiny mp4")
    return out


# ---- ways to break a film -------------------------------------------------------------------

def write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def setup(film: Path) -> None:
        path = film / name
        if path.is_dir():
            shutil.rmtree(path)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return setup


def folder(name: str) -> Callable[[Path], None]:
    def setup(film: Path) -> None:
        (film / name).unlink(missing_ok=True)
        (film / name).mkdir()
    return setup


def remove(*names: str) -> Callable[[Path], None]:
    def setup(film: Path) -> None:
        for name in names:
            (film / name).unlink(missing_ok=True)
    return setup


def brief(**fields: str) -> Callable[[Path], None]:
    """film.toml with raw TOML values replaced or added (values written as TOML)."""
    def setup(film: Path) -> None:
        kept, table = [], ""
        for ln in (film / "film.toml").read_text("utf-8").splitlines():
            if ln.startswith("["):
                table = ln.strip("[] ")
            if table in fields or (not table and ln.split(" =")[0] in fields):
                continue  # replaced below (a table given inline replaces the whole table)
            kept.append(ln)
        head = [f"{k} = {v}" for k, v in fields.items()]
        (film / "film.toml").write_text("\n".join(head + kept) + "\n", "utf-8")
    return setup


def edit_yaml(name: str, edit: Callable[[dict], None]) -> Callable[[Path], None]:
    def setup(film: Path) -> None:
        path = film / name
        data = yaml.safe_load(path.read_text("utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return setup


def board(edit: Callable[[dict], None]) -> Callable[[Path], None]:
    return edit_yaml("storyboard.yaml", edit)


def shot(**fields) -> Callable[[Path], None]:
    return board(lambda d: d["shots"][1].update(fields))


def line(**fields) -> Callable[[Path], None]:
    def edit(d: dict) -> None:
        first = next(s for s in d["shots"] if s.get("lines"))
        first["lines"][0].update(fields)
    return board(edit)


def duplicate_ids(d: dict) -> None:
    d["shots"][2]["id"] = d["shots"][1]["id"]


def short_board(d: dict) -> None:
    d["shots"] = d["shots"][:3]
    for s in d["shots"]:
        s["duration"] = 1.5


def bible(edit: Callable[[dict], None]) -> Callable[[Path], None]:
    return edit_yaml("bible.yaml", edit)


def env(name: str, value: str | Callable[[Path], str]) -> Callable[[Path], None]:
    def setup(film: Path) -> None:
        os.environ[name] = value(film) if callable(value) else value
        ffmpeg.ffmpeg_exe.cache_clear()
    return setup


def user_config(data: bytes | str | None) -> Callable[[Path], None]:
    def setup(film: Path) -> None:
        path = Path(os.environ["XDG_CONFIG_HOME"]) / "microfilm" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            path.mkdir()
        else:
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return setup


def fresh(film: Path) -> None:
    """Only film.toml: a folder as `microfilm new` leaves it."""
    for child in film.iterdir():
        if child.name != "film.toml":
            shutil.rmtree(child) if child.is_dir() else child.unlink()


def empty_screenplay_boarded(film: Path) -> None:
    (film / "screenplay.fountain").write_text("", "utf-8")
    pipeline.make(film, stages=["board"], edit_policy="keep")


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(film: Path) -> None:
        for s in setups:
            s(film)
    return setup


def noop(film: Path) -> None:
    pass


LATIN1_SCREENPLAY = "INT. CAFÉ - NIGHT\n\nMEI\nUn café, s'il vous plaît.\n".encode("latin-1")
BINARY = bytes(range(256)) * 4
ESC = "\\u001b"

# (id, setup, argv after `microfilm`, needles in the output)
CASES: list[tuple[str, Callable[[Path], None], list[str], list[str]]] = [
    # film.toml: encoding, type, syntax
    ("brief-utf16", write("film.toml", TOML_OK.encode("utf-16")), ["status", "film"], ["film/film.toml", "UTF-16", "UTF-8"]),
    ("brief-utf16-no-bom", write("film.toml", TOML_OK.encode("utf-16-le")), ["status", "film"], ["film/film.toml", "not text"]),
    ("brief-binary", write("film.toml", BINARY), ["status", "film"], ["film/film.toml", "binary"]),
    ("brief-latin1", write("film.toml", TOML_OK.replace("Bus", "Café").encode("latin-1")), ["make", "film"], ["film/film.toml", "line 1", "UTF-8"]),
    ("brief-folder", folder("film.toml"), ["status", "film"], ["film/film.toml", "is a folder"]),
    ("brief-missing", remove("film.toml"), ["make", "film"], ["film/film.toml", "microfilm new"]),
    ("brief-empty", write("film.toml", ""), ["status", "film"], ["film/film.toml", "'title'", "required"]),
    ("brief-bad-toml", write("film.toml", 'title = "Bus\n'), ["status", "film"], ["film/film.toml", "not valid TOML", "line 1"]),
    ("brief-raw-escape-byte", write("film.toml", TOML_OK.replace("Bus", "\x1b[31mBus")), ["status", "film"], ["film/film.toml", "not valid TOML"]),
    ("brief-is-a-list", write("film.toml", "[[title]]\n"), ["status", "film"], ["film/film.toml", "title"]),
    # film.toml: fields
    ("title-ansi", brief(title=f'"{ESC}[31mRed{ESC}[0m"'), ["status", "film"], ["'title'", "control character", "remove it"]),
    ("title-ansi-make", brief(title=f'"{ESC}[2J{ESC}[HBus"'), ["make", "film"], ["'title'", "control character"]),
    ("title-bell", brief(title='"Bus\\u0007"'), ["status", "film"], ["'title'", "control character"]),
    ("title-c1-csi", brief(title='"Bus\\u009b31m"'), ["status", "film"], ["'title'", "control character"]),
    ("title-newline", brief(title='"Bus\\nStop"'), ["status", "film"], ["'title'", "control character"]),
    ("title-nul", brief(title='"Bus\\u0000"'), ["status", "film"], ["'title'", "control character"]),
    ("title-too-long", brief(title='"' + "x" * 81 + '"'), ["status", "film"], ["'title'", "80"]),
    ("title-empty", brief(title='""'), ["status", "film"], ["'title'", "at least 1"]),
    ("title-number", brief(title="42"), ["status", "film"], ["'title'", "string"]),
    ("logline-ansi", brief(logline=f'"{ESC}[1mBold"'), ["status", "film"], ["'logline'", "control character"]),
    ("logline-empty", brief(logline='""'), ["status", "film"], ["'logline'"]),
    ("genre-unknown", brief(genre='"space-opera"'), ["status", "film"], ["'genre'", "touching-family"]),
    ("duration-too-short", brief(duration="5"), ["status", "film"], ["'duration'", "15"]),
    ("duration-too-long", brief(duration="700"), ["status", "film"], ["'duration'", "600"]),
    ("duration-text", brief(duration='"long"'), ["status", "film"], ["'duration'"]),
    ("duration-nan", brief(duration="nan"), ["status", "film"], ["'duration'"]),
    ("aspect-unknown", brief(aspect='"7:3"'), ["status", "film"], ["'aspect'", "9:16"]),
    ("platform-unknown", brief(platform='"myspace"'), ["status", "film"], ["'platform'", "douyin"]),
    ("language-unknown", brief(language='"fr"'), ["status", "film"], ["'language'", "en"]),
    ("budget-negative", brief(budget="{ amount = -5 }"), ["status", "film"], ["'budget.amount'"]),
    ("budget-currency", brief(budget='{ amount = 5, currency = "EUR" }'), ["status", "film"], ["'budget.currency'", "CNY"]),
    ("brief-unknown-field", brief(colour='"red"'), ["status", "film"], ["'colour'", "unknown field"]),
    ("settings-unknown", brief(settings="{ turbo = true }"), ["status", "film"], ["turbo", "allowed"]),
    ("settings-workers-zero", brief(settings="{ workers = 0 }"), ["make", "film"], ["workers"]),
    ("deadline-bad", brief(deadline='"soon"'), ["status", "film"], ["'deadline'"]),
    ("seed-text", brief(seed='"lucky"'), ["status", "film"], ["'seed'"]),
    ("providers-unknown-field", brief(providers='{ director = "x" }'), ["status", "film"], ["'providers.director'", "unknown field"]),
    # the project folder itself
    ("folder-is-a-file", noop, ["status", "film/film.toml"], ["film/film.toml", "is a file", "film.toml"]),
    ("folder-is-a-file-make", noop, ["make", "film/bible.yaml"], ["film/bible.yaml", "is a file"]),
    ("folder-missing", noop, ["status", "nowhere"], ["nowhere/film.toml", "microfilm new"]),
    ("folder-missing-make", noop, ["make", "nowhere"], ["nowhere/film.toml", "microfilm new"]),
    ("new-over-a-file", noop, ["new", "film/film.toml", "--title", "X", "--genre", "touching-family", "--logline", "Y"], ["film/film.toml"]),
    ("new-title-ansi", noop, ["new", "other", "--title", "\x1b[31mRed", "--genre", "touching-family", "--logline", "Y"], ["'title'", "control character"]),
    ("new-logline-escape", noop, ["new", "other", "--title", "Red", "--genre", "touching-family", "--logline", "\x1b]0;pwned\x07"], ["'logline'", "control character"]),
    ("new-duration-short", noop, ["new", "other", "--title", "Red", "--genre", "touching-family", "--logline", "Y", "--duration", "3"], ["'duration'", "15"]),
    ("new-aspect-bad", noop, ["new", "other", "--title", "Red", "--genre", "touching-family", "--logline", "Y", "--aspect", "wide"], ["'aspect'"]),
    # bible.yaml
    ("bible-latin1", write("bible.yaml", "title: Café\n".encode("latin-1")), ["check", "film"], ["film/bible.yaml", "line 1", "UTF-8"]),
    ("bible-utf16", write("bible.yaml", "title: x\n".encode("utf-16")), ["board", "film", "--force"], ["film/bible.yaml", "UTF-16"]),
    ("bible-binary", write("bible.yaml", BINARY), ["board", "film", "--force"], ["film/bible.yaml", "binary"]),
    ("bible-folder", folder("bible.yaml"), ["board", "film", "--force"], ["film/bible.yaml", "is a folder"]),
    ("bible-folder-check", folder("bible.yaml"), ["check", "film"], ["film/bible.yaml", "is a folder"]),
    ("bible-bad-yaml", write("bible.yaml", "characters:\n  - id: mei\n   name: x\n"), ["check", "film"], ["film/bible.yaml", "line", "not valid YAML"]),
    ("bible-is-a-list", write("bible.yaml", "- a\n- b\n"), ["check", "film"], ["film/bible.yaml", "mapping"]),
    ("bible-is-a-string", write("bible.yaml", "just words\n"), ["check", "film"], ["film/bible.yaml", "mapping"]),
    ("bible-unknown-field", bible(lambda d: d.update(villain="x")), ["check", "film"], ["film/bible.yaml", "'villain'", "unknown field"]),
    ("bible-characters-number", bible(lambda d: d.update(characters=5)), ["check", "film"], ["film/bible.yaml", "'characters'"]),
    ("bible-missing-board", remove("bible.yaml"), ["board", "film"], ["develop", "microfilm develop film"]),
    # screenplay.fountain
    ("screenplay-utf16", write("screenplay.fountain", "INT. BUS - NIGHT\n".encode("utf-16")), ["check", "film"], ["film/screenplay.fountain", "UTF-16"]),
    ("screenplay-utf16-board", write("screenplay.fountain", "INT. BUS - NIGHT\n".encode("utf-16")), ["board", "film", "--force"], ["film/screenplay.fountain", "UTF-16"]),
    ("screenplay-latin1", write("screenplay.fountain", LATIN1_SCREENPLAY), ["board", "film", "--force"], ["film/screenplay.fountain", "line 1", "UTF-8"]),
    ("screenplay-latin1-check", write("screenplay.fountain", LATIN1_SCREENPLAY), ["check", "film"], ["film/screenplay.fountain", "line 1"]),
    ("screenplay-binary", write("screenplay.fountain", BINARY), ["board", "film", "--force"], ["film/screenplay.fountain", "binary"]),
    ("screenplay-folder", folder("screenplay.fountain"), ["board", "film", "--force"], ["film/screenplay.fountain", "is a folder"]),
    ("screenplay-missing", remove("screenplay.fountain"), ["board", "film"], ["microfilm develop film"]),
    ("screenplay-missing-check", remove("screenplay.fountain"), ["check", "film"], ["microfilm develop film"]),
    ("screenplay-boneyard-open", write("screenplay.fountain", "INT. BUS - NIGHT\n\n/* never closed\n"), ["check", "film"], ["film/screenplay.fountain", "line 3"]),
    ("screenplay-empty", empty_screenplay_boarded, ["generate", "film"], ["film/storyboard.yaml", "15 s", "microfilm board film"]),
    ("screenplay-empty-make", write("screenplay.fountain", ""), ["make", "film", "--keep"], ["15 s", "microfilm board film"]),
    # storyboard.yaml
    ("board-width-negative", board(lambda d: d.update(width=-1)), ["generate", "film"], ["film/storyboard.yaml", "'width'", "16 to 7680"]),
    ("board-width-zero", board(lambda d: d.update(width=0)), ["generate", "film"], ["'width'"]),
    ("board-width-odd", board(lambda d: d.update(width=1081)), ["generate", "film"], ["'width'", "even"]),
    ("board-width-text", board(lambda d: d.update(width="wide")), ["generate", "film"], ["'width'"]),
    ("board-height-huge", board(lambda d: d.update(height=100000)), ["generate", "film"], ["'height'"]),
    ("board-fps-zero", board(lambda d: d.update(fps=0)), ["generate", "film"], ["film/storyboard.yaml", "'fps'", "1 to 120"]),
    ("board-fps-negative", board(lambda d: d.update(fps=-5)), ["generate", "film"], ["'fps'"]),
    ("board-fps-huge", board(lambda d: d.update(fps=1000)), ["generate", "film"], ["'fps'"]),
    ("board-fps-fraction", board(lambda d: d.update(fps=29.97)), ["generate", "film"], ["'fps'"]),
    ("board-duplicate-ids", board(duplicate_ids), ["generate", "film"], ["film/storyboard.yaml", "shots 2 and 3", "own id"]),
    ("board-no-shots", board(lambda d: d.update(shots=[])), ["generate", "film"], ["film/storyboard.yaml", "no shots", "microfilm board"]),
    ("board-shots-key-missing", board(lambda d: d.pop("shots")), ["generate", "film"], ["no shots"]),
    ("board-too-short", board(short_board), ["generate", "film"], ["film/storyboard.yaml", "4.5 s", "15 s"]),
    ("board-shot-duration-zero", shot(duration=0), ["generate", "film"], ["'shots.1.duration'"]),
    ("board-shot-duration-negative", shot(duration=-2), ["generate", "film"], ["'shots.1.duration'"]),
    ("board-shot-unknown-field", shot(colour="red"), ["generate", "film"], ["'shots.1.colour'", "unknown field"]),
    ("board-shot-kind", shot(kind="montage"), ["generate", "film"], ["'shots.1.kind'", "title"]),
    ("board-shot-no-id", board(lambda d: d["shots"][1].pop("id")), ["generate", "film"], ["'shots.1.id'", "required"]),
    ("board-line-start-negative", line(start=-1), ["generate", "film"], ["start"]),
    ("board-line-duration-zero", line(duration=0), ["generate", "film"], ["duration"]),
    ("board-language", board(lambda d: d.update(language="fr")), ["generate", "film"], ["'language'"]),
    ("board-utf16", write("storyboard.yaml", "title: x\n".encode("utf-16")), ["generate", "film"], ["film/storyboard.yaml", "UTF-16"]),
    ("board-latin1", write("storyboard.yaml", "title: Café\n".encode("latin-1")), ["generate", "film"], ["film/storyboard.yaml", "line 1"]),
    ("board-binary", write("storyboard.yaml", BINARY), ["generate", "film"], ["film/storyboard.yaml", "binary"]),
    ("board-folder", folder("storyboard.yaml"), ["generate", "film"], ["film/storyboard.yaml", "is a folder"]),
    ("board-bad-yaml", write("storyboard.yaml", "shots: [\n"), ["generate", "film"], ["film/storyboard.yaml", "not valid YAML"]),
    ("board-is-a-list", write("storyboard.yaml", "- 1\n"), ["generate", "film"], ["film/storyboard.yaml", "mapping"]),
    ("check-board-width", board(lambda d: d.update(width=-1)), ["check", "film"], ["storyboard.yaml", "'width'"]),
    ("check-board-fps", board(lambda d: d.update(fps=0)), ["check", "film"], ["storyboard.yaml", "'fps'"]),
    ("check-board-duplicates", board(duplicate_ids), ["check", "film"], ["storyboard.yaml", "own id"]),
    ("check-board-too-short", board(short_board), ["check", "film"], ["storyboard.yaml", "15 s"]),
    ("status-board-fps", board(lambda d: d.update(fps=0)), ["status", "film"], ["film/storyboard.yaml", "'fps'"]),
    # a stage before the one it needs
    ("board-before-develop", fresh, ["board", "film"], ["`board` needs", "microfilm develop film"]),
    ("generate-before-board", fresh, ["generate", "film"], ["`generate` needs", "microfilm board film"]),
    ("cut-before-generate", noop, ["cut", "film"], ["`cut` needs", "microfilm generate film"]),
    ("master-before-cut", noop, ["master", "film"], ["`master` needs", "microfilm cut film"]),
    ("cut-on-new-folder", fresh, ["cut", "film"], ["microfilm generate film"]),
    # the environment
    ("ffmpeg-exe-nowhere", env("IMAGEIO_FFMPEG_EXE", "/nonexistent/ffmpeg"), ["qc", "tiny.mp4"], ["IMAGEIO_FFMPEG_EXE", "unset it"]),
    ("ffmpeg-exe-folder", env("IMAGEIO_FFMPEG_EXE", lambda film: str(film)), ["qc", "tiny.mp4"], ["IMAGEIO_FFMPEG_EXE"]),
    ("ffmpeg-exe-not-executable", env("IMAGEIO_FFMPEG_EXE", lambda film: str(film / "film.toml")), ["qc", "tiny.mp4"], ["IMAGEIO_FFMPEG_EXE"]),
    ("workers-env-text", env("MICROFILM_WORKERS", "many"), ["status", "film"], ["workers"]),
    ("workers-env-zero", env("MICROFILM_WORKERS", "0"), ["make", "film"], ["workers"]),
    ("user-config-bad-toml", user_config("[settings\n"), ["status", "film"], ["config.toml", "not valid TOML"]),
    ("user-config-utf16", user_config("[settings]\n".encode("utf-16")), ["status", "film"], ["config.toml", "UTF-16"]),
    ("user-config-folder", user_config(None), ["status", "film"], ["config.toml", "is a folder"]),
    ("user-config-unknown-setting", user_config("[settings]\nturbo = 1\n"), ["status", "film"], ["turbo"]),
    # qc on things that are not a film
    ("qc-missing", noop, ["qc", "nothing.mp4"], ["nothing.mp4"]),
    ("qc-not-a-video", noop, ["qc", "film/film.toml"], ["film/film.toml"]),
    ("qc-folder", noop, ["qc", "film"], ["film"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_in_a_line_or_two(case, boarded, tiny_mp4, tmp_path, monkeypatch, capsys):
    name, setup, argv, needles = case
    here = tmp_path / "here"
    shutil.copytree(boarded, here / "film")
    shutil.copy(tiny_mp4, here / "tiny.mp4")
    monkeypatch.chdir(here)
    for name in ("IMAGEIO_FFMPEG_EXE", "MICROFILM_WORKERS"):  # restored after the case
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    try:
        setup(here / "film")
        code, out, err = invoke(monkeypatch, capsys, *argv)
    finally:
        ffmpeg.ffmpeg_exe.cache_clear()
    text = re.sub(r"\s+", " ", out + err)
    assert code != 0, f"{name}: accepted\n{out}{err}"
    assert "Traceback" not in out + err
    one_error = err.lstrip().startswith("error:") and len(err.strip().splitlines()) <= 4
    findings = [ln for ln in out.splitlines() if ln.startswith("error:")]  # `check`'s own list
    assert one_error or (argv[0] == "check" and 0 < len(findings) <= 4), \
        f"{name}: no short error\n{out}{err}"
    assert str(tmp_path) not in text, "an absolute path where a relative one suffices"
    missing = [n for n in needles if n not in text]
    assert not missing, f"{name}: {missing} not in: {text}"


def test_debug_shows_the_traceback(boarded, tmp_path, monkeypatch, capsys):
    here = tmp_path / "here"
    shutil.copytree(boarded, here / "film")
    monkeypatch.chdir(here)
    folder("film.toml")(here / "film")
    from microfilm.errors import SpecError

    monkeypatch.setattr(sys, "argv", ["microfilm", "status", "film", "--debug"])
    with pytest.raises(SpecError, match="is a folder"):
        main()
