"""Draws the application icon (信 on a red seal square) from the bundled font: PNGs for Linux, an .ico for Windows.

Run by the build scripts (`python installer/make_icon.py OUT_DIR`); nothing drawn is committed, so the icon always
matches the font shipped in resources/fonts/. Needs Pillow (installed with reportlab).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"  # a heavy sans face reads best at 16 px
RED = (190, 30, 35, 255)  # the red of an official seal
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> Image.Image:
    """One square icon of `size` pixels, drawn at 4× and scaled down for clean edges."""
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    margin = big // 16
    pen.rounded_rectangle((margin, margin, big - margin, big - margin), radius=big // 6, fill=RED)
    inner = big // 9  # a thin white frame, as on a seal
    pen.rounded_rectangle(
        (inner, inner, big - inner, big - inner), radius=big // 9, outline=(255, 255, 255, 255), width=max(4, big // 48)
    )
    font = ImageFont.truetype(str(FONT), int(big * 0.62))
    pen.text((big / 2, big / 2), "信", font=font, fill=(255, 255, 255, 255), anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        draw(size).save(out / f"xinfang-{size}.png")
    draw(256).save(out / "xinfang.ico", sizes=[(s, s) for s in ICO_SIZES])
    print(out / "xinfang.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "installer" / "build" / "icon"))
