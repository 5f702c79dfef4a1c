// The per-customer verdict table (see customer_table.h).
#include "ui/customer_table.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "core/insight/insight.h"
#include "core/output/report.h"
#include "ui/app_state.h"
#include "ui/customer_view.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {

// The code of a reason label in this result, or kNotInAudience when it does not occur.
uint16_t find_reason(const PreviewResult& r, const std::string& label) {
    for (size_t code = 1; code < r.reason_labels.size(); ++code)
        if (r.reason_labels[code] == label) return static_cast<uint16_t>(code);
    return kNotInAudience;
}

// Orders the rows (already in external_userid order) by the chosen column; ties keep
// external_userid order, in both directions.
void sort_rows(const Dataset& d, const PreviewResult& r, CustomerTableState& t) {
    auto& rows = t.rows;
    const bool desc = t.sort_descending;
    auto run = [&](auto less) {
        if (desc) std::stable_sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) { return less(b, a); });
        else std::stable_sort(rows.begin(), rows.end(), less);
    };
    auto name = [&](uint32_t c) { return c < d.customer_names.size() ? d.customer_names[c] : std::string_view(); };
    switch (t.sort_column) {
        case 1: run([&](uint32_t a, uint32_t b) { return name(a) < name(b); }); break;
        case 2:  // reached first
            run([&](uint32_t a, uint32_t b) { return (r.verdict[a] != kReached) < (r.verdict[b] != kReached); });
            break;
        case 3:  // by the reason code (reached first), the labels read in the same order the engine numbers them
            run([&](uint32_t a, uint32_t b) {
                const std::string_view la =
                    r.verdict[a] == kReached ? std::string_view() : std::string_view(r.reason_labels[r.verdict[a]]);
                const std::string_view lb =
                    r.verdict[b] == kReached ? std::string_view() : std::string_view(r.reason_labels[r.verdict[b]]);
                return la < lb;
            });
            break;
        case 4: {
            // As the column shows them (employee_name), without a string per comparison.
            auto shown_name = [&](uint32_t e) -> std::string_view {
                return d.employees[e].name.empty() ? d.employees[e].userid : d.employees[e].name;
            };
            run([&](uint32_t a, uint32_t b) {
                return std::lexicographical_compare(r.via.begin() + r.via_begin[a], r.via.begin() + r.via_begin[a + 1],
                                                    r.via.begin() + r.via_begin[b], r.via.begin() + r.via_begin[b + 1],
                                                    [&](uint32_t x, uint32_t y) { return shown_name(x) < shown_name(y); });
            });
            break;
        }
        default:
            if (desc) std::reverse(rows.begin(), rows.end());
            break;
    }
}

}  // namespace

void update_customer_rows(AppState& s) {
    CustomerTableState& t = s.table;
    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (t.key_dataset == d && t.key_result == r && t.key_recompute == s.ws.recompute_count() && t.key_search == t.search &&
        t.key_verdict == t.verdict && t.key_reason == t.reason && t.key_sort_column == t.sort_column &&
        t.key_sort_descending == t.sort_descending)
        return;
    uint16_t reason_code = kNotInAudience;
    if (r && !t.reason.empty()) {
        reason_code = find_reason(*r, t.reason);
        if (reason_code == kNotInAudience || r->blocked_customers[reason_code] == 0) t.reason.clear();  // gone
    }
    t.key_dataset = d;
    t.key_result = r;
    t.key_recompute = s.ws.recompute_count();
    t.key_search = t.search;
    t.key_verdict = t.verdict;
    t.key_reason = t.reason;
    t.key_sort_column = t.sort_column;
    t.key_sort_descending = t.sort_descending;
    ++t.filter_count;
    t.rows.clear();
    if (!d || !r || r->verdict.size() != d->customer_count()) return;
    const std::string_view needle = t.search;
    const bool by_reason = !t.reason.empty();
    t.rows.reserve(static_cast<size_t>(r->audience));
    for (uint32_t c : d->by_external_userid) {
        const uint16_t v = r->verdict[c];
        if (v == kNotInAudience) continue;
        if (t.verdict == CustomerTableState::kReached && v != kReached) continue;
        if (t.verdict == CustomerTableState::kBlocked && v == kReached) continue;
        if (by_reason && v != reason_code) continue;
        if (!needle.empty() && d->external_userid(c).find(needle) == std::string_view::npos &&
            (c >= d->customer_names.size() || d->customer_names[c].find(needle) == std::string_view::npos))
            continue;
        t.rows.push_back(c);
    }
    sort_rows(*d, *r, t);
}

std::string customer_verdicts_csv(const AppState& s) {
    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (!d || !r) return {};
    return verdicts_csv(*d, *r);
}

std::string customer_verdicts_file_name(const AppState& s) {
    const PreviewResult* r = s.ws.result();
    std::string id = r ? r->campaign_id : std::string();
    for (char& ch : id)  // keep the name a plain file name
        if (ch == '/' || ch == '\\' || ch == ':' || static_cast<unsigned char>(ch) < 0x20) ch = '_';
    return "verdicts-" + (id.empty() ? std::string("preview") : id) + ".csv";
}

bool export_customer_verdicts(AppState& s) {
    if (!s.ws.dataset() || !s.ws.result()) return false;
    const std::string csv = customer_verdicts_csv(s);
    s.table.last_export_name = customer_verdicts_file_name(s);
    ++s.table.exports;
    s.host().download_file(s.table.last_export_name, "text/csv;charset=utf-8", csv);
    return true;
}

namespace {

constexpr Text kNotSelectedSender{"（未选为发送成员）", " (not a selected sender)"};

// The employees a customer's row names: who reached them, else the senders the draft tried
// for them, else (marked not selected) the employees they have. The table and the export
// both name them so.
struct RowEmployees {
    std::vector<uint32_t> employees;
    bool not_selected = false;
};
void row_employees(const PreviewResult& r, const CustomerEmployeesLookup& lookup, uint32_t c, CustomerEmployees& scratch,
                   RowEmployees& out) {
    out.employees.clear();
    out.not_selected = false;
    if (r.verdict[c] == kReached) {
        out.employees.assign(r.via.begin() + r.via_begin[c], r.via.begin() + r.via_begin[c + 1]);
        return;
    }
    lookup.of(c, scratch);
    if (!scratch.pair_senders.empty()) {
        out.employees = scratch.pair_senders;
    } else {
        out.employees = scratch.other_employees;
        out.not_selected = !out.employees.empty();
    }
}

}  // namespace

std::string customer_report_csv(const AppState& s) {
    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (!d || !r) return {};
    std::string out = "\xEF\xBB\xBF";  // UTF-8 byte order mark
    auto row = [&](std::initializer_list<std::string_view> fields) {
        bool first = true;
        for (std::string_view f : fields) {
            if (!first) out += ',';
            out += csv_field(f);
            first = false;
        }
        out += "\r\n";
    };
    std::string senders, departments;
    auto add_employee = [&](uint32_t employee, std::string_view note) {
        const Employee& e = d->employees[employee];
        senders += (senders.empty() ? "" : "；") + employee_name(*d, employee);
        senders += note;
        for (uint32_t dep : e.departments)
            if (dep < d->departments.size() && departments.find(d->departments[dep].name) == std::string::npos)
                departments += (departments.empty() ? "" : "；") + d->departments[dep].name;
    };
    if (r->is_group_send()) {  // one row per audience group (contract 8.3), its owner the sender
        const GroupChats& g = d->groups;
        row({tx("群 ID", "Group chat id"), tx("群名", "Group name"), tx("结果", "Result"), tx("原因", "Reason"),
             tx("群主", "Owner"), tx("群主部门", "Owner's departments")});
        for (uint32_t k : g.by_chat_id) {
            const uint16_t v = r->group_verdict[k];
            if (v == kNotInAudience) continue;
            senders.clear();
            departments.clear();
            add_employee(g.owner[k], {});
            row({g.chat_id(k), g.names[k], v == kReached ? tx("已送达", "Delivered") : tx("未送达", "Not delivered"),
                 v == kReached ? std::string_view() : std::string_view(reason_text(r->reason_label(v))), senders, departments});
        }
        return out;
    }
    row({tx("客户 ID", "Customer id"), tx("客户姓名", "Customer name"), tx("结果", "Result"), tx("原因", "Reason"),
         tx("发送成员", "Senders"), tx("成员部门", "Senders' departments")});
    // A customer not reached still belongs to someone: the senders the draft tried for them
    // (the engine's pairs), or else the employees they have who were not selected.
    const CustomerEmployeesLookup lookup(*d, *r);
    CustomerEmployees scratch;
    RowEmployees employees;
    for (uint32_t c : d->by_external_userid) {
        const uint16_t v = r->verdict[c];
        if (v == kNotInAudience) continue;
        const std::string_view name = c < d->customer_names.size() ? d->customer_names[c] : std::string_view();
        senders.clear();
        departments.clear();
        row_employees(*r, lookup, c, scratch, employees);
        for (uint32_t e : employees.employees) add_employee(e, employees.not_selected ? tx(kNotSelectedSender) : "");
        row({d->external_userid(c), name, v == kReached ? tx("已触达", "Reached") : tx("未触达", "Not reached"),
             v == kReached ? std::string_view() : std::string_view(reason_text(r->reason_label(v))), senders, departments});
    }
    return out;
}

std::string customer_report_file_name(const AppState& s) {
    const std::string machine = customer_verdicts_file_name(s);  // verdicts-<id>.csv
    return std::string(tx("触达明细-", "reach-report-")) + machine.substr(std::string("verdicts-").size());
}

bool export_customer_report(AppState& s) {
    if (!s.ws.dataset() || !s.ws.result()) return false;
    s.table.last_export_name = customer_report_file_name(s);
    ++s.table.report_exports;
    s.host().download_file(s.table.last_export_name, "text/csv;charset=utf-8", customer_report_csv(s));
    return true;
}

void draw_customer_table(AppState& s) {
    CustomerTableState& t = s.table;
    const bool dark = s.dark;
    const ImVec4 good = dark ? ImVec4(0.30f, 0.78f, 0.47f, 1) : ImVec4(0.10f, 0.58f, 0.30f, 1);
    const ImVec4 bad = dark ? ImVec4(0.95f, 0.42f, 0.40f, 1) : ImVec4(0.82f, 0.20f, 0.18f, 1);
    const ImVec4 warn = dark ? ImVec4(0.96f, 0.70f, 0.30f, 1) : ImVec4(0.78f, 0.48f, 0.05f, 1);

    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.15f);
    ImGui::TextUnformatted(tx("客户明细", "Customers"));
    ImGui::PopFont();
    ImGui::Separator();

    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (!d || !r) {
        ImGui::TextDisabled("%s", tx(text::campaign_none));
        return;
    }
    if (r->is_group_send()) {
        // A group send marks no customer (contract 8.3: its verdicts are per group).
        ImGui::TextWrapped("%s", tx("客户群群发按群预览：每个群的结果见“概览”和“成员与部门”，客户在群里看到的样子见“客户视角”。",
                                    "A group send is previewed per group: see Overview and Senders for each group, and "
                                    "Customer's view for a customer's group chats."));
        if (ImGui::Button(tx("导出 Excel 表###table_export_report", "Export for Excel###table_export_report")))
            export_customer_report(s);
        ImGui::SameLine();
        if (ImGui::Button(tx("导出群明细 CSV###table_group_csv", "Export groups CSV###table_group_csv")))
            export_customer_verdicts(s);  // the engine's verdict CSV: one row per group
        return;
    }
    update_customer_rows(s);
    const ImGuiStyle& st = ImGui::GetStyle();

    // ---- toolbar: search, verdict, reason, export, row count
    ImGui::SetNextItemWidth(std::max(120.0f * s.dpi_scale, ImGui::GetContentRegionAvail().x * 0.24f));
    ImGui::InputTextWithHint("###table_search", tx("搜索客户 ID 或姓名", "Search external_userid or name"), &t.search);
    static constexpr Text kVerdicts[] = {{"全部###table_verdict_all", "All###table_verdict_all"},
                                         {"已触达###table_verdict_reached", "Reached###table_verdict_reached"},
                                         {"未触达###table_verdict_blocked", "Not reached###table_verdict_blocked"}};
    for (int i = 0; i < 3; ++i) {
        // The toolbar wraps in a narrow panel (800×600, a host's frame) instead of running off its edge.
        same_line_if_fits(
            ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize(tx(kVerdicts[i]), nullptr, true).x, 0,
            i == 0 ? st.ItemSpacing.x * 2 : st.ItemSpacing.x);
        if (ImGui::RadioButton(tx(kVerdicts[i]), t.verdict == i)) t.verdict = i;
    }

    // Reasons present in this result, with their customer counts.
    std::string preview = t.reason.empty() ? std::string(tx(text::table_reason_all)) : std::string(reason_text(t.reason));
    const float reason_w =
        std::max(140.0f * s.dpi_scale, ImGui::CalcTextSize(preview.c_str()).x + ImGui::GetFrameHeight() + st.FramePadding.x * 2);
    same_line_if_fits(reason_w, 0, st.ItemSpacing.x * 2);
    ImGui::SetNextItemWidth(reason_w);
    if (ImGui::BeginCombo("##table_reason", preview.c_str())) {
        if (ImGui::Selectable(tx(text::table_reason_all), t.reason.empty())) t.reason.clear();
        for (size_t code = 1; code < r->blocked_customers.size(); ++code) {
            const int64_t n = r->blocked_customers[code];
            if (n <= 0) continue;
            const std::string& label = r->reason_labels[code];
            std::string item = std::string(reason_text(label)) + " (" + fmt_int(n) + ")##" + label;
            if (ImGui::Selectable(item.c_str(), t.reason == label)) t.reason = label;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", label.c_str());
        }
        ImGui::EndCombo();
    }
    name_item("table_reason");
    // The export buttons wrap to their own line when the panel is narrow (1280 px and below).
    const char* report_label = tx("导出 Excel 表###table_export_report", "Export for Excel###table_export_report");
    const char* csv_label = tx("导出 CSV###table_export", "Export CSV###table_export");
    same_line_if_fits(button_width(report_label) + st.ItemSpacing.x + button_width(csv_label), 0, st.ItemSpacing.x * 2);
    if (ImGui::Button(report_label)) export_customer_report(s);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", fmt(tx("%s：客户姓名、中文结果与原因、发送成员与部门（Excel 可直接打开）",
                                       "%s: customer names, verdicts and reasons in words, senders and departments"),
                                    customer_report_file_name(s).c_str())
                                    .c_str());
    same_line_if_fits(button_width(csv_label));
    if (ImGui::Button(csv_label)) export_customer_verdicts(s);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", fmt(tx("%s：接口格式（供系统读取）", "%s: the contract format, for machines"),
                                    customer_verdicts_file_name(s).c_str())
                                    .c_str());
    {
        const std::string count = fmt("%s %s / %s", tx("行数", "Rows"), fmt_int(static_cast<int64_t>(t.rows.size())).c_str(),
                                      fmt_int(r->audience).c_str());
        ImGui::SameLine(0, st.ItemSpacing.x * 2);
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(count.c_str()).x) ImGui::NewLine();  // narrow: own line
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", count.c_str());
    }
    update_customer_rows(s);  // a filter may have changed above: draw the new rows this frame

    // ---- the table
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp |
                                  ImGuiTableFlags_Sortable | ImGuiTableFlags_ScrollX;
    const float h = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 6);
    // Each column at least as wide as its header (with the sort arrow) and a typical value, so
    // nothing shows as "…": a narrow panel scrolls sideways; a wide one stretches them all.
    const char* const headers[] = {tx("客户 ID", "external_userid"), tx("姓名", "Name"), tx("结果", "Result"),
                                   tx("原因", "Reason"), tx("发送成员", "Sent by")};
    const char* const samples[] = {"wm00CqAYXJKHG6x", "欧阳小明", tx("● 已触达", "● Not reached"),
                                   tx("已删除好友", "Deleted the employee"), "zhubozi +1"};
    float min_w[5], total_w = 0;
    for (int col = 0; col < 5; ++col) {
        min_w[col] =
            std::max(ImGui::CalcTextSize(headers[col]).x + ImGui::GetFontSize() * 1.5f, ImGui::CalcTextSize(samples[col]).x) +
            st.CellPadding.x * 2;
        total_w += min_w[col];
    }
    if (ImGui::BeginTable("##customers", 5, flags, ImVec2(0, h), std::max(total_w, ImGui::GetContentRegionAvail().x))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        for (int col = 0; col < 5; ++col)
            ImGui::TableSetupColumn(headers[col],
                                    ImGuiTableColumnFlags_WidthStretch | (col == 0 ? ImGuiTableColumnFlags_DefaultSort : 0),
                                    min_w[col]);
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        static const char* const kHeaderNames[] = {"table_col_userid", "table_col_name", "table_col_result", "table_col_reason",
                                                   "table_col_via"};
        for (int col = 0; col < 5; ++col) {
            ImGui::TableSetColumnIndex(col);
            ImGui::TableHeader(ImGui::TableGetColumnName(col));
            name_item(kHeaderNames[col]);
        }
        if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
            if (specs->SpecsCount > 0) {
                t.sort_column = specs->Specs[0].ColumnIndex;
                t.sort_descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
            }
            specs->SpecsDirty = false;
            update_customer_rows(s);
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(t.rows.size()));
        std::string via;
        // A blocked customer still belongs to someone: shown as the export names them.
        const CustomerEmployeesLookup lookup(*d, *r);
        CustomerEmployees scratch;
        RowEmployees employees;
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const uint32_t c = t.rows[static_cast<size_t>(i)];
                const uint16_t v = r->verdict[c];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                const std::string_view id = d->external_userid(c);
                // The whole row opens the customer's-eye view of this customer.
                ImGui::PushID(static_cast<int>(c));
                const std::string id_text(id);
                if (ImGui::Selectable(id_text.c_str(), s.customer_view.customer == static_cast<int64_t>(c),
                                      ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowOverlap))
                    show_customer(s, c);
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tx("查看该客户看到的内容", "See what this customer sees"));
                ImGui::PopID();
                ImGui::TableNextColumn();
                if (c < d->customer_names.size()) {
                    const std::string_view name = d->customer_names[c];
                    ImGui::TextUnformatted(name.data(), name.data() + name.size());
                }
                ImGui::TableNextColumn();
                if (v == kReached) {
                    ImGui::TextColored(good, "● %s", tx("已触达", "Reached"));
                } else {
                    ImGui::TextColored(bad, "● %s", tx("未触达", "Blocked"));
                }
                ImGui::TableNextColumn();
                if (v != kReached) {
                    const std::string& label = r->reason_label(v);
                    const bool quota = label.rfind("quota:", 0) == 0 || label.rfind("policy:", 0) == 0;
                    ImGui::TextColored(quota ? warn : bad, "%s", reason_text(label));
                }
                ImGui::TableNextColumn();
                via.clear();
                row_employees(*r, lookup, c, scratch, employees);
                for (uint32_t e : employees.employees) {
                    if (!via.empty()) via += tx("、", ", ");
                    via += employee_name(*d, e);
                }
                if (employees.not_selected) {
                    ImGui::TextDisabled("%s%s", via.c_str(), tx(kNotSelectedSender));
                } else if (!via.empty()) {
                    ImGui::TextUnformatted(via.c_str());
                }
            }
        }
        ImGui::EndTable();
    }
    name_item("table");
}

nlohmann::ordered_json customer_table_json(AppState& s) {
    update_customer_rows(s);
    static const char* const kVerdicts[] = {"all", "reached", "blocked"};
    nlohmann::ordered_json j;
    j["rows"] = s.table.rows.size();
    j["audience"] = s.ws.result() ? s.ws.result()->audience : 0;
    j["search"] = s.table.search;
    j["verdict"] = kVerdicts[std::clamp(s.table.verdict, 0, 2)];
    j["reason"] = s.table.reason;
    static const char* const kColumns[] = {"external_userid", "name", "result", "reason", "via"};
    j["sort"] = kColumns[std::clamp(s.table.sort_column, 0, 4)];
    j["descending"] = s.table.sort_descending;
    auto top = nlohmann::ordered_json::array();  // the first rows' external_userids
    // and the employees each names, as the table draws them
    auto top_employees = nlohmann::ordered_json::array();
    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (d)
        for (size_t i = 0; i < s.table.rows.size() && i < 5; ++i) top.push_back(std::string(d->external_userid(s.table.rows[i])));
    if (d && r && !r->is_group_send()) {
        const CustomerEmployeesLookup lookup(*d, *r);
        CustomerEmployees scratch;
        RowEmployees employees;
        for (size_t i = 0; i < s.table.rows.size() && i < 5; ++i) {
            const uint32_t c = s.table.rows[i];
            row_employees(*r, lookup, c, scratch, employees);
            nlohmann::ordered_json row;
            row["names"] = nlohmann::ordered_json::array();
            for (uint32_t e : employees.employees) row["names"].push_back(employee_name(*d, e));
            row["not_selected"] = employees.not_selected;
            top_employees.push_back(row);
        }
    }
    j["top"] = top;
    j["top_employees"] = top_employees;
    j["filter_count"] = s.table.filter_count;
    j["exports"] = s.table.exports;
    j["report_exports"] = s.table.report_exports;
    j["export_name"] = s.table.last_export_name;
    return j;
}

bool customer_table_set_filter(AppState& s, const std::string& json, std::string* error) {
    auto& t = s.table;
    try {
        auto j = nlohmann::json::parse(json);
        if (!j.is_object()) {
            *error = "rl_table_set_filter: not an object";
            return false;
        }
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it.key() != "search" && it.key() != "verdict" && it.key() != "reason") {
                *error = "rl_table_set_filter: unknown key " + it.key();
                return false;
            }
        int verdict = t.verdict;
        if (j.contains("verdict")) {
            const std::string v = j["verdict"].get<std::string>();
            if (v == "all") verdict = CustomerTableState::kAll;
            else if (v == "reached") verdict = CustomerTableState::kReached;
            else if (v == "blocked") verdict = CustomerTableState::kBlocked;
            else {
                *error = "rl_table_set_filter: unknown verdict " + v;
                return false;
            }
        }
        if (j.contains("search")) t.search = j["search"].get<std::string>();
        if (j.contains("reason")) t.reason = j["reason"].get<std::string>();
        t.verdict = verdict;
    } catch (const std::exception& e) {
        *error = std::string("rl_table_set_filter: ") + e.what();
        return false;
    }
    return true;
}

nlohmann::ordered_json table_state_json(const AppState& s) {
    nlohmann::ordered_json j;
    j["rows"] = s.table.rows.size();
    return j;
}

}  // namespace rl::ui
