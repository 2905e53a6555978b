"""QC decodes the whole master: a film cut in half or damaged in the middle fails.

The good film is the one test_master_qc builds (it passes every check). Its copies are
broken the way files break: the second half missing (an interrupted copy, the header
intact) and 4 KiB of random bytes written into its middle.
"""

from __future__ import annotations

import random
from pathlib import Path

from microfilm.media.decode_check import DecodeScan, parse_log, verdict
from microfilm.media.qc import run_qc
from tests.unit.test_master_qc import PLAN, good, media  # noqa: F401 - module fixtures

FRAMES = 360  # 12 s at 30 fps


def test_the_good_film_decodes_whole(good):  # noqa: F811
    report = run_qc(good, PLAN)
    check = report.check("decode")
    assert report.passed and check.passed, report.summary()
    assert check.measured.startswith(f"{FRAMES} frames")


def test_a_film_truncated_in_half_fails_qc_naming_the_missing_frames(good, tmp_path):  # noqa: F811
    data = good.read_bytes()
    half = tmp_path / "half.mp4"
    half.write_bytes(data[: len(data) // 2])
    report = run_qc(half, PLAN)
    check = report.check("decode")
    assert not report.passed and not check.passed
    decoded = int(check.measured.split()[0])
    assert 0 < decoded < FRAMES * 0.75 and f"of {FRAMES} video frames decoded" in check.detail
    assert "s of audio decoded" in check.detail
    assert report.summary().startswith("QC FAILED")


def test_random_bytes_in_the_middle_fail_qc_with_the_decoder_errors(good, tmp_path):  # noqa: F811
    data = bytearray(good.read_bytes())
    rng = random.Random(9)
    middle = len(data) // 2
    data[middle:middle + 4096] = bytes(rng.randrange(256) for _ in range(4096))
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(bytes(data))
    report = run_qc(damaged, PLAN)
    check = report.check("decode")
    assert not report.passed and not check.passed
    assert "decode error" in check.detail, check.detail


def test_the_verdict_reads_errors_and_amounts_from_a_leveled_log():
    log = ("[h264 @ 0x1] [error] Invalid NAL unit size (3232 > 2699).\n"
           "[in#0 @ 0x2] [warning] Packet corrupt (stream = 0, dts = 7).\n"
           "[Parsed_blackdetect_1 @ 0x3] [warning] some harmless note\n"
           "[out#0/null @ 0x4] [info] video:61KiB audio:1875KiB subtitle:0KiB\n"
           "[info] frame=  147 fps=0.0 q=-0.0 Lsize=N/A time=00:00:05.00\n")
    scan = parse_log(log, audio_channels=2, sample_rate=48000)
    assert scan.video_frames == 147 and abs(scan.audio_s - 10.0) < 1e-9
    assert scan.errors == ["Invalid NAL unit size (3232 > 2699).",
                           "Packet corrupt (stream = 0, dts = 7)."]
    bad = verdict(scan, index_frames=300, audio_duration_s=10.0)
    assert not bad.passed and "147 of 300 video frames" in bad.detail
    fine = verdict(DecodeScan(video_frames=300, audio_s=10.0), index_frames=300,
                   audio_duration_s=10.0)
    assert fine.passed and fine.detail == ""
