"""Pure domain logic for people: synthetic names and addresses, duplicate matching.

Nothing in this package imports Django.
"""
