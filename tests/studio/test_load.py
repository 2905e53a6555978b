"""The studio under load (issue 9): anonymous gallery requests, junk session cookies,
logged-in film pages and progress streams all at once, on a real server on 127.0.0.1.

Nothing is timed against a fixed figure: the gallery's latency under load is compared with
its latency idle in the same run (the machine is shared), and every request must succeed.
bench/studio_load.py runs the same check with the figures printed.
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
    assert figures["streams"]["n"] == 10
