from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safehold.api.models import Scope
from safehold.api.services import api_client_create
from safehold.core.testing import Personas, allocate, make_child


class ApiWorld:
    def __init__(self, personas: Personas) -> None:
        self.p = personas
        self.mine = make_child()
        allocate(self.mine, personas.social_worker)
        self.theirs = make_child()
        allocate(self.theirs, personas.other_worker)
        issued = api_client_create(
            actor=None, name="Case system", owner=personas.social_worker, scopes=list(Scope.values)
        )
        self.client_obj = issued.client
        self.token = issued.token
        self.read_only = api_client_create(
            actor=None, name="Reader", owner=personas.social_worker, scopes=[Scope.CHILDREN_READ]
        ).token

    def get(self, url: str, token: str | None = None, **extra: Any) -> Any:
        return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token or self.token}", **extra)

    def post(self, url: str, body: Any, token: str | None = None, content_type: str = "application/json") -> Any:
        return Client(enforce_csrf_checks=True).post(
            url, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token or self.token}"
        )


@pytest.fixture
def api(personas: Personas) -> ApiWorld:
    return ApiWorld(personas)
