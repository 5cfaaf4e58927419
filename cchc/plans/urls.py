from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("cai-cach/ke-hoach/", views.plan, name="plan"),
    path("cai-cach/ke-hoach/lap/", views.plan_create, name="plan_create"),
    path("cai-cach/ke-hoach/nhiem-vu/moi/", views.task_create, name="task_create"),
    path("cai-cach/ke-hoach/nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("cai-cach/ke-hoach/nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("cai-cach/ke-hoach/nhiem-vu/<int:pk>/minh-chung/<int:report_pk>/", views.report_file, name="report_file"),
    path("cai-cach/nhiem-vu-tre-han/", views.late, name="late"),
    path("cai-cach/cam-ket/", views.commitments, name="commitments"),
    path("cai-cach/cam-ket/<int:pk>/", views.commitment_detail, name="commitment"),
    path("cai-cach/cam-ket/<int:pk>/ky/", views.commitment_sign, name="commitment_sign"),
    path("cai-cach/cam-ket/<int:pk>/ky-duyet/", views.commitment_countersign, name="commitment_countersign"),
    path("cai-cach/cam-ket/<int:pk>/ban-ky-so.pdf", views.commitment_pdf, name="commitment_pdf"),
    path("cai-cach/giao-ban/", views.briefing, name="briefing"),
    path("cai-cach/khac-phuc/", views.shortcomings, name="shortcomings"),
]
