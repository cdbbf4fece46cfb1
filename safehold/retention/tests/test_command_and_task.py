"""``manage.py retention review|schedule`` and the background task run the same idempotent review."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehold.core.jobs import run_queued_tasks
from safehold.core.testing import make_child
from safehold.retention.models import ReviewItem
from safehold.retention.tasks import retention_review
from safehold.retention.tests.builders import BUILD, D, looked_after_history, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_child(personas):  # type: ignore[no-untyped-def]
    with on(BUILD.date()):
        child = make_child(date_of_birth=D(2008, 3, 1))
        looked_after_history(child, D(2015, 4, 1), D(2020, 9, 30))
    return child


def test_the_review_command_lists_and_reports(due_child) -> None:
    out = io.StringIO()
    with on(BUILD.date()):
        call_command("retention", "review", "--date", "2083-02-28", stdout=out)
        assert "Due for disposal: 0 (0 added" in out.getvalue()
        call_command("retention", "review", "--date", "2083-03-01", stdout=out)
    assert "Due for disposal: 1 (1 added" in out.getvalue()
    assert ReviewItem.objects.get().person_id == due_child.pk
    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("retention", "review", "--date", "1 March", stdout=out)


def test_the_schedule_command_prints_each_rule_with_its_source() -> None:
    out = io.StringIO()
    call_command("retention", "schedule", stdout=out)
    text = out.getvalue()
    assert "Children looked after and care leavers (statutory): Until the 75th birthday" in text
    assert "SI 2010/959" in text and "SI 2005/888" in text and "Local policy" in text


def test_the_background_task_runs_the_review(due_child) -> None:
    with on(D(2083, 3, 1)):
        retention_review.enqueue()
        assert run_queued_tasks() == 1
    assert ReviewItem.objects.filter(person=due_child, status="proposed").count() == 1
