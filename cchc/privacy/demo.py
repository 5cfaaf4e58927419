"""The first privacy notice, and the demo accounts' acceptance of it (so the demo and the API
clients of those accounts submit as before)."""

from pathlib import Path

from cchc.accounts.models import User

from .models import NoticeAcceptance, PrivacyNotice
from .selectors import notice_current
from .services import notice_accept, notice_publish

NOTICE_FILE = Path(__file__).resolve().parent / "data" / "notice.md"
NOTICE_TITLE = "Thông báo xử lý dữ liệu cá nhân"


def load_privacy_demo(usernames: list[str]) -> PrivacyNotice:
    """Publish the first notice if there is none yet; record that each demo account accepted it."""
    notice = notice_current()
    if not PrivacyNotice.objects.exists():
        notice = notice_publish(title=NOTICE_TITLE, body=NOTICE_FILE.read_text(encoding="utf-8"))
    for user in User.objects.filter(username__in=usernames):
        notice_accept(user=user, context=NoticeAcceptance.Context.DEMO, notice=notice)
    return notice
