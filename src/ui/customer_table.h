#pragma once
// The per-customer verdict table: every audience customer of the current preview in
// external_userid order, virtualised (ImGuiListClipper), searchable and filterable by
// verdict and reason, with a CSV download of the engine's verdicts (rl::verdicts_csv).
// It computes no rule: it only reads the PreviewResult and the dataset.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

// The per-customer verdict table (customer_table.cpp): its filters and the row indices
// they select, recomputed only when the preview result or a filter changes.
struct CustomerTableState {
    enum Verdict { kAll = 0, kReached = 1, kBlocked = 2 };
    std::string search;  // substring of external_userid or name (UTF-8 bytes)
    int verdict = kAll;
    std::string reason;  // a reason label (not_friend, quota:<id>, ...); empty = all
    int sort_column = 0;  // 0 external_userid, 1 name, 2 result, 3 reason, 4 senders
    bool sort_descending = false;
    // Cache: customer indices (external_userid order) passing the filters.
    std::vector<uint32_t> rows;
    const void* key_dataset = nullptr;
    const void* key_result = nullptr;
    int key_recompute = -1;
    std::string key_search;
    int key_verdict = -1;
    std::string key_reason;
    int key_sort_column = -1;
    bool key_sort_descending = false;
    int64_t filter_count = 0;  // times the rows were recomputed (tests)
    int64_t exports = 0;  // CSV downloads triggered
    int64_t report_exports = 0;  // marketer's (Excel) exports triggered
    std::string last_export_name;
};

// Brings state.table.rows up to date with the current result and filters (cheap when
// nothing changed). Called by the panel each frame and by the host hooks.
void update_customer_rows(AppState& state);

// The verdict CSV of the current preview (empty when there is none) and its file name.
std::string customer_verdicts_csv(const AppState& state);
std::string customer_verdicts_file_name(const AppState& state);

// Downloads the CSV through the page (browser builds); returns false without a preview.
bool export_customer_verdicts(AppState& state);

// The marketer's export, for Excel: UTF-8 with a BOM (Excel on Windows reads Chinese right
// only with it), CRLF lines, in the UI's language: customer id and name, verdict and reason
// worded, the senders' names and their departments (a customer not reached: the senders the
// draft tried, or else their employees marked as not selected, rl::CustomerEmployeesLookup).
// The contract CSV above stays for machines.
std::string customer_report_csv(const AppState& state);
std::string customer_report_file_name(const AppState& state);
bool export_customer_report(AppState& state);

// The table's filters and first rows for the host and the tests (rl_table_json):
// {rows, audience, search, verdict, reason, sort, descending, top (first 5
// external_userids), filter_count, exports, export_name}.
nlohmann::ordered_json customer_table_json(AppState& state);
// Sets filters from {search?, verdict?: "all"|"reached"|"blocked", reason?: label or ""}
// (rl_table_set_filter); unknown keys or verdicts: false + *error, nothing changes.
bool customer_table_set_filter(AppState& state, const std::string& json, std::string* error);

// What the panel shows, for the host and the tests (rl_panel_json("table")).
nlohmann::ordered_json table_state_json(const AppState& state);

// Draws the panel into the current window/child.
void draw_customer_table(AppState& state);

}  // namespace rl::ui
