"""The agency's self-signed demo certificate (a PKCS#12 file) for signing results.

Pure `cryptography`, no Django: `bin/make-demo-cert` and the `make_demo_certificate` command
both call `make_demo_certificate`. A real installation uses the certificate its certification
authority issued instead (CCHC_SIGNING_P12_PATH, CCHC_SIGNING_P12_PASSWORD).
"""

import datetime
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEFAULT_FILE = Path("signing") / "demo-agency.p12"  # under the var/ folder (CCHC_VAR_DIR)
DEFAULT_PASSWORD = "demo12345"  # noqa: S105 - the demo certificate's published password
# The agency's name comes from the data (the `make_demo_certificate` command passes the province's
# People's Committee); this stands in where there is none (bin/make-demo-cert without a database).
AGENCY = "Cơ quan nhà nước"  # common_name() adds DEMO_SUFFIX
DEMO_SUFFIX = " (minh họa)"
# X.509 limits a common name to 64 bytes in UTF-8 (the library checks bytes).
CN_MAX_BYTES = 64
ORGANISATIONAL_UNIT = "Chứng thư minh họa, không có giá trị pháp lý"
VALID_YEARS = 5


def common_name(agency: str) -> str:
    """`agency` and " (minh họa)", the name shortened (on a character boundary) to fit 64 bytes."""
    name = agency
    while len((name + DEMO_SUFFIX).encode()) > CN_MAX_BYTES:
        name = name[:-1]
    return name.rstrip() + DEMO_SUFFIX


def make_demo_certificate(path: Path | str, password: str, *, force: bool = False, agency: str = AGENCY) -> bool:
    """Write a self-signed certificate of `agency` and its RSA 2048 key to `path` (PKCS#12) unless
    the file exists (or `force`). True when a file was written."""
    path = Path(path)
    if path.exists() and not force:
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ORGANISATIONAL_UNIT),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name(agency)),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * VALID_YEARS + 1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"demo-agency", key, certificate, None, serialization.BestAvailableEncryption(password.encode())
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed, so a reader never sees half a file; the key is readable by the owner only.
    partial = path.with_suffix(path.suffix + ".partial")
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(data)
    partial.replace(path)
    return True
