"""Errors that carry a message a person can act on, and the HTTP status they map to."""

from __future__ import annotations

from typing import Any


class ColabError(Exception):
    """A failure the user should see as is.

    Services raise it; the base handler turns it into JSON. ``details`` are more members of that
    JSON, beside ``message`` and ``reason`` (which they never replace), for a page that acts on
    the failure (say, the Save-a-copy dialog on a conflict): they must be JSON-serialisable.
    """

    status = 500

    def __init__(
        self, message: str, *, status: int | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status


class BadRequest(ColabError):
    """The request itself is wrong (a missing field, an unknown value)."""

    status = 400


class NotFound(ColabError):
    """The thing named in the request does not exist."""

    status = 404


class Conflict(ColabError):
    """The request clashes with the current state (say, a file changed meanwhile)."""

    status = 409


class Unavailable(ColabError):
    """Something outside the server (a driver, a remote service) did not answer in time."""

    status = 503
