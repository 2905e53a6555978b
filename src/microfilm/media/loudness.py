"""Loudness as a broadcast meter reads it: EBU R128 / ITU-R BS.1770 via ffmpeg's ebur128.

The master's targets (form.TARGET_LUFS, form.TRUE_PEAK_DBTP) are promises about the file,
so they are checked by measuring the file. ffmpeg's ebur128 filter with `peak=true`
(4x oversampled true peak) is the meter; its end-of-stream summary is parsed here, once, for
the mixer (which measures inline while it renders) and for QC (which measures in the same
decode pass as its picture checks).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from microfilm.errors import MediaError
from microfilm.media import ffmpeg

EBUR128_FILTER = "ebur128=peak=true:framelog=quiet"
"""The meter as a filter-graph fragment: true peak on, per-100-ms log off (a 10-minute file
would otherwise print 6,000 lines)."""


class Loudness(BaseModel):
    """One file's (or one stream's) measured loudness."""

    model_config = ConfigDict(frozen=True, ser_json_inf_nan="strings")

    integrated_lufs: float
    """Integrated (gated) loudness, LUFS. ffmpeg reports -70.0 for digital silence."""
    true_peak_dbtp: float
    """Highest true peak over all channels, dBTP (-inf for digital silence)."""
    lra: float
    """Loudness range, LU."""


_NUM = r"(-?inf|[-+]?\d+(?:\.\d+)?)"
_SUMMARY = re.compile(r"\]\s*Summary:\s*\n(?P<body>.*?)(?=\n\[|\Z)", re.S)
_FIELDS = {
    "integrated_lufs": re.compile(r"Integrated loudness:\s*\n\s*I:\s*" + _NUM + r"\s*LUFS"),
    "lra": re.compile(r"Loudness range:\s*\n\s*LRA:\s*" + _NUM + r"\s*LU\b"),
    "true_peak_dbtp": re.compile(r"True peak:\s*\n\s*Peak:\s*" + _NUM + r"\s*dBFS"),
}


def _number(text: str) -> float:
    return -math.inf if text == "-inf" else math.inf if text == "inf" else float(text)


def parse_summaries(stderr: str) -> list[Loudness]:
    """Every ebur128 summary in an ffmpeg log, in order of appearance.

    Robust to other filters' lines before and after each summary; a summary without a true
    peak section (peak mode off) reads its peak as -inf, so callers that need a true peak
    must run the meter with `peak=true` (EBUR128_FILTER does).
    """
    found: list[Loudness] = []
    for match in _SUMMARY.finditer(stderr):
        body = match.group("body")
        values: dict[str, float] = {}
        for name, pattern in _FIELDS.items():
            m = pattern.search(body)
            if m:
                values[name] = _number(m.group(1))
        if "integrated_lufs" not in values:
            continue
        values.setdefault("lra", 0.0)
        values.setdefault("true_peak_dbtp", -math.inf)
        found.append(Loudness(**values))
    return found


def parse_summary(stderr: str, *, what: str) -> Loudness:
    """The last ebur128 summary in an ffmpeg log; MediaError naming `what` if none."""
    found = parse_summaries(stderr)
    if not found:
        tail = "\n".join(stderr.strip().splitlines()[-8:])
        raise MediaError(f"{what}: the loudness meter printed no summary; ffmpeg said:\n{tail}")
    return found[-1]


def measure(path: Path, *, stream: int = 0, true_peak: bool = True) -> Loudness:
    """Measure integrated loudness, true peak and LRA of one audio stream of `path`.

    `true_peak=False` skips the 4x oversampling (several times faster) and reports the
    peak as -inf: enough where only the integrated loudness is needed.
    """
    path = Path(path)
    if not path.is_file():
        raise MediaError(f"loudness: {path}: no such file")
    meter = EBUR128_FILTER if true_peak else "ebur128=framelog=quiet"
    result = ffmpeg.run(
        ["-nostats", "-i", path, "-map", f"0:a:{stream}", "-af", meter, "-f", "null", "-"],
        what=f"measuring loudness of {path}",
    )
    return parse_summary(result.stderr, what=f"measuring loudness of {path}")
