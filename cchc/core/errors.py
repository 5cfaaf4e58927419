"""One error vocabulary for the whole application.

Services raise `ApplicationError` with a stable code and a Vietnamese message; the API
and the views map it to an HTTP status or a form error in one place each.
"""


class ApplicationError(Exception):
    """A refused request: bad input, a missing object, a rule that forbids the change."""

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", details: list | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.details = details or []


class NotFound(ApplicationError):
    status = 404

    def __init__(self, message: str, *, code: str = "not_found", details: list | None = None):
        super().__init__(message, code=code, details=details)


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(self, message: str, *, code: str = "forbidden", details: list | None = None):
        super().__init__(message, code=code, details=details)


class Conflict(ApplicationError):
    status = 409

    def __init__(self, message: str, *, code: str = "conflict", details: list | None = None):
        super().__init__(message, code=code, details=details)


class Unauthenticated(ApplicationError):
    status = 401

    def __init__(self, message: str, *, code: str = "unauthenticated", details: list | None = None):
        super().__init__(message, code=code, details=details)


class TooManyRequests(ApplicationError):
    status = 429

    def __init__(self, message: str, *, code: str = "rate_limited", details: list | None = None):
        super().__init__(message, code=code, details=details)


def error_payload(message: str, code: str, errors: list | None = None) -> dict:
    """The one shape of every refusal the API answers: `{"detail", "code", "errors"}`."""
    return {"detail": str(message), "code": code, "errors": errors or []}
