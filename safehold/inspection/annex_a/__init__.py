"""Ofsted ILACS Annex A: the eleven child-level lists, derived live from the record.

``spec`` holds the headings and coded values, ``domain`` the pure derivation (no Django), ``selectors``
reads the rows it needs from the database, ``writer`` writes the workbook and the CSVs.
"""
