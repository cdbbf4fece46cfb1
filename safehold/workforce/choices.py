from django.db import models


class ServiceArea(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door / MASH"
    ASSESSMENT = "assessment", "Assessment"
    CHILD_IN_NEED = "cin_cp", "Children in need and child protection"
    CHILDREN_IN_CARE = "cic", "Children in care"
    CARE_LEAVERS = "leaving_care", "Leaving care"
    EARLY_HELP = "early_help", "Early help"
    DISABLED_CHILDREN = "disabled", "Disabled children"
    FOSTERING_ADOPTION = "fostering_adoption", "Fostering and adoption"
    SAFEGUARDING = "safeguarding", "Safeguarding and quality assurance"


class StaffRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced practitioner"
    ASYE = "asye", "Newly qualified social worker (ASYE)"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    EARLY_HELP_WORKER = "early_help_worker", "Early help practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    CP_CHAIR_IRO = "cp_chair_iro", "Child protection chair / IRO"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    DIRECTOR = "director", "Director"
    BUSINESS_SUPPORT = "business_support", "Business support"


#: Roles that are registered social work posts (the DfE workforce census counts these).
SOCIAL_WORK_ROLES = frozenset(
    {
        StaffRole.SOCIAL_WORKER,
        StaffRole.ADVANCED_PRACTITIONER,
        StaffRole.ASYE,
        StaffRole.TEAM_MANAGER,
        StaffRole.CP_CHAIR_IRO,
        StaffRole.HEAD_OF_SERVICE,
    }
)
#: Roles that hold a caseload.
CASE_HOLDING_ROLES = frozenset(
    {StaffRole.SOCIAL_WORKER, StaffRole.ADVANCED_PRACTITIONER, StaffRole.ASYE, StaffRole.PERSONAL_ADVISER}
)


class Employment(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"
    FIXED_TERM = "fixed_term", "Fixed-term"


class ChangeReason(models.TextChoices):
    """SSDA903 SW_REASON (2023/24 onwards). Meanings are read from the code names (STATUTE §7.3, unverified)."""

    MANAGE = "MANAGE", "Management decision"
    FCONTA = "FCONTA", "Fixed-term contract ended"
    LEFTRL = "LEFTRL", "Social worker left the role"
    ORGRST = "ORGRST", "Organisational restructure"
    TSPROC = "TSPROC", "Transfer between teams or stages"
    ABSENC = "ABSENC", "Social worker absence"
    CHCHAN = "CHCHAN", "Child's circumstances changed"
    PCCHAN = "PCCHAN", "Practitioner's circumstances changed"
    SWDIED = "SWDIED", "Social worker died"
    OTHERS = "OTHERS", "Other"


class LeaveReason(models.TextChoices):
    """Why a member of staff left. A local list, grouped as the DfE children's social work workforce census
    asks LAs to record a reason for each leaver; the census's own code values are not reproduced (unverified)."""

    RESIGNED_LA = "resigned_la", "Resigned: to another local authority"
    RESIGNED_AGENCY = "resigned_agency", "Resigned: to agency work"
    RESIGNED_OTHER = "resigned_other", "Resigned: other or not known"
    CONTRACT_END = "contract_end", "End of a fixed-term or agency contract"
    RETIRED = "retired", "Retired"
    REDUNDANCY = "redundancy", "Redundancy"
    DISMISSED = "dismissed", "Dismissed"
    CAREER_BREAK = "career_break", "Career break or study"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class PostStatus(models.TextChoices):
    """How a post in the establishment stands on a date (derived from its holder, never stored)."""

    PERMANENT = "permanent", "Filled: LA-employed"
    AGENCY = "agency", "Covered by an agency worker"
    VACANT = "vacant", "Vacant"
