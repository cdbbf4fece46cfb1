"""The pure SSDA903 core: tables, CSV in and out, and the DfE rules (no Django)."""

from safehold.returns.ssda903.domain.csvio import FileProblem, read_csv, write_csv
from safehold.returns.ssda903.domain.engine import REGISTRY, Failure, Rule, rules_for_year, validate
from safehold.returns.ssda903.domain.tables import Return903

__all__ = [
    "REGISTRY",
    "Failure",
    "FileProblem",
    "Return903",
    "Rule",
    "read_csv",
    "rules_for_year",
    "validate",
    "write_csv",
]
