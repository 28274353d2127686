"""Shared test configuration. App-specific fixtures live in each folder's conftest.py."""

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Shared test builders (e.g. ``evaluations.factories``) import from the tests folder,
# whichever subset of the suite is run.
sys.path.insert(0, str(Path(__file__).parent))

# Speed is measured in bench/, never by timing tests: no per-example deadline, which
# would fail at random on a loaded machine. In CI the examples are derandomised so a run
# can be repeated exactly; locally they vary and keep finding new cases.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


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


@pytest.fixture
def seoul(db):
    """The Seoul published data, loaded through the real loader."""
    from seonggwa.examples.seoul import load_seoul

    return load_seoul()
