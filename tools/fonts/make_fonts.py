"""Make the fonts the notice board's PDFs embed: static/fonts/CupSans-{Regular,Bold}.otf.

They are Noto Sans CJK SC (SIL Open Font Licence 1.1, static/fonts/OFL.txt) cut down to what a
cup's documents write: Latin with its accents, Greek and Cyrillic letters, punctuation, the
6,763 Chinese characters of GB 2312 and the CJK symbols and full-width forms. Cut down, each
weight is about 2 MB instead of 20; a name outside that set falls back to DejaVu Sans.

Run once when the set changes, as root on Debian (the source fonts come from Debian's package):

    apt-get install -y fonts-noto-cjk
    .venv/bin/python tools/fonts/make_fonts.py

The renamed family (CupSans) is what the Reserved Font Name clause of the licence asks of a
modified Noto font.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto")
TARGET = Path(__file__).resolve().parents[2] / "static" / "fonts"
FAMILY = "CupSans"


def gb2312_hanzi() -> list[int]:
    """The 6,763 Chinese characters of GB 2312 (rows 16 to 87)."""
    characters = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                characters.append(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return characters


def codepoints() -> list[int]:
    ranges = [
        (0x0020, 0x024F),  # Basic Latin to Latin Extended-B
        (0x0370, 0x03FF),  # Greek
        (0x0400, 0x04FF),  # Cyrillic
        (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
        (0x2000, 0x206F),  # General Punctuation
        (0x2070, 0x20CF),  # super- and subscripts, currency signs
        (0x2100, 0x218F),  # letter-like symbols, number forms
        (0x2190, 0x21FF),  # arrows
        (0x2200, 0x22FF),  # mathematical operators
        (0x2460, 0x24FF),  # enclosed alphanumerics
        (0x25A0, 0x25FF),  # geometric shapes
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFF00, 0xFFEF),  # half- and full-width forms
    ]
    points = {point for start, end in ranges for point in range(start, end + 1)}
    return sorted(points | set(gb2312_hanzi()))


def make(weight: str) -> Path:
    collection = TTCollection(str(SOURCE / f"NotoSansCJK-{weight}.ttc"))
    font = next(f for f in collection.fonts if "CJK SC" in f["name"].getDebugName(1))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {weight}"
        elif record.nameID == 6:
            record.string = f"{FAMILY}-{weight}"
    path = TARGET / f"{FAMILY}-{weight}.otf"
    font.save(str(path))
    return path


if __name__ == "__main__":
    TARGET.mkdir(parents=True, exist_ok=True)
    for weight in ("Regular", "Bold"):
        made = make(weight)
        print(made, made.stat().st_size)
