"""The house voice speaks real English and Mandarin into 48 kHz WAVs, one voice per spec."""

from __future__ import annotations

import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from microfilm.errors import ProviderError
from microfilm.providers.base import SpeechRequest, Voice
from microfilm.providers.house import espeak
from microfilm.providers.house.voice import HouseVoice, resample
from microfilm.spec.bible import VoiceSpec

MALE = VoiceSpec(gender="male", pitch=30, rate=150, variant="m3")
FEMALE = VoiceSpec(gender="female", pitch=75, rate=175, variant="f2")


def read_wav(path: Path) -> tuple[np.ndarray, int, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        frames = wav.readframes(wav.getnframes())
        return np.frombuffer(frames, "<i2").astype(np.float64) / 32768.0, wav.getframerate(), wav.getnchannels()


def speak(tmp_path: Path, text: str, language: str = "en", voice: VoiceSpec = VoiceSpec(),
          name: str = "line.wav"):
    result = HouseVoice().speak(SpeechRequest(text=text, language=language, voice=voice,
                                              out=tmp_path / name))
    samples, rate, channels = read_wav(result.path)
    return result, samples, rate, channels


def rms_db(x: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(x * x)) + 1e-12)


def median_f0(x: np.ndarray, rate: int) -> float:
    """Median fundamental of the loud 40 ms frames (autocorrelation, 70-450 Hz)."""
    frame = int(0.04 * rate)
    frames = x[: x.size // frame * frame].reshape(-1, frame)
    energy = np.sqrt(np.mean(frames**2, axis=1))
    f0s = []
    for f in frames[energy > 0.5 * energy.max()]:
        f = f - f.mean()
        ac = np.correlate(f, f, "full")[frame - 1:]
        lo, hi = rate // 450, rate // 70
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            f0s.append(rate / lag)
    assert f0s, "no voiced frame found"
    return float(np.median(f0s))


def test_is_a_voice_provider():
    assert isinstance(HouseVoice(), Voice)
    info = HouseVoice.info
    assert (info.id, info.capability, info.model) == ("house-voice", "voice", "espeak-ng")
    assert info.version.startswith("1.")
    assert set(info.capabilities.languages) == {"en", "zh"}
    assert HouseVoice.missing() == []


@pytest.mark.parametrize("language,text", [
    ("en", "The rain stopped just before the last train left the station."),
    ("zh", "妈妈，我明天就回家看你。"),
])
def test_speaks_a_48k_mono_wav_with_sound(tmp_path, language, text):
    result, x, rate, channels = speak(tmp_path, text, language)
    assert (rate, channels) == (48000, 1)
    assert result.duration == pytest.approx(x.size / 48000, abs=1e-9)
    assert 1.0 < result.duration < 8.0
    assert rms_db(x) > -35.0
    assert np.max(np.abs(x)) < 10 ** (-0.9 / 20)  # peak at or under -1 dBFS
    # trimmed to ~50 ms of silence at each end: quiet edges, sound right after them
    edge = int(0.03 * rate)
    assert np.max(np.abs(x[:edge])) < 0.02 and np.max(np.abs(x[-edge:])) < 0.02
    first_loud = int(np.flatnonzero(np.abs(x) > 0.05)[0])
    last_loud = int(np.flatnonzero(np.abs(x) > 0.05)[-1])
    assert 0.02 * rate < first_loud < 0.15 * rate
    assert 0.02 * rate < x.size - last_loud < 0.2 * rate


def test_duration_follows_text_length(tmp_path):
    short, *_ = speak(tmp_path, "Come home.", name="short.wav")
    long, *_ = speak(tmp_path, "Come home, because the house is quiet without you and the "
                     "garden you planted is finally in flower this spring.", name="long.wav")
    assert 3.0 < long.duration / short.duration < 12.0
    zh_short, *_ = speak(tmp_path, "回家吧。", "zh", name="zh_short.wav")
    zh_long, *_ = speak(tmp_path, "回家吧，你不在的时候家里很安静，你种的花今年春天终于开了。", "zh",
                        name="zh_long.wav")
    assert 3.0 < zh_long.duration / zh_short.duration < 12.0


def test_mandarin_is_spoken_not_spelled(tmp_path):
    result, x, _, _ = speak(tmp_path, "你好", "zh")
    # Mandarin says two syllables; a build without Mandarin says "Chinese letter" twice
    assert 0.3 < result.duration < 1.5
    spelled = espeak.synthesize("你好", language="en-us")
    assert spelled.duration > 1.3  # what a spell-out sounds like, for contrast


def test_two_voice_specs_give_two_voices(tmp_path):
    text = "We will meet again at the bridge tomorrow morning."
    _, low, rate, _ = speak(tmp_path, text, voice=MALE, name="m.wav")
    _, high, _, _ = speak(tmp_path, text, voice=FEMALE, name="f.wav")
    f_low, f_high = median_f0(low, rate), median_f0(high, rate)
    assert f_high > 1.3 * f_low, (f_low, f_high)
    # and a faster rate really speaks faster
    fast, *_ = speak(tmp_path, text, voice=VoiceSpec(rate=260), name="fast.wav")
    slow, *_ = speak(tmp_path, text, voice=VoiceSpec(rate=110), name="slow.wav")
    assert fast.duration < 0.75 * slow.duration


def test_gender_alone_changes_the_voice(tmp_path):
    text = "Good morning."
    _, m, rate, _ = speak(tmp_path, text, "en", VoiceSpec(gender="male"), "m.wav")
    _, f, _, _ = speak(tmp_path, text, "en", VoiceSpec(gender="female"), "f.wav")
    assert median_f0(f, rate) > 1.2 * median_f0(m, rate)


@pytest.mark.parametrize("text", ["", "   ", "...", "？！……"])
def test_unspeakable_text_is_a_clear_error(tmp_path, text):
    with pytest.raises(ProviderError, match="nothing to speak"):
        speak(tmp_path, text)
    assert not (tmp_path / "line.wav").exists()


def test_unknown_variant_is_a_clear_error(tmp_path):
    with pytest.raises(ProviderError, match="variant 'nosuch'.*bible.yaml"):
        speak(tmp_path, "Hello.", voice=VoiceSpec(variant="nosuch"))


def test_concurrent_lines_are_all_whole(tmp_path):
    lines = [("en", "One line from the first thread."), ("zh", "第二个线程说的话。"),
             ("en", "A third line, a little longer than the others."), ("zh", "第四句。")]

    def job(i: int):
        language, text = lines[i]
        return speak(tmp_path, text, language, FEMALE if i % 2 else MALE, f"{i}.wav")

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(job, range(len(lines))))
    alone = [speak(tmp_path, t, lang, FEMALE if i % 2 else MALE, f"alone{i}.wav")[0]
             for i, (lang, t) in enumerate(lines)]
    for (result, x, _, _), single in zip(results, alone):
        assert rms_db(x) > -35.0
        assert result.duration == pytest.approx(single.duration, abs=0.06)


def test_resample_keeps_pitch_and_length():
    rate = 22050
    t = np.arange(rate) / rate
    y = resample(np.sin(2 * np.pi * 1000 * t).astype(np.float32), rate, 48000)
    assert y.size == 48000
    spectrum = np.abs(np.fft.rfft(y))
    assert np.argmax(spectrum) == pytest.approx(1000, abs=1)  # 1 Hz bins over 1 s


def test_a_line_sounds_the_same_whatever_was_spoken_before_it():
    """eSpeak NG carries state from one utterance to the next within a process; each line is
    spoken in a fresh process, so a film's voices do not depend on the order its lines were
    spoken in (threads, or nodes of a Ray cluster). (That the same line is the same a second
    later, whatever the process: tests/unit/test_determinism.py.)"""
    from microfilm.providers.house import espeak

    first = espeak.synthesize("Sorry, Dad. I missed the bus.", language="en-us")
    espeak.synthesize("Another line entirely, spoken in between.", language="en-us")
    again = espeak.synthesize("Sorry, Dad. I missed the bus.", language="en-us")
    assert first.samples and first.samples == again.samples
