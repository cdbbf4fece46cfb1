"""``python manage.py timescales``: every rule answers ``due``; errors exit 2.

Expected dates are counted by hand. E&W bank holidays used: 2025: 25, 26 Dec; 2026: 1 Jan, 3 and
6 Apr (Easter), 25 and 28 Dec; 2027: 1 Jan.
"""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from safehold.timescales.domain.rules import RULES

pytestmark = pytest.mark.django_db

CASES: dict[str, tuple[str, str]] = {
    # 1 WD after Thu 24 Dec 2026: Fri 25 and Mon 28 Dec are bank holidays -> Tue 29 Dec (STATUTE 9).
    "referral_decision": ("2026-12-24", "2026-12-29"),
    # 1 WD after Wed 24 Dec 2025: 25, 26 Dec bank holidays, weekend -> Mon 29 Dec.
    "contact_decision": ("2025-12-24", "2025-12-29"),
    # 45 WD after Mon 1 Dec 2025 -> Thu 5 Feb 2026 (STATUTE 9 vector A).
    "assessment": ("2025-12-01", "2026-02-05"),
    # 15 WD after Thu 18 Dec 2025 -> Tue 13 Jan 2026 (STATUTE 9 vector A).
    "icpc": ("2025-12-18", "2026-01-13"),
    # 10 WD after Mon 21 Dec 2026 (25, 28 Dec, 1 Jan excluded) -> Thu 7 Jan 2027 (STATUTE 9).
    "core_group_first": ("2026-12-21", "2027-01-07"),
    # 3 months after 31 Jan 2026, clamped to the end of April.
    "cp_review_first": ("2026-01-31", "2026-04-30"),
    # 6 months after 31 Aug 2025, clamped to 28 Feb 2026.
    "cp_review_next": ("2025-08-31", "2026-02-28"),
    # 10 WD after Fri 20 Mar 2026: 23-27 (5), 30 Mar-2 Apr (9), 3 and 6 Apr bank holidays, Tue 7 Apr (10).
    "care_plan": ("2026-03-20", "2026-04-07"),
    # 20 WD after Fri 20 Mar 2026 -> Tue 21 Apr (STATUTE 9, Easter excluded).
    "cla_review_first": ("2026-03-20", "2026-04-21"),
    # 3 months after 30 Nov 2023 -> 29 Feb 2024 (leap year clamp).
    "cla_review_second": ("2023-11-30", "2024-02-29"),
    # 6 months after 29 Feb 2024 -> 29 Aug 2024.
    "cla_review_next": ("2024-02-29", "2024-08-29"),
    # 20 WD after Mon 12 Jan 2026: 13-16 (4), 19-23 (9), 26-30 (14), 2-6 Feb (19), Mon 9 Feb (20).
    "health_initial": ("2026-01-12", "2026-02-09"),
    # 6 months after 31 Mar 2026 -> 30 Sep 2026.
    "health_review_under5": ("2026-03-31", "2026-09-30"),
    # 12 months after 29 Feb 2024 -> 28 Feb 2025.
    "health_review_over5": ("2024-02-29", "2025-02-28"),
    # 20 WD after Wed 8 Apr 2026: 9-10 (2), 13-17 (7), 20-24 (12), 27 Apr-1 May (17), 4 May bank holiday,
    # 5-7 May (20) -> Thu 7 May.
    "pep_initial": ("2026-04-08", "2026-05-07"),
    # 1 week after Mon 2 Mar 2026.
    "cla_visit_first": ("2026-03-02", "2026-03-09"),
    # 6 weeks after Fri 16 Jan 2026 -> Fri 27 Feb.
    "cla_visit_next_year1": ("2026-01-16", "2026-02-27"),
    # 3 months after 30 Nov 2025 -> 28 Feb 2026 (clamped).
    "cla_visit_next_after": ("2025-11-30", "2026-02-28"),
    # 7 WD after Mon 6 Jan 2025: 7-10 (4), 13-15 (7) -> Wed 15 Jan.
    "pf_visit_first": ("2025-01-06", "2025-01-15"),
    # 6 weeks after Fri 14 Feb 2025 -> Fri 28 Mar.
    "pf_visit_next_year1": ("2025-02-14", "2025-03-28"),
    # 12 weeks (84 days) after 20 Jan 2026: 11 (to 31 Jan) + 28 + 31 + 14 -> 14 Apr.
    "pf_visit_next_after": ("2026-01-20", "2026-04-14"),
    # 6 months after 10 Jun 2025.
    "pathway_plan_review": ("2025-06-10", "2025-12-10"),
    # 2 months after 31 Dec 2025 -> 28 Feb 2026 (clamped).
    "pa_visit": ("2025-12-31", "2026-02-28"),
    # 7 days after Thu 24 Dec 2025 -> Thu 31 Dec (calendar days: bank holidays count).
    "pa_visit_first": ("2025-12-24", "2025-12-31"),
    # 72 hours after Fri 27 Mar 2026 10:00 GMT = Mon 30 Mar 10:00 UTC = 11:00 BST (clocks change 29 Mar).
    "rhi": ("2026-03-27T10:00", "2026-03-30T11:00"),
    # 26 weeks beginning with Mon 5 Jan 2026: day 182 is 5 Jan + 181 days = Sun 5 Jul
    # (26 to 31 Jan, +28 Feb = 54, +31 Mar = 85, +30 Apr = 115, +31 May = 146, +30 Jun = 176, +5 Jul = 181).
    "plo_proceedings": ("2026-01-05", "2026-07-05"),
    # Local 10 WD after Thu 30 Oct 2025: 31 (1), 3-7 Nov (6), 10-13 (10) -> Thu 13 Nov.
    "cp_visit": ("2025-10-30", "2025-11-13"),
    # Local 20 WD after Mon 6 Oct 2025: 7-10 (4), 13-17 (9), 20-24 (14), 27-31 (19), Mon 3 Nov (20).
    "cin_visit": ("2025-10-06", "2025-11-03"),
    # Local 3 months after 6 Oct 2025.
    "cin_plan_review_first": ("2025-10-06", "2026-01-06"),
    # Local 3 months after 30 Nov 2025 -> 28 Feb 2026 (clamped).
    "cin_plan_review_next": ("2025-11-30", "2026-02-28"),
    # Local 6 weeks after Tue 4 Nov 2025 -> Tue 16 Dec.
    "core_group_next": ("2025-11-04", "2025-12-16"),
    # Local 3 WD after Thu 2 Apr 2026: 3 and 6 Apr bank holidays, 7 (1), 8 (2), Thu 9 Apr (3).
    "strategy_discussion": ("2026-04-02", "2026-04-09"),
    # Local 3 calendar months after 31 Mar 2026 -> 30 Jun 2026 (clamped).
    "exploitation_review": ("2026-03-31", "2026-06-30"),
    # Local 30 WD after Mon 2 Jun 2025 (no bank holidays): 3-6 Jun (4), 9-13 (9), 16-20 (14), 23-27 (19),
    # 30 Jun-4 Jul (24), 7-11 Jul (29), Mon 14 Jul (30).
    "eh_assessment": ("2025-06-02", "2025-07-14"),
    # Local 6 weeks after Fri 20 Jun 2025 -> Fri 1 Aug.
    "eh_review": ("2025-06-20", "2025-08-01"),
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("timescales", *args, stdout=out)
    return out.getvalue()


def test_every_rule_has_a_case():
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_due_prints_the_date_and_nothing_else(rule):
    start, expected = CASES[rule]
    assert run("due", rule, start) == expected + "\n"


@override_settings(SAFEHOLD_WD_START_IS_DAY_ONE=True)
@pytest.mark.parametrize(
    "rule, start, expected",
    [
        # CIN validator convention (start is day 1): one working day earlier (STATUTE 9 column B).
        ("assessment", "2025-12-01", "2026-02-04"),
        ("icpc", "2025-12-18", "2026-01-12"),
        ("cla_review_first", "2026-03-20", "2026-04-20"),
        ("core_group_first", "2026-12-21", "2027-01-06"),
        ("referral_decision", "2026-12-24", "2026-12-24"),
        # Calendar rules are unaffected by the convention.
        ("cla_visit_first", "2026-03-02", "2026-03-09"),
    ],
)
def test_due_with_the_cin_validator_convention(rule, start, expected):
    assert run("due", rule, start) == expected + "\n"


def test_due_uses_the_las_own_local_standard():
    from safehold.timescales.services_admin import local_standard_set

    local_standard_set(actor=None, rule_code="cp_visit", amount=5)
    # 5 WD after Thu 30 Oct 2025: 31 (1), 3-6 Nov (5) -> Thu 6 Nov.
    assert run("due", "cp_visit", "2025-10-30") == "2025-11-06\n"
    assert "local standard; national default 10 working days" in run("explain", "cp_visit")


@pytest.mark.parametrize(
    "args, message",
    [
        (("due", "no_such_rule", "2026-01-01"), "Unknown rule"),
        (("due", "icpc", "2026-02-30"), "Bad start date"),
        (("due", "icpc", "01/02/2026"), "Bad start date"),
        (("due", "icpc", "2026-01-05T10:00"), "Bad start date"),
        (("due", "rhi", "2026-03-27"), "counts hours"),
        (("explain", "nope"), "Unknown rule"),
    ],
)
def test_errors_exit_2_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message) as excinfo:
        run(*args)
    assert excinfo.value.returncode == 2


def test_explain_prints_the_definition_and_source():
    text = run("explain", "cla_review_first")
    assert text.startswith("cla_review_first: First looked-after child review\n")
    assert "Timescale: 20 working days" in text
    assert "Care Planning, Placement and Case Review (England) Regulations 2010" in text
    assert "reg 33(1)" in text
    assert "Status: V" in text


def test_rules_lists_every_rule_with_its_source():
    lines = run("rules").splitlines()
    assert len(lines) == len(RULES)
    listed = {line.split()[0] for line in lines}
    assert listed == set(RULES)
    icpc = next(line for line in lines if line.startswith("icpc "))
    assert "15 working days" in icpc and "WT23" in icpc


def test_command_line_exit_status_is_2_for_an_unknown_rule():
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "timescales", "due", "no_such_rule", "2026-01-01"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Unknown rule 'no_such_rule'" in result.stderr
