"""Reads on messaging, each with its access scope."""

from django.db.models import QuerySet

from cchc.dossiers.models import Notification

from .models import Channel, ContactPreference, MessageTemplate

CHOOSABLE = (Notification.Channel.EMAIL, Notification.Channel.SMS, Notification.Channel.ZALO)


def preference_of(user) -> ContactPreference:
    """The person's choice (unsaved defaults when they never chose)."""
    found = ContactPreference.objects.filter(user=user).first()
    return found or ContactPreference(user=user)


def channels_chosen(user, channels: list[str]) -> list[str]:
    """The dossiers' hook: the channels of `channels` that `user` did not turn off."""
    if user is None:
        return channels
    choice = preference_of(user)
    return [channel for channel in channels if channel not in CHOOSABLE or getattr(choice, channel)]


def template_for(*, channel: str, kind: str) -> MessageTemplate | None:
    """The approved template for a notification kind: exact, else the longest `prefix*` that matches."""
    candidates = MessageTemplate.objects.filter(channel=channel, approved=True)
    best = None
    for template in candidates:
        if template.kind == kind:
            return template
        matches = template.kind.endswith("*") and kind.startswith(template.kind[:-1])
        if matches and (best is None or len(template.kind) > len(best.kind)):
            best = template
    return best


def messages_of_dossier(*, dossier) -> QuerySet[Notification]:
    """The dossier's SMS and Zalo notices with what the provider reported (a dossier the caller may see)."""
    return (
        Notification.objects.filter(dossier=dossier, channel__in=[Channel.SMS, Channel.ZALO])
        .select_related("sent_message")
        .order_by("-created_at", "-id")
    )
