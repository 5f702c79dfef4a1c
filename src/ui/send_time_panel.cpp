#include "ui/send_time_panel.h"

#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "core/time/calendar.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/widgets.h"

namespace rl::ui {

namespace {

constexpr double kFrameBudgetMs = 8.0;  // per frame: the page never blocks

int weekday_of(Time t, int tz_offset_minutes) { return weekday_of_day(local_day_number(t, tz_offset_minutes)); }

std::string day_label(Time t, int tz) { return model::format_date(t, tz).substr(5) + " " + weekday_text(weekday_of(t, tz)); }

// The colours of the blocked reasons, in the order the bars stack them.
ImVec4 reason_color(size_t i, const Palette& pal) {
    const ImVec4 colors[] = {pal.bad, pal.warn, pal.muted, ImVec4(0.55f, 0.35f, 0.75f, 1), ImVec4(0.2f, 0.55f, 0.6f, 1)};
    return colors[i % 5];
}

void set_send_time(AppState& s, Time t, double now) {
    nlohmann::ordered_json* doc = s.ws.edit_draft();
    if (!doc) return;
    (*doc)["send_time"] = t;
    s.ws.draft_edited(now);
}

}  // namespace

void step_send_time_explorer(AppState& s) {
    SendTimePanelState& st = s.send_time;
    st.explorer.sync(s.ws);
    st.explorer.step(kFrameBudgetMs);
}

void draw_send_time_panel(AppState& s, double now) {
    SendTimePanelState& st = s.send_time;
    const Palette pal = palette(s.dark);
    const Dataset* data = s.ws.dataset();
    const Exploration* e = st.explorer.result();
    if (!data || !e) {
        ImGui::TextDisabled("%s", tx("先载入数据并选择一个活动草稿。", "Load a tenant and pick a draft first."));
        return;
    }
    const int tz = data->enterprise.tz_offset_minutes;

    // Range: how many days, at what time of day.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tx("天数", "Days"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * s.dpi_scale);
    if (ImGui::InputInt("###explore_days", &st.days)) {
        st.days = std::clamp(st.days, 1, 92);
        st.explorer.options.days = st.days;
        st.explorer.options_changed();
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tx("发送时刻", "Time of day"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80 * s.dpi_scale);
    if (!st.time_of_day[0])
        std::snprintf(st.time_of_day, sizeof st.time_of_day, "%02d:%02d", e->minute_of_day / 60, e->minute_of_day % 60);
    if (ImGui::InputText("###explore_time", st.time_of_day, sizeof st.time_of_day, ImGuiInputTextFlags_EnterReturnsTrue)) {
        int h = -1, m = -1;
        if (std::sscanf(st.time_of_day, "%d:%d", &h, &m) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60) {
            st.explorer.options.minute_of_day = h * 60 + m;
            st.explorer.options_changed();
            st.time_invalid = false;
        } else {
            st.time_invalid = true;
        }
    }
    if (st.time_invalid) error_text(s, tx("请输入 00:00 到 23:59 之间的时刻", "Type a time of day from 00:00 to 23:59"));

    const size_t total = e->candidates.size();
    if (st.explorer.running()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s %d%%", tx("计算中", "computing"), static_cast<int>(st.explorer.progress() * 100));
    }
    if (e->best >= 0) {
        const ExploreBar& b = e->bars[size_t(e->best)];
        ImGui::TextColored(pal.good, "%s %s %s · %s %s", tx("最佳发送日：", "Best day:"),
                           model::format_date(b.send_time, tz).c_str(), weekday_text(weekday_of(b.send_time, tz)),
                           tx("触达", "reached"), fmt_int(b.reached).c_str());
    }

    // Chart: one slot per candidate; reached (bottom) and blocked by reason stacked on it.
    const float height = 220 * s.dpi_scale, label_h = ImGui::GetTextLineHeightWithSpacing();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(200.0f, ImGui::GetContentRegionAvail().x);
    const float slot = width / float(std::max<size_t>(total, 1));
    int64_t top = 1;
    for (const ExploreBar& b : e->bars) top = std::max(top, b.audience);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), ImGui::GetColorU32(pal.bar_bg));
    // Reasons present anywhere, in code order, for stable colours.
    std::vector<size_t> reasons;
    for (size_t code = 1; code < e->reason_labels.size(); ++code)
        for (const ExploreBar& b : e->bars)
            if (code < b.blocked_customers.size() && b.blocked_customers[code]) {
                reasons.push_back(code);
                break;
            }
    st.hovered = -1;
    for (size_t i = 0; i < total; ++i) {
        const float x0 = origin.x + slot * float(i) + std::min(2.0f, slot * 0.1f),
                    x1 = origin.x + slot * float(i + 1) - std::min(2.0f, slot * 0.1f);
        ImGui::SetCursorScreenPos(ImVec2(origin.x + slot * float(i), origin.y));
        char label[48];
        std::snprintf(label, sizeof label, "###explore_bar_%zu", i);
        const bool clicked = ImGui::InvisibleButton(label, ImVec2(std::max(1.0f, slot), height));
        const bool hovered = ImGui::IsItemHovered();
        if (i >= e->bars.size()) continue;  // not computed yet
        const ExploreBar& b = e->bars[i];
        float y = origin.y + height;
        auto segment = [&](int64_t n, const ImVec4& color) {
            const float h = height * float(n) / float(top);
            dl->AddRectFilled(ImVec2(x0, y - h), ImVec2(x1, y), ImGui::GetColorU32(color));
            y -= h;
        };
        ImVec4 reached_color = int(i) == e->best ? pal.good : pal.accent;
        segment(b.reached, reached_color);
        for (size_t k = 0; k < reasons.size(); ++k) segment(b.blocked_customers[reasons[k]], reason_color(k, pal));
        if (b.scheduled_taken > 0) {  // a notch at the top: reach taken from scheduled campaigns
            const float h = std::max(2.0f, height * float(b.scheduled_taken) / float(top));
            dl->AddRectFilled(ImVec2(x0, y - h), ImVec2(x1, y), ImGui::GetColorU32(pal.warn), 0);
        }
        if (b.chosen)
            dl->AddRect(ImVec2(x0 - 1, origin.y + 1), ImVec2(x1 + 1, origin.y + height - 1), ImGui::GetColorU32(pal.bad), 0, 0,
                        2.0f);
        if (hovered) {
            st.hovered = static_cast<int>(i);
            dl->AddRectFilled(ImVec2(x0, origin.y), ImVec2(x1, origin.y + height), IM_COL32(255, 255, 255, 40));
            ImGui::BeginTooltip();
            ImGui::Text("%s %s", model::format_date_time(b.send_time, tz).c_str(), weekday_text(weekday_of(b.send_time, tz)));
            ImGui::Text("%s %s / %s", tx("触达", "Reached"), fmt_int(b.reached).c_str(), fmt_int(b.audience).c_str());
            for (size_t k = 0; k < reasons.size(); ++k)
                if (int64_t n = b.blocked_customers[reasons[k]])
                    ImGui::TextColored(reason_color(k, pal), "%s %s", reason_text(e->reason_labels[reasons[k]]),
                                       fmt_int(n).c_str());
            if (b.scheduled_taken)
                ImGui::TextColored(pal.warn, "%s %s", tx("占用已排期活动的触达", "taken from scheduled campaigns"),
                                   fmt_int(b.scheduled_taken).c_str());
            ImGui::TextDisabled("%s", tx("点击设为发送时间", "click to send then"));
            ImGui::EndTooltip();
        }
        if (clicked) set_send_time(s, b.send_time, now);
    }
    // Day labels under the bars, as many as fit.
    const float label_w = ImGui::CalcTextSize("12-31 一").x + 8;
    const size_t every = std::max<size_t>(1, size_t(label_w / std::max(1.0f, slot)) + 1);
    for (size_t i = 0; i < total; i += every)
        dl->AddText(ImVec2(origin.x + slot * float(i), origin.y + height + 2), ImGui::GetColorU32(pal.muted),
                    day_label(e->candidates[i], tz).c_str());
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height + label_h + 4));
    // Legend.
    ImGui::TextColored(pal.accent, "■ %s", tx("触达", "reached"));
    ImGui::SameLine();
    ImGui::TextColored(pal.good, "■ %s", tx("最佳日", "best day"));
    for (size_t k = 0; k < reasons.size(); ++k) {
        ImGui::SameLine();
        ImGui::TextColored(reason_color(k, pal), "■ %s", reason_text(e->reason_labels[reasons[k]]));
    }
    ImGui::SameLine();
    ImGui::TextColored(pal.warn, "■ %s", tx("占用排期", "taken from scheduled"));
    ImGui::SameLine();
    ImGui::TextColored(pal.bad, "□ %s", tx("当前选择", "current choice"));
}

nlohmann::ordered_json send_time_state_json(const AppState& s) {
    const Exploration* e = s.send_time.explorer.result();
    nlohmann::ordered_json out;
    out["running"] = s.send_time.explorer.running();
    out["compute_ms"] = s.send_time.explorer.compute_ms();
    out["progress"] = s.send_time.explorer.progress();
    out["hovered"] = s.send_time.hovered;
    out["explore"] = e ? explore_json(*e) : nlohmann::ordered_json();
    return out;
}

}  // namespace rl::ui
