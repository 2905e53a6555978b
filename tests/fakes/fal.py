"""Fake fal queue: submit to /{model_id}, status and result under /{owner}/{alias}/requests."""

from __future__ import annotations

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp


def _seconds(data_url: str) -> float:
    """The length of a video sent as a data URI, as the service would read it."""
    import base64
    import tempfile
    from pathlib import Path

    from microfilm.providers.media_check import probe_video

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.mp4"
        path.write_bytes(base64.b64decode(data_url.split(",", 1)[1]))
        return round(probe_video(path).duration, 3)


def install(server: FakeServer) -> FakeServer:
    @server.route("POST", "/(?P<owner>[^/]+)/(?P<alias>[^/]+)(?P<rest>/.*)?", "submit")
    def submit(req: Req) -> Resp:
        if not req.header("authorization").startswith("Key "):
            return Resp(401, {"detail": "No credentials"})
        body = req.json()
        if req.match["alias"] == "sync-lipsync":  # video + audio in, the clip's length out
            if not (body.get("video_url", "").startswith("data:video/")
                    and body.get("audio_url", "").startswith("data:audio/")):
                return Resp(422, {"detail": [{"loc": ["body", "video_url"], "type": "value_error",
                                              "msg": "video_url and audio_url are required"}]})
            body = {**body, "duration": _seconds(body["video_url"]), "audio": True}
        else:
            assert body["image_url"].startswith("data:image/")
        job, _ = server.new_job("video", body, prefix="fal")
        if server.take_fault("submit", "refuse"):
            job.outcome = "refused"
        base = f"{server.base_url}/{req.match['owner']}/{req.match['alias']}/requests/{job.id}"
        return Resp(200, {"request_id": job.id, "status_url": base + "/status", "response_url": base,
                          "cancel_url": base + "/cancel", "status": "IN_QUEUE", "queue_position": 0})

    @server.route("GET", "/(?P<owner>[^/]+)/(?P<alias>[^/]+)/requests/(?P<id>[^/]+)/status", "poll")
    def status(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        s = job.status()
        if s == "queued":
            return Resp(202, {"status": "IN_QUEUE", "queue_position": 1})
        if s == "running":
            return Resp(202, {"status": "IN_PROGRESS", "logs": []})
        out = {"status": "COMPLETED", "logs": [], "metrics": {"inference_time": 1.0}}
        if job.outcome == "refused":
            out["error"] = "content_policy_violation: the content could not be processed"
        return Resp(200, out)

    @server.route("GET", "/(?P<owner>[^/]+)/(?P<alias>[^/]+)/requests/(?P<id>[^/]+)", "result")
    def result(req: Req) -> Resp:
        return Resp(200, {"video": {"url": f"{server.base_url}/files/{req.match['id']}.mp4",
                                    "content_type": "video/mp4"}, "seed": 1})

    @server.route("GET", "/files/(?P<id>[^/]+)\\.mp4", "download")
    def out(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        clip = media.clip(float(job.params["duration"]), audio=bool(job.params.get("audio")))
        return server.media_response("download", clip, "video/mp4")

    return server
