"""Sign-up records the acceptance of the privacy notice the form asked for (accounts.forms.SignupForm)."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from cchc.audit.services import client_ip

from .models import NoticeAcceptance
from .services import notice_accept


@receiver(user_signed_up)
def _accepted_at_signup(sender, request, user, **kwargs):
    if request is not None and request.POST.get("accept_privacy"):
        notice_accept(user=user, context=NoticeAcceptance.Context.SIGNUP, ip=client_ip(request))
