#include "ui/i18n.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "model/workspace.h"
#include "ui/widgets.h"

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
    {"msg.audience.filter_not_supported", "朋友圈按标签选择受众，筛选条件不生效", "A moment's audience is a tag list; the filter is ignored"},
    {"msg.audience.tag_list_not_supported", "群发按筛选条件选择受众，标签列表不生效", "A mass send's audience is a filter; the tag list is ignored"},
    {"msg.campaign.send_time_past", "发送时间 {send_time} 早于当前时间 {now}，按当前时间预览", "Send time {send_time} is before now ({now}); previewed at now"},
    {"msg.campaign.unknown_chat", "客户群 {id} 不存在", "Unknown customer group {id}"},
    {"msg.campaign.unknown_department", "部门 {id} 不存在", "Unknown department {id}"},
    {"msg.campaign.unknown_tag", "标签 {id} 不存在", "Unknown tag {id}"},
    {"msg.campaign.unknown_userid", "成员 {id} 不存在", "Unknown employee {id}"},
    {"msg.content.empty", "请填写文案或添加附件", "Write a text or add an attachment"},
    {"msg.content.file_too_large", "第 {attachment} 个附件：文件 {actual}，超过上限 {limit}", "Attachment {attachment}: file of {actual}, at most {limit}"},
    {"msg.content.image_too_large", "第 {attachment} 个附件：图片 {actual}，超过上限 {limit}", "Attachment {attachment}: image of {actual}, at most {limit}"},
    {"msg.content.image_too_many_pixels", "第 {attachment} 个附件：图片 {width}×{height} 像素，超过上限 {limit} 像素", "Attachment {attachment}: {width}×{height} pixels, at most {limit}"},
    {"msg.content.link_desc_too_long", "第 {attachment} 个附件：链接描述 {actual} 字节，最多 {limit} 字节", "Attachment {attachment}: link description of {actual} bytes, at most {limit}"},
    {"msg.content.link_missing_url", "第 {attachment} 个附件：链接缺少网址", "Attachment {attachment}: the link has no URL"},
    {"msg.content.link_title_too_long", "第 {attachment} 个附件：链接标题 {actual} 字节，最多 {limit} 字节", "Attachment {attachment}: link title of {actual} bytes, at most {limit}"},
    {"msg.content.link_url_too_long", "第 {attachment} 个附件：链接网址 {actual} 字节，最多 {limit} 字节", "Attachment {attachment}: link URL of {actual} bytes, at most {limit}"},
    {"msg.content.miniprogram_incomplete", "第 {attachment} 个附件：小程序需要填写 AppID 和页面路径", "Attachment {attachment}: a mini program needs an AppID and a page"},
    {"msg.content.miniprogram_title_too_long", "第 {attachment} 个附件：小程序标题 {actual} 字节，最多 {limit} 字节", "Attachment {attachment}: mini program title of {actual} bytes, at most {limit}"},
    {"msg.content.mixed_attachments", "朋友圈只能带同一种附件", "A moment takes attachments of one type only"},
    {"msg.content.text_too_long", "文案 {actual} {unit}，最多 {limit} {unit}", "The text has {actual} {unit}, at most {limit}"},
    {"msg.content.too_many_attachments", "附件 {actual} 个，最多 {limit} 个", "{actual} attachments, at most {limit}"},
    {"msg.content.too_many_images", "图片 {actual} 张，最多 {limit} 张", "{actual} images, at most {limit}"},
    {"msg.content.too_many_links", "链接 {actual} 个，最多 {limit} 个", "{actual} links, at most {limit}"},
    {"msg.content.too_many_videos", "视频 {actual} 个，最多 {limit} 个", "{actual} videos, at most {limit}"},
    {"msg.content.unsupported_attachment", "朋友圈不能带{type}附件", "A moment cannot carry a {type}"},
    {"msg.content.video_too_large", "第 {attachment} 个附件：视频 {actual}，超过上限 {limit}", "Attachment {attachment}: video of {actual}, at most {limit}"},
    {"msg.content.video_too_long", "第 {attachment} 个附件：视频时长 {actual} 秒，最长 {limit} 秒", "Attachment {attachment}: video of {actual} s, at most {limit} s"},
    {"msg.deliveries.unknown_customer", "{count} 条历史送达记录找不到对应客户，不计入任何人", "{count} deliveries name no known customer and count for nobody"},
    {"msg.enterprise.unverified", "客户朋友圈需要企业已认证", "Customer moments need a verified enterprise"},
    {"msg.host.no_api", "服务器上没有 ReachLens 接口（{detail}），已保存到发件箱", "No ReachLens API at {detail}; saved to the outbox"},
    {"msg.host.no_server", "本页面从本地文件打开（{detail}），没有可提交的服务器，已保存到发件箱", "No server to send to: the page was opened from {detail}"},
    {"msg.host.unreachable", "无法连接服务器：{detail}", "Cannot reach {detail}"},
    {"msg.industry.excluded", "{industry}行业不能发客户朋友圈", "Customer moments are closed to the {industry} industry"},
    {"msg.input.at", "{file} 中 {pointer} 处：{problem}", "{file}: {pointer}: {problem}"},
    {"msg.input.duplicate_key", "字段 {key} 重复", "Duplicate key {key}"},
    {"msg.input.integer_out_of_range", "整数 {value} 超出范围", "Integer out of range: {value}"},
    {"msg.input.invalid_json", "JSON 格式错误（第 {line} 行第 {column} 列）", "Invalid JSON at line {line}, column {column}"},
    {"msg.input.missing_field", "缺少必填字段 {field}", "Required field {field} is missing"},
    {"msg.input.not_finite", "数值 {value} 无效", "Number is not finite: {value}"},
    {"msg.input.not_one_of", "取值 {value} 无效，应为 {expected} 之一", "Expected {expected}, got {value}"},
    {"msg.input.too_deep", "嵌套超过 {limit} 层", "Nested more than {limit} levels deep"},
    {"msg.input.uncoded", "数据有误（{problem}）", "{problem}"},
    {"msg.input.wrong_type", "应为{expected}，实际是{got}", "Expected {expected}, got {got}"},
    {"msg.not_interested.unknown_customer", "{count} 条不感兴趣记录找不到对应客户", "{count} not-interested events name no known customer"},
    {"msg.scheduled.past", "待发送活动 {id} 的发送时间已过，未计入预览", "Scheduled campaign {id} has a send time before now; not simulated"},
    {"msg.senders.employee_origin_needs_one", "成员发表需要恰好 1 名发送成员，当前 {actual} 名", "Origin employee needs exactly one sender, got {actual}"},
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
    {"term.a boolean", "布尔值", "a boolean"},
    {"term.a number", "数字", "a number"},
    {"term.a number, string or boolean (attribute value)", "数字、文字或布尔值", "a number, string or boolean"},
    {"term.a string", "文字", "a string"},
    {"term.an array", "列表（数组）", "an array"},
    {"term.an integer", "整数", "an integer"},
    {"term.an object", "对象", "an object"},
    {"term.bytes", "字节", "bytes"},
    {"term.chars", "字", "characters"},
    {"term.custom", "自定义规则", "Custom rules"},
    {"term.education", "教育", "education"},
    {"term.file", "文件", "file"},
    {"term.finance", "金融", "finance"},
    {"term.government", "政务", "government"},
    {"term.image", "图片", "image"},
    {"term.link", "链接", "link"},
    {"term.miniprogram", "小程序", "mini program"},
    {"term.null", "空值", "null"},
    {"term.other", "其他", "other"},
    {"term.pharma", "医药", "pharma"},
    {"term.retail", "零售", "retail"},
    {"term.tobacco_alcohol", "烟酒", "tobacco & alcohol"},
    {"term.video", "视频", "video"},
    {"term.wecom-2020", "企业微信 2020 规则", "WeCom 2020 rules"},
    {"term.wecom-2021", "企业微信 2021 规则", "WeCom 2021 rules"},
    {"term.wecom-2025", "企业微信 2025 规则", "WeCom 2025 rules"},
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

namespace {
int g_zone_minutes = 0;

std::string param_value(const MessageParam& p) {
    using F = MessageParam::Format;
    switch (p.format) {
        case F::Text: return p.value;
        case F::Term: return term_text(p.value);
        case F::Number: {
            const bool integral = !p.value.empty() && p.value.find_first_not_of("-0123456789") == std::string::npos;
            return integral ? fmt_int(std::stoll(p.value)) : p.value;
        }
        case F::Bytes: return bytes_text(std::stoll(p.value));
        case F::Time: return time_text(std::stoll(p.value));
    }
    return p.value;
}

// Fills "{name}" placeholders of `pattern` from params (an unknown name stays as written).
std::string fill(std::string_view pattern, const MessageParams& params) {
    std::string out;
    for (size_t i = 0; i < pattern.size();) {
        if (pattern[i] == '{') {
            const size_t close = pattern.find('}', i);
            if (close != std::string_view::npos) {
                const std::string_view name = pattern.substr(i + 1, close - i - 1);
                auto it = std::find_if(params.begin(), params.end(), [&](const MessageParam& p) { return p.name == name; });
                if (it != params.end()) {
                    out += param_value(*it);
                    i = close + 1;
                    continue;
                }
            }
        }
        out += pattern[i++];
    }
    return out;
}
}  // namespace

void set_display_zone(int tz_offset_minutes) { g_zone_minutes = tz_offset_minutes; }
int display_zone() { return g_zone_minutes; }

std::string host_message_text(std::string_view message) {
    // The stable leads of web/submit.js's messages; what follows them (a URL, the
    // browser's reason) is kept as detail.
    struct Lead { std::string_view lead; const char* code; };
    static constexpr Lead kLeads[] = {
        {"no server to send to: the page was opened from ", "host.no_server"},
        {"cannot reach ", "host.unreachable"},
        {"no ReachLens API at ", "host.no_api"},
    };
    for (const Lead& l : kLeads)
        if (message.substr(0, l.lead.size()) == l.lead)
            return message_text(l.code, {param_text("detail", std::string(message.substr(l.lead.size())))}, message);
    return std::string(message);
}

std::string term_text(std::string_view word) {
    const std::string key = "term." + std::string(word);
    return find(key.c_str()) ? std::string(tr(key.c_str())) : std::string(word);
}

bool has_message(std::string_view code) {
    const std::string key = "msg." + std::string(code);
    return find(key.c_str()) != nullptr;
}

std::string message_text(std::string_view code, const MessageParams& params, std::string_view fallback) {
    const std::string key = "msg." + std::string(code);
    if (code.empty() || !find(key.c_str())) return std::string(fallback);
    return fill(tr(key.c_str()), params);
}

std::string input_error_text(const InputError& e) {
    const std::string problem = e.code().empty() ? message_text("input.uncoded", {param_text("problem", e.problem())}, e.problem())
                                                 : message_text(e.code(), e.params(), e.problem());
    return message_text("input.at", {param_text("file", e.file()), param_text("pointer", e.pointer().empty() ? "/" : e.pointer()),
                                     param_text("problem", problem)},
                        e.what());
}

std::string count_text(int64_t v) {
    const int64_t a = v < 0 ? -v : v;
    auto scaled = [&](double unit, const char* suffix) {
        const double x = static_cast<double>(v) / unit;
        char buf[48];
        // Three significant figures: 1.23万, 12.3万, 123万, 1235万.
        std::snprintf(buf, sizeof buf, std::abs(x) >= 100 ? "%.0f%s" : std::abs(x) >= 10 ? "%.1f%s" : "%.2f%s", x, suffix);
        return std::string(buf);
    };
    if (g_lang == Lang::Zh) {
        if (a < 10000) return fmt_int(v);
        if (a < 100000000) return scaled(1e4, "万");
        return scaled(1e8, "亿");
    }
    if (a < 1000) return std::to_string(v);
    if (a < 1000000) return scaled(1e3, "K");
    if (a < 1000000000) return scaled(1e6, "M");
    return scaled(1e9, "B");
}

std::string bytes_text(int64_t bytes) {
    char buf[48];
    if (bytes >= 1024 * 1024) {
        const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
        std::snprintf(buf, sizeof buf, mb == static_cast<double>(static_cast<int64_t>(mb)) ? "%.0f MB" : "%.1f MB", mb);
    } else if (bytes >= 1024) {
        std::snprintf(buf, sizeof buf, "%.0f KB", static_cast<double>(bytes) / 1024.0);
    } else {
        std::snprintf(buf, sizeof buf, g_lang == Lang::Zh ? "%lld 字节" : "%lld bytes", static_cast<long long>(bytes));
    }
    return buf;
}

std::string time_text(int64_t unix_seconds) { return model::format_date_time(unix_seconds, g_zone_minutes); }

}  // namespace rl::ui
