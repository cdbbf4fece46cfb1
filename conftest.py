"""Shared fixtures. Every record is written through the real services."""

from __future__ import annotations

import pytest

from safehold.core.testing import make_personas


@pytest.fixture
def personas(db):  # type: ignore[no-untyped-def]
    return make_personas()
