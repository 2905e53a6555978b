"""Fake Replicate API: model predictions and prediction status, output file download."""

from __future__ import annotations

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp


def install(server: FakeServer) -> FakeServer:
    def _prediction(job, model: str) -> dict:
        status = {"queued": "starting", "running": "processing", "succeeded": "succeeded",
                  "failed": "failed", "refused": "failed"}[job.status()]
        return {"id": job.id, "model": model, "version": "v1", "status": status, "input": {},
                "output": f"{server.base_url}/files/{job.id}.mp4" if status == "succeeded" else None,
                "error": "NSFW content detected; try a different prompt" if job.outcome == "refused"
                and status == "failed" else None,
                "logs": "", "metrics": {}, "created_at": "2026-11-25T00:00:00Z",
                "urls": {"get": f"{server.base_url}/v1/predictions/{job.id}",
                         "cancel": f"{server.base_url}/v1/predictions/{job.id}/cancel"}}

    @server.route("POST", "/v1/models/(?P<owner>[^/]+)/(?P<name>[^/]+)/predictions", "submit")
    def create(req: Req) -> Resp:
        if not req.header("authorization").startswith("Bearer "):
            return Resp(401, {"detail": "Unauthenticated"})
        body = req.json()
        assert body["input"]["start_image"].startswith("data:image/")
        job, _ = server.new_job("video", body["input"], prefix="rp")
        if server.take_fault("submit", "refuse"):
            job.outcome = "refused"
        job.params["model"] = f"{req.match['owner']}/{req.match['name']}"
        return Resp(201, _prediction(job, job.params["model"]))

    @server.route("GET", "/v1/predictions/(?P<id>[^/]+)", "poll")
    def get(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        return Resp(200, _prediction(job, job.params["model"]))

    @server.route("GET", "/files/(?P<id>[^/]+)\\.mp4", "download")
    def out(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        return server.media_response("download", media.clip(float(job.params["duration"])), "video/mp4")

    return server
