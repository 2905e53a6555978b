"""Fake MiniMax: video_generation task, query, files/retrieve, and t2a_v2 speech."""

from __future__ import annotations

from tests.fakes import media
from tests.fakes.server import FakeServer, Req, Resp

OK = {"status_code": 0, "status_msg": "success"}


# video model -> (whole seconds it renders, whether its clips carry sound)
VIDEO = {"MiniMax-Hailuo-2.3": ({6, 10}, False), "MiniMax-H3": (set(range(5, 16)), True)}


def install(server: FakeServer) -> FakeServer:
    @server.route("POST", "/v1/video_generation", "submit")
    def submit(req: Req) -> Resp:
        body = req.json()
        if body.get("duration") not in VIDEO.get(body.get("model", ""), ((), False))[0]:
            return Resp(200, {"task_id": "", "base_resp": {"status_code": 2013,
                                                           "status_msg": "invalid params, model/duration"}})
        if server.take_fault("submit", "refuse"):
            return Resp(200, {"task_id": "", "base_resp": {"status_code": 1026, "status_msg": "input new_sensitive"}})
        job, _ = server.new_job("video", body, prefix="mm")
        return Resp(200, {"task_id": job.id, "base_resp": OK})

    @server.route("GET", "/v1/query/video_generation", "poll")
    def query(req: Req) -> Resp:
        job = server.poll(req.query["task_id"][0])
        status = {"queued": "Queueing", "running": "Processing", "succeeded": "Success",
                  "failed": "Fail", "refused": "Fail"}[job.status()]
        out = {"task_id": job.id, "status": status, "base_resp": OK}
        if status == "Success":
            out["file_id"] = f"file-{job.id}"
        return Resp(200, out)

    @server.route("GET", "/v1/files/retrieve", "result")
    def retrieve(req: Req) -> Resp:
        job_id = req.query["file_id"][0].removeprefix("file-")
        return Resp(200, {"file": {"file_id": req.query["file_id"][0],
                                   "download_url": f"{server.base_url}/files/{job_id}.mp4"}, "base_resp": OK})

    @server.route("GET", "/files/(?P<id>[^/]+)\\.mp4", "download")
    def out(req: Req) -> Resp:
        job = server.jobs[req.match["id"]]
        sound = VIDEO[job.params["model"]][1]
        return server.media_response("download", media.clip(float(job.params["duration"]), audio=sound),
                                     "video/mp4")

    @server.route("POST", "/v1/t2a_v2", "call")
    def speech(req: Req) -> Resp:
        body = req.json()
        assert body["output_format"] == "hex" and body["voice_setting"]["voice_id"]
        if body.get("model") not in ("speech-2.6-hd", "speech-2.8-turbo"):
            return Resp(200, {"base_resp": {"status_code": 2013, "status_msg": "invalid params, model"}})
        if server.take_fault("call", "refuse"):
            return Resp(200, {"base_resp": {"status_code": 1026, "status_msg": "input sensitive"}})
        return Resp(200, {"data": {"audio": media.audio(1.0, "mp3").hex(), "status": 2},
                          "extra_info": {"audio_length": 1000}, "base_resp": OK})

    return server
