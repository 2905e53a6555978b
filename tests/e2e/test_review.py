"""Review before paid motion: with gpt-image painting (it takes references) and Runway
animating, both on local fake servers, nothing reaches Runway until a person approved the
shot and the sheets of its characters; meanwhile the house animator drafts the film. Each
character's sheet is painted once and passed to every keyframe with them; a rejected sheet
is painted again alone."""

from __future__ import annotations

import pytest

pytest.importorskip("runwayml")
pytest.importorskip("openai")

from microfilm import api
from microfilm.errors import MicrofilmError
from microfilm.media.probe import probe
from microfilm.providers.runway import RunwayGen4
from microfilm.spec.storyboard import Storyboard
from tests.fakes import openai as openai_fake
from tests.fakes import runway as runway_fake
from tests.fakes.server import FakeServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def servers():
    with FakeServer() as oa, FakeServer() as rw:
        openai_fake.install(oa)
        runway_fake.install(rw)
        rw.polls_to_finish = 1
        yield oa, rw


@pytest.fixture
def film(servers, monkeypatch, tmp_path):
    oa, rw = servers
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    monkeypatch.setenv("OPENAI_BASE_URL", oa.base_url + "/v1")
    monkeypatch.setenv("RUNWAYML_API_SECRET", "key_test_0123456789abcdef")
    monkeypatch.setenv("RUNWAYML_BASE_URL", rw.base_url)
    monkeypatch.setattr(RunwayGen4, "poll_every_s", 0.05, raising=False)
    root = tmp_path / "film"
    api.new(root, title="Approved Only", genre="youth-romance", logline="Two strangers share an umbrella.",
            language="en", duration=20, seed=11, budget=50, currency="USD")
    toml = root / "film.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('animator = "house-animator"', 'animator = "runway-gen4"')
    text = text.replace('painter = "house-painter"', 'painter = "openai-image"')
    assert "runway-gen4" in text and "openai-image" in text
    toml.write_text(text, encoding="utf-8")
    return root


def _generate_message(report) -> str:
    return next(o for o in report.outcomes if o.stage == "generate").message


def test_nothing_is_animated_for_pay_before_approval(film, servers):
    oa, rw = servers
    submits, sheets_painted = rw.counts["submit"], oa.counts["call"]
    report = api.make(film)
    board = Storyboard.load(film / "storyboard.yaml")
    story = [s for s in board.shots if s.kind == "shot"]
    cast = sorted({c for s in story for c in s.characters})
    assert cast, "the test film needs characters on screen"

    assert rw.counts["submit"] == submits  # Runway saw nothing
    msg = _generate_message(report)
    assert "drafted by the house animator" in msg and "microfilm approve" in msg
    waiting = api.pending(film)
    assert waiting.shots == [s.id for s in story]
    assert sorted(waiting.references) == cast
    for sheet in waiting.references.values():
        assert (film / sheet).is_file()
    # The draft is a whole film: the animatic a person reviews.
    info = probe(film / "out" / "film.mp4")
    assert info.video.width == 1080 and abs(info.duration - board.duration) < 0.5
    # One sheet per character, painted once (generations); keyframes with people are
    # edits that carry the sheets.
    assert oa.counts["call"] - sheets_painted >= len(cast)
    assert oa.counts["edit_images"] >= len(cast)

    again = oa.counts["call"] + oa.counts["edit"]
    api.make(film)
    assert oa.counts["call"] + oa.counts["edit"] == again  # nothing painted twice


def test_approved_shot_with_approved_sheets_is_the_only_paid_render(film, servers):
    oa, rw = servers
    api.make(film)
    board = Storyboard.load(film / "storyboard.yaml")
    story = [s for s in board.shots if s.kind == "shot"]
    first = next(s for s in story if s.characters)

    before = rw.counts["submit"]
    api.approve_shots(film, [first.id])
    assert first.id not in api.pending(film).shots  # pending is what waits for a person now
    api.make(film)
    assert rw.counts["submit"] == before  # its characters' sheets are not approved yet
    assert set(first.characters) <= set(api.pending(film).references)  # it waits on these

    for cid in first.characters:
        api.approve_reference(film, cid)
    report = api.make(film)
    assert rw.counts["submit"] == before + 1  # that shot alone
    assert first.id not in api.pending(film).shots
    assert "drafted" in _generate_message(report)  # the others still are drafts

    # Rejecting a sheet paints another one; the shot waits for its approval again.
    painted = oa.counts["call"]
    cid = first.characters[0]
    old_sheet = api.approve_reference(film, cid)  # already approved: names the sheet
    assert api.reject_reference(film, cid) == 1
    report = api.make(film, stages=["generate"])
    assert oa.counts["call"] == painted + 1
    waiting = api.pending(film)
    drafted = _generate_message(report).split("by the house animator (", 1)[1].split(")", 1)[0]
    assert cid in waiting.references and first.id in drafted.split(", ")
    assert film / waiting.references[cid] != old_sheet
    assert rw.counts["submit"] == before + 1


def test_approval_errors_name_what_exists(film):
    api.make(film, stages=["research", "develop", "board"])
    with pytest.raises(MicrofilmError, match="no shot with id 'nope'.*shots are"):
        api.approve_shots(film, ["nope"])
    with pytest.raises(MicrofilmError, match="no reference sheet for 'ghost'.*microfilm generate"):
        api.approve_reference(film, "ghost")


def _picture(path, colour) -> bytes:
    from PIL import Image

    Image.new("RGB", (96, 144), colour).save(path, format="JPEG")
    return path.read_bytes()


def test_a_persons_own_picture_is_the_sheet_and_needs_no_approval(film, servers, tmp_path):
    import hashlib

    from microfilm.spec.bible import Bible

    oa, rw = servers
    api.make(film, stages=["research", "develop", "board"])
    story = [s for s in Storyboard.load(film / "storyboard.yaml").shots if s.kind == "shot"]
    first = next(s for s in story if s.characters)
    cast = sorted({c for s in story for c in s.characters})
    photos = {cid: _picture(tmp_path / f"{cid}-photo.png", (40 + 60 * i, 90, 160))  # a JPEG named .png
              for i, cid in enumerate(cast)}
    for cid in cast:
        kept = api.use_reference(film, cid, tmp_path / f"{cid}-photo.png")
        assert kept.suffix == ".jpg" and kept.read_bytes() == photos[cid]
        assert Bible.load(film / "bible.yaml").character(cid).reference == kept.relative_to(film).as_posix()

    before_calls, before_submits = oa.counts["call"], rw.counts["submit"]
    seen = len(oa.references_seen)
    api.approve_shots(film, [first.id])
    report = api.make(film)
    assert "kept your edits" not in report.outcomes[1].message  # not a hand edit: no conflict later
    # No sheet painted for anyone, every keyframe with people carried their own pictures, and
    # the approved shot went to Runway without a sheet approval: the person chose them.
    sent = set(oa.references_seen[seen:])
    assert {hashlib.sha256(b).hexdigest() for b in photos.values()} <= sent
    assert rw.counts["submit"] == before_submits + 1
    waiting = api.pending(film)
    assert waiting.references == {} and first.id not in waiting.shots
    painted = oa.counts["call"] - before_calls  # generations: keyframes without people, cover
    assert painted <= sum(1 for s in story if not s.characters) + 2

    # A rewrite of the story keeps the pictures (by character id).
    from microfilm.stages import develop

    rewritten = develop.keep_supplied_references(
        Bible.load(film / "bible.yaml").model_copy(update={"characters": [
            c.model_copy(update={"reference": ""}) for c in Bible.load(film / "bible.yaml").characters]}),
        film / "bible.yaml")
    assert all(c.reference for c in rewritten.characters if c.id in cast)

    # Rejecting one's own picture goes back to a painted sheet that waits for approval.
    api.reject_reference(film, cast[0])
    assert Bible.load(film / "bible.yaml").character(cast[0]).reference == ""
    api.make(film, stages=["generate"])
    assert cast[0] in api.pending(film).references


def test_a_bad_own_picture_is_refused_naming_it(film, tmp_path):
    api.make(film, stages=["research", "develop", "board"])
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture", encoding="utf-8")
    cid = __import__("microfilm.spec.bible", fromlist=["Bible"]).Bible.load(film / "bible.yaml").characters[0].id
    before = (film / "bible.yaml").read_bytes()
    with pytest.raises(MicrofilmError, match="notes.png: only PNG, JPEG and WebP"):
        api.use_reference(film, cid, bad)
    with pytest.raises(MicrofilmError, match="no character 'ghost'; characters are"):
        api.use_reference(film, "ghost", bad)
    assert (film / "bible.yaml").read_bytes() == before  # nothing written
    # A hand-edited bible naming a missing picture stops generate with the field named.
    text = before.decode("utf-8").replace("reference: ''", "reference: refs/gone.jpg", 1)
    (film / "bible.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(MicrofilmError, match=r"bible.yaml: characters\[.*\]\.reference: .*gone.jpg does not exist"):
        api.make(film, stages=["generate"])
