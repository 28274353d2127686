"""Template filters for Korean-style figures: ``{{ x|score }}``, ``{{ x|pct }}``, ``{{ x|won }}``."""

from django import template
from django.utils.translation import get_language

from seonggwa.core import formatting

register = template.Library()


@register.filter
def score(value, decimals=2):
    return formatting.format_score(value, int(decimals))


@register.filter
def pct(value, decimals=1):
    return formatting.format_percent(value, int(decimals))


@register.filter
def won(value):
    return formatting.format_won(value, (get_language() or "ko")[:2])
