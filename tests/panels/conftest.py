import pytest

from panels.factories import civic_round


@pytest.fixture
def civic(db):
    return civic_round()
