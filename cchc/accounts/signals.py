"""VNeID linked from the account page: its identity is taken into the profile (adapters)."""

from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver


@receiver(social_account_added)
def _identity_when_linked(sender, request, sociallogin, **kwargs):
    from .adapters import apply_identity_of

    apply_identity_of(request, sociallogin)
