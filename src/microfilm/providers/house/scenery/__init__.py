"""Places as illustrated sets: where a shot happens, at what hour, in what weather.

The painter's backgrounds are read from words (the location's name, its motifs, the shot
prompt, the time of day; English and Chinese; the tables are in words.yaml) into a typed
`Setting`, then built in one consistent space through a tiny pinhole `Camera`. The layout
of a place comes from the location alone, so every shot of one place shows the same set;
the shot's seed and prompt only move the camera a little.

The rooms: words.py (the tables), setting.py (reading them), camera.py, mood.py (the hour's
colours), base.py (`Set`), rooms.py + room_kinds.py + furniture.py (indoors, a table of
drawers by kind of room), outdoors.py + street.py + nature.py (outdoors, a table of layers),
weather.py. Everything is drawn as vector shapes through a supersampled `Pen`.
"""

from __future__ import annotations

from microfilm.providers.house.scenery.base import Set
from microfilm.providers.house.scenery.camera import Camera, camera_for, read_framing
from microfilm.providers.house.scenery.kit import Glow
from microfilm.providers.house.scenery.mood import Mood, mood_for
from microfilm.providers.house.scenery.setting import Setting, read_setting
from microfilm.providers.house.scenery.words import (
    EXTERIOR_KINDS, FRAMINGS, INTERIOR_KINDS, PROP_WORDS, TIME_WORDS,
)

__all__ = ["Camera", "EXTERIOR_KINDS", "FRAMINGS", "Glow", "INTERIOR_KINDS", "Mood", "PROP_WORDS",
           "Set", "Setting", "TIME_WORDS", "camera_for", "mood_for", "read_framing", "read_setting"]
