"""Fake OpenAI media API: /v1/images/generations|edits, /v1/audio/speech, /v1/videos."""

from __future__ import annotations

import base64
import hashlib
import time

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp

REFUSED = Resp(400, {"error": {"message": "Your request was rejected by the safety system.",
                               "type": "image_generation_user_error", "code": "moderation_blocked"}})


def install(server: FakeServer) -> FakeServer:
    server.references_seen = []  # sha256 of every image sent to /v1/images/edits
    server.sizes_seen = []  # the `size` of every image request, as sent
    def _image(req: Req, size: str) -> Resp:
        if server.take_fault("call", "refuse"):
            return REFUSED
        server.sizes_seen.append(size)
        w, h = (int(x) for x in size.split("x"))
        b64 = base64.b64encode(media.png(w // 8, h // 8)).decode()  # small stand-in, reframed later
        return Resp(200, {"created": int(time.time()), "data": [{"b64_json": b64}]})

    @server.route("POST", "/v1/images/generations", "call")
    def generate(req: Req) -> Resp:
        body = req.json()
        assert body["model"] in ("gpt-image-2", "gpt-image-2.5-flare") and int(body["size"].split("x")[0]) % 16 == 0
        return _image(req, body["size"])

    @server.route("POST", "/v1/images/edits", "edit")
    def edit(req: Req) -> Resp:
        form = req.form()
        images = [data for k, data in req.form_parts() if k.startswith("image")]
        server.counts["edit_images"] += len(images)
        server.references_seen.extend(hashlib.sha256(data).hexdigest() for data in images)
        return _image(req, form["size"].decode())

    @server.route("POST", "/v1/audio/speech", "speech")
    def speech(req: Req) -> Resp:
        return Resp(200, media.audio(1.0, "wav"), content_type="audio/wav")

    @server.route("POST", "/v1/videos", "submit")
    def create(req: Req) -> Resp:
        form = req.form()
        job, _ = server.new_job("video", {k: v.decode() for k, v in form.items() if k != "input_reference"},
                                idem=req.header("idempotency-key"), prefix="video")
        if server.take_fault("submit", "refuse"):
            job.outcome = "refused"
        return Resp(200, _video(job))

    def _video(job) -> dict:
        status = {"queued": "queued", "running": "in_progress", "succeeded": "completed",
                  "failed": "failed", "refused": "failed"}[job.status()]
        out = {"id": job.id, "object": "video", "model": job.params.get("model", "sora-2"),
               "status": status, "progress": 50 if status == "in_progress" else 0,
               "created_at": int(time.time()), "seconds": job.params.get("seconds", "4"),
               "size": job.params.get("size", "720x1280")}
        if job.status() == "refused":
            out["error"] = {"code": "moderation_blocked", "message": "blocked by moderation"}
        return out

    @server.route("GET", "/v1/videos/(?P<id>[^/]+)", "poll")
    def retrieve(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        return Resp(404, {"error": {"message": "not found"}}) if job is None else Resp(200, _video(job))

    @server.route("GET", "/v1/videos/(?P<id>[^/]+)/content", "download")
    def content(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        w, h = (int(x) // 10 for x in job.params.get("size", "720x1280").split("x"))
        return server.media_response("download", media.clip(float(job.params["seconds"]), w, h, audio=True),
                                     "video/mp4")

    return server
