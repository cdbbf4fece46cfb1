"""Settings for the test suite: the real settings with a throwaway secret and fast password hashing."""

import os

os.environ.setdefault("SAFEHOLD_SECRET_KEY", "test-only-secret-key-not-for-any-deployment")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Background jobs use the database backend in tests too; tests run what is queued as the worker does
# (safehold.core.jobs.run_queued_tasks), never a mock.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
