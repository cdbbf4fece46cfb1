"""The one clock. Everything that needs 'now' or 'today' asks here, so tests can freeze time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """Aware current date-time."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in the service's local time zone (Europe/London)."""
    return timezone.localdate()
