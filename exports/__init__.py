"""Files for other programs: SBSYS packages, the målplanskabelon, SQLite, handoff bundles, QR.

Never imports textual or rich (tests/test_import_hygiene.py checks it)."""
