"""The 2018 civic-platform example: what `make run` loads beside the outsourcing data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from seonggwa.accounts.demo import DEMO_PASSWORD, DemoRefused
from seonggwa.accounts.models import Role, role_of
from seonggwa.core.models import AuditEvent
from seonggwa.data.seoul import civic_platform as civic_data
from seonggwa.evaluations.domain.frameworks import framework_for
from seonggwa.evaluations.models import Round, Scheme, Subject, SubjectKind
from seonggwa.examples import civic_platform as civic
from seonggwa.registry.models import Organisation, OrganisationKind
from seonggwa.schedules.models import Schedule

pytestmark = pytest.mark.django_db

PLAN = civic_data.load_civic_platform_2018()


@pytest.fixture
def example():
    civic.load_civic_platform_2018()
    return civic.civic_example()


@pytest.fixture
def demo(example, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the synthetic documents
    settings.DEBUG = True
    civic.load_civic_demo()
    return example


def test_every_district_is_a_platform_organisation_and_subject(example):
    assert set(example.organisations) == {d.district for d in PLAN.districts}
    for district, org in example.organisations.items():
        assert (org.kind, org.district) == (OrganisationKind.PLATFORM, district)
        subject = example.subjects[district]
        assert (subject.kind, subject.target) == (SubjectKind.PLATFORM, org)
    assert Subject.objects.filter(kind=SubjectKind.PLATFORM).count() == len(PLAN.districts)


def test_three_rounds_under_the_civic_platform_preset(example):
    rounds = Round.objects.filter(scheme=Scheme.CIVIC_PLATFORM).order_by("number")
    assert [r.number for r in rounds] == [r.number for r in PLAN.rounds]
    for rnd, planned in zip(rounds, PLAN.rounds, strict=True):
        assert rnd.year.year == PLAN.year
        assert (rnd.framework_version.framework_id, rnd.framework_version.version) == (
            civic.PRESET, "2018")
        assert (rnd.start, rnd.end, rnd.period_text) == (
            planned.meetings_first, planned.meetings_last, planned.timing)
        assert framework_for(rnd).total == 200
    assert example.round_of("서대문구").number == 1


def test_each_district_has_its_schedule_as_printed(example):
    from django.utils import timezone

    schedules = {s.subject_id: s for s in Schedule.objects.filter(
        round__scheme=Scheme.CIVIC_PLATFORM)}
    assert len(schedules) == len(PLAN.districts)
    for d in PLAN.districts:
        s = schedules[example.subjects[d.district].pk]
        period = PLAN.evaluation_period(d.district)
        meeting = timezone.localtime(s.meeting_at)
        assert (s.round.number, s.project_year, s.period_start, s.period_end) == (
            d.round, d.project_year, period.start, period.end)
        assert s.submission_due == PLAN.round(d.round).submission_due
        assert (meeting.date(), meeting.time()) == (d.meeting_date, d.meeting_start)
        assert s.place == f"{d.district} 시민협력 플랫폼 거점공간"
        assert (s.early, s.early_reason) == ((True, "사업 중도 포기") if d.district == "서대문구"
                                             else (False, ""))


def test_a_year_two_period_start_is_marked_as_estimated_in_the_trail(example):
    gwanak = Schedule.objects.get(subject=example.subjects["관악구"])
    dobong = Schedule.objects.get(subject=example.subjects["도봉구"])
    assert "추정" in AuditEvent.objects.get(action="schedule.create",
                                           object_id=str(gwanak.pk)).reason
    assert "추정" not in AuditEvent.objects.get(action="schedule.create",
                                               object_id=str(dobong.pk)).reason


def test_windows_are_counted_from_the_meeting_by_the_frameworks_rules(example):
    from seonggwa.schedules.domain import calendar, windows

    dobong = Schedule.objects.get(subject=example.subjects["도봉구"])
    meeting = PLAN.district("도봉구").meeting_date
    submission = windows.get_window(dobong.round, dobong.subject, "submission")
    assert submission.opens_on <= submission.due_on == dobong.submission_due
    for code, days in (("notification", 3), ("report", 15)):
        window = windows.get_window(dobong.round, dobong.subject, code)
        counted = calendar.count_days(meeting, days, unit="working", days_off=windows.days_off(
            meeting, meeting + dt.timedelta(days=60)))
        assert (window.opens_on, window.due_on) == (meeting, counted.due)
    report = windows.get_window(dobong.round, dobong.subject, "report")
    assert dt.date(2018, 8, 15) in [day for day, _why in calendar.Counted.from_json(
        report.counted).skipped]  # 광복절, a Wednesday, is not a working day


def test_loading_twice_changes_nothing(example):
    events = AuditEvent.objects.count()
    again = civic.load_civic_platform_2018()
    assert not any(again.created.values())
    assert "nothing (already loaded)" in again.summary()
    assert AuditEvent.objects.count() == events
    assert Organisation.objects.filter(kind=OrganisationKind.PLATFORM).count() == len(
        PLAN.districts)


def test_an_organisation_made_before_districts_existed_gets_its_district(db):
    org = Organisation.objects.create(kind=OrganisationKind.PLATFORM,
                                      name=civic.platform_name("마포구"))
    civic.load_civic_platform_2018()
    org.refresh_from_db()
    assert org.district == "마포구"
    assert AuditEvent.objects.filter(action="organisation.district",
                                     object_id=str(org.pk)).exists()


def test_demo_accounts_are_refused_with_debug_off(example, settings):
    settings.DEBUG = False
    with pytest.raises(DemoRefused):
        civic.load_civic_demo()
    assert not get_user_model().objects.exists()


def test_every_role_has_a_demo_account_acting_for_the_right_organisation(demo):
    users = {u.username: u for u in get_user_model().objects.select_related(
        "profile__organisation")}
    roles = {role_of(u) for u in users.values()}
    assert roles == {Role.OFFICER, Role.CONTRACTOR, Role.EVALUATOR, Role.COMMITTEE}
    for d in PLAN.districts:
        roman = civic.ROMAN[d.district]
        platform = users[f"platform-{roman}"]
        assert role_of(platform) == Role.CONTRACTOR
        assert platform.profile.organisation == demo.organisations[d.district]
        head = users[f"head-{roman}"]
        assert (role_of(head), head.profile.organisation) == (Role.EVALUATOR,
                                                              demo.organisations[d.district])
        official = users[f"district-{roman}"]
        assert official.profile.organisation.district == d.district
    assert all(u.profile.is_demo and u.check_password(DEMO_PASSWORD) for u in users.values())
    assert not any(u.is_staff or u.is_superuser for u in users.values())


def test_demo_accounts_are_disabled_again_when_debug_is_off(demo, settings):
    from seonggwa.accounts.demo import disable_demo_users

    settings.DEBUG = False
    assert disable_demo_users() == get_user_model().objects.count()
    assert not get_user_model().objects.filter(is_active=True).exists()


def test_a_real_account_with_a_demo_name_is_left_alone(example, settings):
    real = get_user_model().objects.create_user("platform-mapo", password="own-secret-123")
    settings.DEBUG = True
    civic.load_civic_demo()
    real.refresh_from_db()
    assert real.check_password("own-secret-123") and not hasattr(real, "profile")


def test_load_seoul_loads_the_plan_and_load_civic_demo_the_demo_only_in_debug(db, settings):
    from django.core.management.base import CommandError

    out = io.StringIO()
    settings.DEBUG = True
    call_command("load_seoul", stdout=out)
    assert "civic platform 2018: created:" in out.getvalue()
    assert Round.objects.filter(scheme=Scheme.CIVIC_PLATFORM).count() == len(PLAN.rounds)
    assert not get_user_model().objects.exists()  # people only with the demo
    settings.DEBUG = False
    with pytest.raises(CommandError, match="SEONGGWA_DEBUG=1"):
        call_command("load_civic_demo", stdout=out)
    assert not get_user_model().objects.exists()
    settings.DEBUG = True
    call_command("load_civic_demo", stdout=out)
    assert "civic platform 2018 demo:" in out.getvalue()
    assert get_user_model().objects.filter(username="platform-seodaemun").exists()


# ------------------------------------------------------------------ the demonstration


def test_each_panel_is_seated_as_composed_and_conflict_checked(demo):
    from seonggwa.panels.domain.conflicts import check_conflicts
    from seonggwa.panels.domain.errors import PanelRefused
    from seonggwa.panels.domain.seats import panel_of, seat
    from seonggwa.panels.models import ConflictWaiver
    from seonggwa.schedules.models import Schedule

    years = {s.subject_id: s.project_year for s in Schedule.objects.all()}
    for d in PLAN.districts:
        rnd, subject = demo.round_of(d.district), demo.subjects[d.district]
        panel = panel_of(rnd, subject)
        if d.district == civic.DEMO_DISTRICT:  # left for the newcomer to seat
            assert panel == []
            continue
        codes = sorted(s.seat_code for s in panel)
        assert codes == sorted(["city", "city", "district", "expert", "expert", "peer_year1",
                                "peer_year2"])
        for s in panel:
            employer = s.member.profile.organisation
            if s.seat_code.startswith("peer_year"):
                assert employer.kind == OrganisationKind.PLATFORM
                assert employer.district != d.district
                assert not PLAN.district(employer.district).withdrawn
                peer_subject = demo.subjects[employer.district]
                assert years[peer_subject.pk] == int(s.seat_code[-1])
            if s.seat_code == "district":  # the plan's own district member: lifted, saying why
                waiver = ConflictWaiver.objects.get(round=rnd, subject=subject, member=s.member)
                assert waiver.kind == "same_district" and "원문 003" in waiver.reason
    # The check has something real to find: a platform's head on their own panel.
    head = get_user_model().objects.get(username="head-gwanak")
    rnd, subject = demo.round_of("관악구"), demo.subjects["관악구"]
    assert {c.kind for c in check_conflicts(rnd, subject, head)} >= {"same_district",
                                                                      "same_organisation"}
    with pytest.raises(PanelRefused, match="이해충돌"):
        seat(rnd, subject, head, "peer_year2", actor=None)


def test_every_round_has_the_city_members_as_its_default_composition(demo):
    from seonggwa.panels.models import TemplateEntry

    for rnd in demo.rounds.values():
        assert sorted(TemplateEntry.objects.filter(round=rnd).values_list(
            "seat_code", "member__username")) == [("city", "city-governance"),
                                                  ("city", "city-lead")]


def test_the_committee_reads_every_civic_round(demo):
    from seonggwa.access.policy import visible_rounds
    from seonggwa.evaluations.models import Round

    committee = get_user_model().objects.get(username="committee")
    seen = visible_rounds(committee, Round.objects.filter(scheme=Scheme.CIVIC_PLATFORM))
    assert set(seen) == set(demo.rounds.values())


def test_every_district_but_one_has_synthetic_sheets_and_a_final_result(demo):
    from seonggwa.appeals.models import Appeal, Notice, Outcome
    from seonggwa.evaluations.models import Result, Status
    from seonggwa.schedules.domain import windows
    from seonggwa.sheets.models import Sheet, SheetState
    from seonggwa.submissions.models import State, Submission

    for d in PLAN.districts:
        rnd, subject = demo.round_of(d.district), demo.subjects[d.district]
        sheets = Sheet.objects.filter(round=rnd, subject=subject)
        result = Result.objects.filter(round=rnd, subject=subject).first()
        if d.district == civic.DEMO_DISTRICT:
            assert not sheets.exists() and result is None
            continue
        assert sheets.count() == 7
        assert all(s.synthetic and s.state == SheetState.SUBMITTED for s in sheets)
        assert all(v.synthetic for s in sheets for v in s.versions.all())
        submission = Submission.objects.get(round=rnd, subject=subject)
        assert submission.state == State.SUBMITTED
        assert all("합성 시연 자료" in doc.original_name for doc in submission.documents.all())
        # Notified the working day after its 2018 meeting, in time, then final and locked.
        appeal = Appeal.objects.get(result=result)
        notification = windows.get_window(rnd, subject, "notification")
        assert d.meeting_date < appeal.notified_on <= notification.due_on
        assert result.status == Status.FINALISED and result.is_locked
        assert appeal.outcome == (Outcome.UPHELD if d.district == civic.OBJECTING_DISTRICT
                                  else Outcome.LAPSED)
        platform_user = get_user_model().objects.get(username=f"platform-{civic.ROMAN[d.district]}")
        assert Notice.objects.filter(user=platform_user, result=result).exists()
    bands = {r.band_code for r in Result.objects.filter(round__scheme=Scheme.CIVIC_PLATFORM)}
    assert bands == {"excellent", "good", "fair", "poor"}  # every grade is shown


def test_the_demo_district_can_submit_today_and_says_why_its_dates_moved(demo):
    import datetime as dt

    from django.utils import timezone

    from seonggwa.schedules.domain.windows import require_open
    from seonggwa.schedules.models import Schedule

    rnd, subject = demo.round_of(civic.DEMO_DISTRICT), demo.subjects[civic.DEMO_DISTRICT]
    today = timezone.localdate()
    window = require_open(rnd, subject, "submission", today=today)
    assert window.due_on == today + dt.timedelta(days=civic.DEMO_SUBMISSION_DAYS)
    schedule = Schedule.objects.get(round=rnd, subject=subject)
    change = AuditEvent.objects.get(action="schedule.change", object_id=str(schedule.pk))
    printed = PLAN.district(civic.DEMO_DISTRICT).meeting_date.isoformat()
    assert "시연용" in change.reason and printed in change.reason


def test_loading_the_demo_twice_changes_nothing(demo):
    events = AuditEvent.objects.count()
    again = civic.load_civic_demo()
    assert not any(again.created.values())
    assert AuditEvent.objects.count() == events


def test_the_demo_district_moves_to_a_later_today_until_someone_acts(demo):
    import datetime as dt

    from django.utils import timezone

    from seonggwa.schedules.domain.windows import get_window
    from seonggwa.sheets.models import Sheet

    rnd, subject = demo.round_of(civic.DEMO_DISTRICT), demo.subjects[civic.DEMO_DISTRICT]
    later = timezone.localdate() + dt.timedelta(days=40)  # the first window has closed
    civic.keep_demo_current(demo, today=later)
    window = get_window(rnd, subject, "submission")
    assert (window.opens_on, window.due_on) == (later, later + dt.timedelta(
        days=civic.DEMO_SUBMISSION_DAYS))
    assert "시연용" in window.reason
    Sheet.objects.create(round=rnd, subject=subject, evaluator=get_user_model().objects.get(
        username="city-lead"), evaluator_label="서울시 담당 팀장")  # someone has acted
    civic.keep_demo_current(demo, today=later + dt.timedelta(days=40))
    assert get_window(rnd, subject, "submission").opens_on == later
