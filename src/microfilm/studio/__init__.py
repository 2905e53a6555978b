"""The web studio: `create_app(StudioSettings(...))`, served by `microfilm serve`."""

from __future__ import annotations

from microfilm.studio.settings import StudioSettings, studio_home

__all__ = ["StudioSettings", "create_app", "studio_home"]


def create_app(settings: StudioSettings | None = None, *, recover: bool = True):
    """Build the FastAPI app (imported lazily so `import microfilm` stays light)."""
    from microfilm.studio.app import create_app as build

    return build(settings, recover=recover)
