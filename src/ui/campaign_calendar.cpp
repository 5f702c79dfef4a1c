#include "ui/campaign_calendar.h"

#include <algorithm>
#include <vector>

#include "imgui.h"
#include "core/time/calendar.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {

// ------------------------------------------------------------------ dates
// The local calendar is core's (core/time/calendar.h).
LocalDay local_day(Time t, int tz_offset_minutes) {
    const int64_t day = local_day_number(t, tz_offset_minutes);
    const LocalDate date = date_of_day(day);
    LocalDay out;
    out.year = date.year;
    out.month = date.month;
    out.day = date.day;
    out.weekday = weekday_of_day(day);
    return out;
}

int first_weekday(int64_t year, int month) { return weekday_of_day(day_of_date(year, month, 1)); }

void step_month(int64_t& year, int& month, int delta) {
    const int64_t index = year * 12 + (month - 1) + delta;
    year = floor_div(index, 12);
    month = static_cast<int>(index - year * 12) + 1;
}

// ------------------------------------------------------------------ entries
namespace {

enum class Source { Past, Scheduled, Draft };
const char* source_name(Source s) { return s == Source::Past ? "past" : s == Source::Scheduled ? "scheduled" : "draft"; }

// One campaign on the calendar, at the local day it starts.
struct Entry {
    Source source = Source::Past;
    std::string id;
    Kind kind = Kind::Moment;
    Origin origin = Origin::Enterprise;
    Time time = 0, end_time = 0;
    int64_t number = 0;  // past: deliveries; scheduled: reached with the draft; draft: reached
    size_t index = 0;  // into past_campaigns / scheduled
    LocalDay day;
};

// Every campaign of the month shown: the draft and the scheduled ones first, then past
// ones by deliveries (the busiest first), within a day.
std::vector<Entry> month_entries(const AppState& s, int64_t year, int month) {
    std::vector<Entry> out;
    const Dataset* d = s.ws.dataset();
    if (!d) return out;
    const int tz = s.ws.dataset_summary().tz_offset_minutes;
    const PreviewResult* r = s.ws.result();
    auto in_month = [&](Time t, LocalDay& day) {
        day = local_day(t, tz);
        return day.year == year && day.month == month;
    };
    Entry e;
    if (const Campaign* draft = s.ws.draft(); draft && r && in_month(r->send_time, e.day)) {
        e.source = Source::Draft;
        e.id = draft->id;
        e.kind = draft->kind;
        e.origin = draft->origin;
        e.time = e.end_time = r->send_time;
        e.number = r->reached;
        out.push_back(e);
    }
    for (size_t i = 0; i < d->scheduled.size(); ++i) {
        if (i == s.ws.draft_scheduled_index()) continue;  // the draft's accepted copy: shown as the draft
        const Campaign& c = d->scheduled[i];
        if (!c.send_time || !in_month(*c.send_time, e.day)) continue;
        e.source = Source::Scheduled;
        e.id = c.id;
        e.kind = c.kind;
        e.origin = c.origin;
        e.time = e.end_time = *c.send_time;
        e.number = -1;  // not simulated (e.g. before the dataset's time)
        if (r)
            for (const ImpactEntry& im : r->impact)
                if (im.campaign_id == c.id) e.number = im.reached_after;
        e.index = i;
        out.push_back(e);
    }
    for (size_t i = 0; i < d->past_campaigns.size(); ++i) {
        const PastCampaign& c = d->past_campaigns[i];
        if (!in_month(c.first_time, e.day)) continue;
        e.source = Source::Past;
        e.id = c.id;
        e.kind = c.kind;
        e.origin = c.origin;
        e.time = c.first_time;
        e.end_time = c.last_time;
        e.number = c.deliveries;
        e.index = i;
        out.push_back(e);
    }
    std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
        if (a.day.day != b.day.day) return a.day.day < b.day.day;
        if (a.source != b.source) return a.source > b.source;  // draft, scheduled, past
        if (a.source == Source::Past && a.number != b.number) return a.number > b.number;
        return a.time < b.time;
    });
    return out;
}

// "reaches N": customers, or groups for a group send (contract 8.3 counts groups).
std::string reach_text(Kind kind, int64_t n) {
    return kind == Kind::GroupSend ? fmt(tx("送达 %s 个群", "reaches %s groups"), fmt_int(n).c_str())
                                   : fmt(tx("触达 %s 人", "reaches %s"), fmt_int(n).c_str());
}

ImVec4 source_color(Source src, const Palette& pal) {
    return src == Source::Draft ? pal.warn : src == Source::Scheduled ? pal.accent : pal.muted;
}
ImVec4 with_alpha(ImVec4 c, float a) {
    c.w *= a;
    return c;
}

// The key the scheduled previews depend on: the dataset and the rules.
std::string preview_cache_key(const AppState& s) {
    return fmt("%p|%s|", static_cast<const void*>(s.ws.dataset()), s.ws.preset().c_str()) + s.rules_json;
}

void open_campaign(AppState& s, const Entry& e) {
    CampaignCalendarState& c = s.calendar;
    c.open_campaign = std::string(source_name(e.source)) + ":" + e.id;
    c.selected_day = e.day.day;
    if (e.source != Source::Scheduled) return;
    const std::string key = preview_cache_key(s);
    if (c.cache_key != key) {
        c.scheduled_previews.clear();
        c.cache_key = key;
    }
    // Computed here, on the click that opens it (a cold run of one campaign), then cached.
    if (!c.scheduled_previews.count(e.index)) {
        if (std::optional<PreviewResult> pr = s.ws.preview_scheduled(e.index)) {
            c.scheduled_previews.emplace(e.index, std::move(*pr));
            ++c.previews_computed;
        }
    }
}

void draw_result_numbers(const PreviewResult& r, const Palette& pal) {
    if (ImGui::BeginTable("##cal_numbers", 2, ImGuiTableFlags_SizingFixedFit)) {
        label_value(tx(text::preview_audience), fmt_int(r.audience));
        label_value(tx(text::preview_reached),
                    fmt("%s (%.1f%%)", fmt_int(r.reached).c_str(), r.audience ? 100.0 * r.reached / r.audience : 0.0));
        label_value(tx(text::preview_deliveries), fmt_int(r.deliveries));
        ImGui::EndTable();
    }
    ImGui::TextDisabled("%s", tx(text::preview_blocked));
    std::vector<std::pair<int64_t, uint16_t>> rows;
    for (size_t code = 1; code < r.blocked_customers.size(); ++code)
        if (r.blocked_customers[code] > 0) rows.push_back({r.blocked_customers[code], static_cast<uint16_t>(code)});
    std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first > b.first; });
    if (rows.empty()) ImGui::TextColored(pal.good, "%s", tx(text::preview_blocked_none));
    if (!rows.empty() && ImGui::BeginTable("##cal_blocked", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("bar", ImGuiTableColumnFlags_WidthStretch);
        for (auto& [n, code] : rows) {
            const std::string label = r.reason_label(code);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(reason_text(label));
            ImGui::TableNextColumn();
            const double p = r.audience ? static_cast<double>(n) / static_cast<double>(r.audience) : 0.0;
            bar(static_cast<float>(p), reason_color(pal, code), pal, fmt("%s (%.1f%%)", fmt_int(n).c_str(), p * 100).c_str());
        }
        ImGui::EndTable();
    }
}

void draw_details(AppState& s, const std::vector<Entry>& entries, const Palette& pal) {
    CampaignCalendarState& c = s.calendar;
    const Dataset* d = s.ws.dataset();
    const int tz = s.ws.dataset_summary().tz_offset_minutes;
    const Entry* open = nullptr;
    for (const Entry& e : entries)
        if (c.open_campaign == std::string(source_name(e.source)) + ":" + e.id) open = &e;

    if (!open) {
        if (c.selected_day <= 0) {
            ImGui::TextDisabled("%s", tx("点击日期查看当天的活动", "Click a day to list its campaigns"));
            return;
        }
        ImGui::TextUnformatted(
            fmt(tx("%lld 年 %d 月 %d 日", "%lld-%02d-%02d"), static_cast<long long>(c.year), c.month, c.selected_day).c_str());
        ImGui::Separator();
        int n = 0;
        for (const Entry& e : entries) {
            if (e.day.day != c.selected_day) continue;
            ++n;
            ImGui::PushID(static_cast<int>(e.index * 3 + static_cast<size_t>(e.source)));
            ImGui::TextColored(source_color(e.source, pal), "●");
            ImGui::SameLine();
            // The id wraps inside the list's column (a long id in a narrow panel), the row as tall as it.
            const float wrap_w = std::max(1.0f, ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x);
            const ImVec2 id_size = ImGui::CalcTextSize(e.id.c_str(), nullptr, false, wrap_w);
            if (ImGui::Selectable(("###cal_list:" + e.id).c_str(), false, 0, ImVec2(0, id_size.y))) open_campaign(s, e);
            ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImGui::GetItemRectMin(),
                                                ImGui::GetColorU32(ImGuiCol_Text), e.id.c_str(), nullptr, wrap_w);
            ImGui::Indent(ImGui::GetFrameHeight());
            const std::string number = e.source == Source::Past
                                           ? fmt(tx("送达 %s 次", "%s deliveries"), fmt_int(e.number).c_str())
                                       : e.number >= 0 ? reach_text(e.kind, e.number)
                                                       : std::string();
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            ImGui::TextWrapped("%s · %s · %s", model::format_date_time(e.time, tz).substr(11).c_str(),
                               kind_origin_text(e.kind, e.origin).c_str(), number.c_str());
            ImGui::PopStyleColor();
            name_item("cal_list_note:", e.id);
            ImGui::Unindent(ImGui::GetFrameHeight());
            ImGui::PopID();
        }
        if (n == 0) ImGui::TextDisabled("%s", tx("当天没有活动", "No campaign that day"));
        return;
    }

    if (ImGui::SmallButton(fmt("‹ %s###calendar_back", tx("返回", "Back")).c_str())) {
        c.open_campaign.clear();
        return;
    }
    ImGui::SameLine();
    ImGui::TextColored(source_color(open->source, pal), "● %s",
                       open->source == Source::Draft       ? tx("草稿", "Draft")
                       : open->source == Source::Scheduled ? tx("待发送", "Scheduled")
                                                           : tx("已发送", "Sent"));
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.1f);
    ImGui::TextWrapped("%s", open->id.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s", kind_origin_text(open->kind, open->origin).c_str());
    if (ImGui::BeginTable("##cal_meta", 2, ImGuiTableFlags_SizingFixedFit)) {
        if (open->source == Source::Past) {
            const PastCampaign& pc = d->past_campaigns[open->index];
            label_value(tx("首次发送", "First"), model::format_date_time(pc.first_time, tz));
            label_value(tx("最后发送", "Last"), model::format_date_time(pc.last_time, tz));
            label_value(tx(text::preview_deliveries), fmt_int(pc.deliveries));
            label_value(
                pc.kind == Kind::GroupSend ? tx("匹配到的群", "To known groups") : tx("匹配到的客户", "To known customers"),
                fmt_int(pc.customers_matched));
        } else {
            label_value(tx("发送时间", "Send time"), model::format_date_time(open->time, tz));
            if (open->source == Source::Scheduled && s.ws.result()) {
                for (const ImpactEntry& im : s.ws.result()->impact) {
                    if (im.campaign_id != open->id) continue;
                    label_value(tx("触达（无草稿）", "Reach without the draft"), fmt_int(im.reached_before));
                    label_value(tx("触达（有草稿）", "Reach with the draft"), fmt_int(im.reached_after));
                }
            }
        }
        ImGui::EndTable();
    }
    if (open->source == Source::Draft) {
        if (const PreviewResult* r = s.ws.result()) draw_result_numbers(*r, pal);
        return;
    }
    if (open->source != Source::Scheduled) return;
    const Campaign& sc = d->scheduled[open->index];
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tx("内容", "Content"));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.card_bg);
    ImGui::BeginChild("##cal_content", ImVec2(0, 0), ImGuiChildFlags_Borders | ImGuiChildFlags_AutoResizeY);
    if (sc.content.text.empty()) ImGui::TextDisabled("%s", tx("（无文字）", "(no text)"));
    else ImGui::TextWrapped("%s", sc.content.text.c_str());
    for (const Attachment& a : sc.content.attachments) {
        const std::string& name = !a.name.empty() ? a.name : !a.title.empty() ? a.title : a.url;
        ImGui::TextColored(pal.accent, "▣ %s", attachment_type_name(a.type));
        ImGui::SameLine();
        ImGui::TextWrapped("%s", name.c_str());
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tx("单独预览（作为草稿，不含本草稿）", "Its own preview (as the draft, without this draft)"));
    auto it = c.scheduled_previews.find(open->index);
    if (c.cache_key == preview_cache_key(s) && it != c.scheduled_previews.end()) {
        draw_result_numbers(it->second, pal);
    } else {
        ImGui::TextDisabled("%s", tx("规则或数据已变化", "Rules or data changed"));
        ImGui::SameLine();
        if (ImGui::SmallButton(fmt("%s###cal_recompute", tx("重新计算", "Recompute")).c_str())) open_campaign(s, *open);
    }
    name_item("calendar_preview");
}

}  // namespace

void draw_campaign_calendar(AppState& s, double) {
    const Palette pal = palette(s.dark);
    const Dataset* d = s.ws.dataset();
    if (!d) {
        ImGui::TextDisabled("%s", tx(text::campaign_none));
        return;
    }
    CampaignCalendarState& c = s.calendar;
    const int tz = s.ws.dataset_summary().tz_offset_minutes;
    auto go_to_draft_month = [&] {
        const PreviewResult* r = s.ws.result();
        const LocalDay day = local_day(r ? r->send_time : d->now, tz);
        c.year = day.year;
        c.month = day.month;
        c.selected_day = day.day;
    };
    if (c.year == 0) go_to_draft_month();

    // Navigation and legend.
    const ImGuiStyle& st = ImGui::GetStyle();
    if (ImGui::ArrowButton("###calendar_prev", ImGuiDir_Left)) {
        step_month(c.year, c.month, -1);
        c.selected_day = 0;
        c.open_campaign.clear();
    }
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::PushFont(nullptr, st.FontSizeBase * 1.1f);
    ImGui::TextUnformatted(fmt(tx("%lld 年 %d 月", "%lld-%02d"), static_cast<long long>(c.year), c.month).c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    if (ImGui::ArrowButton("###calendar_next", ImGuiDir_Right)) {
        step_month(c.year, c.month, 1);
        c.selected_day = 0;
        c.open_campaign.clear();
    }
    const std::string draft_month_label = fmt("%s###calendar_draft_month", tx("草稿所在月", "Draft's month"));
    same_line_if_fits(button_width(draft_month_label.c_str()));
    if (ImGui::Button(draft_month_label.c_str())) {
        go_to_draft_month();
        c.open_campaign.clear();
    }
    // The legend follows on the line while each entry fits, else wraps (a narrow panel).
    const char* legend[] = {tx("已发送", "Sent"), tx("待发送", "Scheduled"), tx("草稿", "Draft")};
    const Source legend_src[] = {Source::Past, Source::Scheduled, Source::Draft};
    for (int i = 0; i < 3; ++i) {
        const float entry_w = ImGui::CalcTextSize("■").x + st.ItemInnerSpacing.x + ImGui::CalcTextSize(legend[i]).x;
        same_line_if_fits(entry_w, 0, st.ItemSpacing.x * (i ? 1.5f : 3));
        ImGui::TextColored(source_color(legend_src[i], pal), "■");
        ImGui::SameLine(0, st.ItemInnerSpacing.x);
        ImGui::TextDisabled("%s", legend[i]);
    }

    const std::vector<Entry> entries = month_entries(s, c.year, c.month);
    const int days = days_in_month(c.year, c.month);
    const int first = first_weekday(c.year, c.month);
    const int rows = (first + days + 6) / 7;
    std::vector<std::vector<const Entry*>> by_day(static_cast<size_t>(days) + 1);
    for (const Entry& e : entries) by_day[static_cast<size_t>(e.day.day)].push_back(&e);

    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float details_w = std::clamp(avail_w * 0.34f, 200.0f * s.dpi_scale, 380.0f * s.dpi_scale);
    const float grid_w = avail_w - details_w - st.ItemSpacing.x;
    const float avail_h = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 12);

    // ---- the month grid
    ImGui::BeginChild("###calendar_grid", ImVec2(grid_w, avail_h), ImGuiChildFlags_None);
    {
        const float gap = 3 * s.dpi_scale;
        const float cell_w = (ImGui::GetContentRegionAvail().x - gap * 6) / 7;
        const float line = ImGui::GetTextLineHeight();
        // Chips and counts in a smaller font, so a cell shows more of a campaign's name.
        const float small = ImGui::GetStyle().FontSizeBase * 0.8f;
        ImGui::PushFont(nullptr, small);
        const float chip_line = ImGui::GetTextLineHeight() + 2 * s.dpi_scale;
        ImGui::PopFont();
        const float head_h = ImGui::GetTextLineHeightWithSpacing();
        const float fit_h = (ImGui::GetContentRegionAvail().y - head_h - gap * rows) / rows;
        const float cell_h = std::max(fit_h, line * 1.15f + chip_line * 2.1f + 2 * s.dpi_scale);
        const int chips = std::max(1, static_cast<int>((cell_h - line * 1.15f) / (chip_line * 1.05f)));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImVec2 o = ImGui::GetCursorScreenPos();
        static const char* const zh[] = {"一", "二", "三", "四", "五", "六", "日"};
        static const char* const en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        for (int w = 0; w < 7; ++w) {
            const char* label = language() == Lang::Zh ? zh[w] : en[w];
            const float tw = ImGui::CalcTextSize(label).x;
            dl->AddText(ImVec2(o.x + w * (cell_w + gap) + (cell_w - tw) * 0.5f, o.y),
                        ImGui::GetColorU32(w >= 5 ? pal.accent : pal.muted), label);
        }
        o.y += head_h;
        const LocalDay today = local_day(d->now, tz);
        for (int day = 1; day <= days; ++day) {
            const int slot = first + day - 1;
            const ImVec2 a(o.x + (slot % 7) * (cell_w + gap), o.y + (slot / 7) * (cell_h + gap));
            const ImVec2 b(a.x + cell_w, a.y + cell_h);
            const bool selected = day == c.selected_day;
            dl->AddRectFilled(a, b, ImGui::GetColorU32(selected ? with_alpha(pal.accent, 0.14f) : pal.card_bg), 4 * s.dpi_scale);
            dl->AddRect(a, b, ImGui::GetColorU32(selected ? pal.accent : with_alpha(pal.muted, 0.25f)), 4 * s.dpi_scale, 0,
                        selected ? 2.0f * s.dpi_scale : 1.0f);
            const bool is_today = today.year == c.year && today.month == c.month && today.day == day;
            const std::string day_label = fmt(is_today ? "%d ·" : "%d", day);
            const float pad = 4 * s.dpi_scale;
            dl->AddText(ImVec2(a.x + pad, a.y + 1),
                        ImGui::GetColorU32(is_today ? pal.accent : ImGui::GetStyleColorVec4(ImGuiCol_Text)), day_label.c_str());
            const float day_end = a.x + pad + ImGui::CalcTextSize(day_label.c_str()).x;
            name_rect(fmt("cal_day_number:%d", day), ImVec2(a.x + pad, a.y + 1), ImVec2(day_end, a.y + 1 + line));
            const auto& list = by_day[static_cast<size_t>(day)];
            ImGui::PushFont(nullptr, small);
            if (!list.empty()) {
                // The day's count right-aligned after the day number: "3 场", in a narrow cell
                // "3", and none where even that would run into the number (the chips and the
                // day's list still show the campaigns).
                const float room = b.x - pad - (day_end + pad);
                std::string count = fmt(tx("%d 场", "%d"), static_cast<int>(list.size()));
                if (ImGui::CalcTextSize(count.c_str()).x > room) count = std::to_string(list.size());
                const float cw = ImGui::CalcTextSize(count.c_str()).x;
                if (cw <= room) {
                    const ImVec2 at(b.x - cw - pad, a.y + 3 * s.dpi_scale);
                    dl->AddText(at, ImGui::GetColorU32(pal.muted), count.c_str());
                    name_rect(fmt("cal_day_count:%d", day), at, ImVec2(at.x + cw, at.y + ImGui::GetTextLineHeight()));
                }
            }
            // Chips: the first entries of the day, each clickable.
            for (int k = 0; k < chips && k < static_cast<int>(list.size()); ++k) {
                const Entry& e = *list[static_cast<size_t>(k)];
                const ImVec2 ca(a.x + 2 * s.dpi_scale, a.y + line * 1.15f + k * chip_line * 1.05f);
                const ImVec2 cb(b.x - 2 * s.dpi_scale, ca.y + chip_line);
                if (cb.y > b.y) break;
                const ImVec4 col = source_color(e.source, pal);
                ImGui::SetCursorScreenPos(ca);
                ImGui::PushID(static_cast<int>(e.index * 3 + static_cast<size_t>(e.source)));
                if (ImGui::InvisibleButton(("###cal:" + e.id).c_str(), ImVec2(cb.x - ca.x, cb.y - ca.y))) open_campaign(s, e);
                const bool hovered = ImGui::IsItemHovered();
                ImGui::PopID();
                if (e.source == Source::Draft) {
                    dl->AddRectFilled(ca, cb, ImGui::GetColorU32(with_alpha(col, hovered ? 0.45f : 0.28f)), 3 * s.dpi_scale);
                    dl->AddRect(ca, cb, ImGui::GetColorU32(col), 3 * s.dpi_scale, 0, 1.5f * s.dpi_scale);
                } else {
                    dl->AddRectFilled(ca, cb, ImGui::GetColorU32(with_alpha(col, hovered ? 0.35f : 0.18f)), 3 * s.dpi_scale);
                    dl->AddRectFilled(ca, ImVec2(ca.x + 3 * s.dpi_scale, cb.y), ImGui::GetColorU32(col), 1);
                }
                dl->PushClipRect(ca, cb, true);
                // A group send's chip says so: its figures count groups, not customers.
                const std::string chip = e.kind == Kind::GroupSend ? std::string(tx("群·", "G·")) + e.id : e.id;
                dl->AddText(ImVec2(ca.x + 5 * s.dpi_scale, ca.y + 1 * s.dpi_scale), ImGui::GetColorU32(ImGuiCol_Text),
                            chip.c_str());
                dl->PopClipRect();
                if (hovered) {
                    ImGui::PopFont();
                    ImGui::BeginTooltip();
                    ImGui::TextColored(col, "● %s", e.id.c_str());
                    ImGui::TextDisabled("%s · %s", kind_origin_text(e.kind, e.origin).c_str(),
                                        model::format_date_time(e.time, tz).c_str());
                    if (e.source == Source::Past)
                        ImGui::TextUnformatted(fmt(tx("送达 %s 次", "%s deliveries"), fmt_int(e.number).c_str()).c_str());
                    else if (e.number >= 0) ImGui::TextUnformatted(reach_text(e.kind, e.number).c_str());
                    ImGui::EndTooltip();
                    ImGui::PushFont(nullptr, small);
                }
            }
            ImGui::PopFont();
            // The cell itself selects the day (submitted after the chips, which win the hover).
            ImGui::SetCursorScreenPos(a);
            if (ImGui::InvisibleButton(fmt("###cal_day:%d", day).c_str(), ImVec2(cell_w, cell_h))) {
                c.selected_day = day;
                c.open_campaign.clear();
            }
        }
        ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + rows * (cell_h + gap)));
        ImGui::Dummy(ImVec2(1, 0));
    }
    ImGui::EndChild();
    ImGui::SameLine();

    // ---- details of the selected day or the open campaign
    ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.card_bg);
    ImGui::BeginChild("###calendar_details", ImVec2(0, avail_h), ImGuiChildFlags_Borders);
    draw_details(s, entries, pal);
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

nlohmann::ordered_json calendar_state_json(const AppState& s) {
    using json = nlohmann::ordered_json;
    const CampaignCalendarState& c = s.calendar;
    json j = json::object();
    j["year"] = c.year;
    j["month"] = c.month;
    j["selected_day"] = c.selected_day;
    j["open"] = c.open_campaign;
    j["previews_computed"] = c.previews_computed;
    json list = json::array();
    if (c.year != 0) {
        for (const Entry& e : month_entries(s, c.year, c.month)) {
            json item = {{"id", e.id},
                         {"source", source_name(e.source)},
                         {"day", e.day.day},
                         {"kind", kind_name(e.kind)},
                         {"origin", origin_name(e.origin)},
                         {"time", e.time}};
            if (e.source == Source::Past) item["deliveries"] = e.number;
            else item["reached"] = e.number;
            list.push_back(std::move(item));
        }
    }
    j["entries"] = list;
    // The open scheduled campaign's own preview, as shown.
    if (c.open_campaign.rfind("scheduled:", 0) == 0 && s.ws.dataset() && c.cache_key == preview_cache_key(s)) {
        const std::string id = c.open_campaign.substr(10);
        const auto& sched = s.ws.dataset()->scheduled;
        for (size_t i = 0; i < sched.size(); ++i) {
            if (sched[i].id != id) continue;
            auto it = c.scheduled_previews.find(i);
            if (it == c.scheduled_previews.end()) break;
            const PreviewResult& r = it->second;
            json blocked = json::object();
            for (size_t code = 1; code < r.blocked_customers.size(); ++code)
                if (r.blocked_customers[code] > 0) {
                    const std::string label = r.reason_label(static_cast<uint16_t>(code));
                    blocked[label] = (blocked.contains(label) ? blocked[label].get<int64_t>() : 0) + r.blocked_customers[code];
                }
            j["preview"] = {{"campaign_id", r.campaign_id},
                            {"audience", r.audience},
                            {"reached", r.reached},
                            {"deliveries", r.deliveries},
                            {"blocked", blocked}};
        }
    }
    return j;
}

}  // namespace rl::ui
