import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cchc.core.text import fold, format_vnd


def test_fold_strips_diacritics_and_case():
    assert fold("GIẤY PHÉP LÁI XE") == "giay phep lai xe"


def test_fold_maps_d_with_stroke_to_d():
    assert fold("Đăng ký phương tiện đường thủy") == "dang ky phuong tien duong thuy"


def test_fold_treats_nfd_input_like_nfc():
    text = "Cấp lại giấy phép lái xe"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "cap lai giay phep lai xe"


def test_fold_collapses_whitespace():
    assert fold("  giấy   phép\tlái xe ") == "giay phep lai xe"


@given(st.text())
def test_fold_is_idempotent_and_form_independent(text):
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_format_vnd_uses_dot_thousands():
    assert format_vnd(135000) == "135.000 đ"
    assert format_vnd(0) == "0 đ"
