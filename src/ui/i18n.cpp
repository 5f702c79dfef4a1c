#include "ui/i18n.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace rl::ui {
namespace {

struct Entry {
    const char* key;
    const char* zh;
    const char* en;
};

// Sorted by key (checked once at first use); keep it sorted when adding entries.
constexpr Entry kTable[] = {
    {"app.subtitle", "企业微信客户触达预览", "WeCom customer reach preview"},
    {"app.title", "ReachLens 触达透镜", "ReachLens"},
    {"campaign.attachments", "附件", "Attachments"},
    {"campaign.draft", "草稿", "Draft"},
    {"campaign.id", "活动 ID", "Campaign id"},
    {"campaign.kind", "类型", "Kind"},
    {"campaign.none", "（未选择活动）", "(no campaign selected)"},
    {"campaign.origin", "发起方", "Origin"},
    {"campaign.picker", "示例活动", "Demo campaigns"},
    {"campaign.send_time", "发送时间", "Send time"},
    {"campaign.send_time_now", "立即（数据导出时间）", "now (dataset export time)"},
    {"campaign.senders", "发送成员", "Senders"},
    {"campaign.senders_all", "全部成员", "every employee"},
    {"campaign.text", "文案", "Text"},
    {"campaign.text_stats", "%d 字 · %d 字节", "%d characters · %d bytes"},
    {"data.corp", "企业", "Enterprise"},
    {"data.customers", "客户", "Customers"},
    {"data.date_range", "数据时间范围", "Date range"},
    {"data.deliveries", "历史送达", "Past deliveries"},
    {"data.departments", "部门", "Departments"},
    {"data.employees", "成员", "Employees"},
    {"data.employees_active", "在职 %lld", "%lld active"},
    {"data.industry", "行业", "Industry"},
    {"data.load_time", "解析 %.0f ms · 内存 %.1f MB", "parsed in %.0f ms · %.1f MB in memory"},
    {"data.loading", "正在载入数据…", "Loading data…"},
    {"data.none", "尚未载入数据", "No dataset loaded"},
    {"data.not_interested", "不感兴趣记录", "Not-interested events"},
    {"data.now", "导出时间", "Exported at"},
    {"data.relations", "好友关系", "Relations"},
    {"data.scheduled", "待发送活动", "Scheduled campaigns"},
    {"data.source", "来源", "Source"},
    {"data.tags", "标签", "Tags"},
    {"data.title", "数据概况", "Tenant data"},
    {"data.unverified", "未认证", "not verified"},
    {"data.verified", "已认证", "verified"},
    {"error.dataset", "数据载入失败", "Dataset not loaded"},
    {"error.dataset_kept", "新数据载入失败，仍显示之前的数据", "New dataset rejected, the previous one stays"},
    {"error.dismiss", "关闭", "Dismiss"},
    {"error.title", "出错了", "Something went wrong"},
    {"error.ui", "界面出现异常，已恢复。详情：", "The interface hit an error and recovered. Details:"},
    {"kind.mass_send", "客户群发", "Mass send"},
    {"kind.moment", "客户朋友圈", "Customer moments"},
    {"origin.employee", "成员发表", "Employee"},
    {"origin.enterprise", "企业发表", "Enterprise"},
    {"preview.audience", "目标客户", "Audience"},
    {"preview.blocked", "未触达原因", "Why customers are not reached"},
    {"preview.blocked_none", "全部触达", "Everyone in the audience is reached"},
    {"preview.deliveries", "送达次数", "Deliveries"},
    {"preview.errors", "问题", "Problems"},
    {"preview.errors_none", "没有问题", "No problems"},
    {"preview.impact", "对待发送活动的影响", "Impact on scheduled campaigns"},
    {"preview.impact_after", "之后", "After"},
    {"preview.impact_before", "之前", "Before"},
    {"preview.impact_campaign", "活动", "Campaign"},
    {"preview.not_submittable", "不可提交", "Not submittable"},
    {"preview.pending", "计算中…", "Computing…"},
    {"preview.reached", "触达客户", "Reached"},
    {"preview.recompute", "重新计算 %.1f ms", "recomputed in %.1f ms"},
    {"preview.senders", "发送成员 %lld 人", "%lld senders"},
    {"preview.submittable", "可提交", "Submittable"},
    {"preview.title", "触达预览", "Reach preview"},
    {"preview.warnings", "提示 %d 条", "%d warnings"},
    {"reason.duplicate", "多成员去重", "Another employee sends"},
    {"reason.no_relation", "无好友关系", "No relation"},
    {"reason.not_friend", "已删除好友", "Deleted the employee"},
    {"reason.not_interested", "不感兴趣", "Not interested"},
    {"reason.policy", "企业策略", "Policy"},
    {"reason.quota", "平台限额", "Quota"},
    {"reason.quota.mass_send_any_day", "群发每日额度", "Mass send: daily quota"},
    {"reason.quota.mass_send_any_month", "群发每月额度", "Mass send: monthly quota"},
    {"reason.quota.mass_send_employee_day", "成员群发每日额度", "Employee mass send: daily quota"},
    {"reason.quota.mass_send_enterprise_month", "企业群发每月额度", "Enterprise mass send: monthly quota"},
    {"reason.quota.moment_employee_day", "成员朋友圈每日额度", "Employee moments: daily quota"},
    {"reason.quota.moment_enterprise_month", "企业朋友圈每月额度", "Enterprise moments: monthly quota"},
    {"reason.reached", "已触达", "Reached"},
    {"reason.sender_inactive", "成员不可用", "Sender unavailable"},
    {"settings.dark", "深色", "Dark"},
    {"settings.language", "语言", "Language"},
    {"settings.light", "浅色", "Light"},
    {"settings.preset", "规则", "Rules"},
    {"settings.theme", "主题", "Theme"},
    {"submit.accepted", "已提交：%s", "Accepted: %s"},
    {"submit.button", "提交", "Submit"},
    {"submit.cancel", "取消", "Cancel"},
    {"submit.close", "关闭", "Close"},
    {"submit.confirm", "确认提交", "Confirm"},
    {"submit.copy", "复制", "Copy"},
    {"submit.failed", "提交失败", "Submission failed"},
    {"submit.in_flight", "正在提交…", "Submitting…"},
    {"submit.not_submittable", "不可提交：%s", "Cannot submit: %s"},
    {"submit.requests", "请求内容", "Request bodies"},
    {"submit.retry", "重试", "Retry"},
    {"submit.title", "确认提交", "Confirm submission"},
    {"table.col_name", "姓名", "Name"},
    {"table.col_reason", "原因", "Reason"},
    {"table.col_result", "结果", "Result"},
    {"table.col_via", "发送成员", "Sent by"},
    {"table.export", "导出 CSV", "Export CSV"},
    {"table.reason_all", "全部原因", "All reasons"},
    {"table.result_blocked", "未触达", "Blocked"},
    {"table.result_reached", "已触达", "Reached"},
    {"table.rows", "行数", "Rows"},
    {"table.search", "搜索 external_userid 或姓名", "Search external_userid or name"},
    {"table.title", "客户明细", "Customers"},
    {"table.verdict_all", "全部", "All"},
    {"table.verdict_blocked", "未触达", "Not reached"},
    {"table.verdict_reached", "已触达", "Reached"},
};

bool table_sorted() {
    return std::is_sorted(std::begin(kTable), std::end(kTable),
                          [](const Entry& a, const Entry& b) { return std::strcmp(a.key, b.key) < 0; });
}

Lang g_lang = Lang::Zh;

const Entry* find(const char* key) {
    static const bool sorted = table_sorted();
    if (sorted) {
        auto it = std::lower_bound(std::begin(kTable), std::end(kTable), key,
                                   [](const Entry& e, const char* k) { return std::strcmp(e.key, k) < 0; });
        if (it != std::end(kTable) && std::strcmp(it->key, key) == 0) return &*it;
        return nullptr;
    }
    for (const Entry& e : kTable)
        if (std::strcmp(e.key, key) == 0) return &e;
    return nullptr;
}

}  // namespace

void set_language(Lang lang) { g_lang = lang; }
Lang language() { return g_lang; }
const char* language_code(Lang lang) { return lang == Lang::Zh ? "zh-CN" : "en"; }

bool parse_language(std::string_view code, Lang& out) {
    if (code.substr(0, 2) == "zh") { out = Lang::Zh; return true; }
    if (code.substr(0, 2) == "en") { out = Lang::En; return true; }
    return false;
}

const char* tr(const char* key) {
    const Entry* e = find(key);
    if (!e) return key;
    return g_lang == Lang::Zh ? e->zh : e->en;
}

const char* reason_text(std::string_view reason) {
    thread_local std::string buf;
    std::string key = "reason.";
    auto colon = reason.find(':');
    if (colon == std::string_view::npos) {
        key += reason;
        if (find(key.c_str())) return tr(key.c_str());
        buf = std::string(reason);
        return buf.c_str();
    }
    std::string_view prefix = reason.substr(0, colon), id = reason.substr(colon + 1);
    key += prefix;
    key += '.';
    key += id;
    if (find(key.c_str())) return tr(key.c_str());  // a known quota id
    std::string prefix_key = "reason." + std::string(prefix);
    buf = find(prefix_key.c_str()) ? std::string(tr(prefix_key.c_str())) + ": " + std::string(id) : std::string(reason);
    return buf.c_str();
}

const char* weekday_text(int w) {
    static const char* const zh[] = {"一", "二", "三", "四", "五", "六", "日"};
    static const char* const en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return language() == Lang::Zh ? zh[w] : en[w];
}

}  // namespace rl::ui
