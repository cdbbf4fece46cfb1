from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from safehold.accounts.models import User
from safehold.casework import services as cw
from safehold.core import clock
from safehold.core.testing import Personas, allocate, make_child, make_user
from safehold.documents.services import document_upload
from safehold.people.models import Person

#: Third-party information the tests redact; none of it may reach a release.
THIRD_PARTY_REFERRER = "Uncle Bob Thirdparty"
THIRD_PARTY_NAME = "Dave Secretname"
VISIT_NOTE = "Neighbour Priya Hiddenhouse said she heard shouting"


@dataclass
class SarWorld:
    p: Personas
    child: Person
    second_dpo: User


@pytest.fixture
def sar_world(personas: Personas, settings: Any, tmp_path: Path) -> SarWorld:
    settings.SAFEHOLD_DOCUMENTS_DIR = tmp_path / "documents"
    child = make_child(given_name="Sara", family_name="Subject", la_child_id="SAR0001")
    allocate(child, personas.social_worker)
    cw.contact_record(
        actor=personas.social_worker, child=child, received_at=clock.now() - dt.timedelta(days=20), source="1B",
        summary="Worried about bruising", referrer_name=THIRD_PARTY_REFERRER,
    )  # fmt: skip
    cw.case_note_add(
        actor=personas.social_worker, child=child, subject="Home visit",
        body=f"Sara said that mum's partner {THIRD_PARTY_NAME} shouts at night.",
    )  # fmt: skip
    cw.visit_record(
        actor=personas.social_worker, child=child, visit_type="cin", visited_on=clock.today() - dt.timedelta(days=3),
        seen=True, notes=VISIT_NOTE,
    )  # fmt: skip
    document_upload(
        actor=personas.social_worker, child=child, title="School report", original_name="report.pdf",
        data=b"%PDF-1.4\n% test document\n",
    )  # fmt: skip
    return SarWorld(p=personas, child=child, second_dpo=make_user(role="dpo"))
