#include "ui/audience_builder.h"

#include "imgui.h"
#include "ui/app_state.h"
#include "ui/i18n.h"

namespace rl::ui {

void draw_audience_builder(AppState& s, double) {
    (void)s;
    ImGui::TextDisabled("%s", tx("受众编辑器即将推出", "Audience builder: coming"));
}

nlohmann::ordered_json audience_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
