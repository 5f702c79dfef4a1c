#pragma once
// Pure helpers for editing a draft field by field (the composer): the send time typed
// in the enterprise's local time, and a rules profile written back as reachlens.rules/1.
// No rule is decided here; the engine's loaders still validate whatever this produces.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/model/message.h"
#include "core/model/rules.h"
#include "core/time/time_windows.h"

namespace rl {

// What went wrong with a typed send time: which field ("date" or "time") and why, in English
// (`message`) and as a code with parameters for the UI's catalogue (draft.date_format, ...).
struct LocalTimeError {
    std::string field;
    std::string message;
    std::string code;
    MessageParams params;
};

// "YYYY-MM-DD" + "HH:MM" (local time, UTC + tz_offset_minutes, contract section 2) to Unix
// seconds. Surrounding spaces are ignored; anything else (wrong shape, month 13, Feb 30,
// 24:00) returns false with *error naming the field.
bool parse_local_date_time(std::string_view date, std::string_view clock, int tz_offset_minutes, Time& out,
                           LocalTimeError* error);

// "UTC+08:00", "UTC-03:30", "UTC+00:00".
std::string utc_offset_text(int tz_offset_minutes);

// The profile as a reachlens.rules/1 document that load_rules reads back to the same Rules
// (every key written, content limits included).
nlohmann::ordered_json rules_document(const Rules& rules);

}  // namespace rl
