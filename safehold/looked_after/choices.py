"""SSDA903 code lists (STATUTE.md §7.2–7.4)."""

from django.db import models


class ReasonNewEpisode(models.TextChoices):
    S = "S", "Started to be looked after"
    L = "L", "Change of legal status only"
    P = "P", "Change of placement and carer(s) only"
    T = "T", "Change of placement (same carer(s)) only"
    B = "B", "Change of legal status and placement and carer(s) at the same time"
    U = "U", "Change of legal status and change of placement (same carer(s)) at the same time"


class LegalStatus(models.TextChoices):
    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    V2 = "V2", "Single period of accommodation under section 20"
    V3 = "V3", "Accommodated under an agreed series of short-term breaks (episodes recorded)"
    V4 = "V4", "Accommodated under an agreed series of short-term breaks (agreements recorded)"
    L1 = "L1", "Under police protection and in LA accommodation"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Child assessment order and in LA accommodation"
    J1 = "J1", "Remanded to LA accommodation or youth detention accommodation"
    J2 = "J2", "Placed in LA accommodation under PACE 1984"
    J3 = "J3", "Sentenced to a youth rehabilitation order with residence or intensive fostering requirement"


class CategoryOfNeed(models.TextChoices):
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"


class PlacementType(models.TextChoices):
    A3 = "A3", "Placed for adoption with consent with current foster carer"
    A4 = "A4", "Placed for adoption with consent not with current foster carer"
    A5 = "A5", "Placed for adoption with placement order with current foster carer"
    A6 = "A6", "Placed for adoption with placement order not with current foster carer"
    H5 = "H5", "Semi-independent living accommodation (to 2024/25)"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home"
    K3 = "K3", "Registered supported accommodation"
    P1 = "P1", "Placed with own parent(s) or other person(s) with parental responsibility"
    P2 = "P2", "Independent living (invalid from 28 October 2023)"
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS or health trust establishment providing medical or nursing care"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution or prison"
    S1 = "S1", "Residential school"
    T0 = "T0", "Temporary move"
    T1 = "T1", "Temporary period in hospital"
    T2 = "T2", "Temporary absence on holiday"
    T3 = "T3", "Temporary accommodation while the normal foster carer is on holiday"
    T4 = "T4", "Temporary accommodation of seven days or less"
    U1 = "U1", "Foster placement with relative or friend – long term"
    U2 = "U2", "Foster placement with relative or friend – fostering for adoption or concurrent planning"
    U3 = "U3", "Foster placement with relative or friend – other"
    U4 = "U4", "Foster placement with other foster carer – long term"
    U5 = "U5", "Foster placement with other foster carer – fostering for adoption or concurrent planning"
    U6 = "U6", "Foster placement with other foster carer – other"
    Z1 = "Z1", "Other placement (to 2024/25)"
    Z11 = "Z11", "Other placement Z11 (2025/26+; DfE description unverified)"
    Z12 = "Z12", "Other placement Z12 (2025/26+; DfE description unverified)"
    Z13 = "Z13", "Other placement Z13 (2025/26+; DfE description unverified)"
    Z14 = "Z14", "Other placement Z14 (2025/26+; DfE description unverified)"


TEMPORARY_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4"})
NO_PROVIDER_PLACEMENTS = TEMPORARY_PLACEMENTS | {"Z11", "Z12", "Z13", "Z14"}
NO_URN_PLACEMENTS = frozenset({"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"})


class PlacementProvider(models.TextChoices):
    PR0 = "PR0", "Parent(s) or other person(s) with parental responsibility"
    PR1 = "PR1", "Own LA provision"
    PR2 = "PR2", "Other LA provision"
    PR3 = "PR3", "Other public provision"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary or third sector provision"


class ReasonEpisodeCeased(models.TextChoices):
    X1 = "X1", "Episode ceases and a new one begins on the same day"
    E11 = "E11", "Adopted – application unopposed"
    E12 = "E12", "Adopted – consent dispensed with by the court"
    E13 = "E13", "Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility"
    E14 = "E14", "Accommodation on remand ended"
    E15 = "E15", "Age assessment determined the child is 18 or over"
    E16 = "E16", "Child moved abroad"
    E17 = "E17", "Aged 18 or over and remained with current carers"
    E2 = "E2", "Died"
    E3 = "E3", "Care taken over by another LA in the UK"
    E4A = "E4A", "Returned home to parent(s) or person with PR as part of care planning"
    E4B = "E4B", "Returned home to parent(s) or person with PR not as part of care planning"
    E41 = "E41", "Child arrangements order"
    E45 = "E45", "Special guardianship order to former foster carers who are relatives or friends"
    E46 = "E46", "Special guardianship order to former foster carers who are not relatives or friends"
    E47 = "E47", "Special guardianship order to carers other than former foster carers, relatives or friends"
    E48 = "E48", "Special guardianship order to carers other than former foster carers, not relatives or friends"
    E5 = "E5", "Moved to independent living with formalised support"
    E6 = "E6", "Moved to independent living without formalised support"
    E7 = "E7", "Transferred to residential care funded by adult social care"
    E8 = "E8", "Period of being looked after ceased for any other reason"
    E9 = "E9", "Sentenced to custody"


class ReasonPlaceChange(models.TextChoices):
    CARPL = "CARPL", "Change to or implementation of the care plan"
    CLOSE = "CLOSE", "Resignation or closure of provision"
    ALLEG = "ALLEG", "Allegation (section 47)"
    STAND = "STAND", "Standards of care concern"
    APPRR = "APPRR", "Approval removed"
    CREQB = "CREQB", "Carer requests placement end due to the child's behaviour"
    CREQO = "CREQO", "Carer requests placement end for other reasons"
    CHILD = "CHILD", "Child requests placement end"
    LAREQ = "LAREQ", "Responsible or area authority requests placement end"
    PLACE = "PLACE", "Change in the status of the placement only"
    CUSTOD = "CUSTOD", "Custody arrangement"
    OTHER = "OTHER", "Other"


class ReviewParticipation(models.TextChoices):
    PN0 = "PN0", "Child under 4 at the time of the review"
    PN1 = "PN1", "Attends and speaks for themselves"
    PN2 = "PN2", "Attends; an advocate or the IRO speaks for them"
    PN3 = "PN3", "Attends and conveys views non-verbally"
    PN4 = "PN4", "Attends but makes no contribution"
    PN5 = "PN5", "Does not attend; briefs an advocate"
    PN6 = "PN6", "Does not attend; conveys views by another medium"
    PN7 = "PN7", "Does not attend and views not conveyed"


class MissingKind(models.TextChoices):
    MISSING = "M", "Missing (whereabouts unknown)"
    AWAY = "A", "Away from placement without authorisation"


class HealthCheckKind(models.TextChoices):
    INITIAL_HEALTH = "initial_health", "Initial health assessment"
    REVIEW_HEALTH = "review_health", "Review health assessment"
    DENTAL = "dental", "Dental check"
    IMMUNISATIONS = "immunisations", "Immunisations up to date"
    DEVELOPMENT = "development", "Health surveillance / development check (under 5)"


class SDQReason(models.TextChoices):
    SDQ1 = "SDQ1", "Under 4 or over 16 at the latest assessment"
    SDQ2 = "SDQ2", "Carer refused"
    SDQ3 = "SDQ3", "Severity of the child's disability"
    SDQ4 = "SDQ4", "Other"
    SDQ5 = "SDQ5", "Child or young person refused"


class ReasonPlacedCeased(models.TextChoices):
    RD1 = "RD1", "Child's needs changed"
    RD2 = "RD2", "Court did not make a placement order"
    RD3 = "RD3", "Prospective adopters could not be found"
    RD4 = "RD4", "Other"


class SexAdopter(models.TextChoices):
    M1 = "M1", "Single male"
    F1 = "F1", "Single female"
    MM = "MM", "Male couple"
    FF = "FF", "Female couple"
    MF = "MF", "Male and female couple"


class LegalStatusAdopter(models.TextChoices):
    L0 = "L0", "Single"
    L11 = "L11", "Married couple, different sex"
    L12 = "L12", "Married couple, same sex"
    L2 = "L2", "Civil partners"
    L3 = "L3", "Unmarried couple, different sex"
    L4 = "L4", "Unmarried couple, same sex"


class PreviousPermanenceKind(models.TextChoices):
    P1 = "P1", "Adoption"
    P2 = "P2", "Special guardianship order"
    P3 = "P3", "Child arrangements (residence) order"
    P4 = "P4", "Unknown"
    Z1 = "Z1", "No previous permanence"


class CareLeaverEligibility(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    RELEVANT = "relevant", "Relevant"
    FORMER_RELEVANT = "former_relevant", "Former relevant"
    QUALIFYING = "qualifying", "Qualifying"


class InTouch(models.TextChoices):
    YES = "YES", "In touch"
    NO = "NO", "Not in touch"
    DIED = "DIED", "Died"
    REFU = "REFU", "Young person refuses contact"
    NREQ = "NREQ", "No longer requires services"
    RHOM = "RHOM", "Returned home for six months or more"


class Activity(models.TextChoices):
    NONE = "0", "Not in touch, died or returned home"
    F1 = "F1", "Full-time higher education"
    F2 = "F2", "Full-time other education"
    F4 = "F4", "Full-time apprenticeship"
    F5 = "F5", "Full-time training or employment"
    P1 = "P1", "Part-time higher education"
    P2 = "P2", "Part-time other education"
    P4 = "P4", "Part-time apprenticeship"
    P5 = "P5", "Part-time training or employment"
    G4 = "G4", "Not in education, employment or training – illness or disability"
    G5 = "G5", "Not in education, employment or training – other"
    G6 = "G6", "Not in education, employment or training – pregnancy or parenting"


_ACCOM = {
    "B": "With parents or relatives",
    "C": "Community home or other residential care",
    "D": "Semi-independent, transitional accommodation",
    "E": "Supported lodgings",
    "G": "Gone abroad",
    "H": "Deported",
    "K": "Ordinary lodgings, without formal support",
    "R": "Residence not known",
    "S": "No fixed abode or homeless",
    "T": "Foyer or similar",
    "U": "Independent living",
    "V": "Emergency accommodation",
    "W": "Bed and breakfast",
    "X": "In custody",
    "Y": "Other accommodation",
    "Z": "With former foster carers",
}
_VALID_ACCOM = [
    "B1",
    "B2",
    "C1",
    "C2",
    "D1",
    "D2",
    "E1",
    "E2",
    "G1",
    "G2",
    "H1",
    "H2",
    "K1",
    "K2",
    "R1",
    "R2",
    "S2",
    "T1",
    "T2",
    "U1",
    "U2",
    "V1",
    "V2",
    "W1",
    "W2",
    "X2",
    "Y1",
    "Y2",
    "Z1",
    "Z2",
]
ACCOMMODATION_CHOICES = [("0", "Not in touch, died or returned home")] + [
    (code, f"{_ACCOM[code[0]]} – {'suitable' if code[1] == '1' else 'not suitable'}") for code in _VALID_ACCOM
]


class PFAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class PFDecision(models.TextChoices):
    SUITABLE = "suitable", "Arrangement suitable"
    SUITABLE_WITH_CONDITIONS = "conditions", "Suitable with requirements"
    NOT_SUITABLE = "not_suitable", "Not suitable – action taken"


class AccommodationBasis(models.TextChoices):
    """Why the council provides a care leaver's accommodation: the two cases CLR reg 8 applies to."""

    RELEVANT = "s23B8", "Relevant child aged 16 or 17: accommodation under section 23B(8)"
    VACATION = "s24B5", "Former relevant young person in higher education: vacation accommodation, section 24B(5)"
