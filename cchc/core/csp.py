"""The Content-Security-Policy of every page (django-csp), with one exception made by the page itself.

The policy (settings `CONTENT_SECURITY_POLICY` or, with `CCHC_CSP_REPORT_ONLY`, its report-only
twin) allows scripts from this site only: no inline script, no `eval`. Pages may not be framed
(`frame-ancestors 'none'`), except a page that says it may be framed by the site itself with
`X-Frame-Options: SAMEORIGIN` (the result preview inside its compose page, Wagtail's page
preview); this middleware gives that page `frame-ancestors 'self'`, so the two headers agree.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
