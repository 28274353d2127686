"""Framework documents shared by the engine tests (as fixtures; see factories.py)."""

from __future__ import annotations

import copy

import pytest

from .factories import mixed_document


@pytest.fixture
def mixed_doc() -> dict:
    return copy.deepcopy(mixed_document())


@pytest.fixture
def mixed(mixed_doc):
    from seonggwa.engine import framework_from_dict

    return framework_from_dict(mixed_doc, source="mixed.yaml")
