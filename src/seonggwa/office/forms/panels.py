"""Forms of the panels pages: the round's default composition, a subject's seats and
conflicts, the member pool, a member's own declarations and recusals, and challenges."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seonggwa.accounts.models import Role
from seonggwa.core.forms import Form
from seonggwa.evaluations.models import Round
from seonggwa.panels.domain import members as member_domain
from seonggwa.panels.domain import seats as seat_domain
from seonggwa.panels.domain.conflicts import KIND_LABELS, LIFTABLE, panel_rules
from seonggwa.panels.domain.errors import MAX_REASON
from seonggwa.panels.domain.parties import employer_of
from seonggwa.registry.models import Organisation


def member_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _with_employer(user) -> str:
    return f"{member_name(user)} — {employer_of(user) or _('소속 없음')}"


def seat_choices(round_: Round) -> list[tuple[str, str]]:
    """The seats of the round's panel composition: (code, name in the page's language)."""
    return [(r.code, r.shown) for r in panel_rules(round_).seats]


def enrollable_users():
    """Evaluators who could join the member pool (active, not yet in it)."""
    return (get_user_model().objects.filter(profile__role=Role.EVALUATOR, is_active=True,
                                            is_superuser=False, panel_profile__isnull=True)
            .select_related("profile__organisation").order_by("username"))


class _ReasonField(forms.CharField):
    def __init__(self, label, **kwargs):
        super().__init__(label=label, max_length=MAX_REASON, strip=True,
                         widget=forms.Textarea(attrs={"rows": 2}), **kwargs)


class _PoolChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=gettext_lazy("위원"), coerce=int, **kwargs)


class _SeatForm(Form):
    """A pool member and a seat of the round's composition."""

    member = _PoolChoiceField()
    seat_code = forms.ChoiceField(label=gettext_lazy("자리"))

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(u.pk, _with_employer(u))
                                         for u in seat_domain.member_pool()]
        self.fields["seat_code"].choices = seat_choices(round_)


class TemplateForm(_SeatForm):
    """A member added to the round's default composition."""


class SeatForm(_SeatForm):
    """A member seated on one subject's panel."""


class UnseatForm(Form):
    reason = _ReasonField(gettext_lazy("제외 사유"))


class LiftForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("이해충돌 종류"),
                             choices=[(k, KIND_LABELS[k]) for k in sorted(LIFTABLE)])
    reason = _ReasonField(gettext_lazy("해제 사유"))


class RevokeForm(Form):
    reason = _ReasonField(gettext_lazy("해제 취소 사유"))


class EnrolForm(Form):
    user = forms.TypedChoiceField(label=gettext_lazy("평가위원"), coerce=int)
    position = forms.CharField(label=gettext_lazy("직위"), max_length=member_domain.MAX_POSITION,
                               required=False,
                               help_text=gettext_lazy("예: 협치지원관, 교수, 플랫폼 단체장"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(u.pk, _with_employer(u)) for u in enrollable_users()]


class PositionForm(Form):
    position = forms.CharField(label=gettext_lazy("직위"), max_length=member_domain.MAX_POSITION,
                               required=False)


class DeclareForm(Form):
    organisation = forms.CharField(
        label=gettext_lazy("기관명"), max_length=200, required=False,
        help_text=gettext_lazy("이해관계가 있는 기관의 이름을 등록된 그대로 적습니다. 특정 평가 "
                               "대상만이면 아래에서 고르십시오."))
    subject = forms.TypedChoiceField(label=gettext_lazy("평가 대상"), coerce=int,
                                     required=False, empty_value=None)
    reason = _ReasonField(gettext_lazy("사유"))

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "—")] + [(s.pk, s.name) for s in subjects]

    def clean(self):
        data = super().clean()
        name = (data.get("organisation") or "").strip()
        if bool(name) == bool(data.get("subject")):
            raise ValidationError(_("기관 이름을 적거나 평가 대상을 고르십시오(둘 중 하나)."))
        if name:
            found = list(Organisation.objects.filter(Q(name=name) | Q(corrected_name=name))[:2])
            if not found:
                self.add_error("organisation", _("등록된 기관 가운데 이 이름이 없습니다."))
            elif len(found) > 1:
                self.add_error("organisation", _("같은 이름의 기관이 여럿입니다. 평가 대상을 "
                                                 "고르거나 담당자에게 알려 주십시오."))
            else:
                data["organisation_obj"] = found[0]
        return data


class RecuseForm(Form):
    reason = _ReasonField(gettext_lazy("회피 사유"))


class WithdrawRecusalForm(Form):
    reason = _ReasonField(gettext_lazy("철회 사유"))


class ChallengeForm(Form):
    member = forms.TypedChoiceField(label=gettext_lazy("위원"), coerce=int)
    reason = _ReasonField(gettext_lazy("기피 사유"),
                          help_text=gettext_lazy("공정한 평가를 기대하기 어려운 사정을 구체적으로 "
                                                 "적어 주십시오."))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, member_name(m)) for m in members]


class DecisionForm(Form):
    decision = forms.ChoiceField(label=gettext_lazy("결정"), widget=forms.RadioSelect,
                                 choices=[("accept", gettext_lazy("인용(위원을 평가단에서 제외)")),
                                          ("reject", gettext_lazy("기각"))])
    reason = _ReasonField(gettext_lazy("결정 사유"))
