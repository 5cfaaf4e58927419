"""VNPAY 2.1.0 signing, checked against a computation written from the published spec."""

import hashlib
import hmac
from datetime import datetime
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest

from cchc.core.calendar import VN_TZ
from cchc.payments.providers import (
    QUERY_REQUEST_FIELDS,
    VnpayProvider,
    ascii_order_info,
    pipe_checksum,
    vnpay_amount,
    vnpay_check,
    vnpay_sign,
)

SECRET = "SECRETKEY0123456789ABCDEFGHIJKLMN"  # noqa: S105


def _spec_hash(params: dict, secret: str) -> str:
    """From the spec: sort by key, `key=` + URL-encoded value (spaces as +), join with &, HMAC-SHA512, hex."""
    data = "&".join(f"{k}={quote_plus(v)}" for k, v in sorted(params.items()))
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def _provider() -> VnpayProvider:
    return VnpayProvider(
        tmn_code="DEMOTMN1",
        hash_secret=SECRET,
        pay_url="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
        api_url="https://sandbox.vnpayment.vn/merchant_webapi/api/transaction",
    )


def _payment():
    return SimpleNamespace(
        amount=115_000,
        reference="CCHC260302AB12CD34",
        created_at=datetime(2026, 3, 2, 9, 30, 15, tzinfo=VN_TZ),
        dossier=SimpleNamespace(code="000.00.12.H99-260302-0001"),
    )


def test_payment_url_carries_the_documented_parameters_and_a_hash_matching_the_spec():
    url = _provider().create_payment_url(
        _payment(), return_url="https://dvc.example.vn/thanh-toan/vnpay/ket-qua/", client_ip="203.0.113.9"
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    params = dict(parse_qsl(parts.query))
    received = params.pop("vnp_SecureHash")
    assert params == {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": "DEMOTMN1",
        "vnp_Amount": "11500000",  # VND × 100
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": "CCHC260302AB12CD34",
        "vnp_OrderInfo": "Nop phi ho so 000.00.12.H99-260302-0001",
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": "https://dvc.example.vn/thanh-toan/vnpay/ket-qua/",
        "vnp_IpAddr": "203.0.113.9",
        "vnp_CreateDate": "20260302093015",  # GMT+7
        "vnp_ExpireDate": "20260302094515",
    }
    assert received == _spec_hash(params, SECRET)
    # The query string itself is the signed string: sorted keys, values encoded with quote_plus.
    assert parts.query.split("&vnp_SecureHash=")[0] == "&".join(
        f"{k}={quote_plus(v)}" for k, v in sorted(params.items())
    )


def test_a_known_answer_for_a_fixed_parameter_set():
    params = {"vnp_Amount": "1000000", "vnp_TxnRef": "A 1", "vnp_OrderInfo": "Thanh toan: 100%"}
    expected = hmac.new(
        SECRET.encode(),
        b"vnp_Amount=1000000&vnp_OrderInfo=Thanh+toan%3A+100%25&vnp_TxnRef=A+1",
        hashlib.sha512,
    ).hexdigest()
    assert vnpay_sign(params, SECRET) == expected


def test_verification_ignores_the_hash_type_and_refuses_any_change():
    params = {"vnp_Amount": "11500000", "vnp_ResponseCode": "00", "vnp_TxnRef": "CCHC1"}
    signed = {**params, "vnp_SecureHash": _spec_hash(params, SECRET), "vnp_SecureHashType": "HmacSHA512"}
    assert vnpay_check(signed, SECRET)
    assert vnpay_check({**signed, "vnp_SecureHash": signed["vnp_SecureHash"].upper()}, SECRET)
    assert not vnpay_check({**signed, "vnp_Amount": "100"}, SECRET)
    assert not vnpay_check({**signed, "vnp_Extra": "1"}, SECRET)
    assert not vnpay_check(signed, "another-secret")
    assert not vnpay_check({k: v for k, v in signed.items() if k != "vnp_SecureHash"}, SECRET)


def test_verify_callback_reads_the_amount_back_in_dong():
    params = {"vnp_Amount": "11500000", "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00", "vnp_TxnRef": "X"}
    callback = _provider().verify_callback({**params, "vnp_SecureHash": _spec_hash(params, SECRET)})
    assert callback.valid_signature and callback.succeeded
    assert callback.amount == 115_000 and callback.reference == "X"


@pytest.mark.parametrize(("raw", "amount"), [("11500000", 115_000), ("11500050", None), ("-100", None), ("", None),
                                             ("１００", None), (None, None)])  # fmt: skip
def test_vnp_amount_must_be_a_whole_number_of_dong(raw, amount):
    assert vnpay_amount(raw) == amount


def test_querydr_checksum_joins_the_fields_with_pipes_in_the_documented_order():
    values = {name: f"v{i}" for i, name in enumerate(QUERY_REQUEST_FIELDS)}
    data = "v0|v1|v2|v3|v4|v5|v6|v7|v8"
    assert (
        pipe_checksum(values, QUERY_REQUEST_FIELDS, SECRET)
        == hmac.new(SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()
    )


def test_order_info_is_plain_ascii():
    assert ascii_order_info("Nộp phí hồ sơ Đổi GPLX #1/2") == "Nop phi ho so Doi GPLX 1 2"
