"""The words of this part's audit records (:mod:`seonggwa.core.vocabulary`): registered
when the app is ready, read by every page that shows a trail. Fields whose keys other
parts use in another sense (``kind``, ``target``) are this part's own words."""

from django.utils.translation import gettext_lazy as _

from seonggwa.core import vocabulary

PART = "panels"

vocabulary.register(
    actions={
        "panels.seat": _("평가단 배정"),
        "panels.unseat": _("평가단에서 제외"),
        "panels.conflict_lift": _("이해충돌 해제"),
        "panels.conflict_revoke": _("이해충돌 해제 취소"),
        "panels.conflict_declare": _("이해관계 신고"),
        "panels.conflict_withdraw": _("이해관계 신고 철회"),
        "panels.recusal": _("회피 신청"),
        "panels.recusal_withdraw": _("회피 철회"),
        "panels.challenge_file": _("기피 신청"),
        "panels.challenge_accept": _("기피 인용"),
        "panels.challenge_reject": _("기피 기각"),
        "panels.template_add": _("기본 구성에 추가"),
        "panels.template_remove": _("기본 구성에서 제외"),
        "panels.member_enrol": _("평가위원 후보 등록"),
        "panels.member_position": _("직위 변경"),
    },
    fields={
        "member": _("위원"),
        "seat": _("자리"),
        "place": _("순번"),
        "position": _("직위"),
        "kind": _("이해충돌 종류"),
        "ended": _("평가단에서 제외"),
        "target": _("신고 대상"),
        "withdrawn": _("철회"),
        "decision_reason": _("결정 사유"),
    },
    part=PART,
)
