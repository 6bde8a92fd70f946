"""The domain: tables, the change log and its write API, validation, migrations and merge.

Pure Python: never imports textual or rich (tests/test_import_hygiene.py checks it)."""

__version__ = "0.1.0"
