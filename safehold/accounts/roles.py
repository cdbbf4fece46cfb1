"""Roles give coarse capabilities; per-child relationships are decided in policies."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    CP_CHAIR_IRO = "cp_chair_iro", "Child protection chair / IRO"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    DIRECTOR = "director", "Director of children's services"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    BUSINESS_SUPPORT = "business_support", "Business support"
    PARTNER = "partner", "Partner agency"
    INSPECTOR = "inspector", "Inspector (read-only)"
    LEAD_MEMBER = "lead_member", "Lead member / councillor"
    DATA_PROTECTION_OFFICER = "dpo", "Data protection officer"
    SYSTEM_ADMINISTRATOR = "sysadmin", "System administrator"


#: Roles that see every (unrestricted) child in the LA.
SERVICE_WIDE_ROLES = frozenset(
    {Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.PERFORMANCE_ANALYST, Role.CP_CHAIR_IRO, Role.DATA_PROTECTION_OFFICER}
)
#: Roles that work with children through allocation to themselves or their team.
CASEWORK_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.BUSINESS_SUPPORT})
#: Roles that never see a named child.
AGGREGATE_ONLY_ROLES = frozenset({Role.LEAD_MEMBER})
#: Roles that may record casework.
RECORDING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CP_CHAIR_IRO})
#: Roles that never see a child's record at all, even with a grant (partners get shared summaries elsewhere).
NO_CHILD_RECORD_ROLES = frozenset({Role.PARTNER, Role.LEAD_MEMBER})
#: Roles that may open a restricted record by giving a reason (break-glass).
BREAK_GLASS_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.CP_CHAIR_IRO, Role.DATA_PROTECTION_OFFICER}
)
#: Roles that may see who has viewed a child (the DPO for every child, managers for the children they oversee).
AUDIT_VIEWER_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.DIRECTOR})
#: Roles that run the quarterly access review.
ACCESS_REVIEW_ROLES = frozenset({Role.DATA_PROTECTION_OFFICER, Role.SYSTEM_ADMINISTRATOR})
