"""Shared test configuration. App-specific fixtures live in each folder's conftest.py."""

import pytest


@pytest.fixture(autouse=True)
def _korean_by_default():
    """Each test starts in the default language (Korean), whatever an earlier request or
    ``translation.activate`` left active in this thread."""
    try:
        from django.utils import translation
    except ImportError:  # pure engine tests run without Django too
        yield
        return
    translation.activate("ko")
    yield
    translation.deactivate()
