from django.test import Client
from django.urls import reverse

from seonggwa.panels.domain.seats import seat


def test_pages(civic):
    c = Client()
    c.force_login(civic["officer"])
    seat(civic.round, civic.subject, civic["peer1"], "peer_year1", actor=civic["officer"])
    for url in [reverse("office:panels"), reverse("office:panels_round", args=[civic.round.pk]),
                reverse("office:panels_subject", args=[civic.round.pk, civic.subject.pk]),
                reverse("office:panels_pool"), reverse("office:panels_challenges")]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
    c.force_login(civic["peer1"])
    r = c.get(reverse("office:panels_mine"))
    assert r.status_code == 200
    c.force_login(civic["contractor"])
    r = c.get(reverse("office:panels_challenges"))
    assert r.status_code == 200
    print(r.content.decode()[-3000:])
