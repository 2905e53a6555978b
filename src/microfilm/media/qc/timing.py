"""Subtitle timing against the voice: every cue must start within a tolerance of its line's
onset and must not end before the line does; a failure names the cue (as numbered in
film.srt) and its text."""

from __future__ import annotations

from microfilm.media.qc.plan import CueTiming, QCCheck, QCFacts, QCPlan, Segment, fmt
from microfilm.spec.cue import Cue


def cue_timing(cues: list[Cue], spans: list[Segment], plan: QCPlan,
               report_unsubtitled: bool) -> tuple[list[CueTiming], list[str]]:
    """Match each cue to the voice it overlaps most; check onset and end.

    A line laid out as several consecutive cues is one voice span: its first cue must start
    at the onset, its last must not end before the voice does. Returns the per-cue results
    and the voiced spans no cue covers (only when `report_unsubtitled`).
    """
    tol, end_tol = plan.cue_onset_tolerance_s, plan.cue_end_tolerance_s
    order = sorted(cues, key=lambda c: (c.start, c.end))
    owner: list[int | None] = []
    for cue in order:
        best, best_key = None, None
        for j, s in enumerate(spans):
            overlap = min(cue.end, s.end) - max(cue.start, s.start)
            near = abs(cue.start - s.start) <= tol
            if overlap <= 0 and not near:
                continue
            key = (overlap, -abs(cue.start - s.start))
            if best_key is None or key > best_key:
                best, best_key = j, key
        owner.append(best)
    results: list[CueTiming] = []
    for i, (cue, j) in enumerate(zip(order, owner)):
        text = " ".join(cue.text.split())
        if j is None:
            nearest = min(spans, key=lambda s: abs(s.start - cue.start), default=None)
            hint = (f"; the nearest voice starts at {nearest.start:.2f} s" if nearest
                    else "; no voice was found in the film")
            results.append(CueTiming(number=i + 1, line_id=cue.line_id, text=text,
                                     start=cue.start, end=cue.end, passed=False, problem="no voice under it" + hint))
            continue
        span = spans[j]
        mine = [k for k, o in enumerate(owner) if o == j]
        problems = []
        err = cue.start - span.start
        if i == mine[0] and abs(err) > tol + 1e-9:
            problems.append(f"starts {abs(err):.2f} s {'after' if err > 0 else 'before'} "
                            f"the voice (voice at {span.start:.2f} s, cue at {cue.start:.2f} s)")
        if i == mine[-1] and cue.end < span.end - end_tol - 1e-9:
            problems.append(f"ends {span.end - cue.end:.2f} s before the voice does "
                            f"(voice ends at {span.end:.2f} s, cue at {cue.end:.2f} s)")
        results.append(CueTiming(number=i + 1, line_id=cue.line_id, text=text, start=cue.start, end=cue.end,
                                 voice_start=span.start, voice_end=span.end,
                                 onset_error_s=round(err, 3) if i == mine[0] else None,
                                 passed=not problems, problem="; ".join(problems)))
    uncovered = []
    if report_unsubtitled:
        for j, s in enumerate(spans):
            if j not in owner and not any(min(c.end, s.end) > max(c.start, s.start)
                                          for c in order):
                uncovered.append(f"voice at {s.start:.2f}-{s.end:.2f} s has no cue")
    return results, uncovered


def timing_check(f: QCFacts, plan: QCPlan, uncovered: list[str]) -> QCCheck:
    tol = plan.cue_onset_tolerance_s
    expected = (f"each cue starts within {tol:g} s of its voice and does not end before it "
                f"(voice from {f.voice_source or 'n/a'})")
    if f.audio_codec is None and not plan.dialogue and plan.dialogue_stem is None:
        return QCCheck(name="subtitle_timing", passed=False, measured=None,
                       expected=expected, detail="the file has no sound to time cues against")
    bad = [c for c in f.cue_timing if not c.passed]
    problems = [f'cue {c.number} "{_clip(c.text)}": {c.problem}' for c in bad] + uncovered
    worst = max((abs(c.onset_error_s) for c in f.cue_timing if c.onset_error_s is not None),
                default=None)
    detail = "; ".join(problems[:8]) + (f" (+{len(problems) - 8} more)"
                                         if len(problems) > 8 else "")
    if not problems:
        detail = (f"{len(f.cue_timing)} cues; largest onset error "
                  f"{fmt(worst, ' s')}")
    return QCCheck(name="subtitle_timing", passed=not problems, measured=len(problems),
                   expected=expected, detail=detail)


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
