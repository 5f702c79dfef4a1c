#include "ui/drafts.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/widgets.h"

namespace rl::ui {

void draw_drafts_panel(AppState& s, double) {
    const Palette pal = palette(s.dark);
    section_title(tr("campaign.picker"));
    const auto& files = s.ws.campaign_files();
    for (int i = 0; i < static_cast<int>(files.size()); ++i) {
        const CampaignFile& f = files[i];
        ImGui::PushID(i);
        std::string label = f.error.empty() ? f.id : f.name;
        const bool selected = s.ws.selected_file() == i;
        const float h = ImGui::GetTextLineHeightWithSpacing() * 2;
        if (ImGui::Selectable("##pick", selected, 0, ImVec2(0, h))) {
            std::string err;
            if (!s.ws.select_campaign_file(i, &err)) s.campaign_error = err;
            else s.campaign_error.clear();
        }
        track_item(s, ("campaign:" + f.name).c_str());
        ImVec2 min = ImGui::GetItemRectMin();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec4 text_col = ImGui::GetStyleColorVec4(ImGuiCol_Text);
        dl->AddText(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y), ImGui::GetColorU32(text_col), label.c_str());
        std::string sub = f.error.empty() ? std::string(kind_text(f.kind)) + " · " + origin_text(f.origin) + " · " + f.name
                                          : f.error;
        dl->AddText(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y + ImGui::GetTextLineHeightWithSpacing()),
                    ImGui::GetColorU32(f.error.empty() ? pal.muted : pal.bad), sub.c_str());
        ImGui::PopID();
    }
    if (!s.campaign_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s", s.campaign_error.c_str());
        ImGui::PopStyleColor();
    }
}

nlohmann::ordered_json drafts_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
