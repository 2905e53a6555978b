"""Segments at the master's spec, burned subtitles and label, stream-copy joins, transitions."""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from microfilm.errors import MediaError
from microfilm.media import ffmpeg
from microfilm.media.ffmpeg import run
from microfilm.media.fonts import find_font
from microfilm.media.probe import count_frames, decode_frame, frame_times, iter_packets, probe
from microfilm.media.segments import (
    SegmentSpec, Transition, concat, encode_segment, join_with_transitions, segment_args,
)
from microfilm.media.subtitles import Cue, SafeArea, write_ass

W, H = 1080, 1920
SMALL = dict(width=180, height=320)


def _ffprobe_frames(path: Path) -> int:
    exe = shutil.which("ffprobe")
    if exe is None:
        pytest.skip("Debian ffprobe is not installed (the independent check)")
    out = subprocess.run([exe, "-v", "error", "-count_frames", "-select_streams", "v:0",
                          "-show_streams", "-of", "json", str(path)], capture_output=True,
                         check=True)
    return int(json.loads(out.stdout)["streams"][0]["nb_read_frames"])


def _colour_clip(path: Path, colour: str, *, size: str = "64x36", rate: int = 25,
                 duration: float = 1.3) -> Path:
    run(["-f", "lavfi", "-i", f"color={colour}:size={size}:rate={rate}:duration={duration}",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", path], what="fixture")
    return path


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("segments")


@pytest.fixture(scope="module")
def testsrc(media: Path) -> Path:
    """The brief's tiny synthetic clip: 640x360, 25 fps, 1.3 s, moving, with a sound track."""
    out = media / "testsrc.mp4"
    run(["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=1.3",
         "-f", "lavfi", "-i", "sine=duration=1.3", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", out], what="fixture")
    return out


@pytest.fixture(scope="module")
def master_pair(media: Path, testsrc: Path) -> tuple[Path, Path, SafeArea]:
    """The same 2.0 s 1080x1920 segment with and without Chinese subtitles and label."""
    safe = SafeArea.default(W, H)
    ass = write_ass([Cue(0.0, 2.0, "我们明天早上八点在老地方见面，不见不散，好吗？", "妈妈")],
                    media / "zh.ass", width=W, height=H, language="zh", font=find_font(),
                    margins=safe)
    subbed = encode_segment(SegmentSpec(source=testsrc, out=media / "subbed.mp4", duration=2.0,
                                        ass=ass, label="本片由AI生成", safe_area=safe))
    plain = encode_segment(SegmentSpec(source=testsrc, out=media / "plain.mp4", duration=2.0))
    return subbed, plain, safe


def test_segment_meets_the_master_spec(master_pair) -> None:
    subbed, plain, _ = master_pair
    for path in (subbed, plain):
        info = probe(path)
        v = info.video
        assert (v.width, v.height) == (W, H)
        assert v.fps_fraction == Fraction(30) and v.fps == 30.0
        assert (v.codec, v.profile, v.pix_fmt, v.color_range) == ("h264", "High", "yuv420p", "tv")
        assert info.audio is None  # the source's sound is dropped; audio is mixed apart
        assert count_frames(path) == 60 == _ffprobe_frames(path)
        assert info.duration == pytest.approx(2.0, abs=1e-3)
        times = frame_times(path)
        assert np.allclose(np.diff(times), 1 / 30)  # constant frame rate


def test_burned_chinese_subtitle_draws_inside_the_safe_area(master_pair) -> None:
    subbed, plain, safe = master_pair
    a = decode_frame(subbed, 1.0).astype(int)
    b = decode_frame(plain, 1.0).astype(int)
    base = H - safe.bottom  # libass puts the last line's bottom here (MarginV)
    band = slice(base - 260, base + 20)  # two lines of ~81 px text above the margin
    diff = np.abs(a[band] - b[band]).sum(axis=2)
    assert (diff > 60).mean() > 0.03, "no subtitle was drawn"
    white = lambda img: ((img > 225).all(axis=2)).sum()  # noqa: E731
    assert white(a[band]) > white(b[band]) + 2000  # white glyphs
    below = np.abs(a[base + 30:] - b[base + 30:]).mean()
    assert below < 2.0, "subtitle pixels leak into the platform's bottom UI area"
    # the visible AI label: top-left, inside the safe area
    label = np.abs(a[safe.top:safe.top + 60, safe.left:safe.left + 260]
                   - b[safe.top:safe.top + 60, safe.left:safe.left + 260]).sum(axis=2)
    assert (label > 60).mean() > 0.05
    assert np.abs(a[:safe.top - 10] - b[:safe.top - 10]).mean() < 2.0


def test_short_clip_is_held_to_the_planned_length(master_pair) -> None:
    _, plain, _ = master_pair
    held = [decode_frame(plain, t).astype(int) for t in (1.4, 1.7, 1.966)]
    assert np.abs(held[0] - held[1]).mean() < 1.5 and np.abs(held[1] - held[2]).mean() < 1.5
    moving = np.abs(decode_frame(plain, 0.2).astype(int) - decode_frame(plain, 0.8)).mean()
    assert moving > 3  # the testsrc moves before it is held


def test_pad_and_cover(media: Path) -> None:
    src = media / "wide.mp4"
    run(["-f", "lavfi", "-i", "color=red:size=320x180:rate=25:duration=0.4",
         "-vf", "drawbox=x=0:y=0:w=60:h=180:color=blue:t=fill", "-c:v", "libx264",
         "-pix_fmt", "yuv420p", src], what="fixture")
    pad = encode_segment(SegmentSpec(source=src, out=media / "pad.mp4", duration=0.5,
                                     fit="pad", **SMALL))
    img = decode_frame(pad, 0.2).astype(int)
    assert img.shape == (320, 180, 3)
    assert img[:100].max() < 30 and img[-100:].max() < 30  # letterbox bars
    assert img[160, 150, 0] > 200  # the picture, in the middle
    cover = encode_segment(SegmentSpec(source=src, out=media / "cover.mp4", duration=0.5,
                                       **SMALL))
    img = decode_frame(cover, 0.2).astype(int)
    assert img[..., 0].mean() > 200 and img[..., 2].mean() < 40  # centre crop: no blue edge
    assert count_frames(pad) == count_frames(cover) == 15


def test_source_start_and_still_image(media: Path) -> None:
    src = media / "rb.mp4"
    run(["-f", "lavfi", "-i", "color=red:size=64x64:rate=20:duration=0.5",
         "-f", "lavfi", "-i", "color=blue:size=64x64:rate=20:duration=0.5",
         "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", src], what="fixture")
    seg = encode_segment(SegmentSpec(source=src, out=media / "late.mp4", duration=0.3,
                                     source_start=0.6, **SMALL))
    assert decode_frame(seg, 0.0)[..., 2].mean() > 200  # starts in the blue part
    png = media / "still.png"
    run(["-f", "lavfi", "-i", "color=green:size=90x160", "-frames:v", "1", png], what="png")
    seg = encode_segment(SegmentSpec(source=png, out=media / "still.mp4", duration=1.1, **SMALL))
    assert count_frames(seg) == 33
    assert decode_frame(seg, 1.0)[..., 1].mean() > 100


def test_segment_errors_name_the_problem(media: Path) -> None:
    with pytest.raises(MediaError, match="does not exist"):
        segment_args(SegmentSpec(source=media / "nope.mp4", out=media / "x.mp4", duration=1))
    with pytest.raises(ValueError, match="even"):
        SegmentSpec(source=media / "nope.mp4", out=media / "x.mp4", duration=1, width=181)
    with pytest.raises(ValueError, match="allowed values"):
        Transition("spin")


@pytest.fixture(scope="module")
def colour_segments(media: Path) -> list[Path]:
    out = []
    for i, (colour, dur) in enumerate((("red", 0.5), ("blue", 1.1), ("green", 0.7))):
        src = _colour_clip(media / f"c{i}.mp4", colour)
        out.append(encode_segment(SegmentSpec(source=src, out=media / f"cut{i}.mp4",
                                              duration=dur, **SMALL)))
    return out


def test_concat_is_stream_copy_with_summed_frames(media: Path, colour_segments) -> None:
    joined = concat(colour_segments, media / "joined.mp4")
    assert count_frames(joined) == 15 + 33 + 21 == _ffprobe_frames(joined)
    assert np.allclose(np.diff(frame_times(joined)), 1 / 30)
    # not re-encoded: every packet is byte-identical to the segments' packets, in order
    expected = [p[2] for seg in colour_segments for p in iter_packets(seg)]
    assert [p[2] for p in iter_packets(joined)] == expected
    assert decode_frame(joined, 0.3)[..., 0].mean() > 200
    assert decode_frame(joined, 1.0)[..., 2].mean() > 200
    assert decode_frame(joined, 2.0)[..., 1].mean() > 100
    assert not [p for p in media.iterdir() if p.name.startswith(".")]  # atomic, no leftovers


def test_concat_refuses_a_segment_of_another_spec(media: Path, colour_segments) -> None:
    src = _colour_clip(media / "odd.mp4", "white")
    other = encode_segment(SegmentSpec(source=src, out=media / "odd-seg.mp4", duration=0.5,
                                       width=160, height=320))
    with pytest.raises(MediaError, match="odd-seg.mp4"):
        concat([colour_segments[0], other], media / "bad.mp4")


def test_transitions_keep_the_plan_and_copy_the_bodies(media: Path) -> None:
    trans = [Transition("dissolve", 0.5), Transition("fade", 0.4)]  # 15 and 12 frames
    durs = (1.0, 1.2, 0.9)  # 30 + 36 + 27 = 93 frames
    segs = []
    for i, (colour, dur) in enumerate(zip(("red", "blue", "green"), durs)):
        spec = SegmentSpec(source=_colour_clip(media / f"tc{i}.mp4", colour),
                           out=media / f"tseg{i}.mp4", duration=dur, **SMALL,
                           transition_in=trans[i - 1] if i else None,
                           transition_out=trans[i] if i < 2 else None)
        segs.append(encode_segment(spec))
        assert count_frames(spec.out) == spec.total_frames
    joined = join_with_transitions(segs, trans, media / "trans.mp4")
    assert count_frames(joined) == 93 == _ffprobe_frames(joined)
    assert np.allclose(np.diff(frame_times(joined)), 1 / 30)
    # the dissolve is centred on the cut at 1.0 s: a blend of red and blue there
    mid = decode_frame(joined, 1.0).astype(int).mean(axis=(0, 1))
    assert mid[0] > 60 and mid[2] > 60, mid
    assert decode_frame(joined, 0.7)[..., 0].mean() > 200  # before the window: pure red
    assert decode_frame(joined, 1.3)[..., 2].mean() > 200  # after it: pure blue
    # fade through black centred on the cut at 2.2 s
    assert decode_frame(joined, 2.2).mean() < 30
    assert decode_frame(joined, 2.5)[..., 1].mean() > 100
    # the bodies were copied: A's first 23 packets, B's packets 15..36 after the 15 blended
    a, b = [[p[2] for p in iter_packets(s)] for s in segs[:2]]
    got = [p[2] for p in iter_packets(joined)]
    assert got[:23] == a[:23]
    assert got[38:60] == b[15:37]
    assert got[23:38] != a[23:38]  # the window was re-encoded


def test_a_rejoin_re_encodes_only_the_transitions_whose_pictures_changed(media: Path) -> None:
    trans = [Transition("dissolve", 0.4), Transition("fade", 0.4)]
    colours = ("red", "blue", "green")

    def segment(i: int, colour: str, tag: str = "") -> Path:
        return encode_segment(SegmentSpec(
            source=_colour_clip(media / f"rj{i}{colour}.mp4", colour), out=media / f"rj{i}{tag}.mp4",
            duration=1.0, **SMALL, transition_in=trans[i - 1] if i else None,
            transition_out=trans[i] if i < 2 else None))

    segs = [segment(i, c) for i, c in enumerate(colours)]
    reuse = media / "blends"
    first = join_with_transitions(segs, trans, media / "rj-a.mp4", workers=2, reuse=reuse)
    kept = sorted(reuse.iterdir())
    assert len(kept) == 2  # one blended window per transition
    again = join_with_transitions(segs, trans, media / "rj-b.mp4", workers=2, reuse=reuse)
    assert sorted(reuse.iterdir()) == kept  # nothing re-encoded
    assert [p[2] for p in iter_packets(again)] == [p[2] for p in iter_packets(first)]

    segs[2] = segment(2, "white", tag="v2")  # the last shot changed: only its transition
    changed = join_with_transitions(segs, trans, media / "rj-c.mp4", workers=2, reuse=reuse)
    now = sorted(reuse.iterdir())
    assert len(now) == 2 and len(set(kept) & set(now)) == 1  # one reused, the stale one gone
    assert count_frames(changed) == 90
    assert decode_frame(changed, 2.5).mean() > 200  # white, where green was
    assert decode_frame(changed, 1.0).astype(int).mean(axis=(0, 1))[2] > 60  # the reused dissolve


def test_transition_join_needs_matching_segments(media: Path, colour_segments) -> None:
    with pytest.raises(MediaError, match="keyframe|transitions"):
        join_with_transitions(colour_segments[:2], [Transition("dissolve", 0.3)],
                              media / "nokey.mp4")
    with pytest.raises(MediaError, match="need 2 transitions"):
        join_with_transitions(colour_segments, [None], media / "count.mp4")
    # all cuts: a plain stream-copy concat
    plain = join_with_transitions(colour_segments, [None, Transition("cut")], media / "c.mp4")
    assert count_frames(plain) == 69


def test_subtitles_follow_the_planned_start_after_a_head_handle(media: Path) -> None:
    ass = write_ass([Cue(0.0, 0.3, "字幕")], media / "handle.ass", width=180, height=320,
                    language="zh", font=find_font())
    src = _colour_clip(media / "grey.mp4", "gray")
    spec = SegmentSpec(source=src, out=media / "handle.mp4", duration=0.6, ass=ass, **SMALL,
                       transition_in=Transition("dissolve", 0.5))  # head handle: 7 frames
    seg = encode_segment(spec)
    assert spec.head == 7 and count_frames(seg) == 7 + 18
    handle, first = decode_frame(seg, 6 / 30).astype(int), decode_frame(seg, 7 / 30).astype(int)
    assert np.abs(handle - first).max() > 100  # the cue starts at the planned first frame
    after = decode_frame(seg, (7 + 12) / 30).astype(int)  # 0.4 s into the shot: cue over
    assert np.abs(handle - after).mean() < 1.5


def test_odd_paths_and_label_text_are_escaped(media: Path) -> None:
    odd = media / "we:ird, dir's [x]"
    odd.mkdir()
    ass = write_ass([Cue(0.0, 1.0, "好")], odd / "s=1;.ass", width=180, height=320,
                    language="zh", font=find_font())
    src = _colour_clip(odd / "a,b.mp4", "black")
    label = "AI: it's, 生成 [x]=1; %{pts} \\ ok"
    seg = encode_segment(SegmentSpec(source=src, out=odd / "out:1.mp4", duration=0.3,
                                     ass=ass, label=label, **SMALL))
    plain = encode_segment(SegmentSpec(source=src, out=odd / "plain.mp4", duration=0.3,
                                       **SMALL))
    a, b = decode_frame(seg, 0.1).astype(int), decode_frame(plain, 0.1).astype(int)
    assert np.abs(a[:80] - b[:80]).max() > 100  # the label drew
    assert np.abs(a[160:] - b[160:]).max() > 100  # the subtitle drew


def test_x264_threads_are_the_one_pin_on_every_machine(media: Path) -> None:
    """x264's threads are capped at 4 on any machine (memory grows with them, speed does
    not), by the one pin every encode carries (ffmpeg.X264_THREADS), never per segment."""
    src = _colour_clip(media / "threads-src.mp4", "teal")
    spec = SegmentSpec(source=src, out=media / "threads.mp4", duration=0.5, **SMALL)
    args = segment_args(spec)
    assert args[args.index("-threads") + 1] == "4" == str(ffmpeg.X264_THREADS)
    assert args.count("-threads") == 1  # only the pin every encode has (ffmpeg.X264_THREADS)
    assert count_frames(encode_segment(spec)) == 15
