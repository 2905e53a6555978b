"""Fake DashScope: async video-synthesis tasks, task query, multimodal image and TTS calls."""

from __future__ import annotations

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp


# image-to-video model -> whole seconds it renders (Wan 3.0 no longer takes prompt_extend)
WAN = {"wan2.7-i2v": range(2, 16), "wan3.0-video": range(2, 31)}
MODERATED = Resp(400, {"code": "DataInspectionFailed",
                       "message": "Input data may contain inappropriate content.", "request_id": "r"})


def install(server: FakeServer) -> FakeServer:
    @server.route("POST", "/api/v1/services/aigc/video-generation/video-synthesis", "submit")
    def submit(req: Req) -> Resp:
        if req.header("x-dashscope-async") != "enable":
            return Resp(400, {"code": "InvalidParameter", "message": "async header required"})
        body = req.json()
        assert body["input"]["media"][0]["type"] == "first_frame"
        params = body["parameters"]
        if params.get("duration") not in WAN.get(body.get("model", ""), ()) or \
                body["model"].startswith("wan3") and "prompt_extend" in params:
            return Resp(400, {"code": "InvalidParameter", "request_id": "r",
                              "message": f"model/parameters {body.get('model')}/{sorted(params)}"})
        job, _ = server.new_job("video", body["parameters"], prefix="ds")
        if server.take_fault("submit", "refuse"):
            job.outcome = "refused"
        return Resp(200, {"request_id": "r", "output": {"task_id": job.id, "task_status": "PENDING"}})

    @server.route("GET", "/api/v1/tasks/(?P<id>[^/]+)", "poll")
    def poll(req: Req) -> Resp:
        job = server.poll(req.match["id"])
        status = {"queued": "PENDING", "running": "RUNNING", "succeeded": "SUCCEEDED",
                  "failed": "FAILED", "refused": "FAILED"}[job.status()]
        out = {"task_id": job.id, "task_status": status}
        if status == "SUCCEEDED":
            out["video_url"] = f"{server.base_url}/files/{job.id}.mp4"
        elif status == "FAILED":
            out |= {"code": "DataInspectionFailed", "message": "Output data may contain inappropriate content."}
        return Resp(200, {"request_id": "r", "output": out, "usage": {"duration": job.params["duration"]}})

    @server.route("GET", "/files/(?P<id>[^/]+)\\.mp4", "download")
    def out(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        return server.media_response("download", media.clip(float(job.params["duration"]), audio=True),
                                     "video/mp4")

    @server.route("POST", "/api/v1/services/aigc/multimodal-generation/generation", "call")
    def generate(req: Req) -> Resp:
        body = req.json()
        if server.take_fault("call", "refuse"):
            return MODERATED
        if "tts" in body["model"]:
            return Resp(200, {"output": {"audio": {"url": f"{server.base_url}/files/speech.wav"}}})
        return Resp(200, {"output": {"choices": [{"message": {"role": "assistant", "content": [
            {"image": f"{server.base_url}/files/image.png"}]}}]}})

    @server.route("POST", "/api/v1/services/audio/tts/SpeechSynthesizer", "call")
    def cosyvoice(req: Req) -> Resp:
        body = req.json()
        if server.take_fault("call", "refuse"):
            return MODERATED
        if body.get("model") != "cosyvoice-v3-flash" or body["input"].get("voice") != "longanyang" \
                and not body["input"].get("voice", "").startswith("cosyvoice-"):
            return Resp(400, {"code": "InvalidParameter", "message": "voice does not match model", "request_id": "r"})
        return Resp(200, {"output": {"audio": {"url": f"{server.base_url}/files/speech.wav"}},
                          "usage": {"characters": len(body["input"]["text"])}})

    @server.route("GET", "/files/speech.wav", "speech")
    def speech(req: Req) -> Resp:
        return Resp(200, media.audio(1.0, "wav"), content_type="audio/wav")

    @server.route("GET", "/files/image.png", "image")
    def image(req: Req) -> Resp:
        return Resp(200, media.png(93, 166), content_type="image/png")

    return server
