"""Shared fixtures. Every record is written through the real services."""

from __future__ import annotations

import pytest

from safehold.core.testing import make_personas

# Signed-in test clients get a real, verified authenticator device (see safehold/accounts/testing.py).
pytest_plugins = ["safehold.accounts.testing"]


@pytest.fixture
def personas(db):  # type: ignore[no-untyped-def]
    return make_personas()
