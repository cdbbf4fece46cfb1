"""Person codes as the DfE CIN census and SSDA903 expect them (STATUTE.md §6.3, §7.3)."""

from django.db import models


class Sex(models.TextChoices):
    """CIN census ``Sex`` from 2024/25 (M/F/U; U is mandatory for an unborn child)."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown or not recorded"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger's syndrome"
    DDA = "DDA", "Other disability"


class UPNUnknown(models.TextChoices):
    UN1 = "UN1", "Not of school age and no UPN yet"
    UN2 = "UN2", "Never attended a maintained school in England"
    UN3 = "UN3", "Educated outside England"
    UN4 = "UN4", "Newly looked after or referred; UPN not yet known"
    UN5 = "UN5", "Sources of UPN inconsistent"
    UN6 = "UN6", "Other reason (DfE description unverified)"
    UN7 = "UN7", "Referral with no further action"
    UN8 = "UN8", "Reserved (DfE description unverified)"
    UN9 = "UN9", "Reserved (DfE description unverified)"
    UN10 = "UN10", "Reserved (DfE description unverified)"


class RelationshipType(models.TextChoices):
    """How ``person`` relates to ``other`` (read: person is the <type> of other)."""

    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
    OTHER_RELATIVE = "other_relative", "Other relative"
    CARER = "carer", "Carer"
    FOSTER_CARER = "foster_carer", "Foster carer"
    PRIVATE_FOSTER_CARER = "private_foster_carer", "Private foster carer"
    PROSPECTIVE_ADOPTER = "prospective_adopter", "Prospective adopter"
    PARTNER = "partner", "Partner of a parent"
    FRIEND = "friend", "Family friend"
    CONNECTED = "connected", "Linked (exploitation or peer concern)"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "To review"
    MERGED = "merged", "Merged"
    NOT_DUPLICATE = "not_duplicate", "Not the same person"
