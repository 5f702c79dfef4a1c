#pragma once
// The dashboard's string table: Chinese (default) and English.
//   ImGui::TextUnformatted(tr("data.customers"));
// A key missing from the table is returned as is, so a forgotten entry shows up
// plainly instead of crashing. Add new keys to the table in i18n.cpp.
#include <string_view>

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
// A weekday's short name, 0 = Monday ("一" / "Mon").
const char* weekday_text(int weekday);

}  // namespace rl::ui
