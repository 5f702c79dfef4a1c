#pragma once
// Small drawing and formatting helpers every panel shares (one place for the look).
#include <cstdint>
#include <string>

#include "imgui.h"
#include "core/model/campaign.h"

namespace rl::ui {

struct AppState;

// 1234567 -> "1,234,567".
std::string fmt_int(int64_t v);
// printf into a std::string of whatever length it takes (never truncated).
std::string fmt(const char* format, ...) IM_FMTARGS(1);

const char* kind_text(Kind k);
const char* origin_text(Origin o);

// The theme's semantic colours.
struct Palette {
    ImVec4 accent, good, bad, warn, muted, bar_bg, card_bg;
};
Palette palette(bool dark);

// A two-column table row: muted label, value.
void label_value(const char* label, const std::string& value);
// A slightly larger title with a separator below.
void section_title(const char* text);
// A horizontal bar: fraction of the width, with `text` drawn at its right.
void bar(float fraction, const ImVec4& color, const Palette& pal, const char* text);
// A small card with a big number.
void stat_card(const char* id, const char* label, const std::string& value, const char* note, const ImVec4& color,
               const Palette& pal, float width);
// Wrapped text in the palette's error colour (nothing when `text` is empty).
void error_text(const AppState& s, const std::string& text);

}  // namespace rl::ui
