"""CIN census code lists (STATUTE.md §6.3, §6.4), kept Django-free so the rules can use them."""

from __future__ import annotations

REFERRAL_SOURCES = frozenset("1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10".split())
PRIMARY_NEEDS = frozenset(f"N{i}" for i in range(10))
CLOSURE_REASONS = frozenset(f"RC{i}" for i in range(1, 10))
ABUSE_CATEGORIES = frozenset({"NEG", "PHY", "SAB", "EMO", "MUL"})
DISABILITIES = frozenset("NONE MOB HAND PC INC COMM LD HEAR VIS BEH CON AUT DDA".split())
ETHNICITIES = frozenset(
    "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT".split()
)
SEXES = frozenset({"M", "F", "U"})
UPN_UNKNOWN = frozenset(f"UN{i}" for i in range(1, 11))
#: Every factor code the census has defined, including 18A and 19A (still valid, but queried by 8945Q/8950Q).
ASSESSMENT_FACTORS = frozenset(
    (
        "1A 1B 1C 2A 2B 2C 3A 3B 3C 4A 4B 4C 5A 5B 5C 6A 6B 6C 7A 8B 8C 8D 8E 8F 9A 10A 11A 12A 13A 14A 15A 16A "
        "17A 18A 18B 18C 19A 19B 19C 20 21 22A 23A 24A"
    ).split()
)


def _ranges(spec: str) -> frozenset[str]:
    codes: set[str] = set()
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        for n in range(int(lo), int(hi or lo) + 1):
            codes.add(f"{n:03d}")
    return frozenset(codes)


#: UPN characters 2-4: post-April 1998 LA codes and pseudo-LA codes (DfE rule 1530 as revised for 2023/24,
#: which added 942 and 943).
UPN_LA_CODES = _ranges(
    "1-5, 201-213, 301-320, 330-336, 340-344, 350-359, 370-373, 380-384, 390-394, 420, 660-681, 701-708, "
    "800-803, 805-808, 810-813, 815, 816, 820-823, 825, 826, 830, 831, 835-839, 840, 841, 845, 846, 850-852, "
    "855-857, 860, 861, 865-896, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933, 935-938, 940-943"
)
