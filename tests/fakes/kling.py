"""Fake Kling API: JWT-checked image2video task creation, query and download."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp

SECRET = "kling-secret-for-tests"
# model_name -> durations it renders and whether its clips carry sound (Kling 3.0: 3-15 s in
# whole seconds, audio on by default; 2.5 Turbo: "5" or "10", silent)
MODELS = {"kling-v2-5-turbo": ({"5", "10"}, False),
          "kling-v3": ({str(d) for d in range(3, 16)}, True)}


def _jwt_ok(header: str) -> bool:
    token = header.removeprefix("Bearer ")
    try:
        head, payload, sig = token.split(".")
    except ValueError:
        return False
    want = base64.urlsafe_b64encode(hmac.new(SECRET.encode(), f"{head}.{payload}".encode(),
                                             hashlib.sha256).digest()).rstrip(b"=").decode()
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return hmac.compare_digest(want, sig) and claims.get("iss") == "kling-access"


def _v3_fields(body: dict) -> str:
    """What Kling 3 rejects in the multi-shot and element fields; "" when the body is good."""
    if body.get("model_name") != "kling-v3":
        if any(k in body for k in ("multi_shot", "multi_prompt", "elements")):
            return f"{body.get('model_name')} takes no multi_shot or elements"
        return ""
    elements = body.get("elements", [])
    if len(elements) > 3:
        return f"at most 3 elements, got {len(elements)}"
    for e in elements:
        base64.b64decode(e["frontal_image"], validate=True)
    if not body.get("multi_shot"):
        return "" if body.get("prompt") else "prompt is required when multi_shot is false"
    if body.get("shot_type") != "customize" or "prompt" in body:
        return "multi_shot customize takes multi_prompt, not prompt"
    parts = body.get("multi_prompt") or []
    if not 1 <= len(parts) <= 6:
        return f"multi_prompt takes 1 to 6 shots, got {len(parts)}"
    if [p["index"] for p in parts] != list(range(1, len(parts) + 1)):
        return "multi_prompt indexes must run 1..n"
    if any(len(p["prompt"]) > 512 or int(p["duration"]) < 1 for p in parts):
        return "each multi_prompt entry: prompt <= 512 characters, duration >= 1"
    if sum(int(p["duration"]) for p in parts) != int(body["duration"]):
        return "the shots' durations must sum to the task duration"
    return ""


def install(server: FakeServer) -> FakeServer:
    @server.route("POST", "/v1/videos/image2video", "submit")
    def submit(req: Req) -> Resp:
        if not _jwt_ok(req.header("authorization")):
            return Resp(401, {"code": 1004, "message": "Auth failed"})
        body = req.json()
        base64.b64decode(body["image"], validate=True)
        durations, _ = MODELS.get(body.get("model_name", "kling-v2-5-turbo"), (set(), False))
        if body.get("duration", "5") not in durations:
            return Resp(400, {"code": 1201, "message": f"invalid model_name/duration: "
                                                       f"{body.get('model_name')}/{body.get('duration')}"})
        problem = _v3_fields(body)
        if problem:
            return Resp(400, {"code": 1201, "message": problem})
        server.kling_bodies = [*getattr(server, "kling_bodies", []), body]
        if body.get("multi_shot"):
            server.counts["multi_shot_submit"] += 1
        if server.take_fault("submit", "refuse"):
            return Resp(200, {"code": 1301, "message": "Trigger the content security policy of the platform"})
        job, _ = server.new_job("video", body, idem=body.get("external_task_id", ""), prefix="kl")
        return Resp(200, {"code": 0, "message": "SUCCEED", "request_id": "r1",
                          "data": {"task_id": job.id, "task_status": "submitted"}})

    @server.route("GET", "/v1/videos/image2video/(?P<id>[^/]+)", "poll")
    def poll(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        status = {"queued": "submitted", "running": "processing", "succeeded": "succeed",
                  "failed": "failed", "refused": "failed"}[job.status()]
        data = {"task_id": job.id, "task_status": status}
        if status == "succeed":
            data["task_result"] = {"videos": [{"id": "v1", "url": f"{server.base_url}/out/{job.id}.mp4",
                                               "duration": job.params["duration"]}]}
        return Resp(200, {"code": 0, "message": "SUCCEED", "data": data})

    @server.route("GET", "/out/(?P<id>[^/]+)\\.mp4", "download")
    def out(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        _, sound = MODELS[job.params.get("model_name", "kling-v2-5-turbo")]
        return server.media_response("download", media.clip(float(job.params["duration"]), audio=sound),
                                     "video/mp4")

    return server


def serve(server: FakeServer, monkeypatch, poll_s: float = 0.01) -> FakeServer:
    """Install the fake on `server` and point the Kling clients at it, with test keys."""
    from microfilm.providers.kling import Kling

    install(server)
    monkeypatch.setenv("KLING_ACCESS_KEY", "kling-access")
    monkeypatch.setenv("KLING_SECRET_KEY", SECRET)
    monkeypatch.setenv("KLING_BASE_URL", server.base_url)
    monkeypatch.setattr(Kling, "poll_every_s", poll_s, raising=False)
    return server
