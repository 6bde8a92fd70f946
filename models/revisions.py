"""How many user actions touched a set of rows: the revision number of a document that shows
them (the August report, a Plan A poster). Counted over the change log, which only grows, so
the number never goes down; a field changed in one action with others counts once."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

DIGEST_LENGTH = 16  # hex digits, as a målplan's digest


def id_parts(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    """`ids` in slices for `IN (...)` queries."""
    # SQLite limits bound parameters; 500 per query keeps us far below it.
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def actions_by_row(conn: Any, entity: str, row_ids: list[str]) -> dict[str, set[str]]:
    """For each of `row_ids` of `entity`: the ids of the actions that changed it."""
    # Imported here: the export's worker processes load this module (through the views they
    # render) and never query, and the database layer is most of their start-up time.
    from sqlalchemy import select

    from .tables import Change, sql_table

    change = sql_table(Change)
    out: dict[str, set[str]] = defaultdict(set)
    for part in id_parts(sorted(set(row_ids))):
        query = (
            select(change.c.row_id, change.c.action_id)
            .where(change.c.entity == entity, change.c.row_id.in_(part))
            .distinct()
        )
        for row_id, action_id in conn.execute(query):
            out[row_id].add(action_id)
    return out


def count_actions(conn: Any, groups: Mapping[str, Mapping[str, list[str]]]) -> dict[str, int]:
    """For each group (a document): how many distinct actions touched its rows, given as
    `{group: {entity: [row ids]}}`. One query per entity and 500 ids, whatever the groups."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for rows in groups.values():
        for entity, ids in rows.items():
            wanted[entity].extend(ids)
    actions = {entity: actions_by_row(conn, entity, ids) for entity, ids in wanted.items()}
    out: dict[str, int] = {}
    for group, rows in groups.items():
        seen: set[str] = set()
        for entity, ids in rows.items():
            for row_id in ids:
                seen |= actions[entity].get(row_id, set())
        out[group] = len(seen)
    return out


def digest_of(content: Any) -> str:
    """A short SHA-256 digest (hex) of JSON-able content, the same way a målplan's is made."""
    text = json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]
