"""The stepwise writer: bible -> outline -> scene action -> dialogue, each step validated and
saved before the next (see the package's docstring), and the base every LLM writer shares."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, ClassVar, TypeVar

from pydantic import BaseModel

from microfilm.errors import ProviderError
from microfilm.providers.base import DevelopRequest, Draft
from microfilm.providers.llm.schemas import (BibleSketch, Outline, SceneActions, SceneDialogues,
                                             Step)
from microfilm.providers.llm.stepwise.draft import build_bible, build_screenplay
from microfilm.providers.llm.stepwise.progress import (Progress, WriterError, load_progress,
                                                       progress_key, progress_path_for,
                                                       save_progress)
from microfilm.providers.llm.stepwise.prompts import (actions_prompt, bible_prompt,
                                                      dialogue_prompt, outline_prompt,
                                                      system_prompt)
from microfilm.providers.llm.stepwise.sizing import chunk_scenes
from microfilm.providers.llm.stepwise.validation import (check_actions, check_bible,
                                                         check_dialogue, check_outline,
                                                         normalise_outline)
from microfilm.providers.llm.structured import ChatBackend, Usage, generate
from microfilm.spec.brief import Brief

log = logging.getLogger(__name__)

B = TypeVar("B", bound=BaseModel)


class StepwiseWriter:
    """Writes a Draft through any ChatBackend, one validated step at a time."""

    def __init__(self, backend: ChatBackend, *, writer_id: str, identity: dict[str, str],
                 attempts: int = 3, max_tokens: int = 4096, chunk_seconds: float = 150.0):
        self.backend = backend
        self.writer_id = writer_id
        self.identity = identity
        self.attempts = attempts
        self.max_tokens = max_tokens
        self.chunk_seconds = chunk_seconds
        self.usage = Usage()

    def _ask(self, progress: Progress, path: Path | None, step: Step, model: type[B],
             system: str, prompt: str, validate: Callable[[B], list[str]]) -> B:
        try:
            result = generate(self.backend, model, name=step, system=system, prompt=prompt,
                              attempts=self.attempts, max_tokens=self.max_tokens,
                              validate=validate)
        except ProviderError as exc:
            save_progress(path, progress)
            kept = progress.summary()
            where = f"; saved to {path}, a re-run resumes from there" if path else ""
            raise WriterError(
                f"{self.writer_id}: could not write the {step}: {exc}\n"
                f"Kept what was already written: {kept}{where}.",
                step=step, partial=progress.model_copy(deep=True), progress_path=path, cause=exc,
            ) from exc
        self.usage = self.usage + result.usage
        progress.calls += result.usage.calls
        progress.input_tokens += result.usage.input_tokens
        progress.output_tokens += result.usage.output_tokens
        return result.value

    def write(self, brief: Brief, *, seed: int = 0, progress_path: Path | None = None) -> Draft:
        key = progress_key(brief, seed, self.identity)
        progress = load_progress(progress_path, key)
        if progress.calls:
            log.info("%s: resuming from %s (%s)", self.writer_id, progress_path, progress.summary())
        system = system_prompt(brief)

        if progress.bible is None:
            progress.bible = self._ask(progress, progress_path, "bible", BibleSketch, system,
                                       bible_prompt(brief), check_bible)
            save_progress(progress_path, progress)
        bible = progress.bible

        if progress.outline is None:
            outline = self._ask(progress, progress_path, "outline", Outline, system,
                                outline_prompt(brief, bible),
                                lambda o: check_outline(o, bible, brief.preset.beats))
            progress.outline = normalise_outline(outline, brief)
            save_progress(progress_path, progress)
        outline = progress.outline

        for chunk in chunk_scenes(outline.scenes, self.chunk_seconds):
            todo = [s for s in chunk if s.number not in progress.actions]
            if todo:
                reply = self._ask(progress, progress_path, "scenes", SceneActions, system,
                                  actions_prompt(brief, bible, outline, todo),
                                  lambda r, todo=todo: check_actions(r, todo))
                for s in reply.scenes:
                    progress.actions[s.number] = s
                save_progress(progress_path, progress)
            todo = [s for s in chunk if s.number not in progress.dialogue]
            if todo:
                reply = self._ask(progress, progress_path, "dialogue", SceneDialogues, system,
                                  dialogue_prompt(brief, bible, outline, todo, progress.actions),
                                  lambda r, todo=todo: check_dialogue(r, todo, bible, brief))
                for s in reply.scenes:
                    progress.dialogue[s.number] = s
                save_progress(progress_path, progress)

        author = f"microfilm {self.writer_id} ({self.identity.get('model', '')})"
        draft = Draft(bible=build_bible(bible, brief),
                      screenplay=build_screenplay(brief, bible, outline, progress.actions,
                                                  progress.dialogue, author))
        if progress_path is not None:
            progress_path.unlink(missing_ok=True)
        return draft


class LLMWriterBase:
    """What every LLM writer shares: its `missing()` check and a stepwise `develop`.

    A subclass names its SDK module, the pip extra that installs it and its config class
    (with `from_env()` and `missing()`), and sets `self.config`, `self.info` and
    `self.backend` in its constructor.
    """

    sdk_module: ClassVar[str]
    extra: ClassVar[str]
    config_cls: ClassVar[type]

    @classmethod
    def missing(cls) -> list[str]:
        import importlib.util

        problems = []
        if importlib.util.find_spec(cls.sdk_module) is None:
            problems.append(f"install microfilm[{cls.extra}]")
        try:
            problems += cls.config_cls.from_env().missing()
        except ProviderError as exc:
            problems.append(str(exc))
        return problems

    def develop(self, request: DevelopRequest) -> Draft:
        writer = StepwiseWriter(self.backend, writer_id=self.info.id,
                                identity=self.info.cache_identity(),
                                attempts=self.config.attempts, max_tokens=self.config.max_tokens)
        try:
            return writer.write(request.brief, seed=request.seed,
                                progress_path=progress_path_for(request.out))
        finally:
            self.last_usage = writer.usage
