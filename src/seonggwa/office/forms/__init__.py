"""Forms of the office pages, one module per part (the view module of the same name uses
them): filters are GET forms; changes are POST forms whose ``cleaned_data`` goes straight
to a domain function.

Every form is a :class:`seonggwa.core.forms.Form`: each text refuses control characters,
each date and whole number is bounded (:mod:`seonggwa.core.bounds`), on the field."""
