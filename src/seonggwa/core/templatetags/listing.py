"""``{% sort_th %}``: a column header that sorts the table, keeping the other filters."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, key, label, css=""):
    """A ``<th scope="col">`` whose link toggles sorting by ``key``; ``aria-sort`` says
    how the table is sorted now. Expects ``sort`` (a :class:`~seonggwa.core.listing.Sort`)
    in the context."""
    request = context["request"]
    current = context.get("sort")
    active = current is not None and current.key == key
    descending = active and current.descending
    params = request.GET.copy()
    params["sort"] = key if (active and descending) or not active else f"-{key}"
    params.pop("page", None)
    if active:
        aria = "descending" if descending else "ascending"
        arrow = " ▼" if descending else " ▲"
        hint = _("내림차순 정렬됨") if descending else _("오름차순 정렬됨")
    else:
        aria, arrow, hint = "none", "", _("정렬")
    class_attr = format_html(' class="{}"', css) if css else ""
    return format_html(
        '<th scope="col"{} aria-sort="{}"><a href="?{}" title="{}">{}{}</a></th>',
        class_attr, aria, params.urlencode(), hint, label, arrow,
    )
