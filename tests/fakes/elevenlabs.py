"""Fake ElevenLabs: text-to-speech and music compose (audio bytes back)."""

from __future__ import annotations

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp


TTS_MODELS = {"eleven_multilingual_v2", "eleven_v3"}


def install(server: FakeServer) -> FakeServer:
    @server.route("POST", "/v1/text-to-speech/(?P<voice>[^/]+)", "call")
    def tts(req: Req) -> Resp:
        if not req.header("xi-api-key"):
            return Resp(401, {"detail": {"status": "invalid_api_key", "message": "Invalid API key"}})
        if server.take_fault("call", "refuse"):
            return Resp(400, {"detail": {"status": "bad_prompt", "message": "blocked by moderation"}})
        if req.json().get("model_id") not in TTS_MODELS:
            return Resp(400, {"detail": {"status": "invalid_model", "message": "model not found"}})
        return Resp(200, media.audio(1.0, "mp3", 44100), content_type="audio/mpeg")

    @server.route("POST", "/v1/music", "music")
    def music(req: Req) -> Resp:
        body = req.json()
        seconds = body["music_length_ms"] / 1000
        return Resp(200, media.audio(seconds, "mp3", 44100), content_type="audio/mpeg")

    return server
