"""Headers on every page: the Content-Security-Policy; HSTS and HTTPS in production; a clean
`check --deploy` with the production settings and the documented environment."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from cchc.dossiers.tests.helpers import user

ROOT = Path(__file__).resolve().parents[3]
PAGES = ["/", "/thu-tuc/", "/tai-khoan/login/", "/tai-khoan/signup/", "/tra-cuu/", "/tin-tuc/"]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_page_forbids_inline_script_eval_and_framing(client, demo):
    client.force_login(user("motcua"))
    for path in [*PAGES, reverse("dossiers:office_home"), "/quan-tri/", "/cms/"]:
        response = client.get(path, follow=True)
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert "'unsafe-eval'" not in " ".join(sum(policy.values(), [])), path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert policy["object-src"] == ["'none'"], path


@pytest.mark.django_db
def test_a_page_that_may_be_framed_by_the_site_says_so_in_both_headers(client, demo):
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from cchc.core.csp import SiteCSPMiddleware

    view = xframe_options_sameorigin(lambda request: HttpResponse("preview"))
    request = RequestFactory().get("/")
    response = SiteCSPMiddleware(view)(request)
    assert _directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]


def test_no_template_of_the_project_holds_an_inline_script():
    """Inline scripts would be refused by the policy; data goes in json_script or data attributes."""
    offenders = []
    for path in (ROOT / "cchc").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text(encoding="utf-8")):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
    assert offenders == []


# What README.md asks an operator to set in production (fake values of the right shape).
DOCUMENTED_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k7#Qm2@vX9!pL4$wZ8^rT1&yB6*nC3(hF5)jD0_sG2+aE7=uI9%oP4",
    "DATABASE_URL": "postgres://cchc:secret@127.0.0.1:5432/cchc",
    "DJANGO_ALLOWED_HOSTS": "dichvucong.example.gov.vn",
    "CCHC_PUBLIC_URL": "https://dichvucong.example.gov.vn",
    "REDIS_URL": "redis://127.0.0.1:6379/10",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.gov.vn",
    "CCHC_SIGNING_P12_PATH": "/etc/cchc/agency.p12",
    "CCHC_SIGNING_P12_PASSWORD": "the-agency-certificate-password",
    "DJANGO_HSTS_PRELOAD": "true",
    "CCHC_AUDIT_HMAC_KEY": "a-separate-audit-key-never-changed",
    "CCHC_METRICS_TOKEN": "a-token-prometheus-sends",
    "VNPAY_TMN_CODE": "2QXUI4J4",
    "VNPAY_HASH_SECRET": "the-merchants-own-secret",
    "VNPAY_PAY_URL": "https://pay.vnpay.vn/vpcpay.html",
    "VNPAY_API_URL": "https://merchant.vnpay.vn/merchant_webapi/api/transaction",
}
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
    "bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY)]))"
)


def _run(args: list[str], **extra_env) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "VNPAY_", "CCHC_"))}
    env.update(DOCUMENTED_ENVIRONMENT, **extra_env)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_check_deploy_is_clean_with_the_production_settings_and_the_documented_environment():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_redirects_to_https_with_a_year_of_hsts_and_csp_can_report_only():
    enforced = _run([sys.executable, "-c", PRINT_SETTINGS])
    assert json.loads(enforced.stdout) == [31536000, True, True, True, False], enforced.stderr
    report_only = _run([sys.executable, "-c", PRINT_SETTINGS], CCHC_CSP_REPORT_ONLY="true")
    assert json.loads(report_only.stdout)[3:] == [False, True], report_only.stderr


def test_check_deploy_fails_without_the_merchant():
    without = dict.fromkeys(("VNPAY_TMN_CODE", "VNPAY_HASH_SECRET"), "")
    result = _run([sys.executable, "manage.py", "check", "--deploy"], **without)
    assert result.returncode != 0 and "payments.E001" in result.stdout + result.stderr
