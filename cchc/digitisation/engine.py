"""The OCR engine: OCRmyPDF with Tesseract's Vietnamese data (Debian `ocrmypdf`, `tesseract-ocr-vie`),
run as a command so that no OCR library is imported into the web process.

`ocr(data)` returns the searchable PDF (a text layer added; pages that already have text are kept) and
the text. The languages are `CCHC_OCR_LANGUAGES`; the command `CCHC_OCR_COMMAND` (empty: `ocrmypdf` on
the PATH).
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

TIMEOUT_SECONDS = 300
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG")


class OcrUnavailable(Exception):
    """The OCR command is missing or failed (its message kept for the officer)."""


@dataclass(frozen=True)
class OcrResult:
    pdf: bytes
    text: str


def _command() -> str:
    command = settings.CCHC_OCR_COMMAND or shutil.which("ocrmypdf")
    if not command:
        raise OcrUnavailable("Chưa cài OCRmyPDF (gói Debian ocrmypdf, tesseract-ocr-vie): chạy bin/system-deps.")
    return command


def ocr(data: bytes) -> OcrResult:
    command = _command()
    with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as folder:
        work = Path(folder)
        source = work / ("input.img" if data.startswith(IMAGE_MAGIC) else "input.pdf")
        source.write_bytes(data)
        arguments = [command, "-l", settings.CCHC_OCR_LANGUAGES, "--skip-text", "--output-type", "pdf"]
        arguments += ["--sidecar", str(work / "text.txt"), "--quiet"]
        if source.suffix == ".img":
            arguments += ["--image-dpi", "300"]
        arguments += [str(source), str(work / "output.pdf")]
        try:
            done = subprocess.run(arguments, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OcrUnavailable(f"OCR không chạy được: {exc}") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise OcrUnavailable(f"OCR lỗi (mã {done.returncode}): {message[0][:300]}")
        return OcrResult(
            pdf=(work / "output.pdf").read_bytes(),
            text=(work / "text.txt").read_text(encoding="utf-8", errors="replace"),
        )
