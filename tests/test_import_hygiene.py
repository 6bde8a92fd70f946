"""What each part loads: models/ and exports/ never textual or rich (they run in CLI, merge and
export code); what the first screen and the export's worker processes import, never the database
layer (it is most of their start)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _loaded(modules: list[str], roots: tuple[str, ...]) -> str:
    """The modules under `roots` that importing `modules` in a new interpreter loads."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {roots!r} or m in {roots!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return result.stdout.strip()


def _modules(package: str) -> list[str]:
    return [
        f"{package}.{m.name}"
        for m in pkgutil.walk_packages([str(ROOT / package)])
        if "migrations" not in m.name
    ]


def test_models_and_exports_do_not_import_textual_or_rich():
    modules = ["models", "exports", *_modules("models"), *_modules("exports")]
    assert _loaded(modules, ("textual", "rich")) == ""
    assert len(modules) > 8


def test_no_lazy_import_of_textual_or_rich_either():
    """An import inside a function escapes the check above until it runs: the sources of
    models/ and exports/ hold none at all."""
    import re

    pattern = re.compile(r"^\s*(from|import)\s+(textual|rich)\b", re.MULTILINE)
    found = [
        str(path.relative_to(ROOT))
        for package in ("models", "exports")
        for path in (ROOT / package).rglob("*.py")
        if pattern.search(path.read_text("utf-8"))
    ]
    assert found == []


def test_what_screens_import_at_module_level_loads_no_database_layer():
    """The records, the settings registry and the domain rules are what a screen imports at
    module level (and the home screen's first read): none of them may load SQLAlchemy, or the
    first screen would wait for it (the cold start, issue 6)."""
    modules = ["models.records", "models.settings", "models.rules", "models.overview"]
    modules += ["screens.base", "screens.home", "tui.app"]
    assert _loaded(modules, ("sqlalchemy", "sqlmodel")) == ""


def test_the_export_workers_start_without_the_database_layer():
    """What the export's worker processes import before their first job
    (`sbsys._WORKER_MODULES`, with the modules of the objects they are sent) loads neither
    SQLAlchemy nor the tables: they never query, and those imports were half of their start
    (on Windows, of every worker's)."""
    from exports import sbsys

    modules = [*sbsys._WORKER_MODULES, "models.maalplan_view", "models.status_report"]
    assert _loaded(modules, ("sqlalchemy", "sqlmodel", "alembic", "models.tables")) == ""


def test_the_first_screen_does_not_load_the_form_widgets():
    """The app and its home screen start without `screens.widgets` and the text area, the
    multiple-choice list and the checkbox it brings (some 25 ms of a cold start; the home
    screen's lists once imported it for `PagedOptionList`, now in `screens.paged`)."""
    loaded = _loaded(
        ["tui.app", "screens.home"],
        ("screens.widgets", "textual.widgets._text_area", "textual.widgets._selection_list"),
    )
    assert loaded == ""
