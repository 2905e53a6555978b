"""The same asset comes out in the same bytes in any process on any machine: what a film made
on a Ray cluster being byte-identical to one made in-process rests on.

Each test names a cause once found: eSpeak NG seeding its random generator from the clock
(a voice line differed from one second to the next), x264's bitstream following its thread
count, which ffmpeg derives from the CPUs the process may use, and the mix's two-input
filters ending on whichever input ffmpeg's reader threads finished first.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microfilm.media import audio, ffmpeg, segments
from microfilm.media.subtitles import Cue, write_ass
from microfilm.media.fonts import find_font

ROOT = Path(__file__).resolve().parents[2]

SPEAK = """
import sys
from pathlib import Path
from microfilm.providers.base import SpeechRequest
from microfilm.providers.house.voice import HouseVoice
from microfilm.spec.bible import VoiceSpec

out, language, text, before = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
voice = VoiceSpec(gender="female", pitch=62, rate=165, variant="f3")
if before:
    HouseVoice().speak(SpeechRequest(text=before, language=language, voice=voice,
                                     out=out.with_name("before.wav")))
HouseVoice().speak(SpeechRequest(text=text, language=language, voice=voice, out=out))
"""


LINES = {"en": "Two strangers share an umbrella at the bus stop.", "zh": "两个陌生人在车站共用一把伞。"}
BEFORE = {"en": "It is raining again, isn't it?", "zh": "又下雨了，对吧？"}


def _speak_in_a_fresh_process(out: Path, language: str, *, before: str, cwd: Path,
                              env: dict[str, str]) -> bytes:
    out.parent.mkdir(parents=True, exist_ok=True)
    run_env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    done = subprocess.run([sys.executable, "-c", SPEAK, str(out), language, LINES[language],
                           before], cwd=cwd, env=run_env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return out.read_bytes()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_voice_line_is_the_same_bytes_in_two_processes_seconds_apart(
        tmp_path: Path, language: str) -> None:
    """Two processes that differ as a Ray worker differs from the driver (hash seed, working
    folder, OMP threads, what they spoke before) and start in different seconds of the
    clock: eSpeak NG seeded its jitter from time(NULL), so the same line's samples differed
    from the 2117th on (54,315 of 59,580 at 22.05 kHz; same length)."""
    first = _speak_in_a_fresh_process(tmp_path / "a" / "line.wav", language, before="",
                                      cwd=tmp_path,
                                      env={"PYTHONHASHSEED": "1", "OMP_NUM_THREADS": "2"})
    second_started = int(time.time())
    while int(time.time()) == second_started:  # the next second of the clock, at most 1 s
        time.sleep(0.05)
    second = _speak_in_a_fresh_process(tmp_path / "b" / "line.wav", language,
                                       cwd=tmp_path / "b", before=BEFORE[language],
                                       env={"PYTHONHASHSEED": "2", "OMP_NUM_THREADS": "1"})
    assert len(first) > 48_000  # a real line: over half a second of 48 kHz 16-bit samples
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("determinism") / "src.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=2",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", src], what="source")
    return src


def test_every_segment_encode_has_the_same_x264_thread_count_on_any_machine(
        source: Path, tmp_path: Path) -> None:
    """Nothing of the machine reaches a segment's arguments: whatever CPUs this process may
    use, ffmpeg is given one -threads, the pin."""
    spec = dict(source=source, out=tmp_path / "out.mp4", duration=1.0, width=180, height=320)
    cpus = os.sched_getaffinity(0)
    for allowed in ({min(cpus)}, cpus):
        os.sched_setaffinity(0, allowed)
        try:
            args = segments.segment_args(segments.SegmentSpec(**spec))
        finally:
            os.sched_setaffinity(0, cpus)
        last = len(args) - 1 - args[::-1].index("-threads")
        assert args[last + 1] == str(ffmpeg.X264_THREADS) and args.count("-threads") == 1, allowed
    base = ffmpeg.video_encode_args(30)
    assert base[base.index("-threads") + 1] == str(ffmpeg.X264_THREADS)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs to differ by")
def test_a_segment_is_the_same_bytes_whatever_cpus_its_encoder_may_use(
        source: Path, tmp_path: Path) -> None:
    """One segment (scaled, subtitles, label, a fade in) encoded by an ffmpeg allowed one CPU
    and by one allowed them all: with ffmpeg's own thread count these differed (1 thread
    against 1.5 x the CPUs); pinned, the bytes are the same."""
    ass = write_ass([Cue(0.2, 1.2, "Two strangers share an umbrella.")], tmp_path / "s.ass",
                    width=270, height=480, language="en", font=find_font(cjk=True))
    spec = segments.SegmentSpec(source=source, out=tmp_path / "seg.mp4", duration=1.4, width=270,
                                height=480, ass=ass, label="AI-generated", source_start=0.3,
                                transition_in=segments.Transition("fade", 0.3))
    shas = []
    for cpus in ({min(os.sched_getaffinity(0))}, os.sched_getaffinity(0)):
        out = tmp_path / f"seg-{len(cpus)}.mp4"
        argv = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", "-y",
                *map(str, segments.segment_args(spec)), str(out)]
        subprocess.run(argv, check=True, capture_output=True, timeout=120,
                       preexec_fn=lambda cpus=cpus: os.sched_setaffinity(0, cpus))
        shas.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert shas[0] == shas[1]


def test_the_mix_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    """The same dialogue and score mixed four times in a row: ffmpeg reads the buses and the
    score in two threads, and sidechaincompress and amix stopped at whichever input ended
    first, so the mix's last 0.1-0.3 s (a line still speaking, the score's tail) differed
    from one run to the next (in 3 of 4 runs of the house film's mix)."""
    def source(name: str, lavfi: str, *args: str) -> Path:
        ffmpeg.run(["-f", "lavfi", "-i", lavfi, *args, str(tmp_path / name)], what=name)
        return tmp_path / name

    line = source("line.wav", "aevalsrc=0.4*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*4*t)):s=48000:d=2")
    score = source("score.wav", "anoisesrc=c=pink:r=48000:a=0.2:d=9:seed=5", "-ac", "2")
    spec = audio.MixSpec(duration=8.0, out=tmp_path / "mix.wav", score=score,
                         dialogue=[(line, 1.0), (line, 6.2)],  # the second speaks to the end
                         scene_changes=(4.0,))
    shas = set()
    for k in range(4):
        out = audio.mix(spec.model_copy(update={"out": tmp_path / f"mix{k}.wav"}))
        shas.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(shas) == 1
