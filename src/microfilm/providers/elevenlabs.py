"""ElevenLabs voices and music through the official `elevenlabs` SDK.

- Voice: POST /v1/text-to-speech/{voice_id} (text_to_speech.convert) with model
  eleven_multilingual_v2 (29 languages, Chinese and English included); streamed audio back.
- Music: POST /v1/music (music.compose) {prompt, music_length_ms (10 s to 5 min),
  model_id, force_instrumental} -> the audio; billed per started minute.
Errors carry `status_code`; a moderation block is a 4xx whose body mentions it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
from microfilm.providers.base import (
    AudioResult,
    ProviderInfo,
    ScoreRequest,
    SpeechRequest,
)
from microfilm.providers import catalogue
from microfilm.providers.jobs import PaidProvider



class _Eleven(PaidProvider):
    sdk = ("elevenlabs",)
    refusal_markers = ("moderation", "content policy", "terms of service", "bad_prompt")
    default_base_url = "https://api.elevenlabs.io"
    base_url_env = "ELEVENLABS_BASE_URL"

    def _client(self) -> Any:
        from elevenlabs.client import ElevenLabs

        return ElevenLabs(api_key=self.key("ELEVENLABS_API_KEY"), base_url=self.base_url,
                          timeout=self.timeout)

    @staticmethod
    def _write(chunks: Any, out: Path) -> None:
        with open(out, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)


class ElevenVoice(_Eleven):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "elevenlabs-voice", is_async=False, extra="elevenlabs", env_keys=("ELEVENLABS_API_KEY",))
    # premade library voices (any voice id from the user's library works via provider_voice)
    VOICES: ClassVar[dict[str, str]] = {"female": "21m00Tcm4TlvDq8ikWAM",
                                        "male": "pNInz6obpgDQGcFmaJgB",
                                        "neutral": "21m00Tcm4TlvDq8ikWAM"}

    def call(self, request: SpeechRequest) -> AudioResult:
        voice = request.voice.provider_voice or self.VOICES[request.voice.gender]
        chunks = self._client().text_to_speech.convert(
            voice, text=request.text, model_id=self.info.model, output_format="mp3_44100_128",
            language_code=request.language, seed=request.seed or None)
        self._write(chunks, Path(request.out))
        return AudioResult(path=request.out, duration=0.0)


class ElevenVoiceV3(ElevenVoice):
    """Eleven v3: the same text-to-speech call on the expressive model (audio tags, 70+
    languages, 5,000 characters a request; read 2026-12-04)."""

    info: ClassVar[ProviderInfo] = catalogue.info(
        "elevenlabs-v3", is_async=False, extra="elevenlabs", env_keys=("ELEVENLABS_API_KEY",))


class ElevenMusic(_Eleven):
    info: ClassVar[ProviderInfo] = catalogue.info(
        "elevenlabs-music", is_async=False, extra="elevenlabs", env_keys=("ELEVENLABS_API_KEY",))

    def call(self, request: ScoreRequest) -> AudioResult:
        if request.duration > self.info.capabilities.max_duration:
            raise ProviderError(f"{self.info.id}: a score of {request.duration:.0f} s is longer "
                                f"than the {self.info.capabilities.max_duration:.0f} s it can make")
        prompt = (f"Instrumental film score, {request.mood} mood, {request.genre} micro film, "
                  f"{request.mode} key, about {request.tempo_bpm} BPM, one continuous piece "
                  f"with gentle changes at {', '.join(f'{t:.0f}s' for t in request.scene_starts) or 'no fixed points'}.")
        length = int(max(self.info.capabilities.min_duration, request.duration) * 1000)
        chunks = self._client().music.compose(prompt=prompt, music_length_ms=length,
                                              model_id=self.info.model, force_instrumental=True)
        self._write(chunks, Path(request.out))
        return AudioResult(path=request.out, duration=0.0)
