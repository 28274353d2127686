"""Admin for people, not domain data: users and their profiles stay editable by a
superuser, and every change of who may do what (role, organisation, superuser, staff,
active) is written to the audit trail like any other change of state.

Domain models (registry, evaluations, the trail itself) are read-only in the admin; see
``docs/architecture.md``, "The admin".
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from seonggwa.accounts.models import Profile
from seonggwa.core.audit import record

ADMIN_REASON = "관리자 화면에서 변경"
PROFILE_FIELDS = ("role", "organisation", "is_demo")
USER_FIELDS = ("username", "is_active", "is_staff", "is_superuser")


def _snapshot(obj, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(obj, name, None)
        values[name] = value if value is None or isinstance(value, (str, bool)) else str(value)
    return values


def _audit_save(request, obj, fields, change: bool, save) -> None:
    """Save ``obj`` (``save()``) and record what changed, if anything did."""
    before = None
    if change:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        before = _snapshot(stored, fields) if stored is not None else None
    save()
    after = _snapshot(obj, fields)
    if before == after:
        return
    label = obj._meta.label_lower.replace("auth.", "accounts.")
    record(f"{label}.{'update' if before is not None else 'create'}", obj,
           actor=request.user, before=before, after=after, reason=ADMIN_REASON)


def _audit_delete(request, obj, fields) -> None:
    label = obj._meta.label_lower.replace("auth.", "accounts.")
    record(f"{label}.delete", obj, actor=request.user, before=_snapshot(obj, fields),
           after=None, reason=ADMIN_REASON)


class AuditedAdminMixin:
    audited_fields: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        _audit_save(request, obj, self.audited_fields, change,
                    lambda: super(AuditedAdminMixin, self).save_model(request, obj, form, change))

    def delete_model(self, request, obj):
        _audit_delete(request, obj, self.audited_fields)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _audit_delete(request, obj, self.audited_fields)
        super().delete_queryset(request, queryset)


@admin.register(Profile)
class ProfileAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audited_fields = PROFILE_FIELDS
    list_display = ["user", "role", "organisation", "is_demo"]
    list_filter = ["role", "is_demo"]
    search_fields = ["user__username", "organisation__name"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    audited_fields = USER_FIELDS
