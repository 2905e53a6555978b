"""/api/docs: the JSON API's Swagger UI, served by the studio itself.

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script, both of
which the studio's Content-Security-Policy refuses (and the studio makes no request to the
network it was not asked to). Here the Swagger UI files come from the pinned
`swagger-ui-py` package (Swagger UI 5, which reads OpenAPI 3.1) and the page starts it from /static/api-docs.js, so the page
works under the same policy as every other page.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/docs/assets"

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>microfilm studio API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs() -> HTMLResponse:
    return HTMLResponse(PAGE)


def mount_assets(app) -> None:
    """Swagger UI's files, straight from the installed package's static folder (found
    without importing the package, which would load its web-framework adapters)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        return  # /api/docs then loads no assets; the JSON API itself is unaffected
    static = Path(next(iter(spec.submodule_search_locations))) / "static"
    app.mount(ASSETS, StaticFiles(directory=static), name="swagger-ui")
