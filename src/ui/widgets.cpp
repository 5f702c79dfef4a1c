#include "ui/widgets.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include "ui/app_state.h"
#include "ui/i18n.h"

namespace rl::ui {

std::string fmt_int(int64_t v) {
    char raw[32];
    std::snprintf(raw, sizeof raw, "%lld", static_cast<long long>(v < 0 ? -v : v));
    std::string digits = raw, out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return v < 0 ? "-" + out : out;
}

std::string fmt(const char* format, ...) {
    // Measure, then format into a string of exactly that size: never cut (a cut could
    // split a Chinese character in the middle of its UTF-8 bytes).
    va_list args;
    va_start(args, format);
    va_list measure;
    va_copy(measure, args);
    const int size = std::vsnprintf(nullptr, 0, format, measure);
    va_end(measure);
    std::string out;
    if (size > 0) {
        out.resize(static_cast<size_t>(size));
        std::vsnprintf(out.data(), out.size() + 1, format, args);  // C++17: data() has room for the NUL
    }
    va_end(args);
    return out;
}

const char* kind_text(Kind k) {
    switch (k) {
        case Kind::Moment: return tx("客户朋友圈", "Customer moments");
        case Kind::GroupSend: return tx("客户群群发", "Customer-group send");
        default: return tx("客户群发", "Mass send");
    }
}
std::string kind_origin_text(const std::string& kind, const std::string& origin) {
    if (origin.empty()) return term_text(kind);
    return term_text(kind + "." + origin);
}
std::string kind_origin_text(Kind k, Origin o) { return kind_origin_text(kind_name(k), origin_name(o)); }
const char* origin_text(Origin o) { return o == Origin::Enterprise ? tx("企业发表", "Enterprise") : tx("成员发表", "Employee"); }

Palette palette(bool dark) {
    if (dark)
        return {ImVec4(0.36f, 0.62f, 1.00f, 1), ImVec4(0.30f, 0.78f, 0.47f, 1), ImVec4(0.95f, 0.42f, 0.40f, 1),
                ImVec4(0.96f, 0.70f, 0.30f, 1), ImVec4(0.62f, 0.64f, 0.70f, 1), ImVec4(1, 1, 1, 0.07f),
                ImVec4(1, 1, 1, 0.04f)};
    return {ImVec4(0.13f, 0.42f, 0.90f, 1), ImVec4(0.10f, 0.58f, 0.30f, 1), ImVec4(0.82f, 0.20f, 0.18f, 1),
            ImVec4(0.78f, 0.48f, 0.05f, 1), ImVec4(0.42f, 0.45f, 0.50f, 1), ImVec4(0, 0, 0, 0.06f),
            ImVec4(0, 0, 0, 0.025f)};
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

ImVec4 reason_color(const Palette& pal, uint16_t code) {
    if (code >= kQuotaReasonBase) return pal.warn;
    if (code == kDuplicate) return pal.muted;
    return pal.bad;
}

void label_value(const char* label, const std::string& value) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", label);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(value.c_str());
}

void section_title(const char* text) {
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.15f);
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
    ImGui::Separator();
}

void bar(float fraction, const ImVec4& color, const Palette& pal, const char* text) {
    const float height = ImGui::GetFrameHeight() * 0.8f;
    const float text_w = ImGui::CalcTextSize("000,000 (100.0%)").x;
    const float width = std::max(40.0f, ImGui::GetContentRegionAvail().x - text_w - ImGui::GetStyle().ItemSpacing.x);
    ImVec2 p = ImGui::GetCursorScreenPos();
    const float y_off = (ImGui::GetFrameHeight() - height) * 0.5f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = height * 0.3f;
    dl->AddRectFilled(ImVec2(p.x, p.y + y_off), ImVec2(p.x + width, p.y + y_off + height), ImGui::GetColorU32(pal.bar_bg), r);
    const float f = std::clamp(fraction, 0.0f, 1.0f);
    if (f > 0)
        dl->AddRectFilled(ImVec2(p.x, p.y + y_off), ImVec2(p.x + std::max(width * f, 2.0f), p.y + y_off + height),
                          ImGui::GetColorU32(color), r);
    ImGui::Dummy(ImVec2(width, ImGui::GetFrameHeight()));
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
}

void stat_card(const char* id, const char* label, const std::string& value, const char* note, const ImVec4& color,
               const Palette& pal, float width) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.card_bg);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float h =
        ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetFontSize() * 1.6f + st.ItemSpacing.y + st.WindowPadding.y * 2;
    ImGui::BeginChild(id, ImVec2(width, h), ImGuiChildFlags_Borders, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.6f);
    ImGui::TextColored(color, "%s", value.c_str());
    ImGui::PopFont();
    if (note && *note) ImGui::TextDisabled("%s", note);
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

void count_card(AppState& s, const char* id, const char* label, int64_t count, const char* note, const ImVec4& color,
                const Palette& pal, float width) {
    stat_card(id, label, count_text(count), note, color, pal, width);
    if (ImGui::IsItemHovered()) {
        s.card_tooltip = fmt_int(count);
        ImGui::SetTooltip("%s", s.card_tooltip.c_str());
    }
}

void error_text(const AppState& s, const std::string& text) {
    if (text.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, palette(s.dark).bad);
    ImGui::TextWrapped("%s", engine_error_text(s, text).c_str());
    ImGui::PopStyleColor();
}

std::string engine_error_text(const AppState& s, const std::string& text) {
    const InputError* e = s.ws.last_input_error();
    if (!e) return text;
    const std::string_view what = e->what();
    if (text.size() < what.size() || text.compare(text.size() - what.size(), what.size(), what) != 0) return text;
    return text.substr(0, text.size() - what.size()) + input_error_text(*e);
}

std::string issue_text(const Issue& issue) { return message_text(issue.code, issue.params, issue.message); }

std::string employee_name(const Dataset& d, uint32_t e) {
    if (e >= d.employees.size()) return tx("员工", "Employee");
    return d.employees[e].name.empty() ? d.employees[e].userid : d.employees[e].name;
}

void same_line_if_fits(float width, float x, float spacing) {
    const float gap = spacing < 0 ? ImGui::GetStyle().ItemSpacing.x : spacing;
    const float line_end = ImGui::GetItemRectMax().x + gap + width;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;  // from the next line's start
    if (line_end <= right) ImGui::SameLine(0, gap);
    else if (x > 0) ImGui::SetCursorPosX(x);
}

}  // namespace rl::ui
