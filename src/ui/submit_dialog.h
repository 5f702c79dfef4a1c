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
    std::string id;  // its Idempotency-Key
    std::string created_at;  // ISO 8601, UTC
    std::string campaign_id, kind, origin;  // kind, origin: the contract's words
    int64_t audience = 0, reached = 0, deliveries = 0;
    std::string reason;  // why it was not sent
    std::string last_error;  // the last retry's failure, if any
};

struct SubmitState {
    bool open_request = false;  // open the confirmation popup next frame
    bool dialog_open = false;  // the popup is up (as of the last frame)
    bool enabled = false;  // the Submit button is enabled (as of the last frame)
    bool in_flight = false;  // a POST is running
    std::string key;  // Idempotency-Key of the submission shown (from the draft's record)
    std::string payload;  // the POST body
    std::string requests_pretty;  // the request bodies shown in the dialog
    int64_t audience = 0, reached = 0, deliveries = 0;
    // What the confirmation shows in words (taken when it opens, so it matches the payload).
    std::string campaign_id, kind_origin, send_time_text, text;
    int senders = 0, senders_confirming = 0, requests = 0, attachments = 0;
    bool group_send = false;  // a group send: audience/reached/deliveries count groups
    int64_t members_reached = 0, members_multi = 0;
    bool confirm_nobody = false;  // a campaign that reaches nobody: the second, explicit confirmation
    bool answered = false;  // the last attempt finished (status + response below)
    int status = 0;  // HTTP status; 0 = network failure
    std::string response;  // response text, or the network error message
    std::string id;  // the accepted campaign id (201)
    std::string error_code, error_message;
    std::string error_pointer;  // the error's JSON pointer (422 media_missing: the attachment)
    std::string existing_id;  // 409 campaign_exists: the server id of the accepted campaign
    int64_t error_attachment = -1;  // 422 media_missing/media_mismatch: the attachment's 0-based index
    int attempts = 0;
    std::string record_warning;  // the submission record could not be kept in the browser
    // Campaigns the server accepted (GET {apiBase}/campaigns, web/submit.js): campaign id ->
    // {server id, created_at}. A draft whose campaign id is here shows as submitted.
    struct Accepted {
        std::string id;
        std::string scheduled_id;  // its id among the dataset's scheduled campaigns (serve.py may rename it)
        int64_t created_at = 0;
    };
    std::vector<std::pair<std::string, Accepted>> accepted;
    bool accepted_known = false;  // the list arrived at least once

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

// The draft was accepted by the server: its server id, and its id among the dataset's
// scheduled campaigns when the server's list says (else empty: the campaign's own id).
bool draft_accepted(const AppState& s, std::string* server_id, std::string* scheduled_id);

// The draft's submission record (s.drafts.submission, saved with the draft):
//   {key: Idempotency-Key, version: digest of {campaign, rules} the key was made for,
//    campaign_id, state: ready | sending | accepted | exists | refused | failed | outbox,
//    server_id, status, sent_at, at (ISO 8601 UTC of the answer), code}
// The key is made once per submission and saved before the request leaves; a reload, a
// crash or a retry reuses it until the server answered.
// rl_submit_done: records the server's answer for the draft and saves it.
void submission_answered(AppState& s);
// GET {apiBase}/campaigns's list ({campaigns:[{id, campaign:{id}, created_at, status}]}).
void set_accepted_campaigns(AppState& s, const std::string& json);
void draw_submit_dialog(AppState& s);

// What the panel shows, for the host and the tests (rl_panel_json("submit")).
nlohmann::ordered_json submit_state_json(const AppState& s);

}  // namespace rl::ui
