"""The checks: each measured fact against the plan, as a typed item (name, passed, measured,
expected); `QCReport.passed` is their conjunction."""

from __future__ import annotations

import json
import math

from microfilm import form
from microfilm.media import decode_check
from microfilm.media.master import AIGC_KEY
from microfilm.media.qc.plan import Measured, QCCheck, QCFacts, QCPlan, Segment, fmt
from microfilm.media.qc.timing import timing_check


def _cfr(pts: list[int], tb, fps: int) -> tuple[bool, str]:
    if len(pts) < 2 or tb is None:
        return False, "fewer than two frames"
    step = 1.0 / (fps * float(tb))
    diffs = [b - a for a, b in zip(pts, pts[1:])]
    bad = [d for d in diffs if abs(d - step) > 1.0]
    if bad:
        return False, (f"{len(bad)} of {len(diffs)} frame intervals differ from 1/{fps} s "
                       f"(e.g. {bad[0] * float(tb):.4f} s)")
    return True, f"{len(diffs)} intervals of 1/{fps} s"


def _longest(segs: list[Segment]) -> float:
    return max((s.duration for s in segs), default=0.0)


def _seg_detail(segs: list[Segment]) -> str:
    return ", ".join(f"{s.start:.2f}-{s.end:.2f}s" for s in segs[:8]) + (
        f" (+{len(segs) - 8} more)" if len(segs) > 8 else "")


def _label_check(metadata: dict[str, str]) -> QCCheck:
    raw = next((v for k, v in metadata.items() if k.lower() == AIGC_KEY.lower()), None)
    expected = (f'{AIGC_KEY} tag: JSON with Label "1", ContentProducer, ProduceID '
                "(GB 45438-2025)")
    if raw is None:
        return QCCheck(name="aigc_label", passed=False, measured=None, expected=expected,
                       detail=f"no {AIGC_KEY} tag in the file's metadata")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return QCCheck(name="aigc_label", passed=False, measured=raw, expected=expected,
                       detail="the AIGC tag is not JSON")
    if not isinstance(value, dict):
        value = {}
    problems = [] if str(value.get("Label")) == "1" else ['Label is not "1"']
    problems += [f"{k} is missing or empty" for k in ("ContentProducer", "ProduceID")
                 if not str(value.get(k, "")).strip()]
    return QCCheck(name="aigc_label", passed=not problems, measured=raw, expected=expected,
                   detail="; ".join(problems))


class _Checks(list):
    """The report's checks in their fixed order, added group by group."""

    def add(self, name: str, passed: bool, measured: Measured, expected: str,
            detail: str = "") -> None:
        self.append(QCCheck(name=name, passed=bool(passed), measured=measured,
                            expected=expected, detail=detail))


def checks_for(f: QCFacts, plan: QCPlan, extra: dict) -> list[QCCheck]:
    """Every check of `f` against `plan`, in the order qc.json lists them."""
    checks = _Checks()
    has_v, has_a = f.video_codec is not None, f.audio_codec is not None
    checks.add("video_stream", has_v, f.video_codec, "a video stream")
    checks.add("audio_stream", has_a, f.audio_codec, "an audio stream")
    if has_v:
        _picture_format(checks, f, plan, extra)
    if has_a:
        _sound_format(checks, f, plan)
    _durations(checks, f, plan, has_v and has_a)
    if has_a:
        _sound_levels(checks, f, plan)
    if has_v:
        _picture_content(checks, f, plan)
    if "_decode" in extra:
        v = decode_check.verdict(extra["_decode"], index_frames=extra.get("_index_frames"),
                                 audio_duration_s=f.audio_duration_s)
        checks.add("decode", v.passed, v.measured, v.expected, v.detail)
    boxes = f.top_level_boxes
    faststart = "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index(
        "mdat")
    checks.add("faststart", faststart, " ".join(boxes[:6]), "moov before mdat")
    if plan.require_label:
        checks.append(_label_check(f.metadata))
    if plan.cues:
        checks.append(timing_check(f, plan, extra.get("_uncovered", [])))
    return list(checks)


def _picture_format(checks: _Checks, f: QCFacts, plan: QCPlan, extra: dict) -> None:
    size = f"{f.width}x{f.height}"
    if plan.width and plan.height:
        want = f"{plan.width}x{plan.height}"
        checks.add("resolution", size == want, size, want)
    else:
        allowed = [f"{a.width}x{a.height}" for a in form.ASPECTS.values()]
        checks.add("resolution", size in allowed, size, " or ".join(allowed))
    fps = f.fps
    checks.add("fps", fps is not None and abs(fps - plan.fps) < 0.01, _r(fps, 3), str(plan.fps))
    ok, detail = _cfr(extra.get("_pts", []), extra.get("_tb"), plan.fps)
    checks.add("constant_frame_rate", ok, ok, f"every frame 1/{plan.fps} s apart", detail)
    checks.add("video_codec", f.video_codec == plan.video_codec, f.video_codec, plan.video_codec)
    checks.add("video_profile", (f.video_profile or "").lower() == plan.video_profile.lower(),
               f.video_profile, plan.video_profile)
    checks.add("pix_fmt", f.pix_fmt == plan.pix_fmt, f.pix_fmt, plan.pix_fmt)


def _sound_format(checks: _Checks, f: QCFacts, plan: QCPlan) -> None:
    checks.add("audio_codec", f.audio_codec == plan.audio_codec, f.audio_codec, plan.audio_codec)
    checks.add("audio_sample_rate", f.sample_rate == plan.sample_rate, f.sample_rate,
               str(plan.sample_rate))
    checks.add("audio_channels", f.channels == plan.channels, f.channels, str(plan.channels))


def _durations(checks: _Checks, f: QCFacts, plan: QCPlan, both: bool) -> None:
    dur = f.duration_s
    if plan.duration_s is not None:
        checks.add("duration", dur is not None and abs(dur - plan.duration_s)
                   <= plan.duration_tolerance_s, _r(dur, 3),
                   f"{plan.duration_s:.2f} s +-{plan.duration_tolerance_s} s")
    checks.add("duration_cap", dur is not None and dur <= plan.max_duration_s + 1e-6, _r(dur, 3),
               f"<= {plan.max_duration_s:.0f} s ({form.format_clock(plan.max_duration_s)})")
    if both:
        vd, ad = f.video_duration_s, f.audio_duration_s
        drift = None if vd is None or ad is None else abs(vd - ad)
        checks.add("av_duration_match", drift is not None and drift <= plan.max_av_drift_s,
                   _r(drift, 3), f"<= {plan.max_av_drift_s} s",
                   f"video {fmt(vd, ' s', 3)}, audio {fmt(ad, ' s', 3)}")


def _sound_levels(checks: _Checks, f: QCFacts, plan: QCPlan) -> None:
    lo = f.loudness
    i = None if lo is None else lo.integrated_lufs
    checks.add("loudness", i is not None and abs(i - plan.target_lufs) <= plan.lufs_tolerance,
               _r(i, 1), f"{plan.target_lufs:.1f} LUFS +-{plan.lufs_tolerance}")
    tp = None if lo is None else lo.true_peak_dbtp
    checks.add("true_peak", tp is not None and tp <= plan.max_true_peak_dbtp,
               None if tp is None else (tp if math.isfinite(tp) else -999.0),
               f"<= {plan.max_true_peak_dbtp:.1f} dBTP")
    checks.add("silence", _longest(f.silence) <= plan.silence_max_s, _longest(f.silence),
               f"no silence (< {plan.silence_db:.0f} dB) longer than {plan.silence_max_s} s",
               _seg_detail(f.silence))


def _picture_content(checks: _Checks, f: QCFacts, plan: QCPlan) -> None:
    checks.add("black_frames", _longest(f.black) <= plan.black_max_s, _longest(f.black),
               f"no black stretch longer than {plan.black_max_s} s", _seg_detail(f.black))
    checks.add("frozen_frames", _longest(f.frozen) <= plan.freeze_max_s, _longest(f.frozen),
               f"no frozen stretch longer than {plan.freeze_max_s} s", _seg_detail(f.frozen))


def _r(x: float | None, nd: int) -> float | None:
    return None if x is None else round(x, nd)
