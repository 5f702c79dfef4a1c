#include "ui/composer.h"

#include <algorithm>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/widgets.h"
#include "core/campaign_checks.h"

namespace rl::ui {

void draw_composer(AppState& s, double now) {
    section_title(tr("campaign.draft"));
    const Campaign* c = s.ws.draft();
    if (!c) {
        ImGui::TextDisabled("%s", tr("campaign.none"));
        return;
    }
    const int tz = s.ws.has_dataset() ? s.ws.dataset_summary().tz_offset_minutes : 480;
    std::string senders;
    if (c->sender_users.empty() && c->sender_departments.empty()) {
        senders = tr("campaign.senders_all");
    } else {
        for (const IdRef& u : c->sender_users) senders += (senders.empty() ? "" : ", ") + u.id;
        for (const IntIdRef& d : c->sender_departments)
            senders += (senders.empty() ? "#" : ", #") + std::to_string(d.id);
    }
    ImGui::TextDisabled("%s", tr("campaign.id"));
    ImGui::SameLine();
    ImGui::TextUnformatted(c->id.c_str());
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", tr("campaign.kind"));
    ImGui::SameLine();
    ImGui::Text("%s · %s", kind_text(c->kind), origin_text(c->origin));
    ImGui::TextDisabled("%s", tr("campaign.send_time"));
    ImGui::SameLine();
    ImGui::TextUnformatted(c->send_time ? format_date_time(*c->send_time, tz).c_str() : tr("campaign.send_time_now"));
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", tr("campaign.senders"));
    ImGui::SameLine();
    ImGui::TextUnformatted(senders.c_str());
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", tr("campaign.attachments"));
    ImGui::SameLine();
    ImGui::Text("%d", static_cast<int>(c->content.attachments.size()));

    ImGui::TextDisabled("%s", tr("campaign.text"));
    std::string* text = s.ws.draft_text();
    // A new id per external replacement: ImGui drops its edit state for the old text.
    ImGui::PushID(s.ws.draft_revision());
    if (s.focus_request == "draft_text") {
        ImGui::SetKeyboardFocusHere();
        s.focus_request.clear();
    }
    const float h = std::max(ImGui::GetTextLineHeight() * 3.0f, ImGui::GetContentRegionAvail().y -
                                                                   ImGui::GetTextLineHeightWithSpacing() * 1.2f -
                                                                   0.0f);
    if (ImGui::InputTextMultiline("##draft_text", text, ImVec2(-FLT_MIN, h))) s.ws.draft_text_changed(now);
    track_item(s, "draft_text");
    ImGui::PopID();
    ImGui::TextDisabled("%s", fmt(tr("campaign.text_stats"), static_cast<int>(utf8_code_points(*text)),
                                  static_cast<int>(text->size())).c_str());
}

nlohmann::ordered_json composer_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
