#include "ui/i18n.h"

#include <string>

namespace rl::ui {
namespace {

// The engine's reason codes (PreviewResult::reason_labels) and its built-in quota ids.
struct CodeText {
    std::string_view code;
    Text text;
};

constexpr CodeText kReasons[] = {
    {"reached", {"已触达", "Reached"}},
    {"no_relation", {"无好友关系", "No relation"}},
    {"not_friend", {"已删除好友", "Deleted the employee"}},
    {"not_interested", {"不感兴趣", "Not interested"}},
    {"sender_inactive", {"成员不可用", "Sender unavailable"}},
    {"duplicate", {"多成员去重", "Another employee sends"}},
    {"policy", {"企业策略", "Policy"}},
    {"quota", {"平台限额", "Quota"}},
};

constexpr CodeText kQuotas[] = {
    {"mass_send_any_day", {"群发每日额度", "Mass send: daily quota"}},
    {"mass_send_any_month", {"群发每月额度", "Mass send: monthly quota"}},
    {"mass_send_employee_day", {"成员群发每日额度", "Employee mass send: daily quota"}},
    {"mass_send_enterprise_month", {"企业群发每月额度", "Enterprise mass send: monthly quota"}},
    {"moment_employee_day", {"成员朋友圈每日额度", "Employee moments: daily quota"}},
    {"moment_enterprise_month", {"企业朋友圈每月额度", "Enterprise moments: monthly quota"}},
};

template <size_t N>
const Text* find(const CodeText (&table)[N], std::string_view code) {
    for (const CodeText& e : table)
        if (e.code == code) return &e.text;
    return nullptr;
}

Lang g_lang = Lang::Zh;

}  // namespace

void set_language(Lang lang) { g_lang = lang; }
Lang language() { return g_lang; }
const char* language_code(Lang lang) { return lang == Lang::Zh ? "zh-CN" : "en"; }

bool parse_language(std::string_view code, Lang& out) {
    if (code.substr(0, 2) == "zh") { out = Lang::Zh; return true; }
    if (code.substr(0, 2) == "en") { out = Lang::En; return true; }
    return false;
}

const char* reason_text(std::string_view reason) {
    thread_local std::string buf;
    const auto colon = reason.find(':');
    if (colon == std::string_view::npos) {
        if (const Text* t = find(kReasons, reason)) return tx(*t);
        buf = std::string(reason);
        return buf.c_str();
    }
    const std::string_view prefix = reason.substr(0, colon), id = reason.substr(colon + 1);
    if (prefix == "quota")
        if (const Text* t = find(kQuotas, id)) return tx(*t);  // a known quota id
    const Text* p = find(kReasons, prefix);
    buf = p ? std::string(tx(*p)) + ": " + std::string(id) : std::string(reason);
    return buf.c_str();
}

const char* weekday_text(int w) {
    static const char* const zh[] = {"一", "二", "三", "四", "五", "六", "日"};
    static const char* const en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return language() == Lang::Zh ? zh[w] : en[w];
}

}  // namespace rl::ui
