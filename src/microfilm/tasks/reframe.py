"""The reframe task: one shot's clip reframed to a campaign variant's aspect (media/reframe).

A task like any other (microfilm.tasks), so a campaign's reframes run on the run's executor,
in-process or on a Ray cluster, instead of threads of the driver; the key is the campaign's,
computed before submission, and the result lands in the shared store by atomic rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microfilm.cache import RunCounters, Store, cache_key
from microfilm.fsutil import sha256_file
from microfilm.media import motion, reframe
from microfilm.media.probe import probe
from microfilm.tasks.assets import AssetResult


def playable(store: Store, clip: Path) -> Path:
    """`clip` as an MP4 (a house recipe rendered once, cached), for whatever reads frames:
    a provider, or a reframe."""
    if not motion.is_recipe(clip):
        return clip
    return store.produce("clip-render", cache_key("clip-render", {"recipe": sha256_file(clip)}),
                         ".mp4", lambda tmp: motion.render(clip, tmp))


@dataclass(frozen=True)
class ReframeTask:
    """`clip` (relative to `root`) reframed to `size` by rule: a card is padded whole, a shot
    cropped around its keyframe's detail. `key` names the result in the store."""

    root: Path
    key: str
    clip: str
    keyframe: str
    size: tuple[int, int]
    card: bool
    fps: int

    def run(self) -> AssetResult:
        counters = RunCounters()
        store = Store(self.root, counters)

        def make(tmp: Path) -> None:
            frames = playable(store, self.root / self.clip)
            size = probe(frames).video.size
            r = reframe.choose(size, self.size, card=self.card, keyframe=self.root / self.keyframe)
            reframe.clip(frames, size, tmp, r, fps=self.fps)

        path = store.produce("reframe", self.key, ".mp4", make)
        return AssetResult(path=path, made=bool(counters.made.get("reframe")))
