"""Settings for the test suite: the production settings with a local key allowed."""

import os

os.environ.setdefault("SEONGGWA_TESTING", "1")

from seonggwa.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# Close connections after each request: a persistent connection held by the live-server
# thread would stop PostgreSQL from dropping the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
