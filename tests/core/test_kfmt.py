"""The ``|score`` filter shows a score with the decimals the page gives it (a result's
framework's ``rounding.decimals``), two when it gives none."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from seonggwa.core.templatetags.kfmt import score


@pytest.mark.parametrize("value, decimals, shown", [
    (Decimal("87.50"), 1, "87.5"),
    (Decimal("87.50"), "1", "87.5"),
    (Decimal("72.5"), 2, "72.50"),
    (Decimal("76.25"), 1, "76.3"),  # half up, as the framework rounds
    (Decimal("72.5"), "", "72.50"),  # a value the page did not set: two decimals
    (Decimal("72.5"), None, "72.50"),
    (None, 1, "–"),
])
def test_score_with_the_given_decimals(value, decimals, shown):
    assert score(value, decimals) == shown


def test_score_without_an_argument_keeps_two_decimals():
    assert score(Decimal("80.505")) == "80.51"


def test_in_a_template_an_empty_decimals_value_means_two():
    template = Template("{% load kfmt %}{{ r.score|score:r.score_decimals }}")
    assert template.render(Context({"r": {"score": Decimal("72.5"),
                                          "score_decimals": ""}})) == "72.50"
    assert template.render(Context({"r": {"score": Decimal("87.5"),
                                          "score_decimals": 1}})) == "87.5"
