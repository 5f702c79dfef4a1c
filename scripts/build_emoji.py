#!/usr/bin/python3
"""Builds the colour emoji sheet the page draws emoji from (fonts/reachlens-emoji.json).

    /usr/bin/python3 scripts/build_emoji.py --out build/wasm/web/fonts/reachlens-emoji.json
                                            [--data build/wasm/web/data/demo]

Source: Debian's fonts-noto-color-emoji (NotoColorEmoji.ttf), whose glyphs are PNG
bitmaps (136x128) in a CBDT table; python3-fonttools reads them, python3-pil scales
them. Dear ImGui without FreeType cannot draw CBDT glyphs, so the page gets them as
one PNG sheet: src/ui/emoji_font.cpp hands them to ImGui as coloured glyphs.

Which emoji (the sheet is a subset, like the UI font):
  * CURATED below: what Chinese marketing posts and customer nicknames use: faces,
    hands, hearts, celebration and shopping, beauty and fashion, food and drink, the
    festivals (Spring Festival, Mid-Autumn, Christmas), weather and nature, animals,
    the enclosed ideographs (🉐 🈹 🈵 ㊗) and signs (🔥 ✨ ✅ 🆕);
  * the five skin-tone modifiers U+1F3FB-1F3FF (drawn as their swatches after the
    hand: ImGui does not shape, so 👍🏻 shows as 👍 then a swatch; the text keeps both
    code points);
  * the ZWJ family components 👨 👩 👧 👦 🧑 👶 (a family 👨‍👩‍👧 shows as its members;
    U+200D ZWJ and the variation selectors U+FE0E/U+FE0F are zero-width, handled in
    emoji_font.cpp without a bitmap);
  * every other emoji the tenant's data has (customer names, campaign texts) with
    --data, so a nickname with a rare emoji draws in colour too.
Output: JSON {format, cell_w, cell_h, columns, codepoints[], png (base64 sheet)}; the
sheet is a grid of cell_w x cell_h cells in codepoints' order.
"""

import argparse
import base64
import glob
import io
import json
import os
import sys

from fontTools.ttLib import TTFont
from PIL import Image

EMOJI_FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
FORMAT = "reachlens.emoji-sheet/1"
# 40 px wide cells (38 high, the font's 136:128): sharp at 2x for the UI's 15 px text.
# The sheet is quantized to 256 colours (with alpha): 690 emoji take ~290 KB instead
# of 1.7 MB as full RGBA PNG, with no visible loss at these sizes.
CELL_W, CELL_H = 40, 38
COLUMNS = 32

CURATED = (
    # faces
    "😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛😜🤪😝🤑🤗🤭🤫🤔😐😑😶😏😒🙄😬😮😯😲😳🥺😦😧"
    "😨😰😥😢😭😱😖😣😞😓😩😫🥱😤😡😠🤬😈👿💀👻👽🤖😺😸😹😻😼😽🙀😿😾🥳🤩😎🤓🧐😷🤒🤕🤢🤮🤧"
    "😴🤤😪😵🤯🤠🥴🥵🥶"
    # hands and people
    "👍👎👏🙌👐🤲🙏🤝👌🤌🤏✌🤞🤟🤘🤙👈👉👆👇☝✋🤚🖐🖖👋💪✍💅🤳👀👁👂👃👄💋👅"
    "🙋🙆🙅🤷🤦💁🙇👸🤴👰🤵🧑👨👩👧👦👶👴👵👪👫👬👭💏💑🎅🤶🧚🧜🏃💃🕺🧘"
    # hearts and symbols
    "❤🧡💛💚💙💜🤎🖤🤍💔❣💕💞💓💗💖💘💝💟♥💯💢💥💫💦💨🕳💬💭💤"
    "✨⭐🌟⚡🔥💎👑🎉🎊🎈🎁🎀🎗🎟🎫🏷🛍🛒💰💴💵💸💳🧾💹📈📉📊🏆🥇🥈🥉🏅🎖🎯🚀"
    "✅☑✔❌❎➕➖➗❓❔❗❕‼⁉⭕🚫⛔⚠🔞📵🆕🆓🆒🆗🆙🆚🔝🔜🔛🔚🔙🆘🈶🈚🈸🈺🈷🈯🉐🈹🈲🉑🈴🈳㊗㊙🈵🅰🅱🆎🅾"
    "🔴🟠🟡🟢🔵🟣⚫⚪🟥🟧🟨🟩🟦🟪⬛⬜🔶🔷🔸🔹🔺🔻💠🔘"
    "📢📣📯🔔🔕📌📍📎🔗✂📝✏📖📚📰🗞📅📆🗓⏰⏱⏳⌛🕐🕙📦📫📮🚚🛵✈🚗🏠🏡🏢🏬🏪🏫🏥🏨"
    "📱💻🖥⌨📷📸📹🎥📺📻🎙🎧🎤🎵🎶🎼🎹🎸🎮🧩🎲🎨🖼🧸🪄💡🔍🔎🔑🔒🔓🛎🧧🏮🎐🪅"
    "👉👆⬆⬇⬅➡↗↘↙↖↔↕🔄🔃🔁▶⏸⏩⏪🔼🔽"
    # beauty and fashion
    "💄💍💐👗👘👙👚👛👜👝🎒👞👟👠👡👢👒🎩🧢👓🕶🧣🧤🧥🧦👔👕👖🧴🧼🪥🪞🛁🧖💆💇"
    # food and drink
    "🍎🍏🍐🍊🍋🍌🍉🍇🍓🫐🍈🍒🍑🥭🍍🥥🥝🍅🥑🥦🥬🥒🌶🌽🥕🍠🥐🍞🥖🧀🥚🍳🥞🧇🥓🥩🍗🍖🌭🍔🍟🍕🥪🌮🌯🥗"
    "🍝🍜🍲🍛🍣🍱🥟🍤🍙🍚🍘🍥🥮🍢🍡🍧🍨🍦🥧🧁🍰🎂🍮🍭🍬🍫🍿🍩🍪🌰🥜🍯🥛☕🍵🧋🧃🥤🍶🍺🍻🥂🍷🥃🍸🍹🍾🧊🥢🍴"
    # festivals, weather, nature
    "🎄🎃🎆🎇🧨🎋🎍🎎🎏🎑🌕🌙🌛⛄☃❄🌨🌧⛈🌩🌤⛅☁🌦🌈☀🌞🌝🌚🌊💧☔⛱🏖🏝🌋⛰🏔🗻🌅🌄🌇🌃🌌🌠"
    "🌸🌹🌺🌻🌼🌷💮🏵🥀🌱🌲🌳🌴🌵🌾🌿☘🍀🍁🍂🍃🍄"
    # animals
    "🐶🐱🐭🐹🐰🦊🐻🐼🐨🐯🦁🐮🐷🐸🐵🙈🙉🙊🐔🐧🐦🐤🦆🦅🦉🐺🐗🐴🦄🐝🦋🐌🐞🐢🐍🐉🐲🐠🐟🐬🐳🐋🦈🐙🦀🦞🐘🦒🐇🐿🦔🐾"
    # sports and leisure
    "⚽🏀🏈⚾🎾🏐🏓🏸⛳🏋🚴🏊⛷🏂🎿🛹🎳🎪🎭🎬🎤🎡🎢🎠🗽🗼🏯🏰⛩🕌"
)
SKIN_TONES = [0x1F3FB, 0x1F3FC, 0x1F3FD, 0x1F3FE, 0x1F3FF]
FAMILY_COMPONENTS = [0x1F468, 0x1F469, 0x1F467, 0x1F466, 0x1F9D1, 0x1F476]


def is_emoji_candidate(cp):
    """Code points worth looking up in the emoji font for tenant text: not ASCII or
    plain punctuation (the emoji font has digits, # and * as keycap bases)."""
    return cp >= 0x2000 and cp not in (0x200D, 0xFE0E, 0xFE0F, 0x20E3)


def tenant_codepoints(folder):
    out = set()

    def walk(v):
        if isinstance(v, str):
            out.update(ord(ch) for ch in v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    for path in [os.path.join(folder, "dataset.json")] + sorted(glob.glob(os.path.join(folder, "campaigns", "*.json"))):
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                walk(json.load(f))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--data", help="a tenant folder (dataset.json, campaigns/) whose emoji are added")
    ap.add_argument("--font", default=EMOJI_FONT)
    args = ap.parse_args(argv)

    if not os.path.isfile(args.font):
        sys.exit("build_emoji: %s not found: install fonts-noto-color-emoji (scripts/setup.sh)" % args.font)
    font = TTFont(args.font)
    cmap = font.getBestCmap()
    strike = font["CBDT"].strikeData[0]

    wanted = []
    seen = set()
    for cp in [ord(ch) for ch in CURATED] + SKIN_TONES + FAMILY_COMPONENTS:
        if cp not in seen:
            seen.add(cp)
            wanted.append(cp)
    missing = [cp for cp in wanted if cp not in cmap]
    if missing:  # a typo in CURATED: every one of them is in Noto Color Emoji 2.042
        sys.exit("build_emoji: not in %s: %s" % (args.font, " ".join("U+%04X" % cp for cp in missing)))
    extra = []
    if args.data:
        for cp in sorted(tenant_codepoints(args.data)):
            if cp not in seen and is_emoji_candidate(cp) and cp in cmap:
                seen.add(cp)
                extra.append(cp)
    codepoints = wanted + extra

    rows = (len(codepoints) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGBA", (COLUMNS * CELL_W, rows * CELL_H), (0, 0, 0, 0))
    for i, cp in enumerate(codepoints):
        glyph = strike[cmap[cp]]
        img = Image.open(io.BytesIO(glyph.imageData)).convert("RGBA")
        img = img.resize((CELL_W, CELL_H), Image.LANCZOS)
        sheet.paste(img, ((i % COLUMNS) * CELL_W, (i // COLUMNS) * CELL_H))
    buf = io.BytesIO()
    sheet.quantize(256, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", optimize=True)
    png = buf.getvalue()
    doc = {"format": FORMAT, "cell_w": CELL_W, "cell_h": CELL_H, "columns": COLUMNS,
           "codepoints": codepoints, "png": base64.b64encode(png).decode("ascii")}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        json.dump(doc, f, separators=(",", ":"))
    os.replace(tmp, args.out)
    print("%s: %d emoji (%d curated + skin tones + family, %d from the tenant), sheet %dx%d, PNG %d bytes, file %d bytes"
          % (args.out, len(codepoints), len(wanted), len(extra), sheet.width, sheet.height, len(png),
             os.path.getsize(args.out)))


if __name__ == "__main__":
    main()
