#pragma once
// The reconciliation panel: WeCom's results after the send (pasted, a file from the
// picker, from the host: rl_set_results_json / the `reachlens.results` message, or, for a
// draft the server accepted, the results the server stores for it) against the draft's preview
// (core/reconcile): the predicted-versus-actual matrix as a heat map, the employees who did
// not send ranked by missed customers, the customers the forecast got wrong (a click opens
// the customer's view), and which rules fit best, one click away.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/reconcile/reconcile.h"
#include "ui/i18n.h"

namespace rl::ui {

struct AppState;

struct ReconcilePanelState {
    std::string paste;  // the text box
    std::string results_text, results_source;  // the last results that loaded
    std::optional<Reconciliation> rec;
    StoredMessage error;  // "file: pointer: problem", nothing half-loaded
    int key_rules = -1;  // rules revision rec was computed under
    std::vector<uint32_t> differ;  // customers whose outcome disagrees, by external_userid
    std::vector<size_t> missed_order;  // rec->senders indices, most missed first
    // The results the server stores for the accepted draft (GET {apiBase}/campaigns/<id>/results).
    enum class Stored { Idle, NoServer, Asking, Absent, Loaded, Failed };
    Stored stored = Stored::Idle;
    std::string stored_server_id;  // the accepted campaign asked about
    // Failed: why (HTTP status, 0: the page's bridge message; the server's error code and message).
    int stored_status = 0;
    std::string stored_code, stored_message;
    bool picker_missing = false;  // the page has no file picker
};

// The server's answer about the accepted draft's stored results (rl_stored_results):
// HTTP status (0: no answer) and body. 200 loads them like a file; 404 no_results says
// that none exist yet.
void stored_results_answered(AppState& s, const std::string& server_id, int status, const std::string& text);

// Reads and reconciles results against the current draft; on error nothing changes but
// `error`. Returns whether they loaded.
bool load_results(AppState& s, const std::string& text, const std::string& source);
void draw_reconcile_panel(AppState& s, double now);
nlohmann::ordered_json reconcile_state_json(const AppState& s);

}  // namespace rl::ui
