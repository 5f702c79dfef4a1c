// The dashboard's frame: the header (submit, rules preset, language, theme), the
// composing tabs on the left, the preview tabs and the per-customer table on the right.
// The panels live in their own files; every number comes from the engine (Workspace ->
// PreviewResult / DatasetSummary); this file only lays them out.
#include "ui/dashboard.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/audience_builder.h"
#include "ui/campaign_calendar.h"
#include "ui/composer.h"
#include "ui/customer_table.h"
#include "ui/customer_view.h"
#include "ui/data_panel.h"
#include "ui/drafts.h"
#include "ui/preview_panels.h"
#include "ui/reconcile_panel.h"
#include "ui/send_time_panel.h"
#include "ui/submit_dialog.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {

// ------------------------------------------------------------------ panels
void draw_header(AppState& s) {
    const Palette pal = palette(s.dark);
    const float right_edge = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.45f);
    ImGui::TextColored(pal.accent, "%s", tx("ReachLens 触达透镜", "ReachLens"));
    ImGui::PopFont();
    // The subtitle only on a wide page: at 1024 px and below the submit status and the
    // controls on the right need its room.
    if (right_edge >= 1180 * s.dpi_scale) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", tx("企业微信客户触达预览", "WeCom customer reach preview"));
    }
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 4);
    draw_submit_button(s);

    // Right-aligned controls: rules preset, language, theme.
    const ImGuiStyle& st = ImGui::GetStyle();
    float preset_text_w = ImGui::CalcTextSize(term_text(s.ws.preset()).c_str()).x;
    for (const std::string& name : model::Workspace::presets())
        preset_text_w = std::max(preset_text_w, ImGui::CalcTextSize(term_text(name).c_str()).x);
    const float combo_w = preset_text_w + ImGui::GetFrameHeight() + st.FramePadding.x * 2;
    const char* lang_label = s.lang == Lang::Zh ? "English###language" : "中文###language";
    const char* theme_label = s.dark ? tx("浅色###theme", "Light###theme") : tx("深色###theme", "Dark###theme");
    const float lang_w = ImGui::CalcTextSize(lang_label, nullptr, true).x + st.FramePadding.x * 2;
    const float theme_w = ImGui::CalcTextSize(theme_label, nullptr, true).x + st.FramePadding.x * 2;
    const float preset_label_w = ImGui::CalcTextSize(tx(text::settings_preset)).x;
    const float total = preset_label_w + st.ItemInnerSpacing.x + combo_w + lang_w + theme_w + st.ItemSpacing.x * 2;
    // On the same line when they fit; else right-aligned on a line of their own (never off-screen).
    same_line_if_fits(total);
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right_edge - total));

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tx(text::settings_preset));
    ImGui::SameLine(0, st.ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##preset", term_text(s.ws.preset()).c_str())) {
        for (const std::string& name : model::Workspace::presets()) {
            if (ImGui::Selectable((term_text(name) + "###" + name).c_str(), name == s.ws.preset()) &&
                s.ws.set_preset(name, nullptr))
                s.rules_json.clear();
        }
        ImGui::EndCombo();
    }
    name_item("preset");
    ImGui::SameLine();
    if (ImGui::Button(lang_label)) {
        s.lang = s.lang == Lang::Zh ? Lang::En : Lang::Zh;
        set_language(s.lang);
    }
    ImGui::SameLine();
    if (ImGui::Button(theme_label)) {
        s.dark = !s.dark;
        apply_style(s.dark, s.dpi_scale);
    }
}

void draw_ui_error(AppState& s) {
    if (s.ui_error.empty()) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.8f, 640 * s.dpi_scale), 0));
    if (ImGui::Begin(tx("出错了", "Something went wrong"), nullptr,
                     ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextWrapped("%s", tx("界面出现异常，已恢复。详情：", "The interface hit an error and recovered. Details:"));
        ImGui::PushStyleColor(ImGuiCol_Text, palette(s.dark).bad);
        ImGui::TextWrapped("%s", s.ui_error.c_str());
        ImGui::PopStyleColor();
        if (ImGui::Button(tx("关闭###error_dismiss", "Dismiss###error_dismiss"))) s.ui_error.clear();
    }
    ImGui::End();
}

// The panels, in tab order. Adding a panel: its header declares its state (a member of
// AppState), its draw function and its <name>_state_json; one line here.
constexpr Panel kPanels[] = {
    {PanelPlace::LeftTab, "compose", "撰写", "Compose", draw_composer, "composer", composer_state_json},
    {PanelPlace::LeftTab, "audience", "受众", "Audience", draw_audience_builder, "audience", audience_state_json},
    {PanelPlace::LeftTab, "drafts", "活动与草稿", "Campaigns & drafts", draw_drafts_panel, "drafts", drafts_state_json},
    {PanelPlace::LeftTab, "data", "数据", "Data", [](AppState& s, double) { draw_data_panel(s); }, "data", data_state_json},
    {PanelPlace::RightTab, "overview", "概览", "Overview", [](AppState& s, double) { draw_preview_overview(s); }, "preview",
     preview_state_json},
    {PanelPlace::RightTab, "senders", "成员与部门", "Senders & departments", [](AppState& s, double) { draw_sender_panel(s); },
     nullptr, nullptr},
    {PanelPlace::RightTab, "quota", "额度日历", "Quota calendar", [](AppState& s, double) { draw_quota_heatmap(s); }, nullptr,
     nullptr},
    {PanelPlace::RightTab, "impact", "影响", "Impact", [](AppState& s, double) { draw_impact_panel(s); }, nullptr, nullptr},
    {PanelPlace::RightTab, "customer", "客户视角", "Customer's view", [](AppState& s, double) { draw_customer_view(s); },
     "customer_view", customer_view_state_json},
    {PanelPlace::RightTab, "calendar", "活动日历", "Campaign calendar", draw_campaign_calendar, "calendar", calendar_state_json},
    {PanelPlace::RightTab, "send_time", "发送时机", "Best send time", draw_send_time_panel, "send_time", send_time_state_json},
    {PanelPlace::RightTab, "reconcile", "发送结果对账", "Results", draw_reconcile_panel, "reconcile", reconcile_state_json},
    // Below the tabs, in the composer, in the header and its popups:
    {PanelPlace::Other, nullptr, nullptr, nullptr, nullptr, "table", table_state_json},
    {PanelPlace::Other, nullptr, nullptr, nullptr, nullptr, "media", media_state_json},
    {PanelPlace::Other, nullptr, nullptr, nullptr, nullptr, "submit", submit_state_json},
};

}  // namespace

std::span<const Panel> panels() { return kPanels; }

nlohmann::ordered_json panel_state_json(const AppState& s, std::string_view panel) {
    for (const Panel& p : kPanels)
        if (p.state_name && panel == p.state_name) return p.state_json(s);
    throw std::invalid_argument("rl_panel_json: no panel \"" + std::string(panel) + "\"");
}

void note_label_fit(AppState& state, const char* name, const char* label, float available) {
    if (ImGui::CalcTextSize(label, nullptr, true).x > available + 0.5f) state.cut_labels.push_back(name);
}

void apply_style(bool dark, float dpi_scale) {
    ImGuiStyle style;  // fresh sizes: ScaleAllSizes multiplies
    if (dark) ImGui::StyleColorsDark(&style);
    else ImGui::StyleColorsLight(&style);
    style.WindowRounding = 6;
    style.ChildRounding = 6;
    style.FrameRounding = 4;
    style.PopupRounding = 4;
    style.GrabRounding = 4;
    style.WindowPadding = ImVec2(12, 10);
    style.FramePadding = ImVec2(8, 4);
    style.ItemSpacing = ImVec2(8, 6);
    style.CellPadding = ImVec2(6, 3);
    style.ScrollbarSize = 12;
    if (dark) {
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(0.13f, 0.14f, 0.17f, 1);
    } else {
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.969f, 0.976f, 1);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
        style.Colors[ImGuiCol_Border] = ImVec4(0, 0, 0, 0.10f);
        style.Colors[ImGuiCol_FrameBg] = ImVec4(0.94f, 0.95f, 0.96f, 1);
    }
    style.ScaleAllSizes(dpi_scale);
    style.FontSizeBase = kBaseFontSize;
    style.FontScaleDpi = dpi_scale;
    ImGui::GetStyle() = style;
}

// A tab that the host, the tests or another panel can select (AppState::tab_request).
bool begin_tab(AppState& s, const char* id, const char* label) {
    const std::string full = std::string(label) + "###tab:" + id;
    ImGuiTabItemFlags flags = 0;
    if (s.tab_request == id) {
        flags |= ImGuiTabItemFlags_SetSelected;
        s.tab_request.clear();
    }
    const bool open = ImGui::BeginTabItem(full.c_str(), nullptr, flags);
    note_label_fit(s, (std::string("tab:") + id).c_str(), label,
                   ImGui::GetItemRectSize().x - ImGui::GetStyle().FramePadding.x * 2);
    if (open) s.open_tabs.push_back(id);
    return open;
}

// One tab bar: the panels of `place`, in the list's order. Each panel's body scrolls in a
// child of its own, so the tab bar stays in view however far the panel is scrolled.
// Returns how far the open panel's body can scroll (0 when it fits).
float draw_tabs(AppState& s, const char* bar_id, PanelPlace place, double now) {
    float scroll_max = 0;
    // Tabs that do not fit scroll (arrows at the bar's end) instead of shrinking to "…".
    if (!ImGui::BeginTabBar(bar_id, ImGuiTabBarFlags_FittingPolicyScroll)) return scroll_max;
    for (const Panel& p : kPanels) {
        if (p.place != place) continue;
        if (begin_tab(s, p.tab_id, tx(p.title_zh, p.title_en))) {
            ImGui::BeginChild((std::string("##body_") + p.tab_id).c_str(), ImVec2(0, 0), ImGuiChildFlags_None);
            p.draw(s, now);
            scroll_max = ImGui::GetScrollMaxY();
            ImGui::EndChild();
            name_item("body:", p.tab_id);
            ImGui::EndTabItem();
        }
    }
    ImGui::EndTabBar();
    return scroll_max;
}

// Esc closes the open popups (pickers, menus, combos) even while a text field inside one
// has the keyboard, which would otherwise take the first Esc for itself. Modal dialogs keep
// their own buttons (the submit dialog must not be dismissed by a stray key).
// Esc in a text field leaves it with the text as typed: ImGui's own Esc would revert every
// edit made since the field was focused, and a marketer's work is never thrown away by a key.
void leave_text_field_on_escape() {
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && ImGui::GetActiveID() != 0 &&
        ImGui::GetInputTextState(ImGui::GetActiveID()))
        ImGui::ClearActiveID();
}

void close_popups_on_escape() {
    if (!ImGui::IsKeyPressed(ImGuiKey_Escape, false)) return;
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    for (const ImGuiPopupData& popup : g.OpenPopupStack)
        if (popup.Window && (popup.Window->Flags & ImGuiWindowFlags_Modal)) return;
    if (!g.OpenPopupStack.empty()) ImGui::ClosePopupsExceptModals();
}

void draw_dashboard(AppState& s, double now) {
    s.open_tabs.clear();
    s.cut_labels.clear();
    if (s.debug_fail == 1) {
        s.debug_fail = 0;
        throw std::runtime_error("debug failure requested by rl_debug_fail(1)");
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    const ImGuiWindowFlags root_flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("##reachlens", nullptr, root_flags);
    leave_text_field_on_escape();
    set_display_zone(s.ws.has_dataset() ? s.ws.dataset_summary().tz_offset_minutes : 0);
    draw_header(s);
    ImGui::Spacing();

    // Left: what the marketer composes. Right: what the engine says about it.
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float left_w = std::clamp(avail_w * 0.38f, 300.0f * s.dpi_scale, 560.0f * s.dpi_scale);
    ImGui::BeginChild("##left", ImVec2(left_w, 0), ImGuiChildFlags_Borders);
    // The composer column is the only part that scrolls instead of shrinking: the page
    // would show it whole at this viewport height (the host may size its frame to it).
    s.preferred_height = vp->Size.y + draw_tabs(s, "##left_tabs", PanelPlace::LeftTab, now);
    ImGui::EndChild();
    ImGui::SameLine();

    ImGui::BeginChild("##right", ImVec2(0, 0), ImGuiChildFlags_None);
    // The preview tabs above, the per-customer table below.
    const float preview_h = std::max(ImGui::GetContentRegionAvail().y * 0.58f, ImGui::GetTextLineHeightWithSpacing() * 8);
    ImGui::BeginChild("###preview_panel", ImVec2(0, preview_h), ImGuiChildFlags_Borders);
    draw_tabs(s, "##right_tabs", PanelPlace::RightTab, now);
    ImGui::EndChild();
    ImGui::BeginChild("##customers", ImVec2(0, 0), ImGuiChildFlags_Borders);
    draw_customer_table(s);
    ImGui::EndChild();
    ImGui::EndChild();
    ImGui::End();

    draw_submit_dialog(s);
    draw_ui_error(s);
    close_popups_on_escape();
}

}  // namespace rl::ui
