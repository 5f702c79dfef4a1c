#pragma once
// Word wrap for a multiline text field (Dear ImGui 1.92.2 has no ImGuiInputTextFlags_WordWrap).
// The field is given the text with a soft break "\r\n" before each code point that starts a
// new visual line; the document keeps the text without them. '\r' is drawn as nothing and
// cannot be typed or pasted into an ImGui field (its input filter drops it), so every '\r'
// in the field is ours; a text that has a '\r' of its own is shown unwrapped (never changed).
// Breaks fall after spaces and around CJK characters and emoji, never inside a code point,
// before a combining mark, skin tone, variation selector or after a zero-width joiner.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rl::ui::soft_wrap {

// The width of one code point as the field draws it.
using Advance = std::function<float(uint32_t code_point)>;

// Whether `text` can be shown wrapped (it has no '\r' of its own).
bool can_wrap(std::string_view text);

// `text` with "\r\n" before each code point that starts a new visual line `width` wide.
std::string wrap(std::string_view text, float width, const Advance& advance);

// The text a shown buffer stands for: every '\r' and the '\n' right after one removed.
std::string unwrap(std::string_view shown);

// Byte offset in a shown buffer -> byte offset in its unwrapped text.
int to_text(std::string_view shown, int shown_pos);
// Byte offset in the text -> offset in the shown buffer (after a soft break at that point:
// the start of the next visual line).
int to_shown(std::string_view shown, int text_pos);

enum class Key { Other, Backspace, Delete };

// ImGui edited the shown buffer `before` into `after` (one edit of a frame): the text the
// marketer now has, and the cursor in it. A soft break left without its other half counts as
// removed; a Backspace or Delete that removed only a soft break removes the code point
// before or after it instead, as it would in an unwrapped field.
std::string edited_text(std::string_view before, std::string_view after, int after_cursor, Key key, int* text_cursor);

// ------------------------------------------------------------------ the ImGui field
// What a wrapped field keeps between frames.
struct Field {
    std::string shown;  // the field's buffer: the text with its soft breaks
    std::string shown_for;  // the text `shown` was made from
    float width = -1;  // the wrap width `shown` was made for
    int cursor = 0;  // the cursor in the last frame (which way it moves over a soft break)
};

// InputTextMultiline whose lines wrap at the field's width; `*text` never holds a soft
// break. Returns true when the marketer changed the text.
bool input_text_multiline(const char* label, std::string* text, float height, Field& field);

}  // namespace rl::ui::soft_wrap
