"""Create one demo account per role for local evaluation of the product.

Refuses to run unless DEBUG is on: demo passwords must never reach a production store.
Each account is flagged ``Profile.is_demo``; with debug off such accounts are disabled
and refused at login (see ``seonggwa.accounts.demo``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from seonggwa.accounts.demo import DEMO_PASSWORD
from seonggwa.accounts.models import Profile, Role
from seonggwa.registry.models import Organisation

# (username, role, organisation name as written in the Seoul tables, display name)
DEMO_ACCOUNTS = [
    ("officer", Role.OFFICER, None, "평가담당관"),
    ("dept", Role.DEPARTMENT, "평생교육과", "평생교육과 담당자"),
    ("contractor", Role.CONTRACTOR, "서울산업진흥원", "서울산업진흥원 담당자"),
    ("evaluator", Role.EVALUATOR, None, "평가위원"),
    ("committee", Role.COMMITTEE, None, "민간위탁운영평가위원회"),
]


class Command(BaseCommand):
    help = "Create demo accounts (one per role) for local use; DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_users runs only with SEONGGWA_DEBUG=1 (local use).")
        with transaction.atomic():
            for username, role, org_name, display in DEMO_ACCOUNTS:
                self._ensure(username, role, org_name, display)
        self.stdout.write(
            "demo accounts: " + ", ".join(a[0] for a in DEMO_ACCOUNTS)
            + f" — password '{DEMO_PASSWORD}'"
        )

    def _ensure(self, username, role, org_name, display):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": display}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()  # never staff: the admin is for a separately created superuser
        elif not Profile.objects.filter(user=user, is_demo=True).exists():
            self.stderr.write(f"{username}: a real account has this name; left unchanged")
            return
        elif not user.is_active:
            # Disabled when the store was last served with debug off: usable again locally.
            user.set_password(DEMO_PASSWORD)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
        if user.is_staff:  # demo officers made by earlier versions could open the admin
            user.is_staff = False
            user.save(update_fields=["is_staff"])
        organisation = (
            Organisation.objects.filter(name=org_name).first() if org_name else None
        )
        Profile.objects.update_or_create(
            user=user, defaults={"role": role, "organisation": organisation, "is_demo": True}
        )
