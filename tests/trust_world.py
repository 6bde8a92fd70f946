"""A small world for the trust tests (issue 11): a tovholder's database with a workshop, its
pack, and a facilitator laptop («Bord 1») that loaded the pack, added a tegn and wrote its
handoff file; and the helpers that change such a file and write it again with a valid
checksum, built with the app's own writer."""

from __future__ import annotations

import json
from pathlib import Path

from exports.bundle import digest, import_bundles, render, write_handoff, write_pack
from models.db import open_database
from models.store import Store


def make_world(tmp_path: Path) -> dict[str, object]:
    """A tovholder's database with a small workshop, its pack and a facilitator laptop that
    loaded the pack, added a tegn and wrote its handoff file."""
    tov = open_database(str(tmp_path / "tov.db"), device_name="Tovholder")
    store = Store(tov)
    with store.action() as tx:
        e = store.create("enhed", navn="Skole Nord", type="enhed", tx=tx)
        ms = store.create("maalsaetning", tekst="Flere børn trives.", tx=tx)
        m = store.create("maal", maalsaetning_id=ms, enhed_id=e, tekst="Alle har en ven.", tx=tx)
    pack = write_pack(tov, tmp_path / "pack.json").path
    tov.close()
    lap = open_database(str(tmp_path / "bord1.db"), device_name="Bord 1")
    import_bundles(Store(lap), [pack])
    Store(lap).create("tegn", maal_id=m, tekst="Børnene hilser.")
    handoff = write_handoff(lap, tmp_path / "bord1.json").path
    lap.close()
    return {"tov": tmp_path / "tov.db", "pack": pack, "handoff": handoff, "maal": m}


def read_doc(path: Path) -> dict:
    return json.loads(Path(path).read_text("utf-8"))


def write_doc(path: Path, doc: dict) -> Path:
    doc["manifest"]["entries"] = len(doc["entries"])
    doc["manifest"]["sha256"] = digest(doc["entries"])
    path.write_bytes(render(doc["manifest"], doc["entries"]))
    return path
