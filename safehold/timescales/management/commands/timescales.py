"""``python manage.py timescales due|explain|rules|refresh``.

* ``due RULE START`` prints the due date and nothing else: ``YYYY-MM-DD`` for day, week and month
  rules; ``YYYY-MM-DDTHH:MM`` (local time) for hour rules such as ``rhi``, which take a start in
  the same form. Uses the LA's calendar (closure days, newly proclaimed bank holidays), its local
  standards and the counting convention setting ``SAFEHOLD_WD_START_IS_DAY_ONE``.
* ``explain RULE`` prints the rule's definition and its source.
* ``rules`` lists every rule with its source.
* ``refresh`` recomputes every child's deadlines (nightly; idempotent) and prints the counts.

An unknown rule or a bad date exits with status 2 and a message on stderr.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safehold.timescales.domain.rules import Rule, Unit

UNIT_LABELS = {
    Unit.WORKING_DAYS: "working day",
    Unit.CALENDAR_DAYS: "calendar day",
    Unit.CALENDAR_WEEKS: "week",
    Unit.CALENDAR_MONTHS: "month",
    Unit.HOURS: "hour",
}


def _amount(rule: Rule) -> str:
    label = UNIT_LABELS[rule.unit]
    return f"{rule.amount} {label}{'' if rule.amount == 1 else 's'}"


class Command(BaseCommand):
    help = "Statutory timescales: due dates, rule definitions and the nightly deadline refresh."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        due = sub.add_parser("due", help="Print the due date for RULE started on START")
        due.add_argument("rule")
        due.add_argument("start", help="YYYY-MM-DD, or YYYY-MM-DDTHH:MM (local time) for hour rules")
        explain = sub.add_parser("explain", help="Print a rule's definition and source")
        explain.add_argument("rule")
        sub.add_parser("rules", help="List every rule with its source")
        sub.add_parser("refresh", help="Recompute every child's deadlines (idempotent)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "due":
            self._due(options["rule"], options["start"])
        elif action == "explain":
            self._explain(options["rule"])
        elif action == "rules":
            self._rules()
        elif action == "refresh":
            self._refresh()

    # ------------------------------------------------------------------ actions
    def _rule(self, code: str) -> Rule:
        """The rule as this LA runs it (local standards applied). Unknown codes exit 2 before any
        database access (local standards can change amounts, never add rules)."""
        from safehold.timescales.domain.rules import RULES

        if code not in RULES:
            raise CommandError(
                f"Unknown rule {code!r}. Run 'python manage.py timescales rules' for the list.", returncode=2
            )
        from safehold.timescales.services import context

        return context().rules[code]

    def _due(self, code: str, start_text: str) -> None:
        from safehold.timescales.domain.rules import RULES

        national = RULES.get(code)
        if national is None:
            self._rule(code)  # raises
            return
        if national.unit is Unit.HOURS:
            try:
                naive = dt.datetime.strptime(start_text, "%Y-%m-%dT%H:%M")  # noqa: DTZ007 - made aware below
            except ValueError:
                raise CommandError(
                    f"Bad start {start_text!r}: rule {code!r} counts hours, give YYYY-MM-DDTHH:MM (local time).",
                    returncode=2,
                ) from None
            start_at = timezone.make_aware(naive)
        else:
            try:
                if len(start_text) != 10:
                    raise ValueError(start_text)
                start_day = dt.date.fromisoformat(start_text)
            except ValueError:
                raise CommandError(
                    f"Bad start date {start_text!r}: rule {code!r} needs a date, give YYYY-MM-DD.", returncode=2
                ) from None
        from safehold.timescales.services import context

        ctx = context()
        if national.unit is Unit.HOURS:
            due_at = ctx.due(code, start_at)
            assert isinstance(due_at, dt.datetime)
            self.stdout.write(timezone.localtime(due_at).strftime("%Y-%m-%dT%H:%M"))
        else:
            self.stdout.write(ctx.due(code, start_day).isoformat())

    def _explain(self, code: str) -> None:
        from safehold.timescales.domain.rules import RULES

        rule = self._rule(code)
        national = RULES[code]
        lines = [
            f"{rule.code}: {rule.title}",
            f"  Timescale: {_amount(rule)}"
            + (" (period includes the start day)" if rule.period_includes_start else "")
            + (f" (local standard; national default {_amount(national)})" if rule.amount != national.amount else ""),
            f"  Clock starts: {rule.starts}",
            f"  Clock stops: {rule.stops}",
            f"  Restarts: {rule.restarts}",
            f"  Source: {rule.source.document}",
            f"  Reference: {rule.source.reference}",
            f"  Status: {rule.source.status}" + (" (the LA may change the amount)" if rule.local else ""),
        ]
        self.stdout.write("\n".join(lines))

    def _rules(self) -> None:
        from safehold.timescales.services import context

        rules = context().rules
        width = max(len(code) for code in rules)
        for code in sorted(rules):
            rule = rules[code]
            self.stdout.write(
                f"{code:<{width}}  {_amount(rule):<18}  {rule.title} | {rule.source.document}: "
                f"{rule.source.reference} [{rule.source.status}]"
            )

    def _refresh(self) -> None:
        from safehold.timescales.services import deadlines_refresh_all

        counts = deadlines_refresh_all(actor="timescales refresh")
        self.stdout.write(f"children={counts['children']} deadlines={counts['deadlines']}")
