"""Uploads that must not become part of a film (issue 9, point 6): a JPEG that does not
decode to the end, a thumbnail of a broken picture (never a 500), and a film folder whose
refs/ is a link leading out of it (nothing written outside)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.studio.test_review import reviewed, write_generated  # noqa: F401 - the fixture

JPEG = "image/jpeg"


def _jpeg(size=(320, 240)) -> bytes:
    im = Image.effect_noise(size, 60).convert("RGB")  # noise: many scans' worth of data
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_a_jpeg_that_does_not_decode_fully_never_becomes_a_reference(reviewed):
    owner, fid, csrf, folder = reviewed["owner"], reviewed["fid"], reviewed["csrf"], reviewed["folder"]
    good = _jpeg()
    sos = good.index(b"\xff\xda")
    header_only = good[: sos + 2 + int.from_bytes(good[sos + 2:sos + 4], "big")]  # no scan data
    broken = {"header only": header_only, "half": good[: len(good) // 2]}
    for name, data in broken.items():
        with Image.open(io.BytesIO(data)) as im:
            im.verify()  # what used to be the whole check passes on these
        before = _files_under(folder)
        for url in (f"/films/{fid}/uploads", f"/films/{fid}/references/mei/picture"):
            r = owner.post(url, data={"kind": "reference"}, headers={"x-csrf-token": csrf},
                           files={"file": ("mei.jpg", data, JPEG)})
            assert r.status_code == 415 and "does not decode" in r.json()["detail"], (name, url, r.text)
        assert _files_under(folder) == before, name
        assert "refs/reference" not in (folder / "bible.yaml").read_text("utf-8")
    r = owner.post(f"/films/{fid}/references/mei/picture", headers={"x-csrf-token": csrf},
                   files={"file": ("mei.jpg", good, JPEG)})
    assert r.status_code == 200 and r.json()["reference"].startswith("refs/reference/")


def test_thumbnails_of_broken_pictures_are_404_never_500(reviewed):
    owner, fid, folder = reviewed["owner"], reviewed["fid"], reviewed["folder"]
    good = _jpeg()
    (folder / "out" / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    sheet = reviewed["sheets"]["mei"]
    sheet.chmod(0o644)
    sheet.write_bytes(good[: len(good) // 2])
    for url in (f"/films/{fid}/cover.jpg", f"/films/{fid}/references/mei/sheet.jpg"):
        r = owner.get(url)
        assert r.status_code == 404 and "does not decode" in r.text, (url, r.status_code)
    page = owner.get(f"/films/{fid}")
    assert page.status_code == 200


def test_an_upload_never_writes_through_a_link_out_of_the_film(reviewed, tmp_path: Path):
    owner, fid, csrf, folder = reviewed["owner"], reviewed["fid"], reviewed["csrf"], reviewed["folder"]
    outside = tmp_path / "outside"
    outside.mkdir()
    refs = folder / "refs"
    if refs.exists():
        import shutil

        shutil.rmtree(refs)
    refs.symlink_to(outside, target_is_directory=True)
    for url in (f"/films/{fid}/uploads", f"/films/{fid}/references/mei/picture"):
        r = owner.post(url, data={"kind": "reference"}, headers={"x-csrf-token": csrf},
                       files={"file": ("mei.jpg", _jpeg(), JPEG)})
        assert r.status_code in (409, 422) and "leads outside" in r.json()["detail"], (url, r.text)
        assert str(tmp_path) not in r.json()["detail"]
    assert list(outside.rglob("*")) == []
    refs.unlink()
    (folder / "refs" / "reference").mkdir(parents=True)
    r = owner.post(f"/films/{fid}/uploads", data={"kind": "reference"}, headers={"x-csrf-token": csrf},
                   files={"file": ("mei.jpg", _jpeg(), JPEG)})
    assert r.status_code == 200
