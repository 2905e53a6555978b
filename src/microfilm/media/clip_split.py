"""Cut one clip into consecutive pieces at planned frames, in one ffmpeg run.

A multi-shot call returns the shots of a run as one clip; the cut needs each shot as its own
segment, exactly as many frames as the storyboard planned, starting where its part of the
call began. One decode feeds every piece (split/asplit), so an N-shot clip costs one pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from microfilm.errors import MediaError
from microfilm.media import ffmpeg
from microfilm.media.probe import probe


def split_at_frames(src: Path, outs: Sequence[Path], starts: Sequence[int], counts: Sequence[int],
                    fps: int) -> list[Path]:
    """Write piece i of `src` (frames starts[i] .. starts[i] + counts[i]) to outs[i] at `fps`,
    with its sound where the clip has sound."""
    if not (len(outs) == len(starts) == len(counts)) or not outs:
        raise MediaError(f"{src.name}: {len(outs)} outputs for {len(starts)} starts and "
                         f"{len(counts)} frame counts")
    info = probe(src)
    total = int(round((info.duration or 0.0) * fps))
    last = max(s + n for s, n in zip(starts, counts))
    if info.duration is not None and last > total + 1:
        raise MediaError(f"{src.name}: holds {total} frames, the plan cuts up to frame {last}")
    n = len(outs)
    graph = [f"[0:v]fps={fps},split={n}" + "".join(f"[v{i}]" for i in range(n))]
    graph += [f"[v{i}]trim=start_frame={s}:end_frame={s + c},setpts=PTS-STARTPTS[ov{i}]"
              for i, (s, c) in enumerate(zip(starts, counts))]
    sound = info.audio is not None
    if sound:
        graph.append(f"[0:a]asplit={n}" + "".join(f"[a{i}]" for i in range(n)))
        graph += [f"[a{i}]atrim=start={s / fps:.6f}:end={(s + c) / fps:.6f},asetpts=PTS-STARTPTS[oa{i}]"
                  for i, (s, c) in enumerate(zip(starts, counts))]
    args: list[str | Path] = ["-i", src, "-filter_complex", ";".join(graph)]
    for i, (out, c) in enumerate(zip(outs, counts)):
        args += ["-map", f"[ov{i}]"]
        if sound:
            args += ["-map", f"[oa{i}]", "-c:a", "aac", "-ar", "48000", "-b:a", "192k"]
        args += [*ffmpeg.video_encode_args(fps), "-frames:v", str(c), "-movflags", "+faststart",
                 "-f", "mp4", out]
    ffmpeg.run(args, what=f"cut {src.name} into {n} shots")
    return [Path(o) for o in outs]
