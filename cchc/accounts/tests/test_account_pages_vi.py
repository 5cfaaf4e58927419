"""allauth's account pages and emails speak Vietnamese (allauth ships no Vietnamese catalogue)."""

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from cchc.accounts.selectors import portal_name

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo credential

# Words that betray an untranslated allauth string; case-sensitive where the English word
# is capitalised, so Vietnamese text and e-mail addresses cannot trip them.
ENGLISH = [
    "Password",
    "password",
    "Email",
    "E-mail",
    "e-mail",
    "Reset",
    "reset",
    "Forgot",
    "Sign",
    "sign in",
    "Verify",
    "verif",
    "Confirm",
    "Change",
    "Cancel",
    "Remove",
    "Account",
    "account",
    "Please",
    "please",
    "You ",
    "you ",
    "your",
    "Your",
    "the ",
    "The ",
    "We ",
    "have ",
    "Note",
    "Warning",
    "Hello",
    "Thank",
]


def visible_text(content: str) -> str:
    """The text a reader sees: no scripts, styles or tags, entities decoded."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def english_left(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def assert_vietnamese_page(response, *phrases: str) -> str:
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert english_left(text) == [], text
    for phrase in phrases:
        assert phrase in text
    return text


def assert_vietnamese_mail(message) -> None:
    # Links carry English-looking path segments (/password/reset/key/…): only the prose counts.
    body = re.sub(r"https?://\S+", " ", message.body)
    assert english_left(message.subject) == [], message.subject
    assert english_left(body) == [], body


@pytest.fixture
def citizen(demo):
    return get_user_model().objects.get(username="congdan")


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


def test_helper_notices_english_text():
    assert english_left(visible_text("<h1>Password Reset</h1><p>Forgotten your password?</p>"))
    assert english_left(visible_text("<p>Quên mật khẩu?</p><script>var Password;</script>")) == []


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Đăng nhập"),
        ("account_signup", "Đăng ký tài khoản"),
        ("account_reset_password", "Quên mật khẩu"),
        ("account_reset_password_done", "Đã gửi thư đặt lại mật khẩu"),
        ("account_reset_password_from_key_done", "Đã đổi mật khẩu"),
        ("account_email_verification_sent", "Xác nhận địa chỉ thư điện tử"),
        ("account_inactive", "Tài khoản bị khóa"),
    ],
)
def test_anonymous_account_pages_are_vietnamese(client, demo, url_name, heading):
    assert_vietnamese_page(client.get(reverse(url_name)), heading)


def test_login_page_links_to_the_forgotten_password_page(client, demo):
    text = client.get(reverse("account_login")).content.decode()
    assert "Quên mật khẩu?" in text
    assert f'href="{reverse("account_reset_password")}"' in text


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_change_password", "Đổi mật khẩu"),
        ("account_email", "Địa chỉ thư điện tử"),
        ("account_logout", "Đăng xuất"),
        ("account_reauthenticate", "Xác nhận lại danh tính"),
        ("account_reset_password", "Bạn đang đăng nhập với tài khoản congdan"),
    ],
)
def test_signed_in_account_pages_are_vietnamese(citizen_client, url_name, heading):
    assert_vietnamese_page(citizen_client.get(reverse(url_name)), heading)


def test_email_page_lists_the_address_with_vietnamese_status(citizen_client, citizen):
    EmailAddress.objects.update_or_create(
        user=citizen, email=citizen.email, defaults={"primary": True, "verified": False}
    )
    text = assert_vietnamese_page(citizen_client.get(reverse("account_email")), citizen.email)
    assert "Chưa xác nhận" in text
    assert "Địa chỉ chính" in text


def test_password_set_page_is_vietnamese_for_an_account_without_password(client, citizen):
    citizen.set_unusable_password()
    citizen.save()
    client.force_login(citizen)
    assert_vietnamese_page(client.get(reverse("account_set_password")), "Đặt mật khẩu")


def test_password_change_mismatch_is_reported_in_vietnamese(citizen_client, citizen):
    response = citizen_client.post(
        reverse("account_change_password"),
        {"oldpassword": DEMO_PASSWORD, "password1": "Mkmoi-2026-an", "password2": "Mkkhac-2026-an"},
    )
    text = assert_vietnamese_page(response, "Hai lần nhập mật khẩu không khớp nhau.")
    assert "Mật khẩu mới" in text
    citizen.refresh_from_db()
    assert citizen.check_password(DEMO_PASSWORD)


def test_wrong_current_password_is_reported_in_vietnamese(citizen_client, citizen):
    response = citizen_client.post(
        reverse("account_change_password"),
        {"oldpassword": "sai-mat-khau", "password1": "Mkmoi-2026-an", "password2": "Mkmoi-2026-an"},
    )
    assert_vietnamese_page(response, "Mật khẩu hiện tại không đúng.")
    citizen.refresh_from_db()
    assert citizen.check_password(DEMO_PASSWORD)


def test_password_change_succeeds_with_a_vietnamese_message(citizen_client, citizen):
    response = citizen_client.post(
        reverse("account_change_password"),
        {"oldpassword": DEMO_PASSWORD, "password1": "Mkmoi-2026-an", "password2": "Mkmoi-2026-an"},
        follow=True,
    )
    assert "Đã đổi mật khẩu." in visible_text(response.content.decode())
    citizen.refresh_from_db()
    assert citizen.check_password("Mkmoi-2026-an")


def test_password_reset_sends_a_vietnamese_email_whose_link_sets_a_new_password(client, citizen):
    response = client.post(reverse("account_reset_password"), {"email": citizen.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [citizen.email]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Quý ông/bà" in message.body
    assert "Tên đăng nhập của Quý ông/bà là: congdan" in message.body
    assert_vietnamese_mail(message)

    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    page = client.get(link, follow=True)
    assert_vietnamese_page(page, "Đặt mật khẩu mới", "Mật khẩu mới", "Nhập lại mật khẩu mới")
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link

    mismatch = client.post(form_url, {"password1": "Mkmoi-2026-an", "password2": "Khac-2026-an"})
    assert_vietnamese_page(mismatch, "Hai lần nhập mật khẩu không khớp nhau.")
    citizen.refresh_from_db()
    assert citizen.check_password(DEMO_PASSWORD)

    done = client.post(form_url, {"password1": "Mkmoi-2026-an", "password2": "Mkmoi-2026-an"}, follow=True)
    assert_vietnamese_page(done, "Đã đổi mật khẩu")
    citizen.refresh_from_db()
    assert citizen.check_password("Mkmoi-2026-an")
    assert client.login(username="congdan", password="Mkmoi-2026-an")


def test_used_reset_link_shows_a_vietnamese_error(client, citizen):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "sai-khoa"})
    assert_vietnamese_page(client.get(url, follow=True), "Đường dẫn không hợp lệ")


def test_reset_for_an_unknown_address_changes_nothing_and_mails_in_vietnamese(client, demo):
    response = client.post(reverse("account_reset_password"), {"email": "khongco@example.vn"})
    assert response.status_code == 302
    for message in mail.outbox:
        assert_vietnamese_mail(message)


def test_reset_form_error_is_vietnamese(client, demo):
    response = client.post(reverse("account_reset_password"), {"email": "khong-phai-thu"})
    text = assert_vietnamese_page(response, "Thư điện tử")
    assert len(mail.outbox) == 0
    assert "Nhập địa chỉ email" in text


def test_confirm_email_page_is_vietnamese_and_confirms(client, citizen):
    address, _ = EmailAddress.objects.update_or_create(
        user=citizen, email=citizen.email, defaults={"primary": True, "verified": False}
    )
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
    assert_vietnamese_page(client.get(url), "Xác nhận địa chỉ thư điện tử", citizen.email)
    client.post(url)
    address.refresh_from_db()
    assert address.verified


def test_expired_confirm_email_link_is_vietnamese(client, demo):
    url = reverse("account_confirm_email", args=["khoa-khong-ton-tai"])
    assert_vietnamese_page(client.get(url), "đã hết hạn hoặc không hợp lệ")


def test_resending_confirmation_sends_a_vietnamese_email(citizen_client, citizen):
    EmailAddress.objects.update_or_create(
        user=citizen, email=citizen.email, defaults={"primary": True, "verified": False}
    )
    response = citizen_client.post(reverse("account_email"), {"action_send": "", "email": citizen.email}, follow=True)
    assert f"Đã gửi thư xác nhận tới {citizen.email}." in visible_text(response.content.decode())
    assert len(mail.outbox) == 1
    assert "Xác nhận địa chỉ thư điện tử" in mail.outbox[0].subject
    assert_vietnamese_mail(mail.outbox[0])


def test_sign_in_and_out_messages_are_vietnamese(client, demo):
    response = client.post(reverse("account_login"), {"login": "congdan", "password": DEMO_PASSWORD}, follow=True)
    assert "Đăng nhập thành công với tài khoản congdan." in visible_text(response.content.decode())
    response = client.post(reverse("account_logout"), follow=True)
    assert "Bạn đã đăng xuất." in visible_text(response.content.decode())


ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
PROJECT_TEMPLATES = Path(settings.BASE_DIR) / "cchc" / "templates"


def _allauth_templates(folder: str) -> list[str]:
    return sorted(path.name for path in (ALLAUTH_TEMPLATES / folder).glob("*.txt"))


@pytest.mark.parametrize("folder", ["account/email", "account/messages"])
def test_every_allauth_email_and_message_template_is_overridden(folder):
    missing = [name for name in _allauth_templates(folder) if not (PROJECT_TEMPLATES / folder / name).exists()]
    assert missing == []


@pytest.mark.parametrize("name", _allauth_templates("account/email"))
def test_every_email_template_renders_in_vietnamese(citizen, name):
    context = {
        "user": citizen,
        "email": citizen.email,
        "site_name": portal_name(),
        "current_site": None,
        "password_reset_url": "https://dichvucong.example.vn/tai-khoan/password/reset/key/1-abc/",
        "activate_url": "https://dichvucong.example.vn/tai-khoan/confirm-email/abc/",
        "signup_url": "https://dichvucong.example.vn/tai-khoan/signup/",
        "username": citizen.username,
        "code": "ABC123",
        "from_email": "cu@example.vn",
        "to_email": "moi@example.vn",
        "deleted_email": "cu@example.vn",
        "ip": "203.0.113.5",
        "user_agent": "Firefox",
        "timestamp": datetime(2026, 3, 2, 1, 30, tzinfo=UTC),
    }
    text = re.sub(r"https?://\S+", " ", render_to_string(f"account/email/{name}", context))
    assert english_left(text) == [], text
    assert text.strip()
    if name.endswith("_message.txt"):
        assert "Kính gửi" in text
        assert portal_name() in text
    if name.startswith(("password_changed", "email_changed")) and name.endswith("_message.txt"):
        assert "08:30 ngày 02/03/2026" in text


def test_a_password_change_is_told_to_the_account_holder_in_vietnamese(demo, client, mailoutbox):
    from cchc.accounts.models import User

    citizen = User.objects.get(username="congdan")
    client.force_login(citizen)
    response = client.post(
        "/tai-khoan/password/change/",
        {"oldpassword": "demo12345", "password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"},
    )
    assert response.status_code == 302
    notices = [m for m in mailoutbox if citizen.email in m.to]
    assert len(notices) == 1
    assert "mật khẩu" in (notices[0].subject + notices[0].body).lower()
    assert "password" not in notices[0].body.lower()
