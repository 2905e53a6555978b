"""Writing a film in steps: bible -> outline -> scene action -> dialogue -> Draft.

A 10-minute script does not fit in one reliable reply (and a cut-off reply loses all of
it), so the film is written in small validated pieces: the bible, an outline that plans
every scene and its seconds, then action and dialogue for a few scenes at a time (about
`chunk_seconds` of screen time per call). Each piece is checked against what came before
(scene numbers, location and character ids) and saved to a progress file as soon as it is
accepted; a failure raises `WriterError` carrying everything written so far, and a re-run
with the same brief resumes from the file instead of paying for those steps again.

The rooms: `progress` (what is accepted, saved and resumed), `sizing` (scenes, seconds and
calls), `prompts` (the step prompts, written from the template files in prompts/),
`validation` (each reply against the steps before it), `draft` (the pieces assembled into a
Bible and Screenplay) and `writer` (the steps in order).
"""

from __future__ import annotations

from microfilm.providers.llm.stepwise.progress import (Progress, WriterError, load_progress,
                                                       progress_path_for, save_progress)
from microfilm.providers.llm.stepwise.sizing import CallPlan, chunk_scenes, plan_calls
from microfilm.providers.llm.stepwise.writer import LLMWriterBase, StepwiseWriter

__all__ = ["CallPlan", "LLMWriterBase", "Progress", "StepwiseWriter", "WriterError", "chunk_scenes",
           "load_progress", "plan_calls", "progress_path_for", "save_progress"]
