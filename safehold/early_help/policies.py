"""Who may see and record early help.

* A partner-agency user sees only the episodes they lead (never any social-care record; of that record only
  the step-down summary the social worker wrote for them).
* Council staff see an episode they lead, one led by a member of a team they belong to or manage, and any
  episode for a child they may see under the people visibility rules (service-wide roles: all unrestricted).
* Lead members / councillors see none.

Recording: the lead practitioner (staff or partner) and staff in recording roles who can see the episode.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from safehold.accounts.roles import AGGREGATE_ONLY_ROLES, RECORDING_ROLES, Role

NOTHING = Q(pk__in=[])


def is_partner(user: Any) -> bool:
    return bool(getattr(user, "role", None) == Role.PARTNER)


def episode_visibility_q(user: Any) -> Q:
    from safehold.early_help.models import EpisodeChild
    from safehold.people.models import Person
    from safehold.people.policies import _team_ids_for, person_visibility_q

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.role in AGGREGATE_ONLY_ROLES:
        return NOTHING
    if is_partner(user):
        return Q(lead_user_id=user.pk)
    q = Q(lead_user_id=user.pk)
    staff = getattr(user, "staff", None)
    if staff is not None:
        q |= Q(lead_staff=staff)
        team_ids = _team_ids_for(user)
        if team_ids:
            q |= Q(lead_staff__team_id__in=team_ids)
    visible_children = Person.objects.filter(person_visibility_q(user)).values("pk")
    q |= Q(Exists(EpisodeChild.objects.filter(episode=OuterRef("pk"), child_id__in=visible_children)))
    return q


def can_record(user: Any, episode: Any) -> bool:
    """May this user (who can already see ``episode``) record early help work on it?"""
    if episode.lead_user_id is not None and episode.lead_user_id == user.pk:
        return True
    staff = getattr(user, "staff", None)
    if staff is not None and episode.lead_staff_id == staff.pk:
        return True
    return bool(getattr(user, "role", None) in RECORDING_ROLES)


def partner_limited(user: Any, consent_scopes: set[str]) -> bool:
    """A partner sees the family's details only with consent to share with the lead practitioner."""
    from safehold.early_help.choices import ConsentScope

    return is_partner(user) and ConsentScope.LEAD not in consent_scopes
