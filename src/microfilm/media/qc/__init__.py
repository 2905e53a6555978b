"""QC of a finished film, measured on the file: what was made, not what was intended.

The rooms: `plan` (what the film should be, and the report's types), `scan` (container and
stream facts from media/probe.py, then ONE ffmpeg decode pass for black, frozen, loudness
and silence), `voice` (where the voice is), `timing` (each subtitle cue against its voice)
and `checks` (each fact against the plan). `run_qc` runs them in that order; the report
serialises to qc.json.
"""

from __future__ import annotations

import time
from pathlib import Path

from microfilm.errors import MediaError
from microfilm.media.qc.checks import checks_for
from microfilm.media.qc.plan import CueTiming, QCCheck, QCFacts, QCPlan, QCReport, Segment
from microfilm.media.qc.scan import build_scan_args, scan, stream_facts, top_level_boxes
from microfilm.media.qc.timing import cue_timing
from microfilm.media.qc.voice import voice_spans, voiced

__all__ = ["CueTiming", "QCCheck", "QCFacts", "QCPlan", "QCReport", "Segment", "build_scan_args",
           "cue_timing", "run_qc", "top_level_boxes", "voice_spans", "voiced", "write_report"]


def run_qc(path: Path, plan: QCPlan | None = None) -> QCReport:
    """Measure `path` against `plan` (the form's master spec when None)."""
    t0 = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise MediaError(f"qc: {path}: no such file")
    plan = plan or QCPlan()
    raw = stream_facts(path)
    extra = {k: raw.pop(k) for k in list(raw) if k.startswith("_")}
    has_v, has_a = raw.get("video_codec") is not None, raw.get("audio_codec") is not None
    duration = raw.get("duration_s") or 0.0
    scanned = scan(path, plan, has_v, has_a, duration, raw.get("channels"), raw.get("sample_rate"))
    if "_decode" in scanned:
        extra["_decode"] = scanned.pop("_decode")
    fps = None
    pts = extra.get("_pts") or []
    if len(pts) >= 2 and extra.get("_tb") is not None:
        span = (pts[-1] - pts[0]) * float(extra["_tb"])
        fps = (len(pts) - 1) / span if span > 0 else None
    elif extra.get("_avg_rate"):
        fps = extra["_avg_rate"]
    if plan.cues and (has_a or plan.dialogue or plan.dialogue_stem is not None):
        spans, source = voice_spans(path, plan)
        timing, uncovered = cue_timing(list(plan.cues), spans, plan,
                                       report_unsubtitled=source != "master audio")
        scanned.update(voice=spans, voice_source=source, cue_timing=timing)
        extra["_uncovered"] = uncovered
    facts = QCFacts(size_bytes=path.stat().st_size, top_level_boxes=top_level_boxes(path),
                    fps=fps, frame_count=len(pts) if has_v else None, **raw, **scanned)
    return QCReport(path=str(path), checks=checks_for(facts, plan, extra), facts=facts,
                    seconds=round(time.perf_counter() - t0, 3))


def write_report(report: QCReport, path: Path) -> Path:
    """Write `report` to `path` as JSON (out/qc.json), atomically; same as report.write."""
    return report.write(path)
