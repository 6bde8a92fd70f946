"""Issue 17's cold start: the home screen's footer builds its keys once while the screen starts
(its bindings change four times before the first build has run, and each change used to ask for
a build of its own), and still follows what it shows afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import FakeClock, build_small, run_async, settle


@run_async
async def test_the_home_footer_is_built_once_and_follows_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets._footer import FooterKey

    from screens.chrome import AppFooter
    from tui.app import UdviklingsdagApp

    path = tmp_path / "dag.db"
    build_small(path)
    builds: list[int] = []
    compose = AppFooter.compose

    def counted(self: AppFooter) -> Any:
        keys = list(compose(self))
        if keys:
            builds.append(len(keys))
        yield from keys

    monkeypatch.setattr(AppFooter, "compose", counted)
    app = UdviklingsdagApp(str(path), clock=FakeClock())
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(app, pilot)
        assert len(builds) == 1
        shown = [k.description for k in app.screen.query(FooterKey)]
        assert "Hjælp" in shown and any(
            k.has_class("-command-palette") for k in app.screen.query(FooterKey)
        )
        # Narrower than 100 columns the footer leaves out the palette's key: built again.
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert len(builds) == 2
        assert not any(k.has_class("-command-palette") for k in app.screen.query(FooterKey))
        assert "Hjælp" in [k.description for k in app.screen.query(FooterKey)]
