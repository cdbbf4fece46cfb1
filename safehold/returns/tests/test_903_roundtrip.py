"""Export, import and the CLI against the database: round trips are exact, imports are all or nothing and
idempotent, and the CLI functions print and return what they say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safehold.audit.models import AuditEvent
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.looked_after.models import CareEpisode, LACReview, PeriodOfCare
from safehold.people.models import Person
from safehold.returns.ssda903 import cli
from safehold.returns.ssda903.domain import synthetic, write_csv
from safehold.returns.ssda903.selectors import ssda903_return
from safehold.returns.ssda903.services import ssda903_import
from safehold.workforce.models import Allocation, StaffMember, Team

pytestmark = pytest.mark.django_db


def _files(year: int = 2026, children: int = 24, seed: int = 3) -> dict[str, bytes]:
    ret = synthetic.clean_return(children, seed=seed, year=year)
    return {name: text.encode() for name, text in write_csv(ret).items()}


def _export(year: int = 2026) -> dict[str, bytes]:
    return {name: text.encode() for name, text in write_csv(ssda903_return(year=year)).items()}


def _counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        PeriodOfCare.objects.count(),
        CareEpisode.objects.count(),
        LACReview.objects.count(),
        Allocation.objects.count(),
        AuditEvent.objects.count(),
    )


@service
def _looked_after_child() -> Person:
    """A child written the way the app writes one: looked after since 2024, a placement move in the year,
    a review and an allocated social worker."""
    child = Person(
        given_name="Ada",
        family_name="Lovelace",
        sex="F",
        date_of_birth=dt.date(2012, 5, 1),
        ethnicity="WBRI",
        is_child_record=True,
        la_child_id="LA0001",
        upn="A123456789012",
    )
    child.save()
    period = PeriodOfCare(child=child, start_date=dt.date(2024, 6, 1))
    period.save()
    CareEpisode(
        period=period,
        child=child,
        start_date=dt.date(2024, 6, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement_type="U4",
        placement_provider="PR1",
        end_date=dt.date(2025, 9, 1),
        reason_ceased="X1",
        reason_place_change="CARPL",
        home_postcode="TW1 1AA",
        placement_postcode="TW1 1AF",
        urn="SC111111",
    ).save()
    CareEpisode(
        period=period,
        child=child,
        start_date=dt.date(2025, 9, 1),
        reason_new_episode="P",
        legal_status="C2",
        category_of_need="N1",
        placement_type="K2",
        placement_provider="PR4",
        home_postcode="TW1 1AA",
        placement_postcode="TW1 1AR",
        urn="SC222222",
    ).save()
    LACReview(child=child, period=period, held_on=dt.date(2025, 10, 1), participation="PN1").save()
    team = Team(name="Children in care 1", service_area="cic")
    team.save()
    worker = StaffMember(
        sw_id="SW123456",
        given_name="Sam",
        family_name="Worker",
        role="social_worker",
        team=team,
        start_date=dt.date(2020, 1, 1),
    )
    worker.save()
    Allocation(child=child, team=team, worker=worker, start_date=dt.date(2024, 6, 1)).save()
    return child


def test_export_of_a_record_written_by_services() -> None:
    _looked_after_child()
    ret = ssda903_return(year=2026)
    assert [(e.DECOM, e.DEC, e.REC, e.PLACE) for e in ret.episodes] == [
        ("01/06/2024", "01/09/2025", "X1", "U4"),
        ("01/09/2025", "", "", "K2"),
    ]
    assert ret.header[0].MOTHER == "0"
    assert [(s.SW_ID, s.SW_REASON) for s in ret.sw_episodes] == [("SW123456", "FCONTA")]
    assert [r.REVIEW for r in ret.reviews] == ["01/10/2025"]
    # In care on 1 April 2025 and throughout the year: in the OC2 cohort, with no checks recorded yet (aged 13).
    assert [(o.CHILD, o.CONVICTED, o.HEALTH_CHECK, o.IMMUNISATIONS) for o in ret.oc2] == [("LA0001", "0", "", "0")]


def test_round_trip_import_then_export_is_identical() -> None:
    files = _files()
    ssda903_import(actor=None, files=files)
    assert _export() == files


def test_reimport_is_idempotent() -> None:
    files = _files()
    ssda903_import(actor=None, files=files)
    before = _counts()[:-1]
    summary = ssda903_import(actor=None, files=_export())
    assert sum(summary.created.values()) == 0
    assert sum(summary.updated.values()) == 0
    assert _counts()[:-1] == before
    assert _export() == files


def test_export_import_export_from_a_service_written_record(tmp_path: Path) -> None:
    _looked_after_child()
    first = _export()
    ssda903_import(actor=None, files=first)
    assert _export() == first


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("episodes.csv", lambda s: s.replace(",U4,", ",Q9,", 1), "PLACE 'Q9' is not a valid code"),
        ("header.csv", lambda s: s.replace(",WBRI,", ",WXYZ,", 1), "ETHNIC 'WXYZ' is not a valid code"),
        ("reviews.csv", lambda s: s.replace(",PN1", ",PN9", 1), "REVIEW_CODE 'PN9' is not a valid code"),
        ("missing.csv", lambda s: s.replace("/2025,", "/2O25,", 1), "is not a dd/mm/yyyy date"),
        (
            "episodes.csv",
            lambda s: s + "ZZ999,01/05/2025,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,SC1\n",
            "CHILD ZZ999 is not in the header file",
        ),
    ],
)
def test_bad_file_changes_nothing(name: str, change, message: str) -> None:  # type: ignore[no-untyped-def]
    files = _files()
    ssda903_import(actor=None, files=files)
    before, exported = _counts(), _export()
    bad = dict(files)
    bad[name] = change(files[name].decode()).encode()
    # and a change that would otherwise apply, to prove nothing is written
    bad["header.csv"] = bad["header.csv"].decode().replace(",UN2,", ",UN3,").encode()
    with pytest.raises(ValidationFailed) as exc:
        ssda903_import(actor=None, files=bad)
    assert any(message in m for msgs in exc.value.errors.values() for m in msgs), exc.value.errors
    assert any(" row " in m for msgs in exc.value.errors.values() for m in msgs)
    assert _counts() == before
    assert _export() == exported


def test_unrecognised_file_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        ssda903_import(actor=None, files={"x.csv": b"A,B\n1,2\n"})
    assert "do not match any SSDA903 table" in str(exc.value)
    assert Person.objects.count() == 0


def test_import_writes_audit_events_and_uses_names() -> None:
    files = _files(children=4)
    names = b"CHILD,GIVEN_NAME,FAMILY_NAME\nC003000000,Grace,Hopper\n"
    ssda903_import(actor=None, files=files, names_csv=names)
    grace = Person.objects.get(la_child_id="C003000000")
    assert (grace.given_name, grace.family_name) == ("Grace", "Hopper")
    assert AuditEvent.objects.filter(action="ssda903.imported", child_id=grace.pk).count() == 1
    assert AuditEvent.objects.filter(action="ssda903.import").count() == 1


def test_cli_export_validate_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name, data in _files(children=8).items():
        (source / name).write_bytes(data)
    message = cli.import_(source, None)
    assert "8 children" in message

    out = tmp_path / "out"
    assert "SSDA903 2025/26" in cli.export(2026, out)
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == {p.name: p.read_bytes() for p in source.glob("*.csv")}

    assert cli.validate(out, None) == 0
    assert capsys.readouterr().out.strip().endswith("0 failures (0 flagged rows) in SSDA903 2025/26")

    episodes = out / "episodes.csv"
    episodes.write_text(episodes.read_text().replace(",U4,", ",Z1,", 1))
    assert cli.validate(out, None) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    code, child, text = lines[0].split("\t")
    assert (code, text) == ("146", "Placement type code is not a valid code.")
    assert lines[-1].startswith("1 failures")
