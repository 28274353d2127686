"""Stored keys that break the key rule (:mod:`seonggwa.core.identifiers`).

Rows written before the rule (or by SQL around the application) may hold a key with a
``/``, white space, a control character or too many characters: such a service has no
working address. :func:`bad_service_keys` finds them; ``seonggwa manage check_keys`` lists them
(exit status 1 if any). The system check of tag ``seonggwa`` reports them as warnings
(``seonggwa.W001``) when a command names a database (``check --database default``,
``migrate``), so a deployment sees them without being blocked; a plain ``check`` never
queries the database.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core import checks

from seonggwa.core.identifiers import is_valid_key, key_problems


def bad_service_keys(using: str = "default") -> Iterator[tuple[int, str, list[str]]]:
    """``(id, key, problems)`` of each stored service whose key breaks the rule."""
    from seonggwa.registry.models import Service

    rows = Service.objects.using(using).order_by("pk").values_list("pk", "key")
    for pk, key in rows.iterator(chunk_size=2000):
        if not is_valid_key(key):
            yield pk, key, key_problems(key)


@checks.register("seonggwa")
def check_service_keys(app_configs=None, databases=None, **kwargs) -> list[checks.Warning]:
    from django.db import connections

    from seonggwa.registry.models import Service

    errors = []
    for alias in databases or ():
        if Service._meta.db_table not in connections[alias].introspection.table_names():
            continue  # not migrated yet
        for pk, key, problems in bad_service_keys(alias):
            errors.append(checks.Warning(
                f"service {pk} key {key!r}: {' '.join(problems)}",
                hint="Give the service a valid key (letters, digits, '_', '-', '.'; "
                     "at most 120 characters).",
                obj=f"registry.Service(pk={pk})", id="seonggwa.W001"))
    return errors
