#include "ui/preview_panels.h"

#include <algorithm>
#include <vector>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/widgets.h"

namespace rl::ui {

void draw_preview_overview(AppState& s) {
    const Palette pal = palette(s.dark);
    section_title(tr("preview.title"));
    const PreviewResult* r = s.ws.result();
    if (!r) {
        ImGui::TextDisabled("%s", s.ws.recompute_pending() ? tr("preview.pending") : tr("campaign.none"));
        return;
    }
    // Status line: submittable, recompute time.
    ImGui::TextColored(r->submittable ? pal.good : pal.bad, "● %s",
                       r->submittable ? tr("preview.submittable") : tr("preview.not_submittable"));
    track_item(s, "submittable");
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", fmt(tr("preview.recompute"), s.ws.last_recompute_ms()).c_str());
    track_item(s, "recompute_time");
    if (s.ws.recompute_pending()) {
        ImGui::SameLine();
        ImGui::TextColored(pal.warn, "%s", tr("preview.pending"));
    }

    // Cards.
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float card_w = (ImGui::GetContentRegionAvail().x - spacing * 3) / 4;
    const double pct = r->audience ? 100.0 * static_cast<double>(r->reached) / static_cast<double>(r->audience) : 0.0;
    stat_card("##c_aud", tr("preview.audience"), fmt_int(r->audience), "", pal.accent, pal, card_w);
    track_item(s, "audience");
    ImGui::SameLine();
    stat_card("##c_reach", tr("preview.reached"), fmt_int(r->reached), fmt("%.1f%%", pct).c_str(), pal.good, pal, card_w);
    track_item(s, "reached");
    ImGui::SameLine();
    stat_card("##c_del", tr("preview.deliveries"), fmt_int(r->deliveries), "", pal.accent, pal, card_w);
    track_item(s, "deliveries");
    ImGui::SameLine();
    stat_card("##c_send", tr("campaign.senders"), fmt_int(static_cast<int64_t>(r->senders.size())), "", pal.accent, pal,
              card_w);

    // Blocked reasons, largest first; the reached share on top for scale.
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("preview.blocked"));
    std::vector<std::pair<int64_t, uint16_t>> rows;
    for (size_t code = 1; code < r->blocked_customers.size(); ++code)
        if (r->blocked_customers[code] > 0) rows.push_back({r->blocked_customers[code], static_cast<uint16_t>(code)});
    std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first > b.first; });
    if (ImGui::BeginTable("##blocked", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("bar", ImGuiTableColumnFlags_WidthStretch);
        auto row = [&](const char* label, const std::string& code, int64_t n, const ImVec4& col) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(label);
            if (ImGui::IsItemHovered() && !code.empty()) ImGui::SetTooltip("%s", code.c_str());
            ImGui::TableNextColumn();
            const double p = r->audience ? static_cast<double>(n) / static_cast<double>(r->audience) : 0.0;
            bar(static_cast<float>(p), col, pal, fmt("%s (%.1f%%)", fmt_int(n).c_str(), p * 100).c_str());
        };
        row(reason_text("reached"), "reached", r->reached, pal.good);
        for (auto& [n, code] : rows) {
            const std::string& label = r->reason_label(code);
            const bool quota = label.rfind("quota:", 0) == 0 || label.rfind("policy:", 0) == 0;
            row(reason_text(label), label, n, quota ? pal.warn : pal.bad);
        }
        ImGui::EndTable();
    }
    track_item(s, "blocked");
    if (rows.empty() && r->audience > 0) ImGui::TextColored(pal.good, "%s", tr("preview.blocked_none"));

    // Errors and warnings.
    ImGui::Spacing();
    if (r->errors.empty()) {
        ImGui::TextColored(pal.good, "%s", tr("preview.errors_none"));
    } else {
        ImGui::TextColored(pal.bad, "%s (%d)", tr("preview.errors"), static_cast<int>(r->errors.size()));
        for (const Issue& e : r->errors) {
            ImGui::Bullet();
            ImGui::TextColored(pal.bad, "%s", e.code.c_str());
            ImGui::SameLine();
            ImGui::TextWrapped("%s", e.message.c_str());
        }
    }
    track_item(s, "errors");
    if (!r->warnings.empty()) {
        if (ImGui::TreeNode("##warnings", "%s", fmt(tr("preview.warnings"), static_cast<int>(r->warnings.size())).c_str())) {
            for (const Issue& w : r->warnings) {
                ImGui::Bullet();
                ImGui::TextWrapped("%s: %s", w.code.c_str(), w.message.c_str());
            }
            ImGui::TreePop();
        }
    }
}

void draw_sender_panel(AppState& s) { (void)s; }

void draw_quota_heatmap(AppState& s) { (void)s; }

void draw_impact_panel(AppState& s) {
    const Palette pal = palette(s.dark);
    const PreviewResult* r = s.ws.result();
    if (!r) return;
    // Impact on scheduled campaigns (those whose reach changes).
    int changed = 0;
    for (const ImpactEntry& e : r->impact) changed += e.reached_before != e.reached_after;
    if (changed > 0 && ImGui::TreeNodeEx("##impact", ImGuiTreeNodeFlags_DefaultOpen, "%s (%d)", tr("preview.impact"), changed)) {
        if (ImGui::BeginTable("##impact_t", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn(tr("preview.impact_campaign"));
            ImGui::TableSetupColumn(tr("preview.impact_before"));
            ImGui::TableSetupColumn(tr("preview.impact_after"));
            ImGui::TableHeadersRow();
            for (const ImpactEntry& e : r->impact) {
                if (e.reached_before == e.reached_after) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(e.campaign_id.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt_int(e.reached_before).c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(pal.bad, "%s", fmt_int(e.reached_after).c_str());
            }
            ImGui::EndTable();
        }
        ImGui::TreePop();
    }
}

nlohmann::ordered_json preview_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
