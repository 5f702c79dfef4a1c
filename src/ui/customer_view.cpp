#include "ui/customer_view.h"

#include "imgui.h"
#include "ui/app_state.h"
#include "ui/i18n.h"

namespace rl::ui {

void show_customer(AppState& s, uint32_t index) {
    s.customer_view.customer = index;
    s.tab_request = "customer";
}

void draw_customer_view(AppState& s) {
    (void)s;
    ImGui::TextDisabled("%s", tx("客户视角即将推出", "Customer's view: coming"));
}

nlohmann::ordered_json customer_view_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
