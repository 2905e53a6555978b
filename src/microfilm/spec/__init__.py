"""Typed film data: the brief, the bible, the screenplay, the storyboard and the cut.

Every file in a project folder is read into one of these models and written back from
it, so a stage never handles loose dicts.
"""

from microfilm.spec.bible import Bible, Character, Location, StyleGuide
from microfilm.spec.brief import Brief, Budget, ProviderChoice
from microfilm.spec.brief_input import BriefInput
from microfilm.spec.screenplay import (
    Action,
    Dialogue,
    Element,
    Note,
    Scene,
    Screenplay,
    Transition,
)
from microfilm.spec.storyboard import Shot, ShotLine, Storyboard

__all__ = [
    "Action", "Bible", "Brief", "BriefInput", "Budget", "Character", "Dialogue", "Element", "Location",
    "Note", "ProviderChoice", "Scene", "Screenplay", "Shot", "ShotLine", "Storyboard",
    "StyleGuide", "Transition",
]
