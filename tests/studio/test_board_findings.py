"""The studio's storyboard tab shows the board lint's findings, shot and line named."""

from __future__ import annotations


def test_storyboard_tab_lists_staging_problems(two_workspaces, app):
    from microfilm.spec.storyboard import Storyboard

    owner, fid = two_workspaces["owner"], two_workspaces["fid"]
    board_path = next(app.state.settings.projects.rglob("storyboard.yaml"))
    board = Storyboard.load(board_path)
    # the fake board shows nobody while Mei and the driver speak: both are findings
    page = owner.get(f"/films/{fid}").text
    assert 'id="board-findings"' in page and "2 staging problems" in page
    assert 'data-finding-shot="s01"' in page and "neither on screen nor heard-only" in page
    for shot, who in zip(board.shots, ("mei", "driver")):
        shot.characters = [who]
        shot.lines[0] = shot.lines[0].model_copy(update={"line_id": f"sc01-l0{board.shots.index(shot) + 1}"})
    board.save(board_path)
    page = owner.get(f"/films/{fid}").text
    assert 'id="board-findings"' not in page
    assert page.count('data-shot="') == 2  # the grid itself is unchanged
