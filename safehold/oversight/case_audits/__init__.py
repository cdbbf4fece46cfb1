"""Case audits (practice quality assurance): a programme of monthly themes with reproducible samples, graded
audits, moderation by a second auditor, actions back to the worker and manager, re-audits and grade trends."""
