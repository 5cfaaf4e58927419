"""Pure rules for electronic results: which template a result uses, what the stamp says. No database."""

import unicodedata

from cchc.core.text import fold

from .models import ResultKind


def result_kind(result_name: str) -> str:
    """The template for a procedure's result, from its published name: a licence or certificate
    ("Giấy phép …", "Giấy chứng nhận …"), an approval letter ("Văn bản chấp thuận …"), or the
    generic notice of the outcome for anything else (badges, decisions, notices)."""
    folded = fold(result_name)
    if "chap thuan" in folded:
        return ResultKind.APPROVAL
    if "giay phep" in folded or "giay chung nhan" in folded:
        return ResultKind.LICENCE
    return ResultKind.GENERIC


def ascii_text(text: str) -> str:
    """`Sở Giao thông` → `So Giao thong`: for a stamp drawn without a Vietnamese font."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
