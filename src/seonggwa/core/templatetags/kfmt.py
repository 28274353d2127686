"""Template filters for Korean-style figures: ``{{ x|score }}``, ``{{ x|pct }}``, ``{{ x|won }}``."""

from django import template
from django.utils.translation import get_language

from seonggwa.core import formatting

register = template.Library()

#: Decimals of a score when the page gives none (the outsourcing framework's).
SCORE_DECIMALS = 2


@register.filter
def score(value, decimals=SCORE_DECIMALS):
    """A score with ``decimals`` decimals: a result's total is shown with its framework's
    (``{{ r.score|score:r.score_decimals }}``, set for a whole list at once); an empty
    argument (a value the page did not set) means :data:`SCORE_DECIMALS`."""
    if decimals in (None, ""):
        decimals = SCORE_DECIMALS
    return formatting.format_score(value, int(decimals))


@register.filter
def pct(value, decimals=1):
    return formatting.format_percent(value, int(decimals))


@register.filter
def won(value):
    return formatting.format_won(value, (get_language() or "ko")[:2])
