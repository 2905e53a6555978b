"""Fake Volcengine Ark: content generation tasks (Seedance) and image generations (Seedream)."""

from __future__ import annotations

import base64

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp


# model -> whole seconds it renders (Seedance 1.5 Pro: 4-12; 2.0: 4-15)
DURATIONS = {"doubao-seedance-1-5-pro-251215": range(4, 13), "doubao-seedance-2-0-260128": range(4, 16)}


def _content_problem(body: dict) -> str:
    """What Ark rejects in `content`: one text, then images whose roles are first_frame (and
    last_frame), or 1-9 reference_image (Seedance 2.0 only), never both kinds at once."""
    content = body.get("content") or []
    if not content or content[0].get("type") != "text":
        return "content[0] must be the text prompt"
    roles = [c.get("role") for c in content[1:]]
    if any(c.get("type") != "image_url" for c in content[1:]):
        return "only image_url content after the text"
    for c in content[1:]:
        url = c["image_url"]["url"]
        base64.b64decode(url.split(",", 1)[1], validate=True)
    if "reference_image" in roles:
        if body.get("model") != "doubao-seedance-2-0-260128":
            return f"{body.get('model')} takes no reference_image"
        if set(roles) != {"reference_image"}:
            return "reference images cannot be combined with first_frame or last_frame"
        return "" if len(roles) <= 9 else f"at most 9 reference images, got {len(roles)}"
    return "" if roles == ["first_frame"] else f"image roles {roles}: expected one first_frame"


def install(server: FakeServer) -> FakeServer:
    @server.route("POST", "/api/v3/contents/generations/tasks", "submit")
    def submit(req: Req) -> Resp:
        body = req.json()
        problem = _content_problem(body)
        if problem:
            return Resp(400, {"error": {"code": "InvalidParameter", "message": problem}})
        server.ark_bodies = [*getattr(server, "ark_bodies", []), body]
        if body.get("duration") not in DURATIONS.get(body.get("model", ""), ()):
            return Resp(400, {"error": {"code": "InvalidParameter",
                                        "message": f"model/duration {body.get('model')}/{body.get('duration')}"}})
        job, _ = server.new_job("video", body, prefix="cgt")
        if server.take_fault("submit", "refuse"):
            job.outcome = "refused"
        return Resp(200, {"id": job.id})

    @server.route("GET", "/api/v3/contents/generations/tasks/(?P<id>[^/]+)", "poll")
    def poll(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        status = job.status() if job.status() in ("queued", "running", "succeeded") else "failed"
        out = {"id": job.id, "model": job.params["model"], "status": status}
        if status == "succeeded":
            out["content"] = {"video_url": f"{server.base_url}/files/{job.id}.mp4"}
            out["usage"] = {"completion_tokens": 108900, "total_tokens": 108900}
        elif status == "failed":
            out["error"] = {"code": "OutputVideoSensitiveContentDetected",
                            "message": "The request failed because the output video may contain sensitive information."}
        return Resp(200, out)

    @server.route("GET", "/files/(?P<id>[^/]+)\\.mp4", "download")
    def out(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        return server.media_response("download", media.clip(float(job.params["duration"]), audio=True),
                                     "video/mp4")

    @server.route("POST", "/api/v3/images/generations", "call")
    def images(req: Req) -> Resp:
        body = req.json()
        server.counts["reference_images"] += len(body.get("image", []))
        if server.take_fault("call", "refuse"):
            return Resp(400, {"error": {"code": "InputTextSensitiveContentDetected",
                                        "message": "The request failed because the input text may contain sensitive information."}})
        return Resp(200, {"model": body["model"], "created": 0,
                          "data": [{"b64_json": base64.b64encode(media.png(90, 160)).decode(), "size": body["size"]}]})

    return server
