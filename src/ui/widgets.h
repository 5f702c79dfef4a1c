#pragma once
// Small drawing and formatting helpers every panel shares (one place for the look).
#include <cstdint>
#include <string>

#include "imgui.h"
#include "core/checks/campaign_checks.h"
#include "core/model/campaign.h"
#include "core/model/dataset.h"

namespace rl::ui {

// j[key] when it is a string, else "" (JSON objects from the page or from storage).
template <class Json>
std::string json_string(const Json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->template get<std::string>() : std::string();
}

struct AppState;

// 1234567 -> "1,234,567".
std::string fmt_int(int64_t v);
// printf into a std::string of whatever length it takes (never truncated).
std::string fmt(const char* format, ...) IM_FMTARGS(1);

const char* kind_text(Kind k);
const char* origin_text(Origin o);
// Kind and origin together, as WeCom's admin names them (the term table in i18n.cpp):
// 企业群发 / 成员群发 / 企业朋友圈 / 成员朋友圈. The string form takes the contract's words
// ("mass_send", "employee"); an unknown pair reads as the words themselves.
std::string kind_origin_text(Kind k, Origin o);
std::string kind_origin_text(const std::string& kind, const std::string& origin);

// The theme's semantic colours.
struct Palette {
    ImVec4 accent, good, bad, warn, muted, bar_bg, card_bg;
};
Palette palette(bool dark);
// One colour per kind of the engine's reason (ReasonCode), the same in every panel: limits
// (quota and policy codes) amber, another employee sending muted, the customer's or the
// sender's state red.
ImVec4 reason_color(const Palette& pal, uint16_t code);

// A two-column table row: muted label, value.
void label_value(const char* label, const std::string& value);
// The width of a button with this label (the text up to any "##"/"###" id).
float button_width(const char* label);
// A slightly larger title with a separator below.
void section_title(const char* text);
// A horizontal bar: fraction of the width, with `text` drawn at its right.
void bar(float fraction, const ImVec4& color, const Palette& pal, const char* text);
// A small card with a big number.
void stat_card(const char* id, const char* label, const std::string& value, const char* note, const ImVec4& color,
               const Palette& pal, float width);
// A card with a count in the marketer's units (count_text: 12.3万), the exact figure in its tooltip.
void count_card(AppState& s, const char* id, const char* label, int64_t count, const char* note, const ImVec4& color,
                const Palette& pal, float width);
// Keeps the next item, `width` wide, on the line of the last one when it fits, else starts
// a new line (at window x `x` when > 0): rows of buttons that wrap in a narrow panel.
// `spacing` < 0: the style's item spacing.
void same_line_if_fits(float width, float x = 0, float spacing = -1.0f);
// Wrapped text in the palette's error colour (nothing when `text` is empty).
void error_text(const AppState& s, const std::string& text);
// An error string for people: when its tail is the workspace's last refused input (InputError's
// "file: pointer: problem"), that tail worded by the catalogue in the UI's language.
std::string engine_error_text(const AppState& s, const std::string& text);
// An engine issue (check or warning) worded by its code in the UI's language.
std::string issue_text(const Issue& issue);
// Employee `e` as marketers know them: the name, or the userid when the dataset gives none.
std::string employee_name(const Dataset& d, uint32_t e);

}  // namespace rl::ui
