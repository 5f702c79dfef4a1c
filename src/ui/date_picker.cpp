#include "ui/date_picker.h"

#include <algorithm>

#include "core/time/calendar.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {

std::optional<int64_t> date_picker(const char* name, std::optional<int64_t> selected, const DatePickerOptions& options) {
    const std::string popup = std::string("###date_popup_") + name;
    // The month shown, kept in this window's storage (months since year 0) while the popup is open.
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID month_id = ImGui::GetID(popup.c_str());
    int month_index = storage->GetInt(month_id, 0);
    std::string label;
    if (options.button_label) {
        label = options.button_label;
    } else {
        const LocalDate d = date_of_day(selected.value_or(options.open_on_day));
        label = selected ? fmt("%04lld-%02d-%02d###%s", static_cast<long long>(d.year), d.month, d.day, name)
                         : fmt("%s###%s", tx("选择日期", "Pick a date"), name);
    }
    if (ImGui::Button(label.c_str())) {
        // Each time it opens, the calendar starts at the field's own month.
        const LocalDate open_on = date_of_day(selected.value_or(options.open_on_day));
        month_index = static_cast<int>(open_on.year * 12 + open_on.month - 1);
        storage->SetInt(month_id, month_index);
        ImGui::OpenPopup(popup.c_str());
    }
    std::optional<int64_t> picked;
    const bool open = ImGui::BeginPopup(popup.c_str());
    const int64_t year = floor_div(month_index, 12);
    const int month = static_cast<int>(month_index - year * 12) + 1;
    if (options.shown) *options.shown = {open, year, month};
    if (!open) return picked;

    const ImGuiStyle& style = ImGui::GetStyle();
    if (ImGui::ArrowButton(fmt("###%s:prev", name).c_str(), ImGuiDir_Left)) --month_index;
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(fmt(tx("%lld 年 %d 月", "%lld-%02d"), static_cast<long long>(year), month).c_str());
    name_item(name, ":month");
    ImGui::SameLine();
    if (ImGui::ArrowButton(fmt("###%s:next", name).c_str(), ImGuiDir_Right)) ++month_index;
    if (!options.title_note.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", options.title_note.c_str());
    }

    const int64_t first = day_of_date(year, month, 1);
    const int lead = weekday_of_day(first);  // 0 = Monday
    const int days = days_in_month(year, month);
    const std::vector<DayMark> marks = options.marks ? options.marks(year, month) : std::vector<DayMark>{};
    const ImVec2 cell(ImGui::GetFrameHeight() * 1.45f, ImGui::GetFrameHeight() * 1.16f);
    const float gap = style.ItemSpacing.x * 0.5f;
    for (int w = 0; w < 7; ++w) {
        if (w) ImGui::SameLine(0, gap);
        const char* head = weekday_text(w);
        const float pad = std::max(0.0f, (cell.x - ImGui::CalcTextSize(head).x) * 0.5f);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + pad);
        ImGui::TextDisabled("%s", head);
        ImGui::SameLine(0, 0);
        ImGui::Dummy(ImVec2(pad, 0));
    }
    for (int slot = 0; slot < lead + days; ++slot) {
        if (slot % 7) ImGui::SameLine(0, gap);
        if (slot < lead) {
            ImGui::Dummy(cell);
            continue;
        }
        const int d = slot - lead + 1;
        const bool is_selected = selected && *selected == first + d - 1;
        const DayMark* mark = static_cast<size_t>(d - 1) < marks.size() && marks[static_cast<size_t>(d - 1)].fill.w > 0
                                  ? &marks[static_cast<size_t>(d - 1)]
                                  : nullptr;
        // A marked day keeps its fill when selected; the selection is then its outline.
        int colours = 1;
        ImGui::PushStyleColor(ImGuiCol_Border, style.Colors[ImGuiCol_ButtonActive]);
        if (mark) {
            const ImVec4 c = mark->fill;
            ImGui::PushStyleColor(ImGuiCol_Button, c);
            ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(c.x, c.y, c.z, std::min(1.0f, c.w + 0.2f)));
            colours += 2;
        } else if (is_selected) {
            ImGui::PushStyleColor(ImGuiCol_Button, style.Colors[ImGuiCol_ButtonActive]);
            ++colours;
        }
        if (is_selected) ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
        if (ImGui::Button(fmt("%d###%s:day:%d", d, name, d).c_str(), cell)) {
            picked = first + d - 1;
            ImGui::CloseCurrentPopup();
        }
        if (is_selected) ImGui::PopStyleVar();
        ImGui::PopStyleColor(colours);
        if (mark && !mark->tooltip.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", mark->tooltip.c_str());
    }
    if (options.footer) options.footer();
    ImGui::EndPopup();
    storage->SetInt(month_id, month_index);
    return picked;
}

}  // namespace rl::ui
