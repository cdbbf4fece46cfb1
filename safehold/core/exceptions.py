"""Errors that services raise and adapters turn into clear messages (never a 500)."""

from __future__ import annotations


class SafeholdError(Exception):
    """Base class for errors a user can be told about in plain English."""


class ValidationFailed(SafeholdError):
    """A service refused input. ``errors`` maps a field name (or "__all__") to messages."""

    def __init__(self, errors: dict[str, list[str]] | str):
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs))


class ConcurrentEditError(SafeholdError):
    """Someone else saved the record after it was read: the second save is refused."""

    def __init__(self, label: str = "record"):
        super().__init__(
            f"This {label} was changed by someone else after you opened it. "
            "Your changes have not been saved. Reload the page to see the latest version, then make your changes again."
        )


class DirectWriteForbidden(SafeholdError):
    """A child record was written outside a service (admin, shell, raw ORM call)."""


class AccessDenied(SafeholdError):
    """The user may not do this."""
