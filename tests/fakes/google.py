"""Fake Google APIs: Veo on Vertex (express mode) operations, Gemini generateContent images."""

from __future__ import annotations

import base64

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp


def install(server: FakeServer) -> FakeServer:
    vertex = "/v1beta1/(?:projects/[^/]+/locations/[^/]+/)?publishers/google/models/(?P<model>[^/:]+)"

    @server.route("POST", vertex + ":predictLongRunning", "submit")
    def submit(req: Req) -> Resp:
        if not req.header("x-goog-api-key"):
            return Resp(401, {"error": {"code": 401, "message": "API key missing", "status": "UNAUTHENTICATED"}})
        body = req.json()
        assert body["instances"][0]["image"]["bytesBase64Encoded"]
        job, _ = server.new_job("video", body["parameters"], prefix="op")
        if server.take_fault("submit", "refuse"):
            job.outcome = "refused"
        return Resp(200, {"name": f"projects/p/locations/us-central1/publishers/google/models/"
                                  f"{req.match['model']}/operations/{job.id}"})

    @server.route("POST", vertex + ":fetchPredictOperation", "poll")
    def poll(req: Req) -> Resp:
        name = req.json()["operationName"]
        job = server.poll(name.rsplit("/", 1)[1])
        if job is None:
            return Resp(404, {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}})
        if job.status() in ("queued", "running"):
            return Resp(200, {"name": name, "done": False})
        if job.outcome == "refused":
            response = {"raiMediaFilteredCount": 1,
                        "raiMediaFilteredReasons": ["The prompt could not be submitted: it violates policy."]}
        else:
            server.counts["download"] += 1  # the video rides inline in the finished operation
            data = server.media_response("download", media.clip(float(job.params.get("durationSeconds", 8)),
                                                                72, 128, audio=True), "video/mp4").body
            response = {"videos": [{"bytesBase64Encoded": base64.b64encode(data).decode(),
                                    "mimeType": "video/mp4"}]}
        return Resp(200, {"name": name, "done": True,
                          "response": {"@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
                                       **response}})

    @server.route("POST", "/v1(?:beta)?/models/(?P<model>[^/:]+):generateContent", "call")
    def generate(req: Req) -> Resp:
        body = req.json()
        parts = body["contents"][0]["parts"]
        server.counts["reference_parts"] += sum(1 for p in parts if "inlineData" in p)
        if server.take_fault("call", "refuse"):
            return Resp(200, {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}})
        b64 = base64.b64encode(media.png(54, 96)).decode()
        return Resp(200, {"candidates": [{"content": {"role": "model", "parts": [
            {"inlineData": {"mimeType": "image/png", "data": b64}}]}, "finishReason": "STOP"}]})

    install_interactions(server)
    return server


OMNI_MODELS = {"gemini-omni-1.2-flash", "gemini-omni-1.1-flash", "gemini-omni-flash-preview"}
PART_TYPES = {"text", "image", "audio", "video", "document"}


def install_interactions(server: FakeServer) -> FakeServer:
    """The Interactions API as Gemini Omni Flash uses it: background create, get by id."""

    def _err(code: int, status: str, message: str) -> Resp:
        return Resp(code, {"error": {"code": code, "status": status, "message": message}})

    @server.route("POST", "/v1beta/interactions", "submit")
    def create(req: Req) -> Resp:
        if not req.header("x-goog-api-key"):
            return _err(401, "UNAUTHENTICATED", "API key missing")
        body = req.json()
        if body.get("model") not in OMNI_MODELS:
            return _err(404, "NOT_FOUND", f"models/{body.get('model')} is not found for the Interactions API")
        parts = body.get("input")
        if not isinstance(parts, (str, list)) or (isinstance(parts, list) and any(
                p.get("type") not in PART_TYPES for p in parts)):
            return _err(400, "INVALID_ARGUMENT", "input: a string or typed content parts")
        images = [p for p in parts if isinstance(p, dict) and p.get("type") == "image"]
        for p in images:
            base64.b64decode(p["data"], validate=True)
        if len(images) > 7:  # a first frame and up to six references
            return _err(400, "INVALID_ARGUMENT", f"too many images: {len(images)}")
        server.counts["omni_images"] += len(images)
        if server.take_fault("submit", "refuse"):
            return _err(400, "INVALID_ARGUMENT", "The prompt was blocked for SAFETY reasons.")
        job, _ = server.new_job("video", body, prefix="v1")
        return Resp(200, {"id": job.id, "object": "interaction", "model": body["model"],
                          "status": "in_progress"})

    @server.route("GET", "/v1beta/interactions/(?P<id>[^/]+)", "poll")
    def get(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        if job is None:
            return _err(404, "NOT_FOUND", "interaction not found")
        status = {"queued": "in_progress", "running": "in_progress", "succeeded": "completed",
                  "failed": "failed", "refused": "failed"}[job.status()]
        out = {"id": job.id, "object": "interaction", "status": status}
        if status == "completed":
            text = next(p["text"] for p in job.params["input"] if p["type"] == "text")
            seconds = float(text.rsplit(" seconds long", 1)[0].rsplit(" ", 1)[1])
            data = server.media_response("download", media.clip(seconds, 72, 128, audio=True),
                                         "video/mp4").body
            out["steps"] = [{"type": "user_input", "content": job.params["input"][:1]},
                            {"type": "model_output", "content": [
                                {"type": "video", "mime_type": "video/mp4",
                                 "data": base64.b64encode(data).decode()}]}]
        return Resp(200, out)

    return server
