"""The studio's campaign pages: the list, a campaign's variants with their state and films,
and only the files campaign.json names served (no path from the URL reaches the disk)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from microfilm.campaign.status import CampaignStatus, VariantStatus
from microfilm.studio.app import create_app
from microfilm.studio.settings import StudioSettings
from tests.studio.conftest import make_tiny_cut, signup


@pytest.fixture()
def studio(tmp_path: Path):
    settings = StudioSettings(home=tmp_path / "studio")
    app = create_app(settings)
    yield settings, TestClient(app)
    app.state.jobs.shutdown(wait=5)
    app.state.engine.dispose()


def _campaign(folder: Path) -> CampaignStatus:
    """A campaign as `batch` leaves it: one variant done (film, covers), one failed."""
    done = VariantStatus(name="tiktok-1x1-full-en", platform="tiktok", aspect="1:1", cut="full",
                         language="en", folder="variants/tiktok-1x1-full-en", state="done",
                         message="QC passed", duration_s=20.1, width=1080, height=1080,
                         qc_passed=True, made={"segment": 5}, reused={"keyframe": 5, "clip": 5},
                         covers=["cover-a.png", "cover-b.png"])
    failed = done.model_copy(update={"name": "reels-9x16-full-en", "platform": "reels",
                                     "folder": "variants/reels-9x16-full-en", "state": "failed",
                                     "message": "reels: the cut runs 200 s", "qc_passed": None,
                                     "covers": []})
    status = CampaignStatus(name="umbrella", base="/films/umbrella", currency="CNY", budget=5.0,
                            state="failed", variants=[done, failed])
    out = folder / done.folder / "out"
    out.mkdir(parents=True)
    make_tiny_cut(out / "film.mp4")
    Image.new("RGB", (64, 64), (200, 80, 40)).save(out / "cover-a.png")
    Image.new("RGB", (64, 64), (40, 80, 200)).save(out / "cover-b.png")
    (out / "secret.txt").write_text("not served")
    status.save(folder)
    return status


def test_campaign_pages_list_variants_and_serve_their_films(studio, tmp_path: Path) -> None:
    settings, client = studio
    assert client.get("/campaigns", follow_redirects=False).status_code in (302, 303)  # login first
    signup(client, "ana@brand.example", workspace="Brand")
    assert "No campaign yet" in client.get("/campaigns").text
    elsewhere = tmp_path / "work" / "umbrella"
    _campaign(elsewhere)
    (settings.home / "campaigns").mkdir(parents=True)
    (settings.home / "campaigns" / "umbrella").symlink_to(elsewhere)  # linked in, as the docs say

    listing = client.get("/campaigns").text
    assert 'href="/campaigns/umbrella"' in listing and "1/2" in listing
    page = client.get("/campaigns/umbrella").text
    assert 'data-variant="tiktok-1x1-full-en"' in page and 'data-variant="reels-9x16-full-en"' in page
    assert "/campaigns/umbrella/tiktok-1x1-full-en/film.mp4" in page
    assert "/campaigns/umbrella/reels-9x16-full-en/film.mp4" not in page  # no film: no link
    assert "the cut runs 200 s" in page and "passed" in page
    film = client.get("/campaigns/umbrella/tiktok-1x1-full-en/film.mp4")
    assert film.status_code == 200 and film.headers["content-type"] == "video/mp4"
    assert film.content[4:8] == b"ftyp"
    cover = client.get("/campaigns/umbrella/tiktok-1x1-full-en/cover-b.png")
    assert cover.status_code == 200 and cover.content.startswith(b"\x89PNG")
    small = client.get("/campaigns/umbrella/tiktok-1x1-full-en/cover-b.jpg")  # the page's thumbnail
    assert small.headers["content-type"] == "image/jpeg" and small.content.startswith(b"\xff\xd8")
    assert 'src="/campaigns/umbrella/tiktok-1x1-full-en/cover-b.jpg"' in page
    for bad in ("/campaigns/umbrella/tiktok-1x1-full-en/secret.txt",
                "/campaigns/umbrella/nope/film.mp4", "/campaigns/nope",
                "/campaigns/umbrella/reels-9x16-full-en/film.mp4",
                "/campaigns/..%2F..%2Fetc/x/film.mp4"):
        assert client.get(bad).status_code == 404, bad
    shutil.rmtree(elsewhere / "variants")
    assert client.get("/campaigns/umbrella/tiktok-1x1-full-en/film.mp4").status_code == 404
