"""Error pages Django would otherwise draw itself, in English."""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """A form refused for its missing or stale CSRF token (settings `CSRF_FAILURE_VIEW`): the site's own
    403 page in Vietnamese, asking to reload the form, instead of Django's English "CSRF verification
    failed". The reason (for developers) stays out of the page."""
    return render(request, "403_csrf.html", status=403)
