"""Temporary re-export for ``office/views/services.py`` until it imports ``visible_services``
from :mod:`seonggwa.office.access`; then delete this file (and the ignore_imports entry of
the "data apps do not import the access policy" contract). The rules: :mod:`seonggwa.access`."""

from seonggwa.access.policy import visible_services  # noqa: F401
