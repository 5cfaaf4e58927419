"""The admin's and the CMS's login addresses lead to the one login page (its lockout, its second factor)."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "HEAD", "POST"])
def to_login_page(request, default_next: str = "/"):
    """GET or POST alike (a POST's credentials are never read here): off to /tai-khoan/login/.

    Someone already signed in who lands here lacks access to the admin or the CMS: a 403, not a
    trip to the login page (which would send them straight back)."""
    if request.user.is_authenticated:
        raise PermissionDenied
    target = request.GET.get("next") or default_next
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = default_next
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
