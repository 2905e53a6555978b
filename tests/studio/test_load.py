"""The studio under load (issue 9): anonymous gallery requests, junk session cookies,
logged-in film pages and progress streams all at once, on a real server on 127.0.0.1.

Before, 30 film pages or 100 junk-cookie gallery requests drained the catalogue's connection
pool: requests waited 30 s, then failed, for everyone. Nothing here is timed against a fixed
figure (the machine is shared): every request must succeed, and the gallery is compared with
itself idle and with the film pages in the same run. bench/studio_load.py prints the figures.
"""

from __future__ import annotations

from tests.studio.load_scenario import run_check, seed


def test_the_studio_answers_everyone_under_load(app, fake, live):
    seeded = seed(app, fake, live, people=5, films_each=2, gallery=200, film_pages=50, idle_samples=40)
    try:
        figures = run_check(seeded.plan)
    finally:
        seeded.gate.set()
    print(figures)
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["gallery_load"]["n"] == 200 and figures["film_load"]["n"] == 50
    assert figures["streams"]["n"] == 10 and figures["gallery_probe_load"]["n"] >= 1
    # The gallery does not queue behind the logged-in pages (it used to share their threads
    # and their connections) ...
    assert figures["gallery_load"]["p50_ms"] < figures["film_load"]["p50_ms"]
    # ... nor does a visitor opening it meanwhile. (Their wait against idle is a figure for
    # bench/studio_load.py, not an assertion: on 2 shared cores it ranged 5-11x idle at p50,
    # and one process serving 250 requests at once puts its p99 at 30-190x idle.)
    assert figures["gallery_probe_load"]["p50_ms"] < figures["film_load"]["p50_ms"], figures
