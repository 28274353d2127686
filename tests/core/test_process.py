"""A framework's process sections are validated by the apps that run them."""

import copy

import pytest

from seonggwa import engine
from seonggwa.core.process import process_problems, registered_sections
from seonggwa.evaluations.domain.errors import WorkflowError
from seonggwa.evaluations.domain.frameworks import import_framework_version


def civic_document() -> dict:
    return copy.deepcopy(dict(engine.load_preset("seoul-civic-platform-2018").document))


def test_every_section_of_the_civic_preset_has_an_owner():
    assert set(civic_document()["process"]) <= set(registered_sections())
    assert process_problems(civic_document()["process"]) == []


@pytest.mark.django_db
def test_a_misspelt_section_is_refused_with_its_name():
    doc = civic_document()
    doc["version"] = "2018-typo"
    doc["process"]["apeal"] = doc["process"].pop("appeal")
    with pytest.raises(WorkflowError, match="process.apeal"):
        import_framework_version(doc)


@pytest.mark.django_db
def test_a_section_that_is_not_a_mapping_is_refused():
    doc = civic_document()
    doc["version"] = "2018-flat"
    doc["process"]["integrity"] = 2
    with pytest.raises(WorkflowError, match="process.integrity"):
        import_framework_version(doc)


def test_the_engine_refuses_a_process_that_is_not_a_mapping():
    doc = civic_document()
    doc["process"] = ["deadlines"]
    with pytest.raises(engine.FrameworkError, match="process"):
        engine.framework_from_dict(doc)
