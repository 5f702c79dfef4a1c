#!/usr/bin/python3
"""Builds the dashboard's UI font: a subset of Noto Sans CJK SC.

    /usr/bin/python3 scripts/build_font.py [--out build/wasm/web/fonts/reachlens-sc.otf]
                                           [--data build/wasm/web/data/demo] [--source FILE.ttc]

Keeps (when the font has them):
  * every GB2312 hanzi (6,763) and GB2312's symbol rows (punctuation, fullwidth forms,
    arrows, circled numbers, Greek, Cyrillic, kana, box drawing);
  * ASCII, Latin-1, general punctuation, CJK symbols and punctuation (U+3000-303F),
    halfwidth and fullwidth forms (U+FF00-FFEF), a few geometric shapes;
  * every character in the string literals of src/ui/*.cpp and src/app/*.cpp;
  * every character in the strings of the demo tenant (dataset.json and
    campaigns/*.json under --data, when it exists).
With --fallback-out FILE instead, writes the rest of the face (every character beyond
GB2312 and the ranges above: rare hanzi, Traditional forms, Hangul, ...), which the page
loads in the background after start-up and merges into the UI font as a fallback. It
depends on the system font only, so it is built once.
Outlines stay CFF (Dear ImGui's stb_truetype reads them); hinting and OpenType layout
tables are dropped (ImGui uses neither). Uses fontTools (Debian's python3-fonttools),
hence /usr/bin/python3 rather than whatever python3 is first on PATH.
"""

import argparse
import glob
import json
import os
import sys
import time

try:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont
except ImportError:  # pragma: no cover
    sys.exit("build_font.py: fontTools missing: apt-get install python3-fonttools (and run with /usr/bin/python3)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FACE = "Noto Sans CJK SC"


def gb2312_chars():
    """GB2312: rows 0xA1-0xA9 (symbols) and 0xB0-0xF7 (hanzi levels 1 and 2)."""
    out = set()
    rows = list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8))
    for hi in rows:
        for lo in range(0xA1, 0xFF):
            try:
                out.update(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def ranges(*pairs):
    out = set()
    for a, b in pairs:
        out.update(chr(c) for c in range(a, b + 1))
    return out


BASE_RANGES = ranges(
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (×, ÷, °, ±, ·, ...)
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x203B),  # per mille, primes, ※
    (0x2190, 0x2199),  # arrows
    (0x2460, 0x2473),  # circled numbers
    (0x25A0, 0x25A1), (0x25B2, 0x25B3), (0x25BC, 0x25BD), (0x25C6, 0x25C7), (0x25CB, 0x25CB),
    (0x25CE, 0x25CF),  # geometric shapes used as markers
    (0x2605, 0x2606),  # stars
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms
    (0xFFFD, 0xFFFD),  # replacement character
)


def cpp_string_literal_chars(path):
    """Characters inside "..." literals (comments and char literals skipped)."""
    text = open(path, encoding="utf-8").read()
    out, i, n = set(), 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.find("*/", i + 2)
            i = n if i < 0 else i + 2
        elif c == 'R' and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == '_')):
            open_paren = text.find("(", i + 2)
            delim = text[i + 2:open_paren]
            end = text.find(")" + delim + '"', open_paren)
            end = n if end < 0 else end
            out.update(text[open_paren + 1:end])
            i = end + len(delim) + 2
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                elif text[i] != "\n":
                    out.add(text[i])
                i += 1
            i += 1
        elif c == "'":
            i += 1
            while i < n and text[i] != "'":
                i += 2 if text[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return out


def json_string_chars(value, out):
    if isinstance(value, str):
        out.update(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            out.update(k)
            json_string_chars(v, out)
    elif isinstance(value, list):
        for v in value:
            json_string_chars(v, out)


def find_face(path, face):
    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == face:
            return index
    raise SystemExit(f"build_font.py: face {face!r} not found in {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", default=DEFAULT_SOURCE)
    ap.add_argument("--face", default=FACE)
    ap.add_argument("--out", default=os.path.join(ROOT, "build/wasm/web/fonts/reachlens-sc.otf"))
    ap.add_argument("--fallback-out", default=None, help="write the rest of the face here (the fallback font) and stop")
    ap.add_argument("--data", default=os.path.join(ROOT, "build/wasm/web/data/demo"),
                    help="demo tenant folder (dataset.json, campaigns/*.json); skipped when missing")
    args = ap.parse_args()
    t0 = time.time()

    if not os.path.exists(args.source):
        sys.exit(f"build_font.py: {args.source} missing: apt-get install fonts-noto-cjk")

    chars = set(BASE_RANGES) | gb2312_chars()
    n_base = len(chars)
    if args.fallback_out:
        write_fallback(args, chars, t0)
        return
    ui_chars = set()
    sources = sorted(glob.glob(os.path.join(ROOT, "src/ui/*.cpp")) + glob.glob(os.path.join(ROOT, "src/app/*.cpp")) +
                     glob.glob(os.path.join(ROOT, "src/ui/*.h")) + glob.glob(os.path.join(ROOT, "src/app/*.h")))
    for path in sources:
        ui_chars |= cpp_string_literal_chars(path)
    data_chars = set()
    data_files = []
    if os.path.isdir(args.data):
        data_files = [os.path.join(args.data, "dataset.json")] + sorted(glob.glob(os.path.join(args.data, "campaigns", "*.json")))
        for path in data_files:
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    json_string_chars(json.load(f), data_chars)
    chars |= ui_chars | data_chars
    chars = {c for c in chars if ord(c) >= 0x20 and not (0xD800 <= ord(c) <= 0xDFFF)}

    index = find_face(args.source, args.face)
    font = TTFont(args.source, fontNumber=index, lazy=False)
    cmap = font.getBestCmap()
    wanted = sorted(ord(c) for c in chars)
    present = [u for u in wanted if u in cmap]
    missing = [u for u in wanted if u not in cmap]

    opts = subset_options()
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=present)
    sub.subset(font)
    save(font, args.out)

    # Check what we wrote.
    check = TTFont(args.out)
    got = check.getBestCmap()
    lost = [u for u in present if u not in got]
    if lost:
        sys.exit(f"build_font.py: {len(lost)} characters did not survive subsetting, e.g. U+{lost[0]:04X}")
    size = os.path.getsize(args.out)
    ui_missing = sorted(c for c in ui_chars if ord(c) not in cmap and ord(c) > 0x7F)
    data_missing = sorted({c for c in data_chars if ord(c) not in cmap and ord(c) > 0x7F})
    print(f"[font] {args.source} face #{index} ({args.face}) -> {os.path.relpath(args.out, ROOT)}")
    print(f"[font] {len(got)} characters, {len(check.getGlyphOrder())} glyphs, {size:,} bytes ({size / 1048576:.2f} MiB), "
          f"{time.time() - t0:.1f}s")
    print(f"[font] sources: {n_base} base (GB2312 + ranges), {len(ui_chars)} from {len(sources)} UI files, "
          f"{len(data_chars)} from {len(data_files)} demo files; {len(missing)} not in the font")
    if ui_missing:
        print("[font] UI characters not in the font (shown as ImGui's fallback): " + " ".join(ui_missing[:20]))
    if data_missing:
        print(f"[font] {len(data_missing)} demo characters not in the font (emoji etc.), e.g. " + " ".join(data_missing[:12]))


def write_fallback(args, base_chars, t0):
    index = find_face(args.source, args.face)
    font = TTFont(args.source, fontNumber=index, lazy=False)
    base = {ord(c) for c in base_chars}
    rest = sorted(u for u in font.getBestCmap() if u not in base and u >= 0x20)
    sub = subset.Subsetter(subset_options())
    sub.populate(unicodes=rest)
    sub.subset(font)
    save(font, args.fallback_out)
    size = os.path.getsize(args.fallback_out)
    print(f"[font] fallback: {len(rest)} characters -> {os.path.relpath(args.fallback_out, ROOT)}, "
          f"{size:,} bytes ({size / 1048576:.2f} MiB), {time.time() - t0:.1f}s")


def subset_options():
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    opts.name_languages = [0x409]
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG", "JSTF", "MATH", "meta"]
    opts.recalc_bounds = True
    return opts


def save(font, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    font.save(tmp)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
