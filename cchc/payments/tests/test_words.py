"""Amounts in Vietnamese words, as the receipt writes them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.payments.words import number_in_words, vnd_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (1, "Một đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (25, "Hai mươi lăm đồng"),
        (101, "Một trăm linh một đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (70_000, "Bảy mươi nghìn đồng"),
        (115_000, "Một trăm mười lăm nghìn đồng"),
        (135_000, "Một trăm ba mươi lăm nghìn đồng"),
        (200_000, "Hai trăm nghìn đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (4_500_000, "Bốn triệu năm trăm nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amounts_read_as_a_receipt_writes_them(amount, words):
    assert vnd_in_words(amount) == words


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        number_in_words(-1)


# An independent reader of the words, written from the reading rules, not from the code.
_DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}  # fmt: skip


def _read(text: str) -> int:
    big = group_total = group = pending = 0
    for word in text.split():
        if word in _DIGIT:
            pending = _DIGIT[word]
        elif word == "trăm":
            group, pending = group + pending * 100, 0
        elif word == "mươi":
            group, pending = group + pending * 10, 0
        elif word == "mười":
            group += 10
        elif word == "linh":
            pass
        elif word in ("nghìn", "triệu"):
            group_total += (group + pending) * (1000 if word == "nghìn" else 1_000_000)
            group = pending = 0
        elif word == "tỷ":
            big = (big + group_total + group + pending) * 10**9
            group_total = group = pending = 0
        else:
            raise AssertionError(f"unexpected word {word!r}")
    return big + group_total + group + pending


@given(st.integers(min_value=0, max_value=10**15))
def test_the_words_read_back_to_the_amount(amount):
    assert _read(number_in_words(amount)) == amount


@given(st.integers(min_value=0, max_value=10**15))
def test_the_receipt_line_is_capitalised_and_ends_with_the_currency(amount):
    text = vnd_in_words(amount)
    assert text[0].isupper()
    assert text.endswith(" đồng")
    assert "  " not in text
    assert text[1:] == text[1:].lower()


@given(st.integers(min_value=1, max_value=10**12))
def test_no_group_of_zeros_is_read_aloud(amount):
    words = number_in_words(amount).split()
    assert "không nghìn" not in " ".join(words)
    assert "không triệu" not in " ".join(words)
    assert words[0] != "không"
