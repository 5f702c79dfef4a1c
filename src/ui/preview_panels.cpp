#include "ui/preview_panels.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/campaign_calendar.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {

ImVec4 with_alpha(ImVec4 c, float a) {
    c.w *= a;
    return c;
}
ImVec4 mix(const ImVec4& a, const ImVec4& b, float t) {
    return ImVec4(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t, a.w + (b.w - a.w) * t);
}
double ratio(int64_t n, int64_t d) { return d > 0 ? static_cast<double>(n) / static_cast<double>(d) : 0.0; }

// The sender table's columns (ids double as sort column numbers).
enum SenderColumn { kColName = 0, kColDept, kColPairs, kColDeliveries, kColBlocked, kColBreakdown, kColConfirm, kColCount };
const char* const kSenderColumnIds[kColCount] = {"name",    "department", "pairs",       "deliveries",
                                                 "blocked", "breakdown",  "confirmation"};

int64_t blocked_total(const SenderStats& st) {
    int64_t n = 0;
    for (auto& [code, count] : st.blocked) n += count;
    return n;
}

std::string department_text(const Dataset& d, const Employee& e) {
    if (e.departments.empty()) return "-";
    std::string t = d.departments[e.departments[0]].name;
    if (e.departments.size() > 1) t += fmt(" +%d", static_cast<int>(e.departments.size() - 1));
    return t;
}

// Rebuilds the sender order and the department roll-up when the result or the sort changed.
void update_sender_caches(AppState& s) {
    PreviewPanelsState& p = s.preview;
    const PreviewResult* r = s.ws.result();
    const Dataset* d = s.ws.dataset();
    if (!r || !d) {
        p.sender_order.clear();
        p.departments.clear();
        p.department_roots.clear();
        p.key_result = nullptr;
        return;
    }
    const bool result_changed = p.key_result != r || p.key_recompute != s.ws.recompute_count();
    if (!result_changed && p.key_sort_column == p.sender_sort_column && p.key_sort_descending == p.sender_sort_descending) return;
    p.key_result = r;
    p.key_recompute = s.ws.recompute_count();
    p.key_sort_column = p.sender_sort_column;
    p.key_sort_descending = p.sender_sort_descending;

    // Sender order: the chosen column, ties by userid (the engine's order), stable.
    p.sender_order.resize(r->senders.size());
    for (size_t i = 0; i < p.sender_order.size(); ++i) p.sender_order[i] = static_cast<uint32_t>(i);
    const int col = p.sender_sort_column;
    const bool desc = p.sender_sort_descending;
    auto key_num = [&](const SenderStats& st) -> int64_t {
        switch (col) {
            case kColPairs: return st.pairs;
            case kColDeliveries: return st.deliveries;
            case kColBlocked: return blocked_total(st);
            case kColConfirm: return st.requires_confirmation ? 1 : 0;
            default: return 0;
        }
    };
    if (col == kColName || col == kColDept) {
        std::vector<std::string> keys(r->senders.size());
        for (size_t i = 0; i < keys.size(); ++i) {
            const Employee& e = d->employees[r->senders[i].employee];
            keys[i] = col == kColName ? e.name : department_text(*d, e);
        }
        std::stable_sort(p.sender_order.begin(), p.sender_order.end(),
                         [&](uint32_t a, uint32_t b) { return desc ? keys[b] < keys[a] : keys[a] < keys[b]; });
    } else {
        std::stable_sort(p.sender_order.begin(), p.sender_order.end(), [&](uint32_t a, uint32_t b) {
            const int64_t ka = key_num(r->senders[a]), kb = key_num(r->senders[b]);
            return desc ? kb < ka : ka < kb;
        });
    }

    if (!result_changed && !p.departments.empty()) return;
    // Department roll-up: each sender adds to its departments and their ancestors, once each.
    p.departments.assign(d->departments.size(), DepartmentRollup{});
    std::vector<uint32_t> chain;
    for (const SenderStats& st : r->senders) {
        chain.clear();
        for (uint32_t dep : d->employees[st.employee].departments)
            for (uint32_t x = dep; x != kNone && chain.size() < 4096; x = d->departments[x].parent) chain.push_back(x);
        std::sort(chain.begin(), chain.end());
        chain.erase(std::unique(chain.begin(), chain.end()), chain.end());
        const int64_t blocked = blocked_total(st);
        for (uint32_t x : chain) {
            DepartmentRollup& roll = p.departments[x];
            ++roll.senders;
            roll.pairs += st.pairs;
            roll.deliveries += st.deliveries;
            roll.blocked += blocked;
        }
    }
    auto by_pairs = [&](uint32_t a, uint32_t b) {
        if (p.departments[a].pairs != p.departments[b].pairs) return p.departments[a].pairs > p.departments[b].pairs;
        return a < b;
    };
    p.department_roots.clear();
    for (uint32_t i = 0; i < d->departments.size(); ++i) {
        if (p.departments[i].senders == 0) continue;
        for (uint32_t c : d->departments[i].children)
            if (p.departments[c].senders > 0) p.departments[i].children.push_back(c);
        std::sort(p.departments[i].children.begin(), p.departments[i].children.end(), by_pairs);
        if (d->departments[i].parent == kNone) p.department_roots.push_back(i);
    }
    std::sort(p.department_roots.begin(), p.department_roots.end(), by_pairs);
}

// A small spinning arc (the frame loop ticks while a recompute is pending).
void spinner(const ImVec4& color) {
    const float size = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(size, size));
    const ImVec2 c(p.x + size * 0.5f, p.y + size * 0.5f);
    const float t = static_cast<float>(ImGui::GetTime()) * 6.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PathArcTo(c, size * 0.38f, t, t + 4.2f, 20);
    dl->PathStroke(ImGui::GetColorU32(color), 0, std::max(1.5f, size * 0.13f));
}

// The status strip: pending recompute (spinner, elapsed), or a slow last recompute.
// Returns true while the numbers below are stale (the caller dims them).
bool progress_strip(AppState& s, const Palette& pal) {
    PreviewPanelsState& p = s.preview;
    const double now = ImGui::GetTime();
    const bool pending = s.ws.recompute_pending();
    if (pending && p.pending_since < 0) p.pending_since = now;
    if (!pending) p.pending_since = -1;
    if (pending) {
        ImGui::AlignTextToFramePadding();
        spinner(pal.accent);
        ImGui::SameLine();
        const double done = s.ws.recompute_progress();  // 0 while waiting for the debounce
        ImGui::TextColored(pal.accent, "%s",
                           done > 0
                               ? fmt("%s %.0f%% · %.2f s", tx("计算中…", "Computing…"), done * 100, now - p.pending_since).c_str()
                               : fmt("%s %.2f s", tx("计算中…", "Computing…"), now - p.pending_since).c_str());
    } else if (s.ws.last_recompute_ms() > 100) {
        ImGui::TextColored(pal.warn, "%s",
                           fmt(tx("▲ 上次计算耗时 %.0f ms", "▲ last recompute took %.0f ms"), s.ws.last_recompute_ms()).c_str());
    }
    return pending;
}

// Dims what follows while the preview is stale; never hides it.
struct Dim {
    bool on;
    explicit Dim(bool stale) : on(stale) {
        if (on) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, ImGui::GetStyle().Alpha * 0.45f);
    }
    ~Dim() {
        if (on) ImGui::PopStyleVar();
    }
};

struct FunnelStage {
    const char* label;
    int64_t value;
    std::string note;
    ImVec4 color;
};

// Proportional bars, centred, joined by trapezoids: audience -> pairs -> reached ->
// deliveries. Each stage: its name on the left and its count and note on the right, the
// bar below at the column's full width (so the bars stay readable in a half-width column).
void draw_funnel(const std::vector<FunnelStage>& stages, const Palette& pal) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const float width = ImGui::GetContentRegionAvail().x - st.ItemSpacing.x * 2;  // a gutter before the next column
    const float text_h = ImGui::GetTextLineHeight();
    const float bar_h = ImGui::GetFrameHeight() * 0.62f;
    const float gap = st.ItemSpacing.y;
    const float row_h = text_h + 2 + bar_h;
    int64_t max_v = 1;
    for (const FunnelStage& f : stages) max_v = std::max(max_v, f.value);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float cx = origin.x + width * 0.5f;
    float prev_half = -1, prev_bottom = 0;
    ImVec4 prev_color;
    for (size_t i = 0; i < stages.size(); ++i) {
        const FunnelStage& f = stages[i];
        const float y = origin.y + static_cast<float>(i) * (row_h + gap);
        const float by = y + text_h + 2;
        const float half = std::max(2.0f, width * 0.5f * static_cast<float>(ratio(f.value, max_v)));
        if (prev_half >= 0) {
            dl->AddQuadFilled(ImVec2(cx - prev_half, prev_bottom), ImVec2(cx + prev_half, prev_bottom), ImVec2(cx + half, by),
                              ImVec2(cx - half, by), ImGui::GetColorU32(with_alpha(mix(prev_color, f.color, 0.5f), 0.13f)));
        }
        dl->AddRectFilled(ImVec2(origin.x, by), ImVec2(origin.x + width, by + bar_h), ImGui::GetColorU32(pal.bar_bg),
                          bar_h * 0.3f);
        dl->AddRectFilled(ImVec2(cx - half, by), ImVec2(cx + half, by + bar_h), ImGui::GetColorU32(with_alpha(f.color, 0.9f)),
                          bar_h * 0.3f);
        dl->AddText(ImVec2(origin.x, y), ImGui::GetColorU32(ImGuiCol_Text), f.label);
        const std::string n = fmt_int(f.value);
        const float note_w = ImGui::CalcTextSize(f.note.c_str()).x;
        const float n_w = ImGui::CalcTextSize(n.c_str()).x;
        const float note_x = origin.x + width - note_w;
        dl->AddText(ImVec2(note_x, y), ImGui::GetColorU32(ImGuiCol_TextDisabled), f.note.c_str());
        dl->AddText(ImVec2(note_x - st.ItemSpacing.x - n_w, y), ImGui::GetColorU32(ImGuiCol_Text), n.c_str());
        prev_half = half;
        prev_bottom = by + bar_h;
        prev_color = f.color;
    }
    const float total_h = static_cast<float>(stages.size()) * row_h + static_cast<float>(stages.size() - 1) * gap;
    ImGui::Dummy(ImVec2(width, total_h));
}

int64_t total_pairs(const PreviewResult& r) {
    int64_t n = 0;
    for (const SenderStats& st : r.senders) n += st.pairs;
    return n;
}

void draw_blocked_bars(const PreviewResult& r, const Palette& pal) {
    std::vector<std::pair<int64_t, uint16_t>> rows;
    for (size_t code = 1; code < r.blocked_customers.size(); ++code)
        if (r.blocked_customers[code] > 0) rows.push_back({r.blocked_customers[code], static_cast<uint16_t>(code)});
    std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first > b.first; });
    // The reason names take at most 45% of the width (long ones are clipped, full in the
    // tooltip) so the bars and their numbers always fit.
    float label_w = ImGui::CalcTextSize(reason_text("reached")).x;
    for (auto& [n, code] : rows) label_w = std::max(label_w, ImGui::CalcTextSize(reason_text(r.reason_label(code))).x);
    label_w += ImGui::CalcTextSize("■").x + ImGui::GetStyle().ItemInnerSpacing.x;
    label_w = std::min(label_w, ImGui::GetContentRegionAvail().x * 0.45f);
    if (ImGui::BeginTable("##blocked", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthFixed, label_w);
        ImGui::TableSetupColumn("bar", ImGuiTableColumnFlags_WidthStretch);
        auto row = [&](const char* label, const std::string& code, int64_t n, const ImVec4& col) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextColored(col, "■");
            ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
            ImGui::TextUnformatted(label);
            if (ImGui::IsItemHovered() && !code.empty()) ImGui::SetTooltip("%s\n%s", label, code.c_str());
            ImGui::TableNextColumn();
            const double p = ratio(n, r.audience);
            bar(static_cast<float>(p), col, pal, fmt("%s (%.1f%%)", fmt_int(n).c_str(), p * 100).c_str());
        };
        row(r.is_group_send() ? tx("送达的群", "Groups reached") : reason_text("reached"), "reached", r.reached, pal.good);
        for (auto& [n, code] : rows) {
            const std::string label = r.reason_label(code);
            row(reason_text(label), label, n, reason_color(pal, code));
        }
        ImGui::EndTable();
    }
    name_item("blocked");
    if (rows.empty() && r.audience > 0) ImGui::TextColored(pal.good, "%s", tx(text::preview_blocked_none));
}

// The funnel and the blocked reasons of the overview (customers' and groups'): side by side
// when there is room, else one above the other.
void draw_overview_split(const AppState& s, const PreviewResult& r, const std::vector<FunnelStage>& stages,
                         const char* funnel_title, const char* blocked_title, const Palette& pal) {
    const bool wide = ImGui::GetContentRegionAvail().x > 720 * s.dpi_scale;
    if (!ImGui::BeginTable("##overview_split", wide ? 2 : 1, ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("funnel", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    if (wide) ImGui::TableSetupColumn("blocked", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", funnel_title);
    draw_funnel(stages, pal);
    name_item("funnel");
    if (!wide) ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", blocked_title);
    draw_blocked_bars(r, pal);
    ImGui::EndTable();
}

void draw_problems(AppState& s, const PreviewResult& r, const Palette& pal);
void draw_group_overview(AppState& s, const PreviewResult& r, const Palette& pal);

}  // namespace

// ------------------------------------------------------------------ overview
void draw_preview_overview(AppState& s) {
    const Palette pal = palette(s.dark);
    section_title(tx("触达预览", "Reach preview"));
    const PreviewResult* r = s.ws.result();
    if (!r) {
        if (s.ws.recompute_pending()) {
            progress_strip(s, pal);
        } else {
            ImGui::TextDisabled("%s", tx(text::campaign_none));
        }
        return;
    }
    // Status line: submittable (or the error codes), recompute time, progress.
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(r->submittable ? pal.good : pal.bad, "● %s",
                       r->submittable ? tx("可提交", "Submittable") : tx("不可提交", "Not submittable"));
    name_item("submittable");
    if (!r->submittable && !r->errors.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(
            pal.bad, "%s",
            fmt(tx("（%d 个问题，见下方）", "(%d problems, listed below)"), static_cast<int>(r->errors.size())).c_str());
    }
    if (s.engineering) {
        ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
        ImGui::TextDisabled("%s", fmt(tx("重新计算 %.1f ms", "recomputed in %.1f ms"), s.ws.last_recompute_ms()).c_str());
    }
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    const bool stale = progress_strip(s, pal);
    if (!stale && s.ws.last_recompute_ms() <= 100) ImGui::NewLine();
    Dim dim(stale);

    if (r->is_group_send()) {
        draw_group_overview(s, *r, pal);
        draw_problems(s, *r, pal);
        return;
    }
    // Cards.
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float card_w = (ImGui::GetContentRegionAvail().x - spacing * 3) / 4;
    const double pct = 100.0 * ratio(r->reached, r->audience);
    count_card(s, "###audience", tx(text::preview_audience), r->audience, "", pal.accent, pal, card_w);
    ImGui::SameLine();
    count_card(s, "###reached", tx(text::preview_reached), r->reached, fmt("%.1f%%", pct).c_str(), pal.good, pal, card_w);
    ImGui::SameLine();
    count_card(s, "###deliveries", tx(text::preview_deliveries), r->deliveries, "", pal.accent, pal, card_w);
    ImGui::SameLine();
    count_card(s, "##c_send", tx("发送成员", "Senders"), static_cast<int64_t>(r->senders.size()), "", pal.accent, pal, card_w);

    // Funnel and blocked reasons: side by side when there is room.
    ImGui::Spacing();
    const int64_t pairs = total_pairs(*r);
    const std::vector<FunnelStage> stages = {
        {tx("目标客户", "Audience"), r->audience, "100%", pal.accent},
        {tx("成员-客户对", "Pairs"), pairs, fmt(tx("人均 %.2f 对", "%.2f per customer"), ratio(pairs, r->audience)),
         mix(pal.accent, pal.muted, 0.45f)},
        {tx("触达客户", "Reached"), r->reached, fmt("%.1f%%", 100.0 * ratio(r->reached, r->audience)), pal.good},
        {tx("送达次数", "Deliveries"), r->deliveries,
         fmt(tx("送达率 %.1f%%", "per pair %.1f%%"), 100.0 * ratio(r->deliveries, pairs)), mix(pal.good, pal.accent, 0.4f)},
    };
    draw_overview_split(s, *r, stages, tx("触达漏斗", "Reach funnel"), tx(text::preview_blocked), pal);

    draw_problems(s, *r, pal);
}

namespace {

// Errors and warnings of the preview, worded by the catalogue.
void draw_problems(AppState& s, const PreviewResult& result, const Palette& pal) {
    const PreviewResult* r = &result;
    ImGui::Spacing();
    if (r->errors.empty()) {
        ImGui::TextColored(pal.good, "✓ %s", tx("没有问题", "No problems"));
    } else {
        ImGui::TextColored(pal.bad, "%s (%d)", tx("问题", "Problems"), static_cast<int>(r->errors.size()));
        for (const Issue& e : r->errors) {
            ImGui::Bullet();
            ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
            ImGui::TextWrapped("%s", issue_text(e).c_str());
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered() && s.engineering) ImGui::SetTooltip("%s", e.code.c_str());
        }
    }
    name_item("errors");
    if (!r->warnings.empty()) {
        if (ImGui::TreeNode("##warnings", "%s",
                            fmt(tx("提示 %d 条", "%d warnings"), static_cast<int>(r->warnings.size())).c_str())) {
            for (const Issue& w : r->warnings) {
                ImGui::Bullet();
                ImGui::PushStyleColor(ImGuiCol_Text, pal.warn);
                ImGui::TextWrapped("%s", issue_text(w).c_str());
                ImGui::PopStyleColor();
            }
            ImGui::TreePop();
        }
    }
}

// A group send (contract 8.3) counts groups: the groups in the audience, the ones reached,
// the customers who read it in them, and those who read it in two or more.
void draw_group_overview(AppState& s, const PreviewResult& r, const Palette& pal) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float card_w = (ImGui::GetContentRegionAvail().x - spacing * 3) / 4;
    count_card(s, "###audience", tx("目标客户群", "Groups in audience"), r.audience, "", pal.accent, pal, card_w);
    ImGui::SameLine();
    count_card(s, "###reached", tx("送达的群", "Groups reached"), r.reached,
               fmt("%.1f%%", 100.0 * ratio(r.reached, r.audience)).c_str(), pal.good, pal, card_w);
    ImGui::SameLine();
    count_card(s, "###members_reached", tx("群内触达客户", "Customers in reached groups"), r.members_reached, "", pal.accent, pal,
               card_w);
    ImGui::SameLine();
    count_card(s, "###members_multi", tx("会多次收到的客户", "Customers reading it twice or more"), r.members_multi,
               fmt("%.1f%%", 100.0 * ratio(r.members_multi, r.members_reached)).c_str(), pal.warn, pal, card_w);

    ImGui::Spacing();
    const std::vector<FunnelStage> stages = {
        {tx("目标客户群", "Groups in audience"), r.audience, "100%", pal.accent},
        {tx("送达的群", "Groups reached"), r.reached, fmt("%.1f%%", 100.0 * ratio(r.reached, r.audience)), pal.good},
        {tx("群内触达客户", "Customers reached"), r.members_reached,
         fmt(tx("每群 %.1f 人", "%.1f per group"), ratio(r.members_reached, r.reached)), mix(pal.good, pal.accent, 0.4f)},
        {tx("多次收到", "Read twice or more"), r.members_multi, fmt("%.1f%%", 100.0 * ratio(r.members_multi, r.members_reached)),
         pal.warn},
    };
    draw_overview_split(s, r, stages, tx("群发漏斗", "Group send funnel"), tx("群未送达原因", "Why groups are not reached"), pal);
    ImGui::TextDisabled("%s", tx("群内客户只计企业的客户，且在发送时已入群；一位客户在多个送达的群里会多次看到这条消息。",
                                 "Customers count once, if they are the enterprise's customers and joined by the send "
                                 "time; one in several reached groups sees the message in each."));
}

}  // namespace

// ------------------------------------------------------------------ senders & departments
namespace {

void draw_department_node(AppState& s, const Dataset& d, uint32_t dep, const Palette& pal, int depth) {
    const PreviewPanelsState& p = s.preview;
    const DepartmentRollup& roll = p.departments[dep];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanAllColumns;
    if (roll.children.empty()) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
    if (depth < 1) flags |= ImGuiTreeNodeFlags_DefaultOpen;
    const bool open = ImGui::TreeNodeEx(fmt("%s###dep%u", d.departments[dep].name.c_str(), dep).c_str(), flags);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(fmt_int(roll.senders).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(fmt_int(roll.pairs).c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(pal.good, "%s", fmt_int(roll.deliveries).c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(roll.blocked ? pal.bad : pal.muted, "%s", fmt_int(roll.blocked).c_str());
    ImGui::TableNextColumn();
    const double share = ratio(roll.deliveries, roll.pairs);
    bar(static_cast<float>(share), pal.good, pal, fmt("%.1f%%", share * 100).c_str());
    if (open && !roll.children.empty()) {
        for (uint32_t c : roll.children) draw_department_node(s, d, c, pal, depth + 1);
        ImGui::TreePop();
    }
}

}  // namespace

void draw_sender_panel(AppState& s) {
    const Palette pal = palette(s.dark);
    const PreviewResult* r = s.ws.result();
    const Dataset* d = s.ws.dataset();
    if (!r || !d) {
        ImGui::TextDisabled("%s", tx(text::campaign_none));
        return;
    }
    update_sender_caches(s);
    PreviewPanelsState& p = s.preview;
    const bool stale = progress_strip(s, pal);
    Dim dim(stale);

    int needs_confirmation = 0;
    for (const SenderStats& st : r->senders) needs_confirmation += st.requires_confirmation;
    // A group send's senders are the groups' owners (群主) and its pairs are their groups; the
    // selected employees who own no audience group are listed with 0 groups (contract 8.1).
    const bool group = r->is_group_send();
    if (group) {
        int64_t owners = 0, owners_confirming = 0;
        for (const SenderStats& st : r->senders)
            if (st.pairs > 0) ++owners, owners_confirming += st.requires_confirmation;
        ImGui::TextDisabled("%s", fmt(tx("所选成员 %s 人，其中 %s 人是范围内客户群的群主 · 需群主确认 %s 人",
                                         "%s employees selected, %s of them own groups of the audience · %s need to confirm"),
                                      fmt_int(static_cast<int64_t>(r->senders.size())).c_str(), fmt_int(owners).c_str(),
                                      fmt_int(owners_confirming).c_str())
                                      .c_str());
    } else {
        ImGui::TextDisabled("%s",
                            fmt(tx("发送成员 %s 人 · 需成员确认 %s 人", "%s senders · %s need to confirm"),
                                fmt_int(static_cast<int64_t>(r->senders.size())).c_str(), fmt_int(needs_confirmation).c_str())
                                .c_str());
    }

    // ---- the per-sender table (virtualised: thousands of senders)
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float line_h = ImGui::GetTextLineHeightWithSpacing();
    const float table_h = std::max(line_h * 8, avail_h * 0.56f);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp |
                                  ImGuiTableFlags_Sortable;
    if (ImGui::BeginTable("##senders", kColCount, flags, ImVec2(0, table_h))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        const ImGuiTableColumnFlags num = ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_PreferSortDescending;
        ImGui::TableSetupColumn(fmt("%s###name", group ? tx("群主", "Group owner") : tx("成员", "Employee")).c_str(),
                                ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableSetupColumn(fmt("%s###dept", tx("部门", "Department")).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.1f);
        ImGui::TableSetupColumn(fmt("%s###pairs", group ? tx("群数", "Groups") : tx("对数", "Pairs")).c_str(),
                                num | (p.sender_sort_column == kColPairs ? ImGuiTableColumnFlags_DefaultSort : 0), 0.7f);
        ImGui::TableSetupColumn(fmt("%s###deliv", group ? tx("送达群", "Reached") : tx("送达", "Delivered")).c_str(), num, 0.7f);
        ImGui::TableSetupColumn(fmt("%s###blocked", group ? tx("拦截群", "Blocked") : tx("拦截", "Blocked")).c_str(), num, 0.7f);
        ImGui::TableSetupColumn(fmt("%s###breakdown", tx("拦截原因", "Blocked by reason")).c_str(),
                                ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_NoSort, 2.0f);
        ImGui::TableSetupColumn(fmt("%s###confirm", tx("需确认", "Confirm")).c_str(), num, 0.75f);
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        for (int col = 0; col < kColCount; ++col) {
            ImGui::TableSetColumnIndex(col);
            ImGui::TableHeader(ImGui::TableGetColumnName(col));
            name_item("sender_col_", kSenderColumnIds[col]);
        }
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
            if (specs->SpecsCount > 0) {
                p.sender_sort_column = specs->Specs[0].ColumnIndex;
                p.sender_sort_descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
            }
            specs->SpecsDirty = false;
            update_sender_caches(s);
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(p.sender_order.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const SenderStats& st = r->senders[p.sender_order[static_cast<size_t>(i)]];
                const Employee& e = d->employees[st.employee];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(e.name.c_str());
                ImGui::SameLine();
                ImGui::TextDisabled("%s", e.userid.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(department_text(*d, e).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt_int(st.pairs).c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(st.deliveries ? pal.good : pal.muted, "%s", fmt_int(st.deliveries).c_str());
                ImGui::TableNextColumn();
                const int64_t blocked = blocked_total(st);
                ImGui::TextColored(blocked ? pal.bad : pal.muted, "%s", fmt_int(blocked).c_str());
                ImGui::TableNextColumn();
                // Compact breakdown: a stacked mini bar, largest reasons named; all in the tooltip.
                if (blocked > 0) {
                    std::vector<std::pair<int64_t, uint16_t>> by(st.blocked.size());
                    for (size_t k = 0; k < st.blocked.size(); ++k) by[k] = {st.blocked[k].second, st.blocked[k].first};
                    std::stable_sort(by.begin(), by.end(), [](auto& a, auto& b) { return a.first > b.first; });
                    const float w = std::min(ImGui::GetContentRegionAvail().x * 0.35f, 80.0f * s.dpi_scale);
                    const float h = ImGui::GetTextLineHeight() * 0.55f;
                    ImVec2 p0 = ImGui::GetCursorScreenPos();
                    p0.y += (ImGui::GetTextLineHeight() - h) * 0.5f;
                    ImDrawList* dl = ImGui::GetWindowDrawList();
                    float x = p0.x;
                    for (auto& [n, code] : by) {
                        const float seg = w * static_cast<float>(ratio(n, blocked));
                        dl->AddRectFilled(ImVec2(x, p0.y), ImVec2(x + seg, p0.y + h),
                                          ImGui::GetColorU32(reason_color(pal, code)));
                        x += seg;
                    }
                    ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
                    ImGui::SameLine();
                    std::string text;
                    for (size_t k = 0; k < by.size() && k < 2; ++k)
                        text += (k ? " · " : "") + std::string(reason_text(r->reason_label(by[k].second))) + " " +
                                fmt_int(by[k].first);
                    if (by.size() > 2) text += fmt(" +%d", static_cast<int>(by.size() - 2));
                    ImGui::TextDisabled("%s", text.c_str());
                    if (ImGui::IsItemHovered()) {
                        ImGui::BeginTooltip();
                        for (auto& [n, code] : by)
                            ImGui::TextColored(reason_color(pal, code), "%s  %s", reason_text(r->reason_label(code)),
                                               fmt_int(n).c_str());
                        ImGui::EndTooltip();
                    }
                } else {
                    ImGui::TextDisabled("—");
                }
                ImGui::TableNextColumn();
                if (st.requires_confirmation) ImGui::TextColored(pal.warn, "● %s", tx("是", "yes"));
                else ImGui::TextDisabled("—");
            }
        }
        ImGui::EndTable();
    }

    // ---- department roll-up
    ImGui::Spacing();
    ImGui::TextDisabled("%s", group ? tx("部门汇总（群主所在部门，含下级部门，按群数排序）",
                                         "Departments of the owners (with sub-departments, by groups)")
                                    : tx("部门汇总（含下级部门，按对数排序）", "Departments (with sub-departments, by pairs)"));
    const ImGuiTableFlags tflags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                   ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
    const float tree_h = std::max(line_h * 6, ImGui::GetContentRegionAvail().y);
    if (ImGui::BeginTable("##departments", 6, tflags, ImVec2(0, tree_h))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tx("部门", "Department"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
        ImGui::TableSetupColumn(group ? tx("群主", "Owners") : tx("成员", "Senders"), ImGuiTableColumnFlags_WidthStretch, 0.6f);
        ImGui::TableSetupColumn(group ? tx("群数", "Groups") : tx("对数", "Pairs"), ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn(tx("送达", "Delivered"), ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn(tx("拦截", "Blocked"), ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn(tx("送达率", "Delivered share"), ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableHeadersRow();
        for (uint32_t root : p.department_roots) draw_department_node(s, *d, root, pal, 0);
        ImGui::EndTable();
    }
    name_item("department_tree");
}

// ------------------------------------------------------------------ quota heat map
void draw_quota_heatmap(AppState& s) {
    const Palette pal = palette(s.dark);
    const PreviewResult* r = s.ws.result();
    const QuotaCalendar* qc = r ? s.ws.quota_calendar() : nullptr;
    if (!r || !qc || qc->labels.empty() || qc->days <= 0) {
        ImGui::TextDisabled("%s", !r                   ? tx(text::campaign_none)
                                  : r->is_group_send() ? tx("当前规则没有按群计数的额度（per:\"group\"）",
                                                            "The rules have no per-group quota (per:\"group\")")
                                                       : tx("暂无额度日历数据", "No quota calendar for this draft"));
        return;
    }
    PreviewPanelsState& p = s.preview;
    const bool stale = progress_strip(s, pal);
    Dim dim(stale);
    const int tz = s.ws.dataset_summary().tz_offset_minutes;
    // A new draft, or one whose kind or origin changed, starts on the quota or policy that
    // blocks most of its customers; when none blocks any, on the first that counts the
    // draft's kind (a mass send shows a mass-send quota, not a moments one).
    const Campaign* draft = s.ws.draft();
    const std::string heatmap_key =
        r->campaign_id + (draft ? std::string("|") + kind_name(draft->kind) + "|" + origin_name(draft->origin) : "");
    if (p.heatmap_campaign != heatmap_key) {
        p.heatmap_campaign = heatmap_key;
        p.heatmap_quota = -1;
        int64_t most = 0;
        for (size_t i = 0; i < qc->labels.size(); ++i) {
            int64_t n = 0;
            for (size_t code = 0; code < r->reason_labels.size() && code < r->blocked_customers.size(); ++code)
                if (r->reason_labels[code] == qc->labels[i]) n += r->blocked_customers[code];
            if (n > most) most = n, p.heatmap_quota = static_cast<int>(i);
        }
        for (size_t i = 0; i < qc->applies.size() && p.heatmap_quota < 0; ++i)
            if (qc->applies[i]) p.heatmap_quota = static_cast<int>(i);
        p.heatmap_quota = std::max(p.heatmap_quota, 0);
    }
    p.heatmap_quota = std::clamp(p.heatmap_quota, 0, static_cast<int>(qc->labels.size()) - 1);
    const size_t q = static_cast<size_t>(p.heatmap_quota);

    // Picker and what the month shows.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tx("额度 / 策略", "Quota / policy"));
    ImGui::SameLine();
    // Wide enough for the longest name (never cut short), within the panel.
    float names_w = 0;
    for (const std::string& label : qc->labels) names_w = std::max(names_w, ImGui::CalcTextSize(reason_text(label)).x);
    const float combo_w = names_w + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, combo_w));
    if (ImGui::BeginCombo("##heat_quota", reason_text(qc->labels[q]))) {
        for (size_t i = 0; i < qc->labels.size(); ++i)
            if (ImGui::Selectable(fmt("%s  (%s)###hq%zu", reason_text(qc->labels[i]), qc->labels[i].c_str(), i).c_str(), i == q))
                p.heatmap_quota = static_cast<int>(i);
        ImGui::EndCombo();
    }
    name_item("heatmap_quota");
    note_label_fit(s, "heatmap_quota", reason_text(qc->labels[q]),
                   ImGui::GetItemRectSize().x - ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.x * 2);
    const std::string month_text =
        fmt(tx("%lld 年 %d 月 · 上限 %lld", "%lld-%02d · limit %lld"), static_cast<long long>(qc->year), qc->month,
            static_cast<long long>(q < qc->limits.size() ? qc->limits[q] : 0));
    // On the same line when it fits, else below (a narrow panel).
    const float line_used = ImGui::GetItemRectMax().x - ImGui::GetCursorScreenPos().x;
    if (ImGui::GetContentRegionAvail().x - line_used >
        ImGui::CalcTextSize(month_text.c_str()).x + ImGui::GetStyle().ItemSpacing.x * 2)
        ImGui::SameLine();
    ImGui::TextDisabled("%s", month_text.c_str());

    const std::vector<QuotaDayUse> empty;
    const std::vector<QuotaDayUse>& use = q < qc->use.size() ? qc->use[q] : empty;
    int64_t max_deliveries = 1;
    for (const QuotaDayUse& u : use) max_deliveries = std::max(max_deliveries, u.deliveries);
    const LocalDay send = local_day(r->send_time, tz);
    const int send_day = send.year == qc->year && send.month == qc->month ? send.day : 0;

    // The grid: Monday first.
    const ImGuiStyle& st = ImGui::GetStyle();
    const float gap = 4 * s.dpi_scale;
    const float legend_h = ImGui::GetFrameHeightWithSpacing();
    const float width = ImGui::GetContentRegionAvail().x;
    const float cell_w = (width - gap * 6) / 7;
    const float head_h = ImGui::GetTextLineHeightWithSpacing();
    const int rows = (qc->first_weekday + qc->days + 6) / 7;
    const float fit_h =
        (ImGui::GetContentRegionAvail().y - head_h - legend_h - gap * static_cast<float>(rows)) / static_cast<float>(rows);
    const float cell_h = std::clamp(fit_h, ImGui::GetTextLineHeight() * 2.3f, cell_w * 0.7f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 o = ImGui::GetCursorScreenPos();
    for (int w = 0; w < 7; ++w) {
        const char* label = weekday_text(w);
        const float tw = ImGui::CalcTextSize(label).x;
        dl->AddText(ImVec2(o.x + w * (cell_w + gap) + (cell_w - tw) * 0.5f, o.y),
                    ImGui::GetColorU32(w >= 5 ? pal.accent : pal.muted), label);
    }
    o.y += head_h;
    const ImVec4 cold = pal.bar_bg;
    const ImVec4 hot = pal.accent;
    for (int day = 1; day <= qc->days; ++day) {
        const int slot = qc->first_weekday + day - 1;
        const ImVec2 a(o.x + (slot % 7) * (cell_w + gap), o.y + (slot / 7) * (cell_h + gap));
        const ImVec2 b(a.x + cell_w, a.y + cell_h);
        const QuotaDayUse u = static_cast<size_t>(day - 1) < use.size() ? use[static_cast<size_t>(day - 1)] : QuotaDayUse{};
        const float t = u.deliveries > 0 ? 0.18f + 0.82f * static_cast<float>(ratio(u.deliveries, max_deliveries)) : 0.0f;
        const ImVec4 fill = u.deliveries > 0 ? with_alpha(hot, t) : cold;
        dl->AddRectFilled(a, b, ImGui::GetColorU32(fill), 4 * s.dpi_scale);
        const ImU32 text_col = ImGui::GetColorU32(t > 0.6f ? ImVec4(1, 1, 1, 1) : st.Colors[ImGuiCol_Text]);
        dl->AddText(ImVec2(a.x + st.FramePadding.x * 0.6f, a.y + 2 * s.dpi_scale), text_col, fmt("%d", day).c_str());
        if (u.deliveries > 0) {
            const std::string n = fmt_int(u.deliveries);
            const ImVec2 ts = ImGui::CalcTextSize(n.c_str());
            dl->AddText(ImVec2(b.x - ts.x - st.FramePadding.x * 0.6f, b.y - ts.y - 2 * s.dpi_scale), text_col, n.c_str());
        }
        if (u.customers_full > 0) {  // customers with no headroom left: a red corner
            const float k = std::min(cell_w, cell_h) * 0.22f;
            dl->AddTriangleFilled(ImVec2(b.x - k, a.y), ImVec2(b.x, a.y), ImVec2(b.x, a.y + k), ImGui::GetColorU32(pal.bad));
        }
        if (day == send_day)
            dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), ImGui::GetColorU32(pal.bad), 4 * s.dpi_scale, 0,
                        2.5f * s.dpi_scale);
        ImGui::SetCursorScreenPos(a);
        ImGui::InvisibleButton(day == send_day ? "###heatmap_send_day" : fmt("##heat%d", day).c_str(), ImVec2(cell_w, cell_h));
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::TextUnformatted(fmt("%lld-%02d-%02d%s", static_cast<long long>(qc->year), qc->month, day,
                                       day == send_day ? tx("  · 草稿发送日", "  · the draft's send day") : "")
                                       .c_str());
            ImGui::TextUnformatted(
                fmt(tx("计入额度的发送 %s 次", "%s deliveries counted"), fmt_int(u.deliveries).c_str()).c_str());
            ImGui::TextColored(
                u.customers_full ? pal.bad : pal.muted, "%s",
                fmt(r->is_group_send() ? tx("当日结束时已达上限的群 %s 个", "%s groups at the cap by day's end")
                                       : tx("当日结束时已达上限的客户 %s 人", "%s customers at the cap by day's end"),
                    fmt_int(u.customers_full).c_str())
                    .c_str());
            ImGui::EndTooltip();
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + rows * (cell_h + gap)));
    ImGui::Dummy(ImVec2(width, 0));
    name_item("heatmap");

    // Legend: the intensity scale, the cap marker, the send day outline.
    ImGui::TextDisabled("%s", tx("少", "Fewer"));
    ImGui::SameLine();
    for (int i = 0; i <= 5; ++i) {
        const ImVec2 a = ImGui::GetCursorScreenPos();
        const float sz = ImGui::GetTextLineHeight();
        dl->AddRectFilled(a, ImVec2(a.x + sz, a.y + sz),
                          ImGui::GetColorU32(i == 0 ? cold : with_alpha(hot, 0.18f + 0.82f * i / 5.0f)), 3 * s.dpi_scale);
        ImGui::Dummy(ImVec2(sz, sz));
        ImGui::SameLine(0, 2 * s.dpi_scale);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", fmt(tx("多（最多 %s 次/日）", "More (max %s a day)"), fmt_int(max_deliveries).c_str()).c_str());
    ImGui::SameLine(0, st.ItemSpacing.x * 3);
    ImGui::TextColored(pal.bad, "◥");
    ImGui::SameLine(0, st.ItemInnerSpacing.x);
    ImGui::TextDisabled(
        "%s", r->is_group_send() ? tx("有群已达上限", "groups at the cap") : tx("有客户已达上限", "customers at the cap"));
    ImGui::SameLine(0, st.ItemSpacing.x * 3);
    ImGui::TextColored(pal.bad, "□");
    ImGui::SameLine(0, st.ItemInnerSpacing.x);
    ImGui::TextDisabled("%s", tx("草稿发送日", "send day"));
}

// ------------------------------------------------------------------ impact
void draw_impact_panel(AppState& s) {
    const Palette pal = palette(s.dark);
    const PreviewResult* r = s.ws.result();
    const Dataset* d = s.ws.dataset();
    if (!r || !d) {
        ImGui::TextDisabled("%s", tx(text::campaign_none));
        return;
    }
    const bool stale = progress_strip(s, pal);
    Dim dim(stale);
    int hit = 0;
    int64_t lost = 0;
    for (const ImpactEntry& e : r->impact) {
        hit += e.reached_after < e.reached_before;
        lost += std::max<int64_t>(0, e.reached_before - e.reached_after);
    }
    section_title(tx("对待发送活动的影响", "Impact on scheduled campaigns"));
    if (r->impact.empty()) {
        ImGui::TextDisabled("%s", tx("没有待发送的活动", "No scheduled campaigns"));
        return;
    }
    // A draft changes only campaigns of its own family (a group send's slots are the groups'):
    // the figures lost are groups for a group draft, customers otherwise. Wrapped: the English
    // sentence is wider than the panel at 800 px.
    const std::string summary =
        hit == 0 ? fmt("✓ %s", tx("草稿不影响任何待发送活动的触达", "The draft takes no customer from scheduled campaigns"))
        : r->is_group_send() ? fmt(tx("▼ 草稿会占用 %d 个待发送客户群群发的额度：少送达 %s 个群",
                                      "▼ The draft takes group slots from %d scheduled group sends: %s fewer groups reached"),
                                   hit, fmt_int(lost).c_str())
                             : fmt(tx("▼ 草稿会从 %d 个待发送活动中抢走 %s 位客户",
                                      "▼ The draft takes customers from %d scheduled campaigns: %s fewer reached"),
                                   hit, fmt_int(lost).c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, hit > 0 ? pal.bad : pal.good);
    ImGui::TextWrapped("%s", summary.c_str());
    ImGui::PopStyleColor();
    name_item("impact_summary");

    const int tz = s.ws.dataset_summary().tz_offset_minutes;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_ScrollY;
    int64_t max_reach = 1;
    for (const ImpactEntry& e : r->impact) max_reach = std::max({max_reach, e.reached_before, e.reached_after});
    std::set<std::string> group_sends;  // scheduled group sends by id
    for (const Campaign& c : d->scheduled)
        if (c.kind == Kind::GroupSend) group_sends.insert(c.id);
    // As tall as its rows (scrolling only when they do not fit).
    const float rows_h =
        (static_cast<float>(r->impact.size()) + 1) * (ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2) + 4;
    const float table_h = std::max(std::min(ImGui::GetContentRegionAvail().y, rows_h), ImGui::GetTextLineHeightWithSpacing() * 4);
    // The figures' columns as wide as their header and their widest value (stretched, a
    // narrow window cut them to "Bef…"); the campaign and the bars share the rest.
    auto diff_text = [&](const ImpactEntry& e) {
        const int64_t diff = e.reached_after - e.reached_before;
        return diff == 0
                   ? std::string("0")
                   : fmt("%s%s (%.1f%%)", diff > 0 ? "+" : "", fmt_int(diff).c_str(), 100.0 * ratio(diff, e.reached_before));
    };
    const char* const headers[] = {tx("活动", "Campaign"), tx("发送时间", "Send time"), tx("之前", "Before"),
                                   tx("之后", "After"),    tx("变化", "Change"),        tx("触达对比", "Reach")};
    float widths[6] = {};
    for (int c = 2; c < 5; ++c) widths[c] = ImGui::CalcTextSize(headers[c]).x;
    widths[1] = std::max(ImGui::CalcTextSize(headers[1]).x, ImGui::CalcTextSize("2026-12-31 23:59").x);
    for (const ImpactEntry& e : r->impact) {
        widths[2] = std::max(widths[2], ImGui::CalcTextSize(fmt_int(e.reached_before).c_str()).x);
        widths[3] = std::max(widths[3], ImGui::CalcTextSize(fmt_int(e.reached_after).c_str()).x);
        widths[4] = std::max(widths[4], ImGui::CalcTextSize(diff_text(e).c_str()).x);
    }
    // The bars need room: in a narrow panel they give way to the campaign's name.
    const ImGuiStyle& style = ImGui::GetStyle();
    float fixed = 0;
    for (int c = 1; c < 5; ++c) fixed += widths[c] + style.CellPadding.x * 2;
    const float font = ImGui::GetFontSize();
    const bool bars = ImGui::GetContentRegionAvail().x - fixed >= ImGui::CalcTextSize(headers[0]).x + 14 * font;
    const int columns = bars ? 6 : 5;
    if (ImGui::BeginTable("##impact_t", columns, flags, ImVec2(0, table_h))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(headers[0], ImGuiTableColumnFlags_WidthStretch, 2.2f);
        for (int c = 1; c < 5; ++c) ImGui::TableSetupColumn(headers[c], ImGuiTableColumnFlags_WidthFixed, widths[c]);
        if (bars) ImGui::TableSetupColumn(headers[5], ImGuiTableColumnFlags_WidthStretch, 1.6f);
        // The header row by hand, to note a header drawn cut short (the layout tests).
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        for (int c = 0; c < columns; ++c) {
            ImGui::TableSetColumnIndex(c);
            const float avail = ImGui::GetContentRegionAvail().x;
            ImGui::TableHeader(headers[c]);
            note_label_fit(s, fmt("impact_header:%d", c).c_str(), headers[c], avail);
        }
        for (const ImpactEntry& e : r->impact) {
            const int64_t diff = e.reached_after - e.reached_before;
            ImGui::TableNextRow();
            if (diff < 0) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(with_alpha(pal.bad, 0.10f)));
            ImGui::TableNextColumn();
            if (diff < 0) ImGui::TextColored(pal.bad, "▼");
            else ImGui::TextColored(pal.good, "●");
            ImGui::SameLine();
            ImGui::TextUnformatted(e.campaign_id.c_str());
            if (group_sends.count(e.campaign_id)) {  // its before/after count groups
                ImGui::SameLine();
                ImGui::TextColored(pal.accent, "%s", tx("客户群群发（按群计）", "group send (groups)"));
            }
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", model::format_date_time(e.send_time, tz).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt_int(e.reached_before).c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(diff < 0 ? pal.bad : ImGui::GetStyleColorVec4(ImGuiCol_Text), "%s",
                               fmt_int(e.reached_after).c_str());
            ImGui::TableNextColumn();
            if (diff == 0) ImGui::TextDisabled("0");
            else ImGui::TextColored(diff < 0 ? pal.bad : pal.good, "%s", diff_text(e).c_str());
            if (!bars) continue;
            ImGui::TableNextColumn();
            // Two thin bars: before (muted), after (good or bad).
            const float w = ImGui::GetContentRegionAvail().x;
            const float h = ImGui::GetTextLineHeight() * 0.38f;
            const ImVec2 p0 = ImGui::GetCursorScreenPos();
            ImDrawList* dl = ImGui::GetWindowDrawList();
            dl->AddRectFilled(p0, ImVec2(p0.x + w * static_cast<float>(ratio(e.reached_before, max_reach)), p0.y + h),
                              ImGui::GetColorU32(with_alpha(pal.muted, 0.55f)), 2);
            dl->AddRectFilled(ImVec2(p0.x, p0.y + h + 2),
                              ImVec2(p0.x + w * static_cast<float>(ratio(e.reached_after, max_reach)), p0.y + 2 * h + 2),
                              ImGui::GetColorU32(diff < 0 ? pal.bad : pal.good), 2);
            ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
        }
        ImGui::EndTable();
    }
    name_item("impact_table");
}

// ------------------------------------------------------------------ state for tests
nlohmann::ordered_json preview_state_json(const AppState& s) {
    using json = nlohmann::ordered_json;
    json j = json::object();
    const PreviewResult* r = s.ws.result();
    const Dataset* d = s.ws.dataset();
    j["pending"] = s.ws.recompute_pending();
    if (!r || !d) return j;
    // What the marketer reads: the cards' counts (marketer's units), the last card tooltip,
    // the problems as worded by the catalogue.
    j["cards"] = {{"audience", count_text(r->audience)},
                  {"reached", count_text(r->reached)},
                  {"deliveries", count_text(r->deliveries)},
                  {"senders", count_text(static_cast<int64_t>(r->senders.size()))}};
    j["card_tooltip"] = s.card_tooltip;
    json problems = json::array();
    for (const Issue& e : r->errors) problems.push_back({{"code", e.code}, {"pointer", e.pointer}, {"text", issue_text(e)}});
    j["errors"] = problems;
    json warnings = json::array();
    for (const Issue& w : r->warnings) warnings.push_back({{"code", w.code}, {"text", issue_text(w)}});
    j["warnings"] = warnings;
    j["funnel"] = {{"audience", r->audience}, {"pairs", total_pairs(*r)}, {"reached", r->reached}, {"deliveries", r->deliveries}};
    j["kind"] = kind_name(r->kind);
    if (r->is_group_send()) {  // the cards of a group send: groups, then customers through groups
        j["cards"]["members_reached"] = count_text(r->members_reached);
        j["cards"]["members_multi"] = count_text(r->members_multi);
        j["group"] = {{"groups", r->audience},
                      {"reached", r->reached},
                      {"members_reached", r->members_reached},
                      {"members_multi", r->members_multi}};
    }
    json blocked = json::object();
    for (size_t code = 1; code < r->blocked_customers.size(); ++code)
        if (r->blocked_customers[code] > 0) {  // labels, merged like the summary (two quotas may share an id)
            const std::string label = r->reason_label(static_cast<uint16_t>(code));
            blocked[label] = (blocked.contains(label) ? blocked[label].get<int64_t>() : 0) + r->blocked_customers[code];
        }
    j["blocked"] = blocked;

    const PreviewPanelsState& p = s.preview;
    json senders = json::object();
    senders["sort_column"] = kSenderColumnIds[std::clamp(p.sender_sort_column, 0, kColCount - 1)];
    senders["descending"] = p.sender_sort_descending;
    json rows = json::array();
    for (uint32_t i : p.sender_order) {
        if (i >= r->senders.size()) break;
        const SenderStats& st = r->senders[i];
        json by = json::object();
        for (auto& [code, n] : st.blocked) {
            const std::string label = r->reason_label(code);
            by[label] = (by.contains(label) ? by[label].get<int64_t>() : 0) + n;
        }
        rows.push_back({{"userid", d->employees[st.employee].userid},
                        {"pairs", st.pairs},
                        {"deliveries", st.deliveries},
                        {"blocked", by},
                        {"requires_confirmation", st.requires_confirmation}});
    }
    senders["rows"] = rows;
    j["senders"] = senders;
    json deps = json::array();
    for (size_t i = 0; i < p.departments.size() && i < d->departments.size(); ++i) {
        const DepartmentRollup& roll = p.departments[i];
        if (roll.senders == 0) continue;
        deps.push_back({{"id", d->departments[i].id},
                        {"name", d->departments[i].name},
                        {"senders", roll.senders},
                        {"pairs", roll.pairs},
                        {"deliveries", roll.deliveries},
                        {"blocked", roll.blocked}});
    }
    j["departments"] = deps;

    json impact = json::array();
    std::set<std::string> group_sends;
    for (const Campaign& c : d->scheduled)
        if (c.kind == Kind::GroupSend) group_sends.insert(c.id);
    for (const ImpactEntry& e : r->impact)
        impact.push_back({{"campaign_id", e.campaign_id},
                          {"group_send", group_sends.count(e.campaign_id) > 0},
                          {"reached_before", e.reached_before},
                          {"reached_after", e.reached_after},
                          {"taken", e.reached_after < e.reached_before}});
    j["impact"] = impact;

    // The heat map (the engine's calendar for the current result, cached per recompute).
    json heat = json::object();
    if (const QuotaCalendar* qc = const_cast<model::Workspace&>(s.ws).quota_calendar();
        qc && !qc->labels.empty() && qc->days > 0) {
        const size_t q = static_cast<size_t>(std::clamp(p.heatmap_quota, 0, static_cast<int>(qc->labels.size()) - 1));
        const LocalDay send = local_day(r->send_time, s.ws.dataset_summary().tz_offset_minutes);
        heat["year"] = qc->year;
        heat["month"] = qc->month;
        heat["days"] = qc->days;
        heat["first_weekday"] = qc->first_weekday;
        heat["labels"] = qc->labels;
        heat["unit"] = r->is_group_send() ? "groups" : "customers";
        heat["label"] = qc->labels[q];
        heat["applies"] = q < qc->applies.size() && qc->applies[q];  // counts the draft's kind and origin
        heat["limit"] = q < qc->limits.size() ? qc->limits[q] : 0;
        heat["send_day"] = send.year == qc->year && send.month == qc->month ? send.day : 0;
        json cells = json::array();
        for (int day = 1; day <= qc->days; ++day) {
            QuotaDayUse u;
            if (q < qc->use.size() && static_cast<size_t>(day - 1) < qc->use[q].size())
                u = qc->use[q][static_cast<size_t>(day - 1)];
            cells.push_back({{"day", day}, {"deliveries", u.deliveries}, {"customers_full", u.customers_full}});
        }
        heat["cells"] = cells;
    }
    j["heatmap"] = heat;
    return j;
}

}  // namespace rl::ui
