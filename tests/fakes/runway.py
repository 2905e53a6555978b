"""Fake Runway API: POST /v1/image_to_video, GET /v1/tasks/{id}, and the output download."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp

# model -> (durations it renders, credits per second), from Runway's API reference
MODELS = {"gen4_turbo": (set(range(2, 11)), 5), "gen4.5": (set(range(2, 11)), 12)}
STATUS = {"queued": "PENDING", "running": "RUNNING", "succeeded": "SUCCEEDED",
          "failed": "FAILED", "refused": "FAILED"}


def install(server: FakeServer) -> FakeServer:
    @server.route("POST", "/v1/image_to_video", "submit")
    def submit(req: Req) -> Resp:
        if not req.header("authorization").startswith("Bearer "):
            return Resp(401, {"error": "missing key"})
        body = req.json()
        if not str(body.get("promptImage", "")).startswith("data:image/"):
            return Resp(400, {"error": "promptImage must be a URL or data URI"})
        durations, _ = MODELS.get(body.get("model", ""), (set(), 0))
        if body.get("duration") not in durations:
            return Resp(400, {"error": f"invalid model/duration: {body.get('model')}/{body.get('duration')}"})
        job, _new = server.new_job("video", body, idem=req.header("idempotency-key"))
        if server.take_fault("submit", "refuse"):
            job.outcome = "refused"
        if server.take_fault("submit", "fail"):
            job.outcome = "failed"
        return Resp(200, {"id": job.id})

    @server.route("GET", "/v1/tasks/(?P<id>[^/]+)", "poll")
    def poll(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        if job is None:
            return Resp(404, {"error": "Task not found"})
        status = STATUS[job.status()]
        task = {"id": job.id, "status": status, "createdAt": datetime.now(timezone.utc).isoformat()}
        credits = MODELS[job.params["model"]][1] * int(job.params.get("duration", 5))
        if status == "PENDING":
            task["estimatedCost"] = {"credits": credits}
        elif status == "RUNNING":
            task |= {"progress": 0.5, "estimatedCost": {"credits": credits}}
        elif status == "SUCCEEDED":
            task |= {"output": [f"{server.base_url}/out/{job.id}.mp4"], "cost": {"credits": credits}}
        elif job.outcome == "refused":
            task |= {"failure": "The input did not pass moderation", "failureCode": "SAFETY.INPUT.TEXT",
                     "cost": {"credits": 0}}
        else:
            task |= {"failure": "internal failure", "failureCode": "INTERNAL", "cost": {"credits": 0}}
        return Resp(200, task)

    @server.route("GET", "/out/(?P<id>[^/]+)\\.mp4", "download")
    def out(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        seconds = float(job.params.get("duration", 5))
        w, h = (int(x) // 10 for x in job.params.get("ratio", "720:1280").split(":"))
        return server.media_response("download", media.clip(seconds, w, h), "video/mp4")

    return server
