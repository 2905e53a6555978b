"""The typed tasks of a film, each submitted to the run's executor (microfilm.executor).

Each task is a frozen dataclass of its inputs with a `run()` that returns a frozen result:
asset tasks (keyframe, reference sheet, cover, clip, voice, lip-sync, score: tasks.assets),
the segment encode (tasks.segment), a campaign's reframe (tasks.reframe), and the join's split and transition-window tasks
(media.segments, re-exported here). The cache key is computed by the stage that plans the
task before it is submitted, so where a task runs never changes its key or its bytes.
Results are published to the content-addressed store by atomic rename, so two nodes making
the same asset leave one whole file.
"""

from microfilm.media.segments import SplitTask, TransitionWindowTask
from microfilm.tasks.assets import (
    AssetResult, AssetTask, ClipTask, CoverTask, KeyframeTask, LipSyncTask, ReferenceTask,
    ScoreTask, VoiceTask,
)
from microfilm.tasks.reframe import ReframeTask
from microfilm.tasks.runs import RunSpec
from microfilm.tasks.segment import SegmentResult, SegmentTask

__all__ = ["AssetResult", "AssetTask", "ClipTask", "CoverTask", "KeyframeTask", "LipSyncTask",
           "ReferenceTask", "ReframeTask", "RunSpec", "ScoreTask", "SegmentResult", "SegmentTask", "SplitTask",
           "TransitionWindowTask", "VoiceTask"]
