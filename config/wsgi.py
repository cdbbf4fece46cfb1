import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (configured by get_wsgi_application)

# The web server never starts without a secret key (the settings leave it empty so that commands which sign
# nothing, such as ``makemigrations --check``, can run without one).
if not settings.SAFEHOLD_HAS_SECRET_KEY:
    raise ImproperlyConfigured(settings.SECRET_KEY_MISSING_MESSAGE)
