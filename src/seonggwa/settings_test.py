"""Settings for the test suite: the production settings with a local key allowed."""

import os

os.environ.setdefault("SEONGGWA_TESTING", "1")

from seonggwa.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# Close connections after each request: a persistent connection held by the live-server
# thread would stop PostgreSQL from dropping the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The test client and the live server speak plain HTTP: no redirect to HTTPS, no HSTS, no
# upgrade of sub-resources (the HTTPS settings themselves are tested in a subprocess with
# the documented production environment, tests/core/test_settings.py).
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
if CONTENT_SECURITY_POLICY:  # noqa: F405 (None with SEONGGWA_DEBUG=1: report-only)
    CONTENT_SECURITY_POLICY["DIRECTIVES"].pop("upgrade-insecure-requests", None)  # noqa: F405

# Login lockout is off for the suite's many `client.login` / `force_login` calls (axes needs
# the request, which `client.login` does not pass); tests/accounts/test_lockout.py turns it
# on and logs in through the login page.
AXES_ENABLED = False
