#pragma once
// The reconciliation panel: WeCom's results after the send (pasted, or from the host:
// rl_set_results_json / the `reachlens.results` message) against the draft's preview
// (core/reconcile): the predicted-versus-actual matrix as a heat map, the employees who did
// not send ranked by missed customers, the customers the forecast got wrong (a click opens
// the customer's view), and which rules fit best, one click away.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/reconcile/reconcile.h"

namespace rl::ui {

struct AppState;

struct ReconcilePanelState {
    std::string paste;  // the text box
    std::string results_text, results_source;  // the last results that loaded
    std::optional<Reconciliation> rec;
    std::string error;  // "file: pointer: problem", nothing half-loaded
    int key_rules = -1;  // rules revision rec was computed under
    std::vector<uint32_t> differ;  // customers whose outcome disagrees, by external_userid
    std::vector<size_t> missed_order;  // rec->senders indices, most missed first
};

// Reads and reconciles results against the current draft; on error nothing changes but
// `error`. Returns whether they loaded.
bool load_results(AppState& s, const std::string& text, const std::string& source);
void draw_reconcile_panel(AppState& s, double now);
nlohmann::ordered_json reconcile_state_json(const AppState& s);

}  // namespace rl::ui
