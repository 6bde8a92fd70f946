"""Errors raised by models/ and exports/, each carrying a Danish message for the user."""

from __future__ import annotations


class UdviklingsdagError(Exception):
    """Base class: `str(error)` is a complete Danish sentence that says what to do."""


class ValidationError(UdviklingsdagError):
    """A value was refused. `field` names the field (its Danish label is in the message)."""

    def __init__(self, message: str, *, field: str | None = None, entity: str | None = None):
        super().__init__(message)
        self.field = field
        self.entity = entity


class NotFoundError(UdviklingsdagError):
    """A row that should exist does not."""


class DatabaseError(UdviklingsdagError):
    """The database cannot be opened or used (newer version, corrupt, read-only ...)."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer version of the app."""


class ConflictAlreadyResolved(UdviklingsdagError):
    """Another tovholder resolved the conflict first."""
