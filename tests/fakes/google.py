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

    return server
