"""Small generated scans with Vietnamese text (DejaVu Sans has every diacritic)."""

import io

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def scan_png(lines: tuple[str, ...], *, width: int = 1700) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (width, 120 + 130 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 56)
    for row, line in enumerate(lines):
        draw.text((80, 80 + row * 130), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()
