"""Counts in the documents and in `journalisering` go through `models.words` (issue 13): one
prøvehandling is «1 prøvehandling», not «1 prøvehandlinger»."""

from __future__ import annotations

import json

from tui.cli import main


def test_journalisering_and_documents_count_in_singular(plan_store, tmp_path, db_target, capsys):
    _store, ids = plan_store
    out = tmp_path / "ud"
    assert main(["export", "sbsys", "--db", db_target, str(out), "--maalplan", ids["plan"]]) == 0
    assert "1 målplan er eksporteret" in capsys.readouterr().out
    folder = next(out.iterdir())
    meta = json.loads((folder / "journalisering.json").read_text(encoding="utf-8"))
    # The rich plan has 2 mål, 2 tegn, 1 prøvehandling and 1 samarbejde.
    assert meta["Beskrivelse"].startswith(
        "Målplan med 2 mål, 2 tegn, 1 prøvehandling og 1 samarbejde. Reference "
    )
    txt = (folder / "journalisering.txt").read_text(encoding="utf-8-sig")
    assert "1 prøvehandling og 1 samarbejde" in txt
    assert "1 prøvehandlinger" not in txt and "1 samarbejder" not in txt


def test_tombstone_reads_as_status() -> None:
    from models.changes import display_value, field_label
    from models.schema import DELETED

    # «Status: slettet», not «Slettet: slettet».
    assert f"{field_label('tegn', DELETED)}: {display_value('tegn', DELETED, True)}" == (
        "Status: slettet"
    )
