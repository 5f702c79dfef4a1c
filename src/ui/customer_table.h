#pragma once
// The per-customer verdict table: every audience customer of the current preview in
// external_userid order, virtualised (ImGuiListClipper), searchable and filterable by
// verdict and reason, with a CSV download of the engine's verdicts (rl::verdicts_csv).
// It computes no rule: it only reads the PreviewResult and the dataset.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "ui/app_state.h"

namespace rl::ui {

// Brings state.table.rows up to date with the current result and filters (cheap when
// nothing changed). Called by the panel each frame and by the host hooks.
void update_customer_rows(AppState& state);

// The verdict CSV of the current preview (empty when there is none) and its file name.
std::string customer_verdicts_csv(const AppState& state);
std::string customer_verdicts_file_name(const AppState& state);

// Downloads the CSV through the page (browser builds); returns false without a preview.
bool export_customer_verdicts(AppState& state);

// The table's filters and first rows for the host and the tests (rl_table_json):
// {rows, audience, search, verdict, reason, sort, descending, top (first 5
// external_userids), filter_count, exports, export_name}.
nlohmann::ordered_json customer_table_json(AppState& state);
// Sets filters from {search?, verdict?: "all"|"reached"|"blocked", reason?: label or ""}
// (rl_table_set_filter); unknown keys or verdicts: false + *error, nothing changes.
bool customer_table_set_filter(AppState& state, const std::string& json, std::string* error);

// Draws the panel into the current window/child.
void draw_customer_table(AppState& state);

}  // namespace rl::ui
