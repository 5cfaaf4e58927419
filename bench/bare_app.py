"""The ceiling `bench_write.py` compares CCHC with: a bare Django app on the same database and the
same gunicorn settings, doing the least each CCHC request must do.

- `GET /status/<code>`: one query reading the dossier's row by code, answered as JSON;
- `POST /insert` (multipart, five files): in one transaction, insert one row, write the five files
  to storage and queue one django-tasks job.

Served by `gunicorn bench.bare_app:application`; configured from the environment like CCHC
(`DATABASE_URL`, `CCHC_VAR_DIR`).
"""

import os
import uuid
from pathlib import Path

import dj_database_url
from django.conf import settings

if not settings.configured:
    var = Path(os.environ.get("CCHC_VAR_DIR", "/tmp/cchc-bench-bare"))
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django_tasks", "django_tasks_db"],
        MIDDLEWARE=[],
        DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)},
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
        MEDIA_ROOT=str(var / "bare-media"),
        USE_TZ=True,
    )

import django

django.setup()

from django.core.files.storage import default_storage
from django.core.wsgi import get_wsgi_application
from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django_tasks import task

TABLE = "bench_bare_row"


@task()
def bare_job(row_id: int) -> int:
    return row_id


def status(request, code: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, status, submitted_at FROM dossiers_dossier WHERE code = %s", [code])
        row = cursor.fetchone()
    if row is None:
        return JsonResponse({"code": "not_found"}, status=404)
    return JsonResponse({"code": row[0], "status": row[1], "submitted_at": row[2]})


@csrf_exempt
def insert(request):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (code, created_at) VALUES (%s, now()) RETURNING id",
                [uuid.uuid4().hex],
            )
            (row_id,) = cursor.fetchone()
        for name, upload in request.FILES.items():
            default_storage.save(f"bare/{row_id}-{name}.pdf", upload)
        bare_job.enqueue(row_id)
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("status/<str:code>", status), path("insert", insert)]
application = get_wsgi_application()
