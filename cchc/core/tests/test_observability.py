"""Every response names its request id, and every log line written for it carries the same id;
production writes the lines as JSON."""

import json
import logging
import subprocess
import sys

from django.conf import settings as django_settings

from cchc.core.observability import JsonFormatter, RequestIdFilter, current_request_id


def test_each_response_gets_its_own_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")["X-Request-ID"] == (
        "nginx-0123456789abcdef"
    )
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert "<" not in replaced and len(replaced) == 32


def test_each_request_writes_one_log_line_with_its_status(db, client, caplog):
    with caplog.at_level(logging.INFO, logger="cchc.request"):
        response = client.get("/api/v1/khong-co")
    [record] = [r for r in caplog.records if r.name == "cchc.request"]
    assert record.status == 404 and record.path == "/api/v1/khong-co"
    assert record.method == "GET" and record.duration_ms >= 0
    assert response.status_code == 404


def test_a_json_line_holds_the_message_the_request_id_and_the_extras():
    token = current_request_id.set("abc123abc123")
    try:
        record = logging.LogRecord("cchc.request", logging.INFO, __file__, 1, "GET %s %s", ("/", 200), None)
        record.status = 200
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        current_request_id.reset(token)
    assert line["message"] == "GET / 200"
    assert line["request_id"] == "abc123abc123"
    assert line["status"] == 200 and line["level"] == "INFO" and line["logger"] == "cchc.request"


def test_production_logs_json_lines_with_the_request_id():
    """A request served with the production settings writes one JSON object per line, with the
    request id the response header names."""
    program = """
import django
from django.test import Client
django.setup()
response = Client(HTTP_HOST="dvc.example.gov.vn", HTTP_X_FORWARDED_PROTO="https").get("/healthz")
print("RID=" + response["X-Request-ID"])
"""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 30 + "abcdefghijklmnopqrstuvwxyz0123456789",
        "DATABASE_URL": "postgres://cchc@db.invalid:5432/cchc",
        "REDIS_URL": "redis://cache.invalid:6379/0",
        "CCHC_AUDIT_HMAC_KEY": "audit-key-" + "x" * 40,
        "CCHC_PUBLIC_URL": "https://dvc.example.gov.vn",
        "DJANGO_ALLOWED_HOSTS": "dvc.example.gov.vn",
        "CCHC_LOG_LEVEL": "DEBUG",
    }
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    request_id = done.stdout.split("RID=")[1].strip()
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    [request_line] = [line for line in lines if line["logger"] == "cchc.request"]
    assert request_line["request_id"] == request_id
    assert request_line["path"] == "/healthz" and request_line["status"] == 200


def test_djangos_late_refusal_lines_carry_the_request_id():
    """django.request logs a 404 or 500 after the middleware has returned; the id comes from the request."""
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: /x", (), None)
    record.request = type("Request", (), {"request_id": "abcdef0123456789"})()
    RequestIdFilter().filter(record)
    assert record.request_id == "abcdef0123456789"
