"""The cuts of a campaign, picked by rule from the storyboard: nothing is written by hand.

- full: the film as boarded.
- teaser (15-30 s): the rule the master's own teaser uses (media/deliverables.pick_teaser:
  the opening shot, then dialogue shots from the middle, never the ending), then the title
  card, so the teaser ends on the film's name.
- short: the title, the establishing shot, the shots with the most lines (the key lines),
  the last shot and the credits, until it runs at most about 60% of the film (or the
  platform's limit, when that is shorter).

Whole shots are kept as boarded, so every shot a cut keeps is the base film's, from the cache.
"""

from __future__ import annotations

from microfilm import form
from microfilm.media import deliverables
from microfilm.spec.storyboard import Shot, Storyboard

SHORT_SHARE = 0.6


def _story(board: Storyboard) -> list[int]:
    return [i for i, s in enumerate(board.shots) if s.kind == "shot"]


def teaser(board: Storyboard) -> list[Shot]:
    starts = board.starts()
    story = [(starts[i], board.shots[i].duration, i, bool(board.shots[i].lines)) for i in _story(board)]
    title = next((s for s in board.shots if s.kind == "title"), None)
    room = deliverables.TEASER_MAX_S - (title.duration if title else 0.0)
    spans = deliverables.pick_teaser(story, max_s=room,
                                     min_s=deliverables.TEASER_MIN_S - (title.duration if title else 0.0))
    by_start = {round(starts[i], 3): board.shots[i] for i in _story(board)}
    picked = [by_start[round(sp.start, 3)] for sp in spans]
    return picked + ([title] if title else [])


def short(board: Storyboard, max_s: float) -> list[Shot]:
    """The most telling shots in film order, at most `max_s` long (the cards always stay)."""
    story = _story(board)
    if not story:
        return list(board.shots)
    must = {story[0], story[-1]} | {i for i, s in enumerate(board.shots) if s.kind != "shot"}
    by_lines = sorted((i for i in story if i not in must),
                      key=lambda i: (-len(board.shots[i].lines), i))
    keep = set(must)
    total = sum(board.shots[i].duration for i in keep)
    for i in by_lines:
        if total + board.shots[i].duration <= max_s:
            keep.add(i)
            total += board.shots[i].duration
    return [s for i, s in enumerate(board.shots) if i in keep]


def pick(board: Storyboard, cut: str, *, platform_max_s: float = form.MAX_DURATION_S) -> Storyboard:
    """The board of `cut`: a copy holding the shots the rule keeps, in film order."""
    if cut == "full":
        shots = list(board.shots)
    elif cut == "teaser":
        shots = teaser(board)
    elif cut == "short":
        target = max(form.MIN_DURATION_S, min(platform_max_s, board.duration * SHORT_SHARE))
        shots = short(board, target)
    else:
        raise ValueError(f"unknown cut {cut!r}")
    return board.model_copy(update={"shots": [s.model_copy(deep=True) for s in shots]})
