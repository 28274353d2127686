import pytest

from seonggwa.evaluations.domain.seoul import load_seoul


@pytest.fixture
def seoul(db):
    """The Seoul published data, loaded through the real loader."""
    return load_seoul()
