"""Campaigns without making a film: campaign.toml errors, the cuts' rule, the reframe rule
on real pixels, the variant folder and the budget cap refusing before any call."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from microfilm import api, gc
from microfilm.campaign import cuts, derive, plan
from microfilm.campaign import spec as campaign_spec
from microfilm.campaign.make import make_campaign
from microfilm.errors import BudgetExceeded, MicrofilmError, SpecError
from microfilm.media import covers, reframe
from microfilm.media.probe import probe
from microfilm.project import Project
from microfilm.spec.brief import Brief
from microfilm.spec.storyboard import Shot, ShotLine, Storyboard


def _film(root: Path, **brief) -> Path:
    return api.new(root, title="The Umbrella", genre="youth-romance",
                   logline="Two strangers share an umbrella at a bus stop.", duration=20, **brief)


def _campaign(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "campaign.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ('base = "../film"\n[matrix]\nplatforms = ["douyin", "myspace"]\n',
     r"field 'matrix.platforms': unknown platform\(s\) 'myspace'; allowed: douyin"),
    ('base = "../film"\n[matrix]\naspects = ["4:3"]\n', r"field 'matrix.aspects': unknown aspect '4:3'"),
    ('base = "../film"\n[matrix]\ncuts = ["trailer"]\n', r"field 'matrix.cuts.0': allowed values are 'full'"),
    ('base = "../film"\n[matrix]\ncuts = ["full", "full"]\n', r"'full' listed twice in cuts"),
    ('base = "../film"\nbudget = -1\n', r"field 'budget': Input should be greater than or equal to 0"),
    ('base = "../film"\n[matrix]\nplatform = ["douyin"]\n', r"field 'matrix.platform': unknown field"),
    ('[matrix]\n', r"field 'base': required field is missing"),
    ('base = "../nowhere"\n', r"field 'base': .*nowhere holds no film.toml"),
    ('base = "../film"\nname = "my campaign!"\n', r"field 'name': 'my campaign!': use letters"),
    ('base = "../film"\n[matrix\n', r"campaign.toml: not valid TOML"),
])
def test_bad_campaign_toml_names_the_field(tmp_path: Path, text: str, expected: str) -> None:
    _film(tmp_path / "film")
    path = _campaign(tmp_path / "camp", text)
    with pytest.raises(SpecError, match=expected) as err:
        campaign_spec.load(path)
    assert str(path) in str(err.value)


def test_language_without_translation_is_refused(tmp_path: Path) -> None:
    _film(tmp_path / "film")
    path = _campaign(tmp_path / "camp", 'base = "../film"\n[matrix]\nlanguages = ["en", "zh"]\n')
    campaign, _ = campaign_spec.load(path)
    brief = Project.at(tmp_path / "film").brief()
    with pytest.raises(SpecError, match=r"field 'matrix.languages': 'zh' needs .*screenplay.zh.fountain"):
        plan.expand(campaign, brief, str(path))
    (tmp_path / "film" / "screenplay.zh.fountain").write_text("INT. X - DAY\n", "utf-8")
    names = [v.name for v in plan.expand(campaign, brief, str(path))]
    assert names == ["generic-9x16-full-en", "generic-9x16-full-zh"]


def _board() -> Storyboard:
    line = lambda t: ShotLine(character="a", text=t)  # noqa: E731
    shots = [Shot(id="title", kind="title", duration=4.0),
             Shot(id="s1", duration=5.0),  # the establishing shot
             Shot(id="s2", duration=6.0, lines=[line("one")]),
             Shot(id="s3", duration=6.0, lines=[line("two"), line("three")]),
             Shot(id="s4", duration=6.0),
             Shot(id="s5", duration=6.0, lines=[line("four")]),
             Shot(id="s6", duration=6.0),  # the last shot
             Shot(id="credits", kind="credits", duration=5.0)]
    return Storyboard(title="t", shots=shots)


def test_cuts_are_picked_by_rule_from_the_board() -> None:
    board = _board()  # 44 s
    assert [s.id for s in cuts.pick(board, "full").shots] == [s.id for s in board.shots]
    teaser = cuts.pick(board, "teaser")
    assert 15 <= teaser.duration <= 30
    ids = [s.id for s in teaser.shots]
    assert ids[0] == "s1" and ids[-1] == "title" and "s6" not in ids  # opens, names, no ending
    short = cuts.pick(board, "short")  # at most 60%: 26.4 s
    assert short.duration <= 0.6 * board.duration
    assert [s.id for s in short.shots] == ["title", "s1", "s6", "credits"] or \
        {"title", "s1", "s6", "credits"} <= {s.id for s in short.shots}
    assert [s.id for s in short.shots] == [s.id for s in board.shots if s in short.shots]  # film order
    # the key lines win the room left: s3 (two lines) before s2 and s5 (one each)
    roomy = cuts.short(board, max_s=26.0)
    assert [s.id for s in roomy] == ["title", "s1", "s3", "s6", "credits"]


def test_a_cut_longer_than_its_platform_takes_is_refused() -> None:
    long = Storyboard(title="t", shots=[Shot(id=f"s{i}", duration=20.0) for i in range(10)])  # 200 s
    with pytest.raises(SpecError, match=r"field 'matrix.cuts': the full cut runs 200 s, over the 180 s "
                                        r"Instagram Reels takes"):
        plan.board_for(plan.Variant("reels", "9:16", "full", "en"), long, "campaign.toml")
    short = plan.board_for(plan.Variant("reels", "1:1", "short", "en"), long, "campaign.toml")
    assert short.duration <= 180 and (short.width, short.height) == (1080, 1080)


def _picture(path: Path, size: tuple[int, int], subject_at: float) -> Path:
    """A flat picture with one busy figure at `subject_at` of the width."""
    im = Image.new("RGB", size, (200, 190, 180))
    d = ImageDraw.Draw(im)
    cx = int(size[0] * subject_at)
    for i in range(0, 200, 8):
        d.rectangle((cx - 100 + i // 2, 300 + i * 3, cx + 100 - i // 2, 310 + i * 3), fill=(20, 20, 60))
    im.save(path)
    return path


def test_reframe_rule_crops_to_the_subject_and_pads_when_a_crop_would_lose_half(tmp_path: Path) -> None:
    wide = _picture(tmp_path / "wide.png", (1920, 1080), subject_at=0.85)
    figure = (np.asarray(Image.open(wide)) < 80).all(axis=2).sum()
    r = reframe.choose((1920, 1080), (1080, 1080), keyframe=wide)
    assert r.mode == "crop" and r.focus > 0.75  # slid right, to the figure
    pixels = np.asarray(Image.open(reframe.image(wide, tmp_path / "square.png", r)))
    assert pixels.shape == (1080, 1080, 3)
    assert (pixels < 80).all(axis=2).sum() >= 0.99 * figure  # the figure is in the frame
    centred = np.asarray(Image.open(reframe.image(wide, tmp_path / "c.png",
                                                  reframe.Reframe((1080, 1080), "crop", 0.5))))
    assert (centred < 80).all(axis=2).sum() == 0  # a centre crop would have missed it
    # 16:9 -> 9:16 keeps 32% in a crop: padded, the whole picture over a blurred fill
    tall = reframe.choose((1920, 1080), (1080, 1920), keyframe=wide)
    assert tall.mode == "pad"
    assert reframe.choose((1080, 1920), (1080, 1080), card=True).mode == "pad"
    padded = np.asarray(Image.open(reframe.image(wide, tmp_path / "tall.png", tall)))
    assert padded.shape == (1920, 1080, 3)
    band = padded[656:1264]  # the fitted picture: 1080 wide, 608 high, centred
    assert band.min() < 40 and padded[:600].max() < 200  # the fill is dimmed


def test_reframe_clip_is_probed_at_the_target_size(tmp_path: Path) -> None:
    from microfilm.media.ffmpeg import run

    src = tmp_path / "clip.mp4"
    run(["-f", "lavfi", "-i", "testsrc2=size=540x960:rate=30:duration=1", "-pix_fmt", "yuv420p",
         str(src)], what="test clip")
    for target, mode in (((540, 540), "crop"), ((960, 540), "pad")):
        r = reframe.choose((540, 960), target)
        assert r.mode == mode
        out = reframe.clip(src, (540, 960), tmp_path / f"{mode}.mp4", r, fps=30)
        info = probe(out)
        assert info.video.size == target and abs(info.duration - 1.0) < 0.1


def test_cover_b_sets_the_title_where_it_hides_least(tmp_path: Path) -> None:
    still = _picture(tmp_path / "still.png", (1080, 1080), subject_at=0.5)  # figure low in frame
    out = covers.titled_still(still, tmp_path / "b.png", "The Umbrella", top_margin=100,
                              bottom_margin=200)
    px = np.asarray(Image.open(out).convert("L"), dtype=np.float32)
    band_top, band_low = px[100:337].mean(), px[643:880].mean()
    assert band_top < band_low  # the dark band went to the top, off the figure
    assert (px[100:337] > 240).sum() > 500  # white letters in it


def test_variant_folder_shares_the_base_store(tmp_path: Path) -> None:
    base = Project.at(_film(tmp_path / "film"))
    (base.root / "bible.yaml").write_text("characters: []\n", "utf-8")
    (base.root / "screenplay.fountain").write_text("INT. X - DAY\n", "utf-8")
    (base.root / "screenplay.zh.fountain").write_text("内景 X - 日\n", "utf-8")
    brief = base.brief().model_copy(update={"platform": "tiktok", "aspect": "1:1",
                                            "settings": {"subtitles": ["en", "zh"]}})
    v = derive.write_variant(base, tmp_path / "camp" / "variants" / "v1", brief, _board(), "zh")
    assert v.assets.is_symlink() and v.assets.resolve() == base.assets.resolve()
    (base.assets / "probe.txt").write_text("x")
    assert (v.assets / "probe.txt").read_text() == "x"
    assert Brief.load(v.brief_path).settings == {"subtitles": ["en", "zh"]}
    assert (v.root / "screenplay.zh.fountain").read_text("utf-8") == "内景 X - 日\n"
    before = v.brief_path.stat().st_mtime_ns
    derive.write_variant(base, v.root, brief, _board(), "zh")  # unchanged: not rewritten
    assert v.brief_path.stat().st_mtime_ns == before
    with pytest.raises(MicrofilmError, match=r"asset store is shared with .*film \(a campaign variant\)"):
        gc.collect(v)  # would sweep the base's assets
    assert derive.remove_stale(tmp_path / "camp", keep=set()) == ["v1"]
    assert (base.assets / "probe.txt").exists()  # only the link went


def test_budget_cap_refuses_before_any_call(tmp_path: Path) -> None:
    root = _film(tmp_path / "film", budget=100)
    project = Project.at(root)
    brief = project.brief()
    brief = brief.model_copy(update={"providers": brief.providers.model_copy(update={"painter": "ark-seedream"})})
    brief.save(project.brief_path)
    path = _campaign(tmp_path / "camp", 'base = "../film"\nbudget = 0.5\n'
                                        '[matrix]\naspects = ["9:16", "1:1"]\n')
    with pytest.raises(BudgetExceeded, match=r"field 'budget': the campaign needs \d+\.\d\d CNY more .* "
                                             r"over its cap of 0.50 CNY.*Nothing was made"):
        make_campaign(path)
    assert not (root / "storyboard.yaml").exists() and not (root / ".microfilm" / "ledger.sqlite").exists()
    assert not (tmp_path / "camp" / "variants").exists() and not (tmp_path / "camp" / "campaign.json").exists()


def test_batch_command_reports_a_bad_campaign_in_one_message(tmp_path: Path, monkeypatch, capsys) -> None:
    from tests.cli_run import invoke

    _film(tmp_path / "film")
    path = _campaign(tmp_path / "camp", 'base = "../film"\n[matrix]\naspects = ["4:3"]\n')
    code, out, err = invoke(monkeypatch, capsys, "batch", path)
    assert code == 2 and not out.strip()  # refused before any progress is shown
    assert f"{path}: field 'matrix.aspects': unknown aspect '4:3'; allowed: 9:16, 16:9, 1:1" in err
    assert "Traceback" not in err


def test_an_error_naming_a_long_path_is_never_broken_inside_it(tmp_path: Path, monkeypatch, capsys) -> None:
    """stderr is not a terminal here: Rich would wrap at 80 columns, breaking the path a user
    copies. The message is one line however long its path."""
    from tests.cli_run import invoke

    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "campaigns"
    _film(tmp_path / "film")
    path = _campaign(deep, f'base = "{tmp_path / "film"}"\n[matrix]\naspects = ["4:3"]\n')
    code, _, err = invoke(monkeypatch, capsys, "batch", path)
    assert code == 2 and len(str(path)) > 120
    assert f"error: {path}: field 'matrix.aspects': unknown aspect '4:3'" in err.splitlines()[0]
