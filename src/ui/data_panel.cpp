#include "ui/data_panel.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/widgets.h"

namespace rl::ui {

void draw_data_panel(AppState& s) {
    const Palette pal = palette(s.dark);
    section_title(tr("data.title"));
    if (!s.dataset_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s: %s", tr(s.ws.has_dataset() ? "error.dataset_kept" : "error.dataset"),
                           s.dataset_error.c_str());
        ImGui::PopStyleColor();
    }
    if (!s.ws.has_dataset()) {
        ImGui::TextDisabled("%s", s.loading ? tr("data.loading") : tr("data.none"));
        return;
    }
    const DatasetSummary& d = s.ws.dataset_summary();
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.15f);
    ImGui::TextUnformatted(d.corp_name.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s · %s · %s", d.industry.c_str(), d.verified ? tr("data.verified") : tr("data.unverified"),
                        fmt("UTC%+d", d.tz_offset_minutes / 60).c_str());
    if (ImGui::BeginTable("##data", 2, ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
        label_value(tr("data.employees"),
                    fmt_int(d.employees) + " (" + fmt(tr("data.employees_active"), static_cast<long long>(d.employees_active)) + ")");
        label_value(tr("data.departments"), fmt_int(d.departments));
        label_value(tr("data.customers"), fmt_int(d.customers));
        label_value(tr("data.relations"), fmt_int(d.relations));
        label_value(tr("data.tags"), fmt_int(d.tags));
        label_value(tr("data.deliveries"), fmt_int(d.deliveries));
        label_value(tr("data.not_interested"), fmt_int(d.not_interested));
        label_value(tr("data.scheduled"), fmt_int(d.scheduled));
        label_value(tr("data.date_range"),
                    format_date(d.earliest, d.tz_offset_minutes) + " ~ " + format_date(d.latest, d.tz_offset_minutes));
        label_value(tr("data.now"), format_date_time(d.now, d.tz_offset_minutes));
        ImGui::EndTable();
    }
    ImGui::TextDisabled("%s", fmt(tr("data.load_time"), d.load_ms, d.memory_mb).c_str());
    track_item(s, "data_panel");
}

nlohmann::ordered_json data_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
