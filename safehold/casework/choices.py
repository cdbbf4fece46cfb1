"""Casework codes as the DfE CIN census defines them (STATUTE.md §6.3, §6.4) plus local threshold levels."""

from django.db import models


class ReferralSource(models.TextChoices):
    S1A = "1A", "Individual – family member, relative or carer"
    S1B = "1B", "Individual – acquaintance"
    S1C = "1C", "Individual – self"
    S1D = "1D", "Individual – other"
    S2A = "2A", "Schools"
    S2B = "2B", "Education services"
    S3A = "3A", "Health – GP"
    S3B = "3B", "Health – health visitor"
    S3C = "3C", "Health – school nurse"
    S3D = "3D", "Health – other primary health services"
    S3E = "3E", "Health – A&E"
    S3F = "3F", "Health – other"
    S4 = "4", "Housing"
    S5A = "5A", "LA services – social care"
    S5B = "5B", "LA services – other internal"
    S5C = "5C", "LA services – external (another LA)"
    S5D = "5D", "LA services – early help"
    S6 = "6", "Police"
    S7 = "7", "Other legal agency"
    S8 = "8", "Other"
    S9 = "9", "Anonymous"
    S10 = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    N0 = "N0", "Not stated"
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"


class ClosureReason(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to another local authority"
    RC6 = "RC6", "Transferred to adult social care services"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


class AbuseCategory(models.TextChoices):
    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    SAB = "SAB", "Sexual abuse"
    EMO = "EMO", "Emotional abuse"
    MUL = "MUL", "Multiple"


class AssessmentFactor(models.TextChoices):
    F1A = "1A", "Alcohol misuse – child"
    F1B = "1B", "Alcohol misuse – parent or carer"
    F1C = "1C", "Alcohol misuse – other person in the household"
    F2A = "2A", "Drug misuse – child"
    F2B = "2B", "Drug misuse – parent or carer"
    F2C = "2C", "Drug misuse – other person in the household"
    F3A = "3A", "Domestic abuse – child subject"
    F3B = "3B", "Domestic abuse – parent or carer subject"
    F3C = "3C", "Domestic abuse – other person subject"
    F4A = "4A", "Mental health – child"
    F4B = "4B", "Mental health – parent or carer"
    F4C = "4C", "Mental health – other person in the household"
    F5A = "5A", "Learning disability – child"
    F5B = "5B", "Learning disability – parent or carer"
    F5C = "5C", "Learning disability – other person in the household"
    F6A = "6A", "Physical disability or illness – child"
    F6B = "6B", "Physical disability or illness – parent or carer"
    F6C = "6C", "Physical disability or illness – other person in the household"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered – overseas, intends to return"
    F8C = "8C", "Privately fostered – overseas, intends to stay"
    F8D = "8D", "Privately fostered – UK, educational placement"
    F8E = "8E", "Privately fostered – UK, alternative family arrangement"
    F8F = "8F", "Privately fostered – other"
    F9A = "9A", "Unaccompanied asylum-seeking child"
    F10A = "10A", "Missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Neglect"
    F17A = "17A", "Emotional abuse"
    F18B = "18B", "Physical abuse – child on child"
    F18C = "18C", "Physical abuse – adult on child"
    F19B = "19B", "Sexual abuse – child on child"
    F19C = "19C", "Sexual abuse – adult on child"
    F20 = "20", "Other"
    F21 = "21", "No factors identified"
    F22A = "22A", "Female genital mutilation"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"


class ContactOutcome(models.TextChoices):
    """The front door's threshold decision on a contact."""

    NFA = "nfa", "No further action"
    ADVICE = "advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    REFERRAL = "referral", "Referral to children's social care"


class ThresholdLevel(models.TextChoices):
    """Local continuum-of-need levels (a local threshold document; configurable per LA)."""

    LEVEL1 = "1", "Level 1 – universal"
    LEVEL2 = "2", "Level 2 – additional needs (early help)"
    LEVEL3 = "3", "Level 3 – complex needs (child in need)"
    LEVEL4 = "4", "Level 4 – acute needs (child protection / looked after)"


class AssessmentOutcome(models.TextChoices):
    NFA = "nfa", "No further action"
    EARLY_HELP = "early_help", "Step down to early help"
    CIN_PLAN = "cin_plan", "Child in need plan"
    STRATEGY = "strategy", "Strategy discussion"
    LOOKED_AFTER = "looked_after", "Looked after"


class Section47Outcome(models.TextChoices):
    NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"
    SUBSTANTIATED_CIN = "substantiated_cin", "Substantiated, child in need plan"
    ICPC = "icpc", "Initial child protection conference"


class VisitType(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment visit"
    CIN = "cin", "Child in need visit"
    CP = "cp", "Child protection visit"
    CLA = "cla", "Statutory visit to a child in care"
    PRIVATE_FOSTERING = "pf", "Private fostering visit"
    CARE_LEAVER = "care_leaver", "Personal adviser contact"
    IRO = "iro", "IRO visit"


class ConferenceType(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"
    TRANSFER_IN = "transfer_in", "Transfer-in conference"


class ApprovalKind(models.TextChoices):
    """What a social worker asks their team manager to approve."""

    CLOSURE = "closure", "Case closure"
    CIN_PLAN = "cin_plan", "Child in need plan"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Awaiting manager approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned to the worker"
