"""The one access policy of the project: who may do what to which object, and which rows
each list shows them.

Lives above the data apps (accounts, registry, evaluations, core), which never import it;
the view apps (office, portal) do. The rules and their queryset twins are in
:mod:`seonggwa.access.policy`; :class:`seonggwa.access.apps.AccessConfig` registers the
permissions with django-rules when Django starts.
"""
