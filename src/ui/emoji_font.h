#pragma once
// Colour emoji for Dear ImGui without FreeType: a custom ImFontLoader whose glyphs come
// from a sheet of RGBA bitmaps (scripts/build_emoji.py, from Noto Color Emoji) and are
// stored in the atlas as coloured glyphs (drawn untinted). Merged into the UI font after
// its own sources, so the CJK font keeps the characters it has.
#include <cstdint>
#include <vector>

struct ImFont;

namespace rl::ui {

struct EmojiSheet {
    std::vector<uint8_t> rgba;  // width * height * 4, straight alpha
    int width = 0, height = 0;
    int cell_w = 0, cell_h = 0, columns = 0;
    std::vector<uint32_t> codepoints;  // cell i (row-major) draws codepoints[i]
};

// Adds the sheet to `font` as a merged source. Returns false (and changes nothing) when
// the sheet is inconsistent or the atlas is locked. One sheet per process; a second
// call replaces nothing and returns false.
bool add_emoji_font(ImFont* font, EmojiSheet sheet);

// Characters drawn as nothing (zero advance): ZWJ, the variation selectors, the
// combining keycap. The text keeps them; only their drawing is empty.
bool is_invisible_joiner(uint32_t codepoint);

}  // namespace rl::ui
