"""The synthetic registry: every generated result published through the state machine,
audited once per step; the command's size limit."""

import pytest
from django.core.management import CommandError, call_command

from seonggwa.core.models import AuditEvent
from seonggwa.evaluations.models import Result, Round, Status
from seonggwa.examples.synthetic import generate_registry

pytestmark = pytest.mark.django_db


def test_generated_results_are_published_with_one_audit_row_per_step():
    summary = generate_registry(150, (2018, 2020), seed=3)
    results = Result.objects.filter(service__key__startswith="gen-")
    assert summary["results"] == results.count() > 100
    assert set(results.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert set(Round.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    for action in ("result.finalise", "result.publish"):
        assert AuditEvent.objects.filter(action=action).count() == summary["results"]
    event = AuditEvent.objects.filter(action="result.publish").first()
    assert event.actor_label == "generate_registry"
    assert event.before["status"] == Status.FINALISED


@pytest.mark.parametrize("size", ["0", "50001"])
def test_the_command_refuses_sizes_outside_1_to_50000(size):
    with pytest.raises(CommandError, match="50,000"):
        call_command("generate_registry", "--services", size)
