#pragma once
// The dashboard's two languages, Chinese (default) and English, by one mechanism: a pair
// of texts chosen by the current language,
//   ImGui::TextUnformatted(tx("受众", "Audience"));
// written inline next to the widget that shows it (a reviewer reads both languages where
// they are used, and no text can be missing), or as a named Text when several panels
// show the same words (text:: below) or when the texts are keyed by an engine code
// (reason_text: a table of {code, Text}, the shape engine messages take too).
#include <string_view>

namespace rl::ui {

enum class Lang { Zh, En };

void set_language(Lang lang);
Lang language();
const char* language_code(Lang lang);          // "zh-CN" / "en"
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

}  // namespace rl::ui
