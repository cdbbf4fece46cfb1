"""Pure, Django-free timescales core: working-day calendar, period arithmetic, statutory rules and
the clock semantics that turn a child's recorded events into deadlines.

Nothing in this package may import Django. The Django layer feeds plain frozen dataclasses in and
gets plain frozen dataclasses back.
"""
