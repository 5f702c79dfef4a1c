#pragma once
// The composer: kind and origin, senders (department tree, employee search), send time in
// the enterprise's time zone, rules (preset picker and editor), the post text with live
// counters against the limits, and the attachments. Every edit goes into the draft
// document (Workspace::edit_draft); errors are the engine's, shown next to their field.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/rules.h"
#include "ui/i18n.h"
#include "ui/soft_wrap.h"

namespace rl::ui {

struct AppState;

struct ComposerState {
    soft_wrap::Field text_field;  // the post text's wrapped field
    std::string sender_search;  // employee search (name or userid)
    std::string department_search;
    std::string send_date;  // the send time fields as typed (YYYY-MM-DD, HH:MM)
    std::string send_clock;
    StoredMessage send_time_error;  // the typed time does not parse (the document keeps its value)
    std::string send_time_field;  // "date" or "time": where the error is shown
    bool send_at = false;  // "at a time" chosen (the fields show even before a valid time)
    int send_time_revision = -1;  // draft revision the fields were filled from
    std::string send_time_shown;  // the document's send_time the fields were filled from ("" = none)
    // The send-date calendar popup: the month it shows and what it marked there (tests).
    bool date_picker_open = false;
    int64_t date_picker_year = 0;
    int date_picker_month = 0;
    nlohmann::ordered_json date_picker_marks = nlohmann::ordered_json::array();
    bool rules_editor_open = false;
    bool rules_editor_requested = false;  // open the modal in the next frame
    Rules rules_edit;  // the editor's working copy (applied with "Apply")
    std::string rules_error;  // the engine's loader message for the last Apply
    std::string rules_applied;  // the last profile applied from the editor (JSON)

    // Cache: employee indices matching sender_search (recomputed when it changes).
    std::vector<uint32_t> employee_rows;
    std::string employee_rows_key;
    const void* employee_rows_dataset = nullptr;
    // Cache: the resolved sender set of the draft's `senders` (engine binding).
    std::string senders_key;
    const void* senders_dataset = nullptr;
    int64_t senders_resolved = 0, senders_active = 0;
    std::vector<uint8_t> sender_selected;  // per employee: in the resolved sender set
    int64_t groups_audience = 0;  // a group send: the groups the engine binds (owners and chat_list)

    // Group send (客户群群发): the group picker under the owners.
    std::string group_search;  // group name, chat_id or owner
    std::vector<uint32_t> owner_groups;  // per employee: groups they own (counted once per dataset)
    const void* owner_groups_dataset = nullptr;
    // Rows of the picker: an owner header (employee | kOwnerRow) or a group index.
    static constexpr uint32_t kOwnerRow = 0x80000000u;
    std::vector<uint32_t> group_rows;
    std::string group_rows_key;
    std::vector<uint32_t> owners_collapsed;  // employee indices whose groups are folded

    // What the last frame showed (composer_state_json): field errors {pointer, code,
    // message}, the attachments' size lines, the text counter, which sections are open.
    nlohmann::ordered_json shown_errors = nlohmann::ordered_json::array();
    nlohmann::ordered_json shown_sizes = nlohmann::ordered_json::array();  // each attachment card's size line
    nlohmann::ordered_json counter;
    std::map<std::string, bool> sections;
};

void draw_composer(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("composer")).
nlohmann::ordered_json composer_state_json(const AppState& s);

}  // namespace rl::ui
