"""The package directions and the screens' one door to the data, checked by every test run.

`.ci/run` runs `lint-imports` too; this test puts a broken contract in front of a developer who
only runs pytest. The contracts live in pyproject.toml (`[tool.importlinter]`): `tui -> screens
-> exports -> models`, models and exports never load textual or rich, and no screen imports
SQLAlchemy, SQLModel, `models.db`, `models.store` or `models.tables`."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What a screen must not say: the database or store held by the App or the screen itself
# (`app.store`, `self.db`, `store.db`, ...) or SQLAlchemy / SQLModel. Screens ask the App to run
# a call on the workspace instead (`screens.base.host(self).read(...)` / `.write(...)`).
FORBIDDEN_IN_SCREENS = re.compile(
    r"\b(?:app|self|screen)\s*\.\s*(?:store|db)\b"
    r"|\bstore\s*\.\s*db\b"
    r"|\b(?:sqlalchemy|sqlmodel)\b"
)


def test_import_contracts_are_kept(capsys) -> None:
    import logging

    from importlinter.cli import lint_imports

    # import-linter configures logging with `dictConfig`, which turns off every logger that
    # exists by then: the app's own (the migrations' repair log) would stay silent for the
    # tests that run after this one in the same process.
    loggers = [
        x for x in logging.Logger.manager.loggerDict.values() if isinstance(x, logging.Logger)
    ]
    was_disabled = {x.name: x.disabled for x in loggers}
    try:
        code = lint_imports(
            config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True
        )
    finally:
        for x in loggers:
            x.disabled = was_disabled[x.name]
    report = capsys.readouterr().out
    assert code == 0, report


def _code_only(source: str) -> str:
    """The source without comments and string literals (docstrings may name what is
    forbidden), one line per line of the file."""
    kept: list[str] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.STRING):
            continue
        if tok.type in (tokenize.NEWLINE, tokenize.NL):
            kept.append("\n")
        elif tok.type in (tokenize.NAME, tokenize.OP, tokenize.NUMBER):
            kept.append(tok.string + " ")
    return "".join(kept)


def test_no_screen_reaches_the_database_itself() -> None:
    found = []
    for path in sorted((ROOT / "screens").rglob("*.py")):
        for number, line in enumerate(_code_only(path.read_text("utf-8")).splitlines(), 1):
            if FORBIDDEN_IN_SCREENS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)


def test_the_scan_sees_what_it_should() -> None:
    # The check above would pass on anything if the pattern or the tokenizer were wrong.
    sample = (
        '"""app.store in a docstring is fine."""\n'
        "x = self.app.store.get_setting('a')  # app.db in a comment is fine\n"
        "from sqlalchemy import select\n"
        "name = app.db_target\n"
    )
    lines = _code_only(sample).splitlines()
    assert [bool(FORBIDDEN_IN_SCREENS.search(line)) for line in lines] == [
        False,
        True,
        True,
        False,
    ]
