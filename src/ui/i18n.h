#pragma once
// The dashboard's string table: Chinese (default) and English.
//   ImGui::TextUnformatted(tr("data.customers"));
// A key missing from the table is returned as is, so a forgotten entry shows up
// plainly instead of crashing. Add new keys to the table in i18n.cpp.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/model/message.h"
#include "core/read/input_error.h"

namespace rl::ui {

enum class Lang { Zh, En };

void set_language(Lang lang);
Lang language();
const char* language_code(Lang lang);          // "zh-CN" / "en"
bool parse_language(std::string_view code, Lang& out);  // "zh", "zh-CN", "en", ...

// The current language's text for `key` (static storage, valid forever).
const char* tr(const char* key);

// Inline pair for a panel's own strings: tx("受众", "Audience"). Panels use it so their
// text lives next to the widget; the shared table above keeps strings several panels use.
inline const char* tx(const char* zh, const char* en) { return language() == Lang::Zh ? zh : en; }

// A reason code of the engine (reached, no_relation, quota:<id>, ...) for people:
// the known ones translated, others (custom quota ids) with a translated prefix.
// Returns a thread-local buffer, valid until the next call.
const char* reason_text(std::string_view reason);

// ---- the message catalogue: what the engine reports (Issue, InputError), by code.
// The enterprise's UTC offset, for Time parameters (set each frame from the dataset).
void set_display_zone(int tz_offset_minutes);
int display_zone();
// An engine message worded by its code ("msg.<code>" in the table, "{name}" placeholders
// filled from params, formatted by their Format); `fallback` (the engine's English) when
// the catalogue has no entry for the code.
std::string message_text(std::string_view code, const MessageParams& params, std::string_view fallback);
// A refused input (file, JSON pointer, problem) in the UI's language.
std::string input_error_text(const InputError& e);
// A contract word for people ("term.<word>": industries, presets, attachment types, units);
// the word itself when the catalogue does not know it (a custom rules profile's name).
std::string term_text(std::string_view word);
// A message of the page's submit bridge (web/submit.js: "no server to send to: ...",
// "cannot reach <url>: ...", "no ReachLens API at <url> (HTTP n)") in the UI's language;
// other text as is.
std::string host_message_text(std::string_view message);
// Whether the catalogue words `code` (the browser tests list the codes it lacks).
bool has_message(std::string_view code);

// ---- the marketer's units
// A count as cards show it: 12.3万 / 4.56亿 in Chinese, 12.3K / 4.56M in English; exact below 10 000
// (Chinese) or 1 000 (English). The exact figure goes in the tooltip (fmt_int).
std::string count_text(int64_t v);
// A size in bytes: "2.5 MB", "300 KB", "512 字节"/"512 bytes".
std::string bytes_text(int64_t bytes);
// Unix seconds as the one date-time format, in the enterprise's zone: "2026-12-07 16:40".
std::string time_text(int64_t unix_seconds);

}  // namespace rl::ui
