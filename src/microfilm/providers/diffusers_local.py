"""Local image-to-video with a diffusers pipeline (LTX-Video, Wan, CogVideoX) on a GPU or CPU.

The model is loaded from a LOCAL folder only (a `save_pretrained` layout with its
model_index.json), with `local_files_only=True` and the Hugging Face hub forced offline:
microfilm never downloads weights. Point MICROFILM_DIFFUSERS_MODEL at the folder (or pass
`model_path=`). Whatever pipeline class the folder names is used through DiffusionPipeline,
so any image-to-video pipeline that takes (image, prompt, width, height, num_frames) works.

Frames are generated at the model's own size and rate (multiples of 32, frame counts of the
form 8k+1 for LTX and CogVideoX, 4k+1 for Wan), then encoded once and conformed to the
shot's size and the film's constant frame rate by media_check.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import math
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from microfilm.errors import ProviderError
from microfilm.media import ffmpeg
from microfilm.providers.base import AnimateRequest, Capabilities, ClipResult, Price, ProviderInfo

READ_ON = date(2026, 11, 25)
REFERENCES = (
    "diffusers 0.42.1: pipelines/ltx/pipeline_ltx_image2video.py (LTXImageToVideoPipeline)",
    "diffusers 0.42.1: pipelines/wan/pipeline_wan_i2v.py, DiffusionPipeline.from_pretrained",
    "diffusers tests/pipelines/ltx/test_ltx_image2video.py (get_dummy_components)",
)
ENV_MODEL = "MICROFILM_DIFFUSERS_MODEL"


def _frames_rule(pipeline_class: str) -> int:
    """The step k in frame counts of the form k*n+1 the pipeline's VAE needs."""
    return 4 if "Wan" in pipeline_class else 8


class DiffusersAnimator:
    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="diffusers-local", capability="animator", model="local-diffusers", version="0.42.1",
        title="Local diffusers image-to-video (LTX-Video, Wan, CogVideoX)", is_async=False,
        paid=False, price=Price(unit="second", amount=0.0, currency="USD"),
        capabilities=Capabilities(max_duration=10, min_duration=0.5, references=False,
                                  native_audio=False),
        extra="diffusers", env_keys=(ENV_MODEL,), prices_read_on=READ_ON,
    )
    _lock = threading.Lock()

    def __init__(self, *, model_path: str | Path | None = None, steps: int | None = None,
                 gen_short_edge: int = 480, model_fps: int = 24, guidance_scale: float | None = None,
                 device: str | None = None, negative_prompt: str = "worst quality, blurry, jittery"):
        self.model_path = Path(model_path or os.environ.get(ENV_MODEL, "")).expanduser()
        self.steps = steps or int(os.environ.get("MICROFILM_DIFFUSERS_STEPS", "30"))
        self.gen_short_edge = gen_short_edge
        self.model_fps = model_fps
        self.guidance_scale = guidance_scale
        self.device = device
        self.negative_prompt = negative_prompt
        self._pipe: Any = None

    @classmethod
    def missing(cls) -> list[str]:
        out = []
        for module in ("diffusers", "torch", "transformers"):
            if importlib.util.find_spec(module) is None:
                out.append("install microfilm[diffusers] (torch, diffusers, transformers)")
                break
        path = os.environ.get(ENV_MODEL, "")
        if not path:
            out.append(f"set {ENV_MODEL} to a local model folder (never downloaded)")
        elif not (Path(path).expanduser() / "model_index.json").is_file():
            out.append(f"{ENV_MODEL}: no model_index.json in {path}")
        return out

    def identity(self) -> str:
        """A digest of the model folder's index and configs, for cache keys beyond info.version."""
        h = hashlib.sha256()
        for cfg in sorted(self.model_path.rglob("*.json")):
            h.update(cfg.relative_to(self.model_path).as_posix().encode())
            h.update(cfg.read_bytes())
        return h.hexdigest()

    def _pipeline(self) -> Any:
        with self._lock:
            if self._pipe is not None:
                return self._pipe
            if not (self.model_path / "model_index.json").is_file():
                raise ProviderError(f"{self.info.id}: {self.model_path} is not a local diffusers "
                                    f"model folder (no model_index.json); set {ENV_MODEL}")
            import torch
            from diffusers import DiffusionPipeline

            os.environ["HF_HUB_OFFLINE"] = "1"  # belt and braces with local_files_only
            device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
            pipe = DiffusionPipeline.from_pretrained(str(self.model_path), local_files_only=True,
                                                     dtype=dtype)
            self._pipe = pipe.to(device)
            self._pipe.set_progress_bar_config(disable=True)
            return self._pipe

    def plan(self, request: AnimateRequest) -> tuple[int, int, int]:
        """(width, height, frames) the model renders for this shot."""
        pipe_class = type(self._pipe).__name__ if self._pipe is not None else "LTX"
        short = self.gen_short_edge
        if request.width <= request.height:
            w, h = short, short * request.height / request.width
        else:
            w, h = short * request.width / request.height, short
        w, h = max(32, round(w / 32) * 32), max(32, round(h / 32) * 32)
        k = _frames_rule(pipe_class)
        frames = k * math.ceil(request.duration * self.model_fps / k) + 1
        return int(w), int(h), int(frames)

    def animate(self, request: AnimateRequest) -> ClipResult:
        import numpy as np
        import torch
        from PIL import Image

        from microfilm.fsutil import atomic_output
        from microfilm.providers import media_check

        pipe = self._pipeline()
        w, h, frames = self.plan(request)
        with Image.open(request.image) as im:
            first = im.convert("RGB").resize((w, h), Image.LANCZOS)
        kwargs: dict[str, Any] = dict(image=first, prompt=request.prompt or request.camera,
                                      negative_prompt=self.negative_prompt, width=w, height=h,
                                      num_frames=frames, num_inference_steps=self.steps,
                                      generator=torch.Generator("cpu").manual_seed(request.seed),
                                      output_type="np")
        accepted = inspect.signature(pipe.__call__).parameters
        if "frame_rate" in accepted:
            kwargs["frame_rate"] = self.model_fps
        if self.guidance_scale is not None:
            kwargs["guidance_scale"] = self.guidance_scale
        with torch.inference_mode():
            video = pipe(**{k: v for k, v in kwargs.items() if k in accepted}).frames[0]
        pixels = (np.clip(np.asarray(video, dtype=np.float32), 0, 1) * 255).round().astype(np.uint8)
        out = Path(request.out)
        raw = out.with_name(f".{out.stem}.raw.{os.getpid()}.mp4")
        try:
            ffmpeg.run(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
                        "-r", str(self.model_fps), "-i", "-", "-c:v", "libx264", "-preset",
                        "veryfast", "-crf", "12", "-pix_fmt", "yuv420p", str(raw)],
                       what=f"{self.info.id}: encode {pixels.shape[0]} frames",
                       input=pixels.tobytes())
            with atomic_output(out) as tmp:
                result = media_check.conform_clip(raw, tmp, expected_duration=request.duration,
                                                  width=request.width, height=request.height,
                                                  fps=request.fps, rule="crop")
        finally:
            raw.unlink(missing_ok=True)
        return ClipResult(path=out, duration=result.duration, has_audio=False)
