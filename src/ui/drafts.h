#pragma once
// Drafts: the bundled demo campaigns, the drafts saved in the browser's storage as the
// marketer edits (restored after a reload or a crash; reopen or delete), and templates
// (a saved draft's text and attachments applied to the current draft).
//
// Saving: drafts_tick runs at the end of every frame (an ImGui hook installed by
// src/app/api_storage.cpp, whatever tab is open). It compares cheap counters of the
// Workspace (draft revision, recompute count, text size, preset) with the last frame and
// only then hashes the draft document; an edited draft is handed to web/storage.js, which
// writes it to localStorage (debounced, and at once on pagehide). A draft that was only
// opened (a demo campaign, a new blank draft) is not saved until it is edited.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/campaign.h"
#include "ui/i18n.h"

namespace rl::ui {

struct AppState;

// One draft kept in the browser's storage (web/storage.js: key "reachlens.draft.<id>").
struct SavedDraft {
    std::string id;  // the draft document's id
    double updated_ms = 0;  // Date.now() of the last save
    std::string updated_text;  // the same, as local "YYYY-MM-DD HH:MM" (formatted by the page)
    std::string kind;  // "moment" / "mass_send" as saved
    std::string origin;  // "enterprise" / "employee" as saved ("" in an old entry)
    std::string text;  // content.text
    int attachments = 0;
    std::string preset;  // the rules preset when saved
    std::string rules_json;  // a custom rules profile ("" = the preset)
    std::string document;  // the reachlens.campaign/1 document (JSON text)
    // The document no longer opens (shown, the entry stays): damaged in storage (worded when
    // drawn), or refused by the engine when last opened (its message, worded by error_text).
    bool damaged = false;
    StoredMessage open_error;
    nlohmann::ordered_json submission;  // its submission record (see submit_dialog.h), or null
};

struct DraftsState {
    std::vector<SavedDraft> saved;  // newest first
    std::string error;  // storage full / unavailable (English, for logs): shown worded, editing continues
    std::string error_code;  // its catalogue code ("drafts.storage_full", ...), "" for the app's own
    std::string error_id;  // the draft it names
    StoredMessage notice;  // the last action's result (template applied, ...), worded when drawn
    std::string confirm_delete;  // id waiting for the "delete?" confirmation
    std::string restored_id;  // the draft reopened at start-up

    // ---- change watch (drafts_tick)
    int seen_revision = -1, seen_recompute = -1;
    size_t seen_text_size = static_cast<size_t>(-1), seen_rules_size = static_cast<size_t>(-1);
    std::string seen_preset, seen_error;
    int baseline_revision = -1;  // the draft revision the baseline belongs to
    size_t baseline_hash = 0;  // the draft document as opened
    size_t saved_hash = 0;  // the last entry handed to storage
    bool tracked = false;  // the current draft has a saved entry (saved or reopened)
    std::string current_id;  // its id
    std::string rename_blocked;  // the campaign id was renamed to one another saved draft has
    int saves = 0;  // entries handed to storage (tests)
    // The current draft's submission record (Idempotency-Key, outcome; interpreted by
    // submit_dialog.cpp), saved with the draft's entry while its campaign id is the same.
    nlohmann::ordered_json submission;
};

void draw_drafts_panel(AppState& s, double now);

// End of every frame: saves the current draft when it was edited since it was opened.
// `force`: skip the cheap counters (the page is being hidden).
void drafts_tick(AppState& s, bool force);

// The saved drafts as web/storage.js read them (a JSON array of entries), newest first.
void drafts_set_list(AppState& s, std::string_view json);

// Opens saved draft `id` as the current draft (with its rules). False + *error when it
// does not load (the current draft stays).
bool drafts_reopen(AppState& s, const std::string& id, StoredMessage* error);

// Copies a saved draft's content (text and attachments) into the current draft.
bool drafts_apply_template(AppState& s, const std::string& id, double now, StoredMessage* error);
// Starts a new draft from a saved one: a copy of it under a fresh id (saved at once).
bool drafts_new_from_template(AppState& s, const std::string& id, double now, StoredMessage* error);
// A new blank draft with a fresh id (unique among the saved drafts and the current one).
// The current draft's last edit is saved first: a new draft never replaces unsaved work.
void drafts_new(AppState& s, Kind kind, Origin origin, double now);
// The current draft, copied under a fresh campaign id with no submission record: what
// "另存为新活动" does after a submission (a second send is a new campaign).
bool drafts_save_as_new(AppState& s, double now, StoredMessage* error);
// Saves the current draft (with its submission record) and writes it to storage now,
// even when it was never edited (a campaign submitted as opened). False when the
// browser refused (s.drafts.error says why).
bool drafts_save_now(AppState& s);

// What the panel shows, for the host and the tests (rl_panel_json("drafts")).
nlohmann::ordered_json drafts_state_json(const AppState& s);
// web/storage.js's report that the browser refused the drafts ({code, message, id?}; "" = fine again).
void drafts_storage_failed(AppState& s, const std::string& report_json);
// The storage problem as the marketer reads it (UI language).
std::string drafts_error_text(const AppState& s);

}  // namespace rl::ui
