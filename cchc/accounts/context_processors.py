"""`can` in every template: what the signed-in person may open, by the capabilities of `roles`.

Templates ask `{% if can.receive_at_counter %}`, never the role; a capability that depends on
one dossier is decided by the app's policies in the view and passed on by name."""

from . import roles

# Each name a template may ask, and the capability in `roles` that answers it.
TEMPLATE_CAPABILITIES = {
    "receive_at_counter": roles.RECEIVES_AT_COUNTER,
    "read_service_index": roles.READS_SERVICE_INDEX,
    "read_statutory_report": roles.READS_STATUTORY_REPORT,
    "read_unit_reports": roles.READS_UNIT_REPORTS,
    "handle_privacy_requests": roles.HANDLES_PRIVACY_REQUESTS,
    "follow_up_ratings": roles.FOLLOWS_UP_RATINGS,
    "keep_tracking_book": roles.KEEPS_TRACKING_BOOK,
    "compose_results": roles.COMPOSES_RESULTS,
}


def can(request) -> dict:
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated and user.is_active else None
    return {"can": {name: role in capability for name, capability in TEMPLATE_CAPABILITIES.items()}}
