"""Messages after an action read as written Korean: particle pairs are resolved when kept."""

from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.utils.module_loading import import_string


def _request():
    request = RequestFactory().post("/")
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = import_string(settings.MESSAGE_STORAGE)(request)
    return request


def test_a_message_built_from_a_pair_written_template_is_resolved():
    request = _request()
    name, day = "서울시 청소년 시설", "2024-10-03"
    messages.success(request, f"사무 '{name}'을(를) 등록했습니다.")
    messages.error(request, f"{day}은(는) 이미 공휴일(개천절)입니다.")
    shown = [str(m) for m in get_messages(request)]
    assert shown == ["사무 '서울시 청소년 시설'을 등록했습니다.", "2024-10-03은 이미 공휴일(개천절)입니다."]
