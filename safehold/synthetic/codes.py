"""Weighted code distributions for the simulation. Weights are LOCAL ASSUMPTIONS shaped on the DfE
CIN census and SSDA903 national tables (rough national shares), not official figures for any LA."""

from __future__ import annotations

from typing import Final

W = tuple[tuple[str, float], ...]

REFERRAL_SOURCE: Final[W] = (
    ("6", 29.0),
    ("2A", 20.0),
    ("2B", 2.0),
    ("3A", 2.0),
    ("3B", 2.0),
    ("3C", 0.6),
    ("3D", 2.0),
    ("3E", 3.0),
    ("3F", 4.4),
    ("4", 1.6),
    ("5A", 5.5),
    ("5B", 2.5),
    ("5C", 1.5),
    ("5D", 2.5),
    ("7", 3.5),
    ("8", 5.0),
    ("1A", 4.0),
    ("1B", 1.0),
    ("1C", 0.6),
    ("1D", 1.4),
    ("9", 1.2),
    ("10", 1.5),
)

NEED_BY_PATH: Final[dict[str, W]] = {
    "cp": (("N1", 86.0), ("N4", 5.0), ("N5", 7.0), ("N3", 1.0), ("N8", 1.0)),
    "cin": (
        ("N1", 30.0),
        ("N4", 20.0),
        ("N5", 24.0),
        ("N3", 8.0),
        ("N6", 5.0),
        ("N7", 1.5),
        ("N8", 3.0),
        ("N2", 2.0),
        ("N0", 1.5),
        ("N9", 2.0),
    ),
    "assess": (
        ("N9", 24.0),
        ("N1", 26.0),
        ("N4", 14.0),
        ("N5", 20.0),
        ("N3", 5.0),
        ("N6", 3.0),
        ("N0", 4.0),
        ("N7", 1.0),
        ("N8", 2.0),
        ("N2", 1.0),
    ),
    "disabled": (("N2", 100.0),),
    "uasc": (("N8", 100.0),),
    "pf": (("N8", 40.0), ("N4", 30.0), ("N9", 30.0)),
    "yj": (("N6", 80.0), ("N5", 20.0)),
}

ABUSE: Final[W] = (("NEG", 49.0), ("EMO", 38.0), ("PHY", 6.5), ("SAB", 4.0), ("MUL", 2.5))

FACTOR_POOLS: Final[dict[str, W]] = {
    "NEG": (
        ("16A", 60.0),
        ("3B", 20.0),
        ("4B", 25.0),
        ("2B", 15.0),
        ("1B", 10.0),
        ("5B", 5.0),
        ("2C", 2.0),
        ("1C", 2.0),
        ("6B", 3.0),
    ),
    "EMO": (("17A", 50.0), ("3A", 30.0), ("3B", 35.0), ("4B", 20.0), ("3C", 5.0), ("23A", 1.0)),
    "PHY": (("18C", 55.0), ("18B", 15.0), ("3B", 15.0), ("2B", 8.0), ("22A", 3.0)),
    "SAB": (("19C", 55.0), ("19B", 25.0), ("11A", 12.0), ("12A", 3.0)),
    "MUL": (("16A", 30.0), ("17A", 30.0), ("18C", 20.0), ("3B", 20.0), ("4B", 15.0)),
    "cin": (
        ("3B", 25.0),
        ("4B", 25.0),
        ("2B", 10.0),
        ("1B", 8.0),
        ("5B", 5.0),
        ("6B", 6.0),
        ("7A", 6.0),
        ("14A", 5.0),
        ("15A", 5.0),
        ("4A", 10.0),
        ("5A", 3.0),
        ("6A", 3.0),
        ("20", 8.0),
        ("4C", 2.0),
        ("5C", 1.0),
        ("6C", 1.0),
        ("1C", 1.0),
        ("2C", 1.0),
        ("3C", 1.0),
    ),
    "teen": (
        ("10A", 20.0),
        ("11A", 12.0),
        ("13A", 10.0),
        ("24A", 15.0),
        ("2A", 10.0),
        ("1A", 5.0),
        ("15A", 10.0),
        ("14A", 12.0),
        ("12A", 2.0),
        ("3A", 6.0),
        ("4A", 12.0),
    ),
    "disabled": (("5A", 40.0), ("6A", 40.0), ("4A", 10.0), ("7A", 3.0), ("6B", 5.0)),
    "pf": (("8B", 25.0), ("8C", 20.0), ("8D", 20.0), ("8E", 25.0), ("8F", 10.0)),
    "uasc": (("9A", 100.0),),
    "low": (("20", 30.0), ("3B", 15.0), ("4B", 15.0), ("14A", 10.0), ("6B", 5.0), ("7A", 5.0), ("4A", 8.0)),
}

CONTACT_OUTCOME_OTHER: Final[W] = (("nfa", 30.0), ("advice", 35.0), ("early_help", 35.0))

DISABILITY: Final[W] = (
    ("LD", 25.0),
    ("AUT", 30.0),
    ("COMM", 12.0),
    ("BEH", 10.0),
    ("MOB", 6.0),
    ("HAND", 2.0),
    ("PC", 3.0),
    ("INC", 2.0),
    ("HEAR", 3.0),
    ("VIS", 2.0),
    ("CON", 1.0),
    ("DDA", 4.0),
)

PN: Final[W] = (
    ("PN1", 45.0),
    ("PN2", 12.0),
    ("PN3", 4.0),
    ("PN4", 3.0),
    ("PN5", 8.0),
    ("PN6", 21.0),
    ("PN7", 7.0),
)

REASON_PLACE_CHANGE: Final[W] = (
    ("CARPL", 35.0),
    ("CLOSE", 4.0),
    ("ALLEG", 3.0),
    ("STAND", 3.0),
    ("APPRR", 1.0),
    ("CREQB", 16.0),
    ("CREQO", 12.0),
    ("CHILD", 8.0),
    ("LAREQ", 8.0),
    ("OTHER", 10.0),
)

PLACEMENT_BY_AGE: Final[dict[str, W]] = {
    "baby": (
        ("U6", 55.0),
        ("U3", 16.0),
        ("R3", 7.0),
        ("U5", 6.0),
        ("U2", 2.0),
        ("P1", 2.0),
        ("T1", 0.2),
        ("R2", 0.1),
        ("U4", 1.0),
        ("Z11", 0.01),
        ("Z12", 0.01),
    ),
    "young": (
        ("U6", 58.0),
        ("U3", 22.0),
        ("U5", 2.0),
        ("U2", 1.0),
        ("K2", 1.0),
        ("P1", 5.0),
        ("U4", 3.0),
        ("U1", 2.0),
        ("T1", 0.2),
        ("Z13", 0.01),
    ),
    "child": (
        ("U6", 52.0),
        ("U3", 18.0),
        ("K2", 9.0),
        ("P1", 5.0),
        ("U4", 6.0),
        ("U1", 3.0),
        ("S1", 0.5),
        ("R1", 0.3),
        ("R2", 0.1),
        ("Z14", 0.01),
    ),
    "teen": (
        ("U6", 42.0),
        ("U3", 10.0),
        ("K2", 26.0),
        ("K1", 0.6),
        ("S1", 1.5),
        ("R1", 1.0),
        ("P1", 4.0),
        ("U4", 5.0),
        ("U1", 2.0),
        ("R2", 0.3),
        ("Z11", 0.01),
        ("Z12", 0.01),
        ("Z13", 0.01),
        ("Z14", 0.01),
    ),
    "older": (
        ("U6", 24.0),
        ("K3", 30.0),
        ("K2", 22.0),
        ("U3", 5.0),
        ("R5", 0.8),
        ("P3", 0.2),
        ("S1", 0.8),
        ("R2", 0.4),
        ("U4", 8.0),
        ("U1", 2.0),
        ("K1", 0.4),
        ("R1", 1.0),
        ("P1", 3.0),
        ("Z11", 0.01),
        ("Z12", 0.01),
        ("Z13", 0.01),
        ("Z14", 0.01),
    ),
}

PROVIDER_BY_PLACEMENT: Final[dict[str, W]] = {
    "U1": (("PR1", 90.0), ("PR2", 5.0), ("PR5", 5.0)),
    "U2": (("PR1", 90.0), ("PR2", 5.0), ("PR5", 5.0)),
    "U3": (("PR1", 90.0), ("PR2", 5.0), ("PR5", 5.0)),
    "U4": (("PR1", 55.0), ("PR4", 35.0), ("PR5", 7.0), ("PR2", 3.0)),
    "U5": (("PR1", 55.0), ("PR4", 30.0), ("PR5", 10.0), ("PR2", 5.0)),
    "U6": (("PR1", 55.0), ("PR4", 35.0), ("PR5", 7.0), ("PR2", 3.0)),
    "K1": (("PR1", 30.0), ("PR2", 70.0)),  # not PR3 (903 rule 529)
    "K2": (("PR4", 75.0), ("PR1", 15.0), ("PR5", 7.0), ("PR2", 3.0)),
    "K3": (("PR4", 70.0), ("PR5", 20.0), ("PR1", 10.0)),
    "P1": (("PR0", 100.0),),
    "P3": (("PR4", 100.0),),
    "R1": (("PR4", 70.0), ("PR5", 30.0)),
    "R2": (("PR3", 100.0),),
    "R3": (("PR4", 50.0), ("PR5", 30.0), ("PR1", 20.0)),
    "R5": (("PR3", 100.0),),
    "S1": (("PR4", 60.0), ("PR5", 30.0), ("PR1", 10.0)),
    "A3": (("PR1", 60.0), ("PR2", 20.0), ("PR5", 20.0)),
    "A4": (("PR1", 60.0), ("PR2", 20.0), ("PR5", 20.0)),
    "A5": (("PR1", 60.0), ("PR2", 20.0), ("PR5", 20.0)),
    "A6": (("PR1", 60.0), ("PR2", 20.0), ("PR5", 20.0)),
}

LONG_TERM_OF = {"U6": "U4", "U3": "U1"}
FOSTER = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
KINSHIP = frozenset({"U1", "U2", "U3"})
SETTING = frozenset({"K1", "K2", "K3", "R1", "R3", "S1", "P3"})
TEMPORARY: Final[W] = (("T0", 20.0), ("T1", 30.0), ("T2", 15.0), ("T3", 25.0), ("T4", 10.0))

IN_TOUCH: Final[W] = (("YES", 88.0), ("NO", 4.5), ("REFU", 2.5), ("NREQ", 3.0), ("RHOM", 1.8), ("DIED", 0.2))
EET: Final[W] = (
    ("F1", 8.0),
    ("P1", 2.0),
    ("F2", 18.0),
    ("P2", 4.0),
    ("F4", 4.0),
    ("P4", 1.0),
    ("F5", 14.0),
    ("P5", 9.0),
)
NEET: Final[W] = (("G4", 12.0), ("G5", 25.0), ("G6", 8.0))
ACCOM_SUITABLE: Final[W] = (
    ("U1", 34.0),
    ("B1", 12.0),
    ("D1", 14.0),
    ("E1", 6.0),
    ("Z1", 12.0),
    ("K1", 4.0),
    ("C1", 3.0),
    ("T1", 2.0),
    ("Y1", 2.0),
    ("G1", 0.5),
    ("R1", 0.2),
    ("V1", 0.3),
    ("W1", 0.2),
    ("H1", 0.1),
)
ACCOM_UNSUITABLE: Final[W] = (
    ("U2", 20.0),
    ("B2", 12.0),
    ("S2", 15.0),
    ("X2", 12.0),
    ("D2", 8.0),
    ("K2", 5.0),
    ("W2", 6.0),
    ("V2", 6.0),
    ("C2", 2.0),
    ("E2", 2.0),
    ("T2", 2.0),
    ("Y2", 4.0),
    ("G2", 1.0),
    ("H2", 1.0),
    ("R2", 3.0),
    ("Z2", 1.0),
)

SEX_ADOPTERS: Final[W] = (("MF", 78.0), ("F1", 10.0), ("M1", 1.5), ("FF", 6.0), ("MM", 4.5))
LS_ADOPTERS_BY_SEX = {
    "MF": (("L11", 75.0), ("L3", 25.0)),
    "FF": (("L12", 45.0), ("L2", 35.0), ("L4", 20.0)),
    "MM": (("L12", 45.0), ("L2", 35.0), ("L4", 20.0)),
    "F1": (("L0", 100.0),),
    "M1": (("L0", 100.0),),
}
PREV_PERM: Final[W] = (("Z1", 90.0), ("P4", 3.0), ("P1", 2.0), ("P2", 3.0), ("P3", 2.0))
PREV_PERM_LA: Final[W] = (
    ("OWN", 50.0),
    ("305", 10.0),
    ("886", 8.0),
    ("209", 8.0),
    ("NIR", 2.0),
    ("SCO", 3.0),
    ("WAL", 3.0),
    ("NUK", 3.0),
    ("999", 13.0),
)
FAR_AREAS = ("ME", "CT", "SS", "CM", "LU", "MK", "BN", "B", "M", "LS", "NR", "PE", "TN", "GU")
NEAR_AREAS = ("E", "E", "E", "N", "SE", "IG", "RM")

CONTACT_SUMMARIES = (
    "School reports the child arrived hungry and unkempt on several days.",
    "Police attended a domestic incident at the family home; children present.",
    "Health visitor concerned about the home conditions and the baby's weight.",
    "Neighbour reports shouting and children left alone in the evening.",
    "GP concerned about the parent's mental health and capacity to care.",
    "A&E attendance with an injury the explanation does not fit.",
    "Child disclosed to a teacher that they are frightened to go home.",
    "Housing officer reports overcrowding and rent arrears with eviction threatened.",
    "Youth worker concerned the young person is going missing and may be exploited.",
    "Early help worker asks for a social care view after the family disengaged.",
)
DECISION_REASONS = {
    "nfa": "Needs met by universal services; no further action. Referrer informed.",
    "advice": "Information and advice given to the referrer and family; universal services to continue.",
    "early_help": "Additional needs below the social care threshold; passed to early help with consent.",
    "referral": "Threshold met for a social care assessment under the local continuum of need.",
}
NOTE_SUBJECTS = {
    "assessment": "Assessment visit",
    "cin": "Child in need visit",
    "cp": "Child protection visit",
    "cla": "Statutory visit",
    "pf": "Private fostering visit",
    "care_leaver": "Contact with young person",
    "iro": "IRO visit",
}
NOTE_BODIES = (
    "Saw the child at home. Room clean and warm; child talked about school and friends.",
    "Home visit. Parent engaged well; discussed the plan and the next core group.",
    "Child seen alone in their room; said things are better since the last visit.",
    "Visited with the health visitor. Discussed routines, safe sleep and nursery place.",
    "No answer at the door. Card left; will try again this week and contact school.",
    "Child quiet today; agreed to see them at school next week to talk on their own.",
    "Carer reports settled week; contact with mother went well on Saturday.",
    "Young person met in a cafe; talked about college, money and the new flat.",
)
