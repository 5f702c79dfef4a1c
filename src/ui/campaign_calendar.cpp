#include "ui/campaign_calendar.h"

#include "imgui.h"
#include "ui/app_state.h"
#include "ui/i18n.h"

namespace rl::ui {

void draw_campaign_calendar(AppState& s, double) {
    (void)s;
    ImGui::TextDisabled("%s", tx("活动日历即将推出", "Campaign calendar: coming"));
}

nlohmann::ordered_json calendar_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
