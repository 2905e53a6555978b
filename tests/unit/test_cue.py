"""One Cue type (spec/cue.py) from the cut to the subtitles and QC, carrying its line's id."""

from __future__ import annotations

import pytest

from microfilm.media import subtitles
from microfilm.media.qc import QCPlan, Segment, cue_timing
from microfilm.spec.cue import Cue
from microfilm.spec.cut import Cut

LONG = ("This line is far too long for two short phone lines, so the layout has to split it "
        "into consecutive cues that share its time.")


def _cut(cues: list[Cue]) -> Cut:
    return Cut(duration=10, width=180, height=320, fps=24, segments=[], dialogue=[], score="s.m4a",
               cover="c.png", cues=cues)


def test_a_cut_reads_back_the_cues_it_wrote_with_their_line_ids(tmp_path):
    cues = [Cue(0.5, 2.0, "Is this the last bus?", "MEI", line_id="sc01-l01"),
            Cue(2.5, 4.0, "It is.", "DRIVER", "是的。", "sc01-l02")]
    path = tmp_path / "cut.json"
    path.write_text(_cut(cues).model_dump_json(), encoding="utf-8")
    back = Cut.load(path).cues
    assert back == cues and all(type(c) is Cue for c in back)
    assert subtitles.Cue is Cue  # the subtitles' cue is the spec's, not a copy


def test_layout_and_segment_windows_keep_the_line_id_of_every_part(tmp_path):
    parts = subtitles.layout([Cue(1.0, 7.0, LONG, "MEI", line_id="sc02-l03")], "en", 30)
    assert len(parts) >= 2 and all(a.end == b.start for a, b in zip(parts, parts[1:]))
    assert {p.line_id for p in parts} == {"sc02-l03"} and {p.speaker for p in parts} == {"MEI"}
    part1 = parts[0]
    (clipped,) = subtitles.cues_for_window([part1], 2.0, 3.0)
    assert (clipped.start, clipped.end, clipped.line_id) == (0.0, 1.0, "sc02-l03")
    srt = tmp_path / "film.srt"
    subtitles.write_srt(parts, srt)
    assert srt.read_text(encoding="utf-8").count("-->") == len(parts)


def test_each_qc_row_names_the_line_its_cue_shows():
    cues = [Cue(1.0, 2.5, "first", line_id="sc01-l01"), Cue(4.2, 5.0, "second", line_id="sc01-l02"),
            Cue(8.0, 8.5, "nobody says this")]
    spans = [Segment(start=1.05, end=2.4), Segment(start=3.6, end=5.0)]
    rows, uncovered = cue_timing(cues, spans, QCPlan(cues=tuple(cues)), report_unsubtitled=True)
    assert [(r.line_id, r.passed) for r in rows] == [("sc01-l01", True), ("sc01-l02", False),
                                                      ("", False)]
    assert "starts 0.60 s after the voice" in rows[1].problem and uncovered == []


@pytest.mark.parametrize("start, end", [(2.0, 1.0), (-0.5, 1.0), (0.0, float("inf"))])
def test_a_cue_that_cannot_be_shown_is_refused(start, end):
    with pytest.raises(ValueError, match="cue 'x'"):
        Cue(start, end, "x")
