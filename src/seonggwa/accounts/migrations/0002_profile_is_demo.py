from django.contrib.auth.hashers import check_password
from django.db import migrations, models

DEMO_USERNAMES = ["officer", "dept", "contractor", "evaluator", "committee"]
DEMO_PASSWORD = "seonggwa-demo"


def flag_existing_demo_accounts(apps, schema_editor):
    """Accounts made by `demo_users` before the flag existed: the fixed names that still
    have the demo password."""
    Profile = apps.get_model("accounts", "Profile")
    db = schema_editor.connection.alias
    for profile in Profile.objects.using(db).filter(user__username__in=DEMO_USERNAMES):
        if check_password(DEMO_PASSWORD, profile.user.password):
            profile.is_demo = True
            profile.save(update_fields=["is_demo"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="is_demo",
            field=models.BooleanField(default=False, help_text="로컬 시연용으로 만든 계정입니다. 운영 모드(디버그 꺼짐)에서는 로그인할 수 없고 시작할 때 비활성화됩니다.", verbose_name="시연용 계정"),
        ),
        migrations.RunPython(flag_existing_demo_accounts, migrations.RunPython.noop),
    ]
