"""Reads on electronic results, each with its access rule."""

from cchc.dossiers.selectors import dossier_get

from .models import ResultDraft, SignedResult
from .policies import released_to


def signed_result_of(dossier) -> SignedResult | None:
    return getattr(dossier, "signed_result", None)  # a missing reverse one-to-one raises AttributeError


def draft_of(dossier) -> ResultDraft | None:
    return ResultDraft.objects.filter(dossier=dossier).first()


def result_for(*, user, code: str) -> SignedResult | None:
    """The signed result of dossier `code` if `user` may see the dossier and has it released."""
    dossier = dossier_get(user=user, code=code)
    if dossier is None:
        return None
    result = signed_result_of(dossier)
    if result is None or not released_to(user, dossier):
        return None
    return result


def result_public(*, pk) -> SignedResult | None:
    """For the public verification page: no access rule, so callers show nothing personal."""
    return SignedResult.objects.select_related("dossier__procedure_version", "dossier__agency").filter(pk=pk).first()
