#pragma once
// The dashboard's two languages, Chinese (default) and English, by one mechanism: a pair
// of texts chosen by the current language,
//   ImGui::TextUnformatted(tx("受众", "Audience"));
// written inline next to the widget that shows it (a reviewer reads both languages where
// they are used, and no text can be missing), or as a named Text when several panels
// show the same words (text:: below) or when the texts are keyed by an engine code
// (reason_text: a table of {code, Text}, the shape engine messages take too).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model/message.h"
#include "core/read/input_error.h"

namespace rl::ui {

enum class Lang { Zh, En };

void set_language(Lang lang);
Lang language();
const char* language_code(Lang lang);  // "zh-CN" / "en"
bool parse_language(std::string_view code, Lang& out);  // "zh", "zh-CN", "en", ...

// A text in both languages (string literals: static storage).
struct Text {
    const char* zh;
    const char* en;
};

inline const char* tx(const char* zh, const char* en) { return language() == Lang::Zh ? zh : en; }
inline const char* tx(const Text& t) { return tx(t.zh, t.en); }

// Words several panels show.
namespace text {
inline constexpr Text campaign_none{"（未选择活动）", "(no campaign selected)"};
inline constexpr Text data_customers{"客户", "Customers"};
inline constexpr Text preview_audience{"目标客户", "Audience"};
inline constexpr Text preview_blocked{"未触达原因", "Why customers are not reached"};
inline constexpr Text preview_blocked_none{"全部触达", "Everyone in the audience is reached"};
inline constexpr Text preview_deliveries{"送达次数", "Deliveries"};
inline constexpr Text preview_reached{"触达客户", "Reached"};
inline constexpr Text settings_preset{"规则", "Rules"};
inline constexpr Text submit_close{"关闭", "Close"};
inline constexpr Text submit_in_flight{"正在提交…", "Submitting…"};
inline constexpr Text table_reason_all{"全部原因", "All reasons"};
}  // namespace text

// A reason code of the engine (reached, no_relation, quota:<id>, ...) for people:
// the known ones translated, others (custom quota ids) with a translated prefix.
// Returns a thread-local buffer, valid until the next call.
const char* reason_text(std::string_view reason);
// A weekday's short name, 0 = Monday ("一" / "Mon").
const char* weekday_text(int weekday);

// ---- the message catalogue: what the engine reports (Issue, InputError), by code.
// The enterprise's UTC offset, for Time parameters (set each frame from the dataset).
void set_display_zone(int tz_offset_minutes);
int display_zone();
// An engine message worded by its code (the message template table in i18n.cpp, "{name}" placeholders
// filled from params, formatted by their Format); `fallback` (the engine's English) when
// the catalogue has no entry for the code.
std::string message_text(std::string_view code, const MessageParams& params, std::string_view fallback);
// A refused input (file, JSON pointer, problem) in the UI's language.
std::string input_error_text(const InputError& e);
// A contract word for people (the term table in i18n.cpp: industries, presets, attachment types, units);
// the word itself when the catalogue does not know it (a custom rules profile's name).
std::string term_text(std::string_view word);
// A message of the page's submit bridge (web/submit.js: "no server to send to: ...",
// "cannot reach <url>: ...", "no ReachLens API at <url> (HTTP n)", "HTTP <status> <code>: ...";
// web/outbox.js: "browser storage refused the outbox: ...") in the UI's language; other text as is.
std::string host_message_text(std::string_view message);
// A server's refusal (HTTP status, its error code and English message) worded by the code
// ("server.<code>", else "server.other"); `attachment`: the error's 0-based attachment index, or -1.
std::string server_error_text(int status, std::string_view code, std::string_view message, int64_t attachment = -1);
// A message kept until it is drawn and worded only then, so that switching the language in
// between rewords it: a catalogue code with parameters (`fallback`: the English, shown when
// the catalogue lacks the code), or an engine input error.
struct StoredMessage {
    std::string code;
    MessageParams params;
    std::string fallback;
    std::optional<InputError> input;
    bool empty() const { return code.empty() && fallback.empty() && !input; }
    void clear() { *this = StoredMessage{}; }
};
// The stored message in the UI's language now ("" when empty).
std::string message_text(const StoredMessage& m);
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
