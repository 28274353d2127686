"""Settings for the test suite: the production settings with a local key allowed."""

import os

os.environ.setdefault("SEONGGWA_TESTING", "1")

from seonggwa.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
