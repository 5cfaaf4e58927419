from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "cchc.privacy"
    label = "privacy"
    verbose_name = _("Bảo vệ dữ liệu cá nhân")

    def ready(self) -> None:
        from cchc.dossiers import hooks

        from .policies import notice_guard, notice_step_url

        # No online submission before the applicant has accepted the privacy notice in force.
        hooks.register_guard(notice_guard)
        hooks.register_submission_prerequisite(notice_step_url)
        from . import signals  # noqa: F401  (acceptance at sign-up)
