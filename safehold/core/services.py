"""The write path. Every write to a child's record runs inside :func:`service`.

A service is atomic and records its :class:`~safehold.audit.models.AuditEvent` in the same transaction.
Models that hold child records inherit :class:`~safehold.core.models.ServiceWrittenModel`, whose save,
delete and bulk query methods refuse to run outside a service — so a write through the admin, a shell
or a stray ``.update()`` fails loudly instead of escaping the audit trail (see docs/adr/0004).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

from safehold.core.exceptions import DirectWriteForbidden

P = ParamSpec("P")
R = TypeVar("R")

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("safehold_service_depth", default=0)
#: The ``actor`` of the innermost running service that was given one (field history records it).
NO_ACTOR = object()
_actor: contextvars.ContextVar[object] = contextvars.ContextVar("safehold_service_actor", default=NO_ACTOR)


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Mark ``func`` as a service: run it atomically with writes to child records allowed."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _depth.set(_depth.get() + 1)
        actor_token = _actor.set(kwargs["actor"]) if "actor" in kwargs else None
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        finally:
            if actor_token is not None:
                _actor.reset(actor_token)
            _depth.reset(token)

    wrapper.__safehold_service__ = True  # type: ignore[attr-defined]
    return wrapper


def in_service() -> bool:
    return _depth.get() > 0


def current_actor() -> object:
    """The acting user (or None, or a label) of the running service; ``NO_ACTOR`` outside one that names it."""
    return _actor.get()


def require_service(what: object) -> None:
    if not in_service():
        raise DirectWriteForbidden(
            f"{what} may only be written through a Safehold service, which records an audit event. "
            "Direct writes (admin, shell, ORM) are refused."
        )
