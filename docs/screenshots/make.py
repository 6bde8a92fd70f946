"""The README's screenshots, made from the demo workshop at 80x24 and 120x40.

    .venv/bin/python docs/screenshots/make.py

Needs `rsvg-convert` (Debian `librsvg2-bin`). Builds the demo in a temporary folder, drives
the app as a user would (home, a bord, a mål, its QR code, konsolidering, the export) and
writes `docs/screenshots/<nn>-<name>-<cols>x<rows>.png`."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

SIZES = ((80, 24), (120, 40))
NOW = datetime(2027, 1, 24, 10, 42)


def _demo(folder: Path) -> Path:
    from models import settings
    from models.db import open_database
    from models.demo import build_demo
    from models.store import Store
    from models.workspace import Workspace

    path = folder / "demo.db"
    db = open_database(str(path), device_name="Bord 3 - Jens")
    try:
        build_demo(Store(db))
        Workspace(db).set_setting(settings.DEVICE_NAMED, True)
    finally:
        db.close()
    return path


async def _shots(db: Path, size: tuple[int, int], out: Path) -> list[Path]:
    from tui.app import UdviklingsdagApp

    app = UdviklingsdagApp(str(db), clock=lambda: NOW)
    made: list[Path] = []
    cols, rows = size

    async def settle() -> None:
        for _ in range(3):
            await app.settle()
            await pilot.pause()
        await asyncio.sleep(0.3)
        await pilot.pause()

    def save(name: str) -> None:
        svg = out / f"{name}-{cols}x{rows}.svg"
        app.save_screenshot(filename=svg.name, path=str(out))
        png = svg.with_suffix(".png")
        subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True)
        svg.unlink()
        made.append(png)

    async with app.run_test(size=size) as pilot:
        await settle()
        save("01-forside")
        app.screen.open_bord()  # type: ignore[attr-defined]
        await settle()
        save("02-bordets-maal")
        await pilot.press("enter")
        await settle()
        save("03-maal")
        await pilot.press("ctrl+k")
        await settle()
        save("04-qr-kode")
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("escape")
        await settle()
        app.action_consolidation()
        await settle()
        save("05-konsolidering")
        await pilot.press("escape")
        await settle()
        app.action_export()
        await settle()
        save("06-eksport")
    return made


def main() -> int:
    if shutil.which("rsvg-convert") is None:
        print("rsvg-convert mangler (Debian: apt-get install librsvg2-bin)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        # The user's own keymap.toml and settings stay out of the pictures.
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        db = _demo(Path(tmp))
        for size in SIZES:
            for png in asyncio.run(_shots(db, size, HERE)):
                print(png.relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
