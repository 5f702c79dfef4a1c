#pragma once
// The submit flow: the Submit button, the confirmation dialog with the reach summary and
// the request bodies, the POST to the server API (web/submit.js) with an Idempotency-Key
// reused on retry, and the server's answer (rl_submit_done). Without a server (no API,
// network failure) the submission lands in the outbox (web/outbox.js, localStorage),
// which the Outbox button next to Submit lists, deletes from, downloads and re-sends.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

// One submission kept in the browser's outbox (web/outbox.js owns the bodies).
struct OutboxEntry {
    std::string id;           // its Idempotency-Key
    std::string created_at;   // ISO 8601, UTC
    std::string campaign_id, kind;
    int64_t audience = 0, reached = 0, deliveries = 0;
    std::string reason;       // why it was not sent
    std::string last_error;   // the last retry's failure, if any
};

struct SubmitState {
    bool open_request = false;    // open the confirmation popup next frame
    bool dialog_open = false;     // the popup is up (as of the last frame)
    bool enabled = false;         // the Submit button is enabled (as of the last frame)
    bool in_flight = false;       // a POST is running
    std::string key;              // Idempotency-Key of the draft version key_for
    std::string key_for;          // {campaign, rules} the key belongs to (compact JSON)
    std::string payload;          // the POST body
    std::string requests_pretty;  // the request bodies shown in the dialog
    int64_t audience = 0, reached = 0, deliveries = 0;
    bool answered = false;        // the last attempt finished (status + response below)
    int status = 0;               // HTTP status; 0 = network failure
    std::string response;         // response text, or the network error message
    std::string id;               // the accepted campaign id (201)
    std::string error_code, error_message;
    int attempts = 0;

    // ---- outbox (rl_outbox_set after every change in the page)
    std::vector<OutboxEntry> outbox;
    bool outbox_retrying = false;
    std::string outbox_storage_error;
    int outbox_retry_accepted = -1, outbox_retry_failed = -1;  // the last retry's outcome (-1: none yet)
    bool outbox_open_request = false;
    bool outbox_dialog_open = false;  // as of the last frame
};

// The server's answer to the submission the host sent (rl_submit_done): HTTP status
// (0 = network failure, text = the error) and the response body.
void submit_answered(AppState& s, int status, const std::string& text);

// The page's view of the outbox after a change (rl_outbox_set): {retrying, note,
// storage_error, entries:[{id, created_at, campaign_id, kind, audience, reached,
// deliveries, reason, last_error}]} (no request bodies: the popup only lists them).
// Throws on JSON that does not parse.
void outbox_set_view(AppState& s, const std::string& json);

// The submission the dialog shows was saved to the outbox (not sent).
bool submit_saved_to_outbox(const SubmitState& sub);

void draw_submit_button(AppState& s);
void draw_submit_dialog(AppState& s);

// What the panel shows, for the host and the tests (rl_panel_json("submit")).
nlohmann::ordered_json submit_state_json(const AppState& s);

}  // namespace rl::ui
