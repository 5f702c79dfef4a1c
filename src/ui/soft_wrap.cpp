#include "ui/soft_wrap.h"

#include <algorithm>
#include <cfloat>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"  // ImTextCharFromUtf8 (the field's own UTF-8 decoding), GetActiveID
#include "misc/cpp/imgui_stdlib.h"

namespace rl::ui::soft_wrap {
namespace {

struct CodePoint {
    int offset, size;
    uint32_t c;
};

std::vector<CodePoint> code_points(std::string_view text) {
    std::vector<CodePoint> out;
    const char* begin = text.data();
    const char* end = begin + text.size();
    for (const char* p = begin; p < end;) {
        unsigned int c = 0;
        const int n = std::max(1, ImTextCharFromUtf8(&c, p, end));
        out.push_back({static_cast<int>(p - begin), n, c});
        p += n;
    }
    return out;
}

bool is_space(uint32_t c) { return c == ' ' || c == '\t' || c == 0x3000; }

// Code points that belong to the one before them: a break before one would split a
// character as people see it (accents, emoji modifiers, selectors, ZWJ sequences, keycaps).
bool joins_previous(uint32_t c) {
    return (c >= 0x300 && c <= 0x36F) || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1F3FB && c <= 0x1F3FF) ||
           (c >= 0xE0020 && c <= 0xE007F) || c == 0x20E3;
}

// Chinese punctuation that must not begin a line (and opening brackets that must not end one).
bool no_line_start(uint32_t c) {
    switch (c) {
        case 0x3001:
        case 0x3002:
        case 0xFF0C:
        case 0xFF0E:
        case 0xFF01:
        case 0xFF1F:
        case 0xFF1B:
        case 0xFF1A:
        case 0xFF09:
        case 0x300B:
        case 0x300D:
        case 0x300F:
        case 0x3011:
        case 0x201D:
        case 0x2019:
        case 0x2026:
        case ',':
        case '.':
        case '!':
        case '?':
        case ';':
        case ':':
        case ')': return true;
        default: return false;
    }
}
bool no_line_end(uint32_t c) {
    return c == 0xFF08 || c == 0x300A || c == 0x300C || c == 0x300E || c == 0x3010 || c == 0x201C || c == 0x2018 || c == '(';
}

bool wide(uint32_t c) { return c >= 0x2E80; }  // CJK, fullwidth forms, emoji: a break may fall on either side

// Whether a line may break between `prev` and `c`.
bool break_allowed(uint32_t prev, uint32_t c) {
    if (joins_previous(c) || prev == 0x200D || is_space(c) || no_line_start(c) || no_line_end(prev)) return false;
    return is_space(prev) || wide(prev) || wide(c) || prev == '-' || prev == '/';
}

}  // namespace

bool can_wrap(std::string_view text) { return text.find('\r') == std::string_view::npos; }

std::string wrap(std::string_view text, float width, const Advance& advance) {
    if (!can_wrap(text) || width <= 0) return std::string(text);
    const std::vector<CodePoint> cps = code_points(text);
    std::vector<float> w(cps.size());
    for (size_t i = 0; i < cps.size(); ++i) w[i] = cps[i].c == '\n' ? 0.0f : advance(cps[i].c);
    std::vector<size_t> breaks;  // code point indices that start a visual line
    size_t line_start = 0;
    float line_w = 0;
    size_t candidate = 0;  // the last index after line_start where a break is allowed (0 = none)
    for (size_t i = 0; i < cps.size(); ++i) {
        const uint32_t c = cps[i].c;
        if (c == '\n') {
            line_start = i + 1, line_w = 0, candidate = 0;
            continue;
        }
        if (i > line_start && break_allowed(cps[i - 1].c, c)) candidate = i;
        // Too wide: break at the last allowed place, else before this code point (a word
        // longer than the line) unless that would split a character or start a line with "，".
        const bool forced_ok = cps[i - (i > 0)].c != 0x200D && !no_line_start(c);
        if (line_w + w[i] > width && i > line_start && !is_space(c) && !joins_previous(c) &&
            (candidate > line_start || forced_ok)) {
            const size_t at = candidate > line_start ? candidate : i;
            breaks.push_back(at);
            line_start = at, candidate = 0, line_w = 0;
            for (size_t k = at; k < i; ++k) line_w += w[k];
        }
        line_w += w[i];
    }
    std::string out;
    out.reserve(text.size() + breaks.size() * 2);
    size_t from = 0;
    for (size_t b : breaks) {
        const size_t at = static_cast<size_t>(cps[b].offset);
        out.append(text.substr(from, at - from));
        out += "\r\n";
        from = at;
    }
    out.append(text.substr(from));
    return out;
}

std::string unwrap(std::string_view shown) {
    std::string out;
    out.reserve(shown.size());
    for (size_t i = 0; i < shown.size(); ++i) {
        if (shown[i] == '\r' || (shown[i] == '\n' && i > 0 && shown[i - 1] == '\r')) continue;
        out += shown[i];
    }
    return out;
}

int to_text(std::string_view shown, int shown_pos) {
    int n = 0;
    for (int i = 0; i < shown_pos && i < static_cast<int>(shown.size()); ++i)
        n += !(shown[i] == '\r' || (shown[i] == '\n' && i > 0 && shown[i - 1] == '\r'));
    return n;
}

int to_shown(std::string_view shown, int text_pos) {
    int n = 0, i = 0;
    const int size = static_cast<int>(shown.size());
    while (i < size) {
        const bool soft = shown[i] == '\r' || (shown[i] == '\n' && i > 0 && shown[i - 1] == '\r');
        if (!soft) {
            if (n == text_pos) break;
            ++n;
        }
        ++i;
    }
    return i;
}

std::string edited_text(std::string_view before, std::string_view after, int after_cursor, Key key, int* text_cursor) {
    const size_t lb = before.size(), la = after.size();
    size_t prefix = 0;
    while (prefix < lb && prefix < la && before[prefix] == after[prefix]) ++prefix;
    size_t suffix = 0;
    while (suffix < lb - prefix && suffix < la - prefix && before[lb - 1 - suffix] == after[la - 1 - suffix]) ++suffix;
    // A '\n' is soft when a '\r' precedes it; one in the unchanged tail keeps what it was
    // before the edit (its '\r' may be what the edit removed, or text typed between them).
    auto soft_newline = [&](size_t i) {
        if (i >= la - suffix) {
            const size_t j = i - (la - lb);
            return j > 0 && before[j - 1] == '\r';
        }
        return i > 0 && after[i - 1] == '\r';
    };
    std::string text;
    text.reserve(la);
    std::vector<int> at(la + 1);
    for (size_t i = 0; i < la; ++i) {
        at[i] = static_cast<int>(text.size());
        if (after[i] == '\r' || (after[i] == '\n' && soft_newline(i))) continue;
        text += after[i];
    }
    at[la] = static_cast<int>(text.size());
    int cursor = at[static_cast<size_t>(std::clamp(after_cursor, 0, static_cast<int>(la)))];

    // Only a soft break removed (Backspace at the start of a visual line, Delete at its end):
    // remove the code point the key points at, as an unwrapped field would.
    const std::string_view removed = before.substr(prefix, lb - suffix - prefix);
    const bool only_soft_removed = la - suffix == prefix && !removed.empty() &&
                                   removed.find_first_not_of("\r\n") == std::string_view::npos && text == unwrap(before);
    if (only_soft_removed && key != Key::Other) {
        const int r = at[prefix];
        if (key == Key::Backspace && r > 0) {
            int start = r - 1;
            while (start > 0 && (static_cast<unsigned char>(text[static_cast<size_t>(start)]) & 0xC0) == 0x80) --start;
            text.erase(static_cast<size_t>(start), static_cast<size_t>(r - start));
            cursor = start;
        } else if (key == Key::Delete && r < static_cast<int>(text.size())) {
            unsigned int c = 0;
            const int n = std::max(1, ImTextCharFromUtf8(&c, text.data() + r, text.data() + text.size()));
            text.erase(static_cast<size_t>(r), static_cast<size_t>(n));
            cursor = r;
        }
    }
    if (text_cursor) *text_cursor = cursor;
    return text;
}

// ------------------------------------------------------------------ the ImGui field
namespace {

float advance_of(uint32_t c) { return ImGui::GetFontBaked()->GetCharAdvance(static_cast<ImWchar>(c)); }

void replace_buffer(ImGuiInputTextCallbackData* data, const std::string& shown) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, shown.data(), shown.data() + shown.size());
}

struct CallbackContext {
    Field* field;
    float width;
};

int field_callback(ImGuiInputTextCallbackData* data) {
    auto* ctx = static_cast<CallbackContext*>(data->UserData);
    Field& f = *ctx->field;
    const std::string_view buffer(data->Buf, static_cast<size_t>(data->BufTextLen));
    if (data->EventFlag == ImGuiInputTextFlags_CallbackEdit) {
        // f.shown is still the buffer as the last frame left it (ImGui copies the edit out after this).
        const Key key = ImGui::IsKeyPressed(ImGuiKey_Backspace) ? Key::Backspace
                        : ImGui::IsKeyPressed(ImGuiKey_Delete)  ? Key::Delete
                                                                : Key::Other;
        int cursor = 0;
        const std::string text = edited_text(f.shown, buffer, data->CursorPos, key, &cursor);
        const std::string shown = wrap(text, ctx->width, advance_of);
        if (shown != buffer) replace_buffer(data, shown);
        data->CursorPos = data->SelectionStart = data->SelectionEnd = to_shown(shown, cursor);
    } else if (data->EventFlag == ImGuiInputTextFlags_CallbackAlways) {
        // The width changed while editing: wrap again, the cursor and selection kept on their characters.
        const std::string shown = wrap(unwrap(buffer), ctx->width, advance_of);
        if (shown != buffer) {
            const int cursor = to_text(buffer, data->CursorPos), a = to_text(buffer, data->SelectionStart),
                      b = to_text(buffer, data->SelectionEnd);
            replace_buffer(data, shown);
            data->CursorPos = to_shown(shown, cursor);
            data->SelectionStart = to_shown(shown, a);
            data->SelectionEnd = to_shown(shown, b);
        }
        // Never rest between the two halves of a soft break: step over it the way the cursor moves.
        const int c = data->CursorPos;
        if (c > 0 && c < data->BufTextLen && data->Buf[c - 1] == '\r' && data->Buf[c] == '\n' &&
            data->SelectionStart == data->SelectionEnd) {
            data->CursorPos = data->SelectionStart = data->SelectionEnd = c > f.cursor ? c + 1 : c - 1;
        }
    }
    f.cursor = data->CursorPos;
    return 0;
}

}  // namespace

bool input_text_multiline(const char* label, std::string* text, float height, Field& field) {
    const ImGuiStyle& style = ImGui::GetStyle();
    if (!can_wrap(*text)) return ImGui::InputTextMultiline(label, text, ImVec2(-FLT_MIN, height));
    // Room for the text: the frame's padding and a vertical scrollbar off the width.
    const float width = ImGui::GetContentRegionAvail().x - style.FramePadding.x * 2 - style.ScrollbarSize - 2;
    // While the field is active ImGui owns its buffer: only the callback may wrap it again.
    if (ImGui::GetActiveID() != ImGui::GetID(label) && (field.shown_for != *text || field.width != width)) {
        field.shown = wrap(*text, width, advance_of);
        field.shown_for = *text;
        field.width = width;
    }
    CallbackContext ctx{&field, width};
    const bool edited =
        ImGui::InputTextMultiline(label, &field.shown, ImVec2(-FLT_MIN, height),
                                  ImGuiInputTextFlags_CallbackEdit | ImGuiInputTextFlags_CallbackAlways, field_callback, &ctx);
    if (!edited) return false;
    std::string now = unwrap(field.shown);
    field.shown_for = now;
    field.width = width;
    if (now == *text) return false;
    *text = std::move(now);
    return true;
}

}  // namespace rl::ui::soft_wrap
