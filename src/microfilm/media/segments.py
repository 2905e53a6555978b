"""Uniform segments, encoded once, joined by stream copy; transitions re-encode only the overlap.

Each shot becomes one video-only MP4 at the master's spec (`ffmpeg.video_encode_args`):
conformed (scale-to-cover and centre-crop, or pad), CFR, exactly round(duration * fps)
frames, with its subtitles (ASS, libass) and the visible AI label (drawtext) burned in, in one
ffmpeg call. The master picture is these segments joined by the concat demuxer with `-c copy`,
so joining costs I/O, not encoding, and changing one shot re-encodes one segment. A house
shot's source is a camera-move recipe (media/motion.py), rendered from its keyframe inside
that same call: an offline shot is encoded once, from the still to the segment.

Transitions (`join_with_transitions`). Timing rule: a transition of d seconds (D frames)
between shots A and B is centred on the planned cut. It occupies the last a = D // 2 frames
of A's slot and the first b = D - a frames of B's slot, so the film's plan is exact: the cut
stays where the storyboard put it and the total is the sum of the shots' durations. To have
A's picture for the whole window, A's segment is encoded with a *tail handle* of b frames past
its end (more of the source clip when it has it, else its last frame held), and B's with a
*head handle* of a frames before its start (earlier source when `source_start` allows, else
its first frame held). encode_segment forces keyframes where the window starts in A and
ends in B, so the join splits each file at those keyframes by stream copy, re-encodes only
the D-frame overlap with xfade, and concatenates everything by stream copy again.

Segment time base: the ASS file's time 0 is the shot's first planned frame (after any head
handle), i.e. cues shifted by the shot's start in the film (`subtitles.cues_for_window`).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Sequence

from microfilm.errors import MediaError
from microfilm.executor import using
from microfilm.form import FPS
from microfilm.fsutil import atomic_output, sha256_file, sha256_text
from microfilm.media.ffmpeg import run, video_encode_args
from microfilm.media import drawn_window, motion
from microfilm.media.fonts import find_font
from microfilm.media.probe import count_frames, iter_packets, probe
from microfilm.media.subtitles import SafeArea

if TYPE_CHECKING:
    from microfilm.executor import Executor

# storyboard name -> xfade transition. "fade" in a storyboard means fade through black;
# "dissolve" is a cross-dissolve (xfade's own "dissolve" is a pixel-noise pattern).
XFADE = {
    "dissolve": "fade",
    "crossfade": "fade",
    "fade": "fadeblack",
    "fadeblack": "fadeblack",
    "fadewhite": "fadewhite",
    "wipeleft": "wipeleft",
    "wiperight": "wiperight",
    "wipeup": "wipeup",
    "wipedown": "wipedown",
    "slideleft": "slideleft",
    "slideright": "slideright",
    "slideup": "slideup",
    "slidedown": "slidedown",
    "circleopen": "circleopen",
    "circleclose": "circleclose",
}
DEFAULT_TRANSITION_S = {"fade": 0.8, "fadeblack": 0.8, "fadewhite": 0.8}
"""Fades through a colour read slower than the other transitions (0.5 s by default)."""


def frames_for(seconds: float, fps: int) -> int:
    """Frames a duration occupies at `fps`: round(seconds * fps), the plan's unit."""
    return int(round(seconds * fps + 1e-9))


@dataclass(frozen=True)
class Transition:
    """How shot B joins shot A: a kind from XFADE (or "cut") and a duration in seconds."""

    kind: str = "cut"
    duration: float | None = None  # None: DEFAULT_TRANSITION_S or 0.5 s

    def __post_init__(self) -> None:
        if self.kind != "cut" and self.kind not in XFADE:
            raise ValueError(f"transition {self.kind!r}: allowed values are "
                             f"cut, {', '.join(XFADE)}")
        if self.duration is not None and not (0 <= self.duration <= 5):
            raise ValueError(f"transition {self.kind!r}: duration {self.duration} s is not "
                             "between 0 and 5 s")

    @property
    def seconds(self) -> float:
        if self.kind == "cut":
            return 0.0
        return self.duration if self.duration is not None else DEFAULT_TRANSITION_S.get(
            self.kind, 0.5)

    def split(self, fps: int) -> tuple[int, int]:
        """(a, b): frames the window takes from the end of A's slot and from the start of
        B's, a + b = D = round(seconds * fps), a = D // 2 (see the module docstring)."""
        d = frames_for(self.seconds, fps)
        return d // 2, d - d // 2


@dataclass(frozen=True)
class SegmentSpec:
    """One shot's segment. `source` may be any size, rate and length; it is conformed. A
    camera-move recipe (media/motion.py) is a source too: rendered here, encoded once."""

    source: Path
    out: Path
    duration: float  # the shot's planned seconds (without handles)
    width: int = 1080
    height: int = 1920
    fps: int = FPS
    fit: Literal["cover", "pad"] = "cover"  # cover: scale up and centre-crop; pad: letterbox
    pad_color: str = "black"
    source_start: float = 0.0  # where in the source the shot begins
    ass: Path | None = None  # subtitles, time 0 = the shot's first planned frame
    fontsdir: Path | None = None  # for libass; default: a folder with find_font()'s file only
    label: str | None = None  # visible AI-generated label, e.g. "AI生成" / "AI-generated"
    safe_area: SafeArea | None = None  # where the label goes; default SafeArea.default
    transition_in: Transition | None = None  # how this shot joins the previous one
    transition_out: Transition | None = None  # how the next shot joins this one
    # house shots (media/drawn_window.py): the next shot's recipe when this segment draws the
    # outgoing window itself, and whether the previous segment drew the incoming one
    window_out: Path | None = None
    window_in_drawn: bool = False

    def __post_init__(self) -> None:
        where = f"segment {Path(self.out).name}"
        if self.fit not in ("cover", "pad"):
            raise ValueError(f"{where}: fit {self.fit!r}: allowed values are cover, pad")
        if self.width < 16 or self.height < 16 or self.width % 2 or self.height % 2:
            raise ValueError(f"{where}: size {self.width}x{self.height} must be even and "
                             "at least 16 px (yuv420p)")
        if self.fps <= 0:
            raise ValueError(f"{where}: fps must be positive, got {self.fps}")
        if self.source_start < 0:
            raise ValueError(f"{where}: source_start must be >= 0, got {self.source_start}")
        if self.window_out is not None and (self.transition_out is None
                                            or self.transition_out.kind not in drawn_window.DRAWN):
            raise ValueError(f"{where}: only a {', '.join(drawn_window.DRAWN)} window can be "
                             "drawn in the segment (window_out)")
        if self.window_in_drawn and self.transition_in is None:
            raise ValueError(f"{where}: window_in_drawn needs the incoming transition")

    @property
    def frames(self) -> int:
        """Planned frames: round(duration * fps)."""
        return frames_for(self.duration, self.fps)

    @property
    def head(self) -> int:
        """Handle frames before the planned start (the `a` of the incoming transition); none
        when the previous segment drew the window."""
        if self.transition_in is None or self.window_in_drawn:
            return 0
        return self.transition_in.split(self.fps)[0]

    @property
    def skip(self) -> int:
        """Planned frames at the start this file leaves out: the `b` of an incoming window
        the previous segment drew (they are in its file)."""
        return self.transition_in.split(self.fps)[1] if self.window_in_drawn and self.transition_in else 0

    @property
    def tail(self) -> int:
        """Frames after the planned end (the `b` of the outgoing transition): a handle for the
        join's xfade, or the drawn window's second half."""
        return self.transition_out.split(self.fps)[1] if self.transition_out else 0

    @property
    def total_frames(self) -> int:
        return self.head + self.frames - self.skip + self.tail

    def keyframes(self) -> list[int]:
        """Frame indices where the join will cut this file: the end of the incoming
        transition's window and the start of the outgoing one's."""
        out = []
        if self.transition_in and not self.window_in_drawn and sum(self.transition_in.split(self.fps)):
            out.append(sum(self.transition_in.split(self.fps)))
        if self.transition_out and sum(self.transition_out.split(self.fps)):
            # a drawn window keeps it too: a teaser cuts the shot there (media/deliverables)
            out.append(self.head + self.frames - self.skip - self.transition_out.split(self.fps)[0])
        return out


def fonts_dir_for(font_path: Path) -> Path:
    """A folder holding only `font_path` (a symlink, or a copy where links are refused).

    libass reads every file of `fontsdir` into memory: the system's Noto folder costs
    ~250 MB per ffmpeg process and 0.2 s of start-up, one 20 MB .ttc costs ~100 MB less.
    """
    font_path = Path(font_path).resolve()
    tag = sha256_text(str(font_path))[:16]
    user = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"microfilm-fonts-{user}" / tag
    target = folder / font_path.name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{font_path.name}.{os.getpid()}"
        try:
            tmp.symlink_to(font_path)
        except OSError:
            shutil.copyfile(font_path, tmp)
        os.replace(tmp, target)
    return folder


def _ff(path: Path | str) -> str:
    """An absolute path for ffmpeg: a relative one with a colon would name a protocol."""
    return str(Path(path).resolve())


def graph_value(value: str | Path) -> str:
    """Escape a filter option's value for a whole -vf / -filter_complex graph.

    ffmpeg parses a graph twice: the option value (where \\ ' : are special), then the
    graph (where \\ ' [ ] , ; are special), so a value needs both levels of escaping;
    one level (ffmpeg.filter_escape) breaks on a path or a label holding a comma.
    """
    level1 = "".join("\\" + ch if ch in "\\':" else ch for ch in str(value))
    return "".join("\\" + ch if ch in "\\'[],;" else ch for ch in level1)


def _default_fontsdir() -> Path:
    """The face the phone style draws (bold) when it has the family write_ass names by
    default (find_font().family); otherwise the regular file, which libass emboldens."""
    regular, bold = find_font(cjk=True), find_font(cjk=True, bold=True)
    return fonts_dir_for(bold.path if bold.family == regular.family else regular.path)


def _label_filter(spec: SegmentSpec, safe: SafeArea) -> str:
    font = find_font(cjk=True)
    short = min(spec.width, spec.height)
    size = max(10, round(0.036 * short))  # ~39 px at 1080: small but clearly readable
    # opaque white on a dark edge, the whole label at 80% opacity: legible on any picture,
    # yet it does not compete with the film
    return (
        f"drawtext=fontfile={graph_value(font.path)}:text={graph_value(spec.label)}"
        ":expansion=none"
        f":fontsize={size}:fontcolor=white:borderw={max(1, round(size / 14))}"
        f":bordercolor=black@0.7:shadowx=1:shadowy=1:shadowcolor=black@0.5:alpha=0.8"
        f":x={safe.left}:y={safe.top}"
    )


def segment_args(spec: SegmentSpec) -> list[str]:
    """The ffmpeg arguments (without the output path) that encode `spec`. Public so the
    cache key can include them and tests can see what runs."""
    return _segment_run(spec)[0]


def _segment_run(spec: SegmentSpec) -> tuple[list[str], "motion.Source | None"]:
    """segment_args, and the recipe source whose frames the run reads (None: a clip)."""
    if spec.duration <= 0 or spec.frames < 1:
        raise MediaError(f"{spec.out}: a segment needs at least one frame, got "
                         f"duration {spec.duration} s")
    if not Path(spec.source).is_file():
        raise MediaError(f"{spec.out}: source clip {spec.source} does not exist")
    if spec.ass is not None and not Path(spec.ass).is_file():
        raise MediaError(f"{spec.out}: subtitle file {spec.ass} does not exist")
    kf = spec.keyframes()
    if len(kf) == 2 and kf[0] > kf[1]:
        raise MediaError(f"{spec.out}: the shot ({spec.duration} s) is shorter than its "
                         "incoming and outgoing transitions together")
    drawn = spec.window_out is not None or spec.window_in_drawn
    a_out = spec.transition_out.split(spec.fps)[0] if spec.window_out and spec.transition_out else 0
    if drawn and not motion.is_recipe(spec.source):
        raise MediaError(f"{spec.out}: only a house shot (a camera-move recipe) draws its "
                         "transition windows; join this one with the xfade")
    if drawn and spec.frames - a_out < spec.skip:
        raise MediaError(f"{spec.out}: the shot ({spec.duration} s) is shorter than its "
                         "incoming and outgoing transitions together")
    w, h, fps = spec.width, spec.height, spec.fps
    # head handle: real source before source_start when there is some, else a held frame
    pre_s = min(spec.source_start, spec.head / fps)
    in_start = spec.source_start - pre_s
    held_head = spec.head - frames_for(pre_s, fps)
    moving: motion.Source | None = None  # a house shot: its keyframe and camera move
    if motion.is_recipe(spec.source):
        # rendered from the keyframe here, so the shot is encoded once (media/motion.py)
        recipe, still = motion.load(Path(spec.source))
        moving = motion.source(recipe, still)
        if drawn:  # the windows are drawn with the shot's frames (media/drawn_window.py)
            if (recipe.width, recipe.height, recipe.fps) != (w, h, fps):
                raise MediaError(f"{spec.out}: a drawn transition window needs the recipe at "
                                 f"the segment's {w}x{h} and {fps} fps")
            window = ((spec.window_out, spec.transition_out.kind, *spec.transition_out.split(fps))
                      if spec.window_out is not None and spec.transition_out else None)
            moving = dataclasses.replace(moving, feed=lambda: drawn_window.frames(
                Path(spec.source), skip=spec.skip, planned=spec.frames, window_out=window))
        chain = [moving.chain]
        if recipe.fps != fps:
            chain.append(f"fps={fps}")
        if skip := frames_for(in_start, fps):
            chain.append(f"trim=start_frame={skip},setpts=PTS-STARTPTS")
        conform = (recipe.width, recipe.height) != (w, h)
    else:
        chain = ["setpts=PTS-STARTPTS", f"fps={fps}"]
        conform = True
    if conform and spec.fit == "cover":
        chain += [f"scale={w}:{h}:force_original_aspect_ratio=increase:flags=lanczos"
                  ":out_range=tv:out_color_matrix=bt709",
                  f"crop={w}:{h}"]
    elif conform:
        chain += [f"scale={w}:{h}:force_original_aspect_ratio=decrease:flags=lanczos"
                  ":force_divisible_by=2:out_range=tv:out_color_matrix=bt709",
                  f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color={spec.pad_color}"]
    chain += ["setsar=1", "format=yuv420p",
              f"tpad=start={held_head}:start_mode=clone:stop=-1:stop_mode=clone"]
    if spec.ass is not None:
        fontsdir = spec.fontsdir or _default_fontsdir()
        shift = spec.head / fps
        if shift:
            chain.append(f"setpts=PTS-{shift!r}/TB")
        chain.append(f"subtitles=filename={graph_value(_ff(spec.ass))}"
                     f":fontsdir={graph_value(fontsdir)}")
        if shift:
            chain.append(f"setpts=PTS+{shift!r}/TB")
    if spec.label:
        safe = spec.safe_area or SafeArea.default(w, h)
        chain.append(_label_filter(spec, safe))
    args: list[str] = []
    if moving is not None:
        args += moving.input_args
    else:
        args += ["-ss", f"{in_start:.6f}"] if in_start > 0 else []
        args += ["-i", _ff(spec.source)]
    args += ["-map", "0:v:0", "-an", "-sn", "-dn",
             "-vf", ",".join(chain), "-frames:v", str(spec.total_frames),
             *video_encode_args(fps)]
    if kf:
        # by frame number, not time: a time string rounds and can land one frame late
        args += ["-force_key_frames", "expr:" + "+".join(f"eq(n,{k})" for k in kf),
                 "-forced-idr", "1"]
    args += ["-map_metadata", "-1", "-movflags", "+faststart"]
    return args, moving


def encode_segment(spec: SegmentSpec) -> Path:
    """Encode one shot into its segment (one ffmpeg call), atomically; return the path."""
    args, moving = _segment_run(spec)
    out = Path(spec.out)
    with atomic_output(out) as tmp:
        run([*args, _ff(tmp)], what=f"segment {out.name}",
            feed=moving.feed() if moving is not None else None)
    return out


# ---------------------------------------------------------------------------------- join


def _concat_list(paths: Sequence[Path], listfile: Path, fps: int | None = None) -> None:
    """The concat demuxer's list. With `fps`, each file's duration is declared as its exact
    frame count / fps: otherwise the demuxer offsets the next file by the container's
    rounded duration, and a stream-copied piece can shift the joins by a fraction of a
    frame (a variable frame interval QC rejects)."""
    lines = ["ffconcat version 1.0"]
    for p in paths:
        quoted = str(Path(p).resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
        if fps:
            lines.append(f"duration {count_frames(Path(p)) / fps:.6f}")
    listfile.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _check_uniform(segments: Sequence[Path]) -> bool:
    """Stream copy needs one spec; name the first segment that differs from the first.

    Returns whether every segment carries the same H.264 parameter sets (extradata): then
    packets are copied verbatim; otherwise the concat demuxer's auto-conversion writes the
    parameter sets in-band so each piece still decodes.
    """
    ref = None
    same_extradata = True
    seen: dict[Path, tuple] = {}
    for seg in map(Path, segments):
        if seg not in seen:
            v = probe(seg).video
            if v is None:
                raise MediaError(f"{seg}: has no video stream to join")
            seen[seg] = ((v.codec, v.profile, v.pix_fmt, v.width, v.height, v.fps_fraction),
                         v.extradata)
        key, extradata = seen[seg]
        if ref is None:
            ref = (seg, key, extradata)
        elif key != ref[1]:
            raise MediaError(f"{seg}: {key} differs from {ref[0]} {ref[1]}; segments joined "
                             "by stream copy must share one spec (re-encode it with "
                             "encode_segment)")
        elif extradata != ref[2]:
            same_extradata = False
    return same_extradata


def concat(segments: Sequence[Path], out: Path, *, check: bool = True, fps: int = FPS) -> Path:
    """Join segments with the concat demuxer by stream copy (no re-encode), video only."""
    if not segments:
        raise MediaError(f"{out}: nothing to join")
    for seg in segments:
        if not Path(seg).is_file():
            raise MediaError(f"{out}: segment {seg} does not exist")
    verbatim = _check_uniform(segments) if check else False
    out = Path(out)
    with atomic_output(out) as tmp, tempfile.TemporaryDirectory(
            prefix=".concat.", dir=out.parent) as work:
        listfile = Path(work) / "list.ffconcat"
        _concat_list(segments, listfile, fps)
        run(["-f", "concat", "-safe", "0", "-auto_convert", "0" if verbatim else "1",
             "-i", _ff(listfile), "-map", "0:v:0", "-an", "-sn",
             "-dn", "-c", "copy", "-movflags", "+faststart", _ff(tmp)],
            what=f"concat {out.name}")
    return out


def _split(path: Path, at_frames: Sequence[int], workdir: Path, stem: str) -> list[Path]:
    """Cut a segment at keyframe frame indices by stream copy (the segment muxer)."""
    if not at_frames:
        return [path]
    pattern = workdir / f"{stem}.%03d.mp4"
    run(["-i", _ff(path), "-map", "0:v:0", "-c", "copy", "-f", "segment",
         "-segment_frames", ",".join(map(str, at_frames)), "-reset_timestamps", "1",
         "-segment_format", "mp4", _ff(pattern)], what=f"split {path.name}")
    pieces = sorted(workdir.glob(f"{stem}.*.mp4"))
    if len(pieces) != len(at_frames) + 1:
        raise MediaError(f"{path}: expected {len(at_frames) + 1} pieces when cutting at "
                         f"frames {list(at_frames)}, got {len(pieces)}; was it encoded with "
                         "the same transitions (SegmentSpec.transition_in/out)?")
    return pieces


def _keyframe_indices(path: Path) -> set[int]:
    return {i for i, (_, key, _) in enumerate(iter_packets(path)) if key}


def leading(path: Path, frames: int, workdir: Path, stem: str) -> Path:
    """The first `frames` frames of a segment, by stream copy: `frames` must be one of its
    keyframes (SegmentSpec.keyframes), as where a drawn window begins."""
    if frames not in _keyframe_indices(path):
        raise MediaError(f"{path}: no keyframe at frame {frames} to cut it at")
    return _split(path, [frames], workdir, stem)[0]


def _xfade(a_piece: Path, b_piece: Path, transition: Transition, frames: int, fps: int,
           out: Path) -> None:
    secs = frames / fps
    graph = (f"[0:v]settb=1/{fps * 1000},setpts=PTS-STARTPTS[a];"
             f"[1:v]settb=1/{fps * 1000},setpts=PTS-STARTPTS[b];"
             f"[a][b]xfade=transition={XFADE[transition.kind]}:duration={secs!r}:offset=0"
             f",format=yuv420p[v]")
    run(["-i", _ff(a_piece), "-i", _ff(b_piece), "-filter_complex", graph, "-map", "[v]",
         "-frames:v", str(frames), *video_encode_args(fps), "-an", _ff(out)],
        what=f"transition {transition.kind} into {out.name}")


def _cut_for_transitions(seg: Path, t_in: Transition | None, t_out: Transition | None,
                         fps: int, work: Path, stem: str) -> list[Path]:
    """A segment cut by stream copy at its transition windows: [head?, body..., tail?]."""
    total = count_frames(seg)
    c_in = sum(t_in.split(fps)) if t_in else 0
    c_out = total - sum(t_out.split(fps)) if t_out else total
    if c_in > total or c_out < 0 or c_in > c_out:
        raise MediaError(f"{seg}: its {total} frames cannot hold its transitions "
                         f"(incoming window ends at frame {c_in}, outgoing starts "
                         f"at {c_out}); the shot is shorter than its transitions")
    points = sorted({c for c in (c_in, c_out) if 0 < c < total})
    if not points:
        return [seg]
    keys = _keyframe_indices(seg)
    missing = [c for c in points if c not in keys]
    if missing:
        raise MediaError(f"{seg}: no keyframe at frame(s) {missing}; encode it with "
                         "SegmentSpec.transition_in/transition_out matching the join")
    return _split(seg, points, work, stem)


def _blend(tail: Path, head: Path, transition: Transition, fps: int, out: Path,
           reuse: Path | None) -> Path:
    """The transition window re-encoded; with `reuse`, kept there under a hash of the two
    windows' bytes, so a re-master re-encodes only the transitions whose pictures changed."""
    frames = sum(transition.split(fps))
    if reuse is None:
        _xfade(tail, head, transition, frames, fps, out)
        return out
    key = sha256_text("|".join([sha256_file(tail), sha256_file(head), transition.kind,
                                repr(transition.seconds), str(fps), str(frames)]))
    kept = reuse / f"{key}.mp4"
    if not kept.exists():
        reuse.mkdir(parents=True, exist_ok=True)
        with atomic_output(kept) as tmp:
            _xfade(tail, head, transition, frames, fps, tmp)
    return kept


def _prune(reuse: Path, keep: set[str]) -> None:
    """Windows of an earlier cut are dropped once a join no longer needs them."""
    for old in reuse.glob("*.mp4"):
        if old.name not in keep:
            old.unlink(missing_ok=True)


@dataclass(frozen=True)
class SplitTask:
    """A segment cut by stream copy at its transition windows (an executor task)."""

    seg: Path
    t_in: "Transition | None"
    t_out: "Transition | None"
    fps: int
    work: Path
    stem: str

    def run(self) -> list[Path]:
        return _cut_for_transitions(self.seg, self.t_in, self.t_out, self.fps, self.work, self.stem)


@dataclass(frozen=True)
class TransitionWindowTask:
    """One transition window re-encoded from the two pieces around it (an executor task)."""

    tail: Path
    head: Path
    transition: "Transition"
    fps: int
    out: Path
    reuse: Path | None

    def run(self) -> Path:
        return _blend(self.tail, self.head, self.transition, self.fps, self.out, self.reuse)


def join_with_transitions(segments: Sequence[Path], transitions: Sequence[Transition | None],
                          out: Path, *, fps: int = FPS, workers: int = 1,
                          reuse: Path | None = None, executor: "Executor | None" = None) -> Path:
    """Join segments, `transitions[i]` between segments i and i+1 (None or "cut": a cut).

    Each segment must have been encoded with the matching SegmentSpec.transition_in/out (its
    handles and forced keyframes). Only the transition windows are re-encoded; the rest is
    stream-copied. Total frames = the sum of the segments' planned frames (handles excluded).
    Cutting and blending are tasks on `executor` (the run's: in-process or Ray), else on
    `workers` threads (the work is in ffmpeg). With `reuse`, a
    folder, each blended window is kept there by content and reused by a later join; after a
    join the folder holds only the windows that join used, so it never outgrows one film.
    """
    n = len(segments)
    if len(transitions) != max(0, n - 1):
        raise MediaError(f"{out}: {n} segments need {max(0, n - 1)} transitions, got "
                         f"{len(transitions)}")
    trans = [t if t is not None and t.seconds > 0 and frames_for(t.seconds, fps) > 0 else None
             for t in transitions]
    if not any(trans):
        return concat(segments, out, fps=fps)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".join.", dir=out.parent))
    try:
        with using(executor, workers) as pool:
            splits = [pool.submit(SplitTask(Path(segments[i]), trans[i - 1] if i > 0 else None,
                                            trans[i] if i < n - 1 else None, fps, work,
                                            f"s{i:04d}")) for i in range(n)]
            cut = [f.result() for f in splits]
            blends = {i: pool.submit(TransitionWindowTask(cut[i][-1], cut[i + 1][0], t, fps,
                                                          work / f"t{i:04d}.mp4", reuse))
                      for i, t in enumerate(trans) if t}
            order: list[Path] = []
            for i, pieces in enumerate(cut):
                body = pieces[1 if i > 0 and trans[i - 1] else 0:]
                body = body[:-1] if i < n - 1 and trans[i] else body
                order.extend(body)
                if i in blends:
                    order.append(blends[i].result())
        joined = concat(order, out, fps=fps)
        if reuse is not None:
            _prune(reuse, keep={b.result().name for b in blends.values()})
        return joined
    finally:
        shutil.rmtree(work, ignore_errors=True)
