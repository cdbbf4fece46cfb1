"""Audit tests sign clients in with a verified second factor (see safehold.accounts.testing)."""

from safehold.accounts.testing import verified_force_login  # noqa: F401
