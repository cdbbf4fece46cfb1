"""SSDA903 (children looked after return): export, validation by the DfE rules, import (STATUTE.md §7)."""
