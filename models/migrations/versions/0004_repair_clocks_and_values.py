"""Repair timestamps and values an older version stored from hostile files

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 10:30:00

Issue 11: the reader refuses timestamps outside 2000-2199 (or malformed) and values that are
not in canonical form. A laptop that imported a hostile file with an older version holds such
changes (and its own edits stamped by a clock that overflowed), so every file it wrote would be
refused. This data migration rewrites them, deterministically: the repair of a change depends
only on the change itself, so two laptops that hold the same poisoned change repair it to the
same content and the tampering check (same id, different content) does not fire between them.

- `hlc`: milliseconds clamped into [MIN_MILLIS, MAX_MILLIS - 1], counter into 0-99999, the
  device part kept (the change's `device_id` where it is not an id; an unreadable timestamp
  becomes the first millisecond of the range).
- `value`: the canonical form (`models.changes.canonical_value`); where the strict rules refuse
  it, the typed-edit rules (`validate_value` without `strict`: «5», «ja», «24-01-2024»); where
  those fail too, a text has its control characters replaced by visible placeholders
  (`models.visible.visible`) and is cut to its limit, a list keeps its valid items, and any
  other value of a field that is not required becomes empty. A required field that cannot be
  repaired is left as it is and logged (logger «udviklingsdag.migrations»).
- The domain rows: each field whose heads were repaired is set again from its heads (the head
  with the greatest (hlc, id), as `models.changes.winners`). `field_head` and `superseded` hold
  change ids only, so they need nothing.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from models.changes import UUID_RE, canonical_value, row_table, valid_hlc, value_text
from models.clock import MAX_COUNTER, MAX_MILLIS, MIN_MILLIS, encode
from models.errors import ValidationError
from models.schema import (
    DELETED,
    ENTITIES,
    LINE_MAX,
    TEXT_MAX,
    FieldSpec,
    check_int,
    check_value,
    decode_value,
    to_json,
    validate_value,
)
from models.visible import visible

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = logging.getLogger("udviklingsdag.migrations")

_CHANGE = sa.table(
    "change",
    sa.column("id", sa.String),
    sa.column("hlc", sa.String),
    sa.column("device_id", sa.String),
    sa.column("entity", sa.String),
    sa.column("row_id", sa.String),
    sa.column("field", sa.String),
    sa.column("value", sa.Text),
)
_HEAD = sa.table(
    "field_head",
    sa.column("entity", sa.String),
    sa.column("row_id", sa.String),
    sa.column("field", sa.String),
    sa.column("change_id", sa.String),
)
# Two runs of ASCII digits and the rest: what an older clock wrote, in range or not.
_LOOSE_HLC = re.compile(r"^([0-9]+)-([0-9]+)-(.*)\Z", re.DOTALL)
_FAILED = object()
# How many unrepairable changes are logged one by one (then only their number).
_LOGGED = 20


def _number(digits: str, too_big: int) -> int:
    # int() refuses more than 4300 digits; anything past 18 is beyond every bound anyway.
    return int(digits) if len(digits.lstrip("0")) <= 18 else too_big


def repair_hlc(hlc: Any, device_id: Any) -> str | None:
    """The timestamp in the valid range (None when it is valid already)."""
    if valid_hlc(hlc):
        return None
    match = _LOOSE_HLC.match(hlc) if isinstance(hlc, str) else None
    if match:
        millis = _number(match[1], MAX_MILLIS)
        counter = _number(match[2], MAX_COUNTER)
        device = match[3]
    else:
        millis, counter, device = MIN_MILLIS, 0, device_id
    if not UUID_RE.match(device or ""):
        device = device_id
    millis = min(max(millis, MIN_MILLIS), MAX_MILLIS - 1)
    counter = min(max(counter, 0), MAX_COUNTER)
    return encode(millis, counter, str(device))


def _salvage(spec: Any, value: Any) -> Any:
    """A value the typed-edit rules refuse, made into one they accept losing the least, or
    `_FAILED`."""
    kind = spec.kind
    if value is None:
        return _FAILED
    if kind in ("line", "text", "sagsnummer", "kle", "time"):
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        multiline = kind == "text"
        if multiline:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            text = text.replace("\u2028", "\n").replace("\u2029", "\n")
        text = visible(unicodedata.normalize("NFC", text), multiline=multiline)
        limit = TEXT_MAX if multiline else LINE_MAX
        return text.strip()[:limit].strip()
    if kind == "reflist" and isinstance(value, list):
        out: list[str] = []
        for item in value:
            if isinstance(item, str) and UUID_RE.match(item) and item not in out:
                out.append(item)
        return out[:1000]
    if kind == "intlist" and isinstance(value, list):
        good = set()
        for item in value[:1000]:
            try:
                good.add(check_int(spec, item, ""))
            except Exception:  # any item that is not a whole number is dropped
                continue
        return sorted(good)
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return _FAILED


def repair_value(entity: str, fname: str, text: str | None) -> tuple[str | None, bool]:
    """(the value's canonical JSON text, whether it could be repaired). The text is unchanged
    when the value is canonical already, or when it cannot be repaired."""

    def stored(canon: Any) -> str | None:
        new = value_text(canon)
        # `Store` writes JSON null as "null", the merge as SQL NULL: the same value.
        return text if new is None and text == "null" else new

    try:
        value = None if text is None else json.loads(text)
    except ValueError:
        value = text
    try:
        return stored(canonical_value(entity, fname, value)), True
    except ValidationError:
        pass
    if fname == DELETED:
        try:
            flag = check_value(FieldSpec("bool", "Slettet"), value, "", False)
        except ValidationError:
            flag = bool(value)  # what the older version applied to the row
        return stored(bool(flag)), True
    spec = ENTITIES[entity].fields[fname]
    candidates: list[Callable[[], Any]] = [lambda: to_json(validate_value(entity, fname, value))]
    candidates.append(lambda: _salvage(spec, value))
    if not spec.required:
        # Emptied, or for a column that is never empty (a position, a yes/no), its default.
        candidates.append(lambda: spec.new_value)
    for make in candidates:
        try:
            candidate = make()
            if candidate is _FAILED:
                continue
            return stored(canonical_value(entity, fname, candidate)), True
        except ValidationError:
            continue
    return text, False


def repair(conn: sa.engine.Connection) -> dict[str, int]:
    """Repair the change log and the domain rows on `conn`; return counts (for tests)."""
    counts = {"hlc": 0, "value": 0, "rows": 0, "unrepaired": 0}
    updates: list[dict[str, Any]] = []
    touched: set[tuple[str, str, str]] = set()
    seen: dict[tuple[str, str, str], tuple[str | None, bool]] = {}
    query = sa.select(
        _CHANGE.c.id,
        _CHANGE.c.hlc,
        _CHANGE.c.device_id,
        _CHANGE.c.entity,
        _CHANGE.c.row_id,
        _CHANGE.c.field,
        _CHANGE.c.value,
    )
    for cid, hlc, device_id, entity, row_id, fname, text in conn.execute(query):
        new_hlc = repair_hlc(hlc, device_id)
        spec = ENTITIES.get(entity)
        if spec is None or (fname != DELETED and fname not in spec.fields):
            new_text, ok = text, False
        elif text is not None and len(text) > 64:
            new_text, ok = repair_value(entity, fname, text)
        else:
            # Most values repeat (false, null, a number, a choice): each is worked out once.
            key = (entity, fname, text)
            found = seen.get(key)
            if found is None:
                found = seen[key] = repair_value(entity, fname, text)
            new_text, ok = found
        if not ok:
            counts["unrepaired"] += 1
            if counts["unrepaired"] <= _LOGGED:
                log.warning(
                    "Ændring %s (%s.%s) har en værdi, der ikke kan repareres; den er uændret.",
                    cid,
                    entity,
                    fname,
                )
        if new_hlc is None and new_text == text:
            continue
        counts["hlc"] += new_hlc is not None
        counts["value"] += new_text != text
        updates.append({"b_id": cid, "b_hlc": new_hlc or hlc, "b_value": new_text})
        touched.add((entity, row_id, fname))
    if counts["unrepaired"] > _LOGGED:
        log.warning("I alt %d ændringer kunne ikke repareres.", counts["unrepaired"])
    if not updates:
        return counts
    conn.execute(
        _CHANGE.update()
        .where(_CHANGE.c.id == sa.bindparam("b_id"))
        .values(hlc=sa.bindparam("b_hlc"), value=sa.bindparam("b_value")),
        updates,
    )

    # Each touched field again from its heads: the one with the greatest (hlc, id) holds it.
    best: dict[tuple[str, str, str], tuple[str, str, str | None]] = {}
    heads = sa.select(
        _HEAD.c.entity, _HEAD.c.row_id, _HEAD.c.field, _CHANGE.c.hlc, _CHANGE.c.id, _CHANGE.c.value
    ).select_from(_HEAD.join(_CHANGE, _CHANGE.c.id == _HEAD.c.change_id))
    for entity, row_id, fname, hlc, cid, text in conn.execute(heads):
        key = (entity, row_id, fname)
        if key in touched and (key not in best or (hlc, cid) > best[key][:2]):
            best[key] = (hlc, cid, text)
    rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for (entity, row_id, fname), (_hlc, _cid, text) in best.items():
        if entity not in ENTITIES:
            continue
        try:
            value = decode_value(entity, fname, text)
        except ValueError:
            continue  # a value left unrepaired above
        if fname == DELETED:
            value = bool(value)
        rows[(entity, fname)].append({"b_id": row_id, "b_value": value})
    for (entity, fname), values in rows.items():
        model = row_table(entity)
        table = sa.table(
            model.name, sa.column("id", sa.String), sa.column(fname, model.c[fname].type)
        )
        conn.execute(
            table.update()
            .where(table.c.id == sa.bindparam("b_id"))
            .values({fname: sa.bindparam("b_value")}),
            values,
        )
        counts["rows"] += len(values)
    log.warning(
        "Databasen havde %d tidsstempler og %d værdier, som en ældre version gemte fra en "
        "ugyldig fil; de er rettet.",
        counts["hlc"],
        counts["value"],
    )
    return counts


def upgrade() -> None:
    repair(op.get_bind())


def downgrade() -> None:
    # The repair cannot be undone (the old values were refused by every reader anyway); the
    # backup made before the upgrade holds them.
    pass
