#include "ui/i18n.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/simulation/simulation.h"
#include "model/workspace.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {

struct CodeText {
    std::string_view code;
    Text text;
};

// The engine's fixed reasons in ReasonCode order (its key table kReasonKeys names them),
// then the words for its "quota:<id>" and "policy:<id>" reasons without a known id.
constexpr Text kReasonTexts[] = {
    {"已触达", "Reached"},  // kReached
    {"无好友关系", "No relation"},  // kNoRelation
    {"成员不可用", "Sender unavailable"},  // kSenderInactive
    {"已删除好友", "Deleted the employee"},  // kNotFriend
    {"多成员去重", "Another employee sends"},  // kDuplicate
    {"不感兴趣", "Not interested"},  // kNotInterested
};
static_assert(std::size(kReasonTexts) == std::size(kReasonKeys), "a word for each of the engine's reasons");
constexpr Text kQuotaText{"平台限额", "Quota"};
constexpr Text kPolicyText{"企业策略", "Policy"};

// Message templates by the engine's message code (Issue::code, InputError::code, and the
// page's submit bridge host.*); "{name}" placeholders are filled from the message's params.
constexpr CodeText kMessages[] = {
    {"audience.filter_not_supported",
     {"朋友圈按标签选择受众，筛选条件不生效", "A moment's audience is a tag list; the filter is ignored"}},
    {"audience.tag_list_not_supported",
     {"群发按筛选条件选择受众，标签列表不生效", "A mass send's audience is a filter; the tag list is ignored"}},
    {"campaign.send_time_past",
     {"发送时间 {send_time} 早于当前时间 {now}，按当前时间预览",
      "Send time {send_time} is before now ({now}); previewed at now"}},
    {"campaign.unknown_chat", {"客户群 {id} 不存在", "Unknown customer group {id}"}},
    {"campaign.unknown_department", {"部门 {id} 不存在", "Unknown department {id}"}},
    {"campaign.unknown_tag", {"标签 {id} 不存在", "Unknown tag {id}"}},
    {"campaign.unknown_userid", {"成员 {id} 不存在", "Unknown employee {id}"}},
    {"content.empty", {"请填写文案或添加附件", "Write a text or add an attachment"}},
    {"content.file_too_large",
     {"第 {attachment} 个附件：文件 {actual}，超过上限 {limit}", "Attachment {attachment}: file of {actual}, at most {limit}"}},
    {"content.image_too_large",
     {"第 {attachment} 个附件：图片 {actual}，超过上限 {limit}", "Attachment {attachment}: image of {actual}, at most {limit}"}},
    {"content.image_too_many_pixels",
     {"第 {attachment} 个附件：图片 {width}×{height} 像素，超过上限 {limit} 像素",
      "Attachment {attachment}: {width}×{height} pixels, at most {limit}"}},
    {"content.link_desc_too_long",
     {"第 {attachment} 个附件：链接描述 {actual} 字节，最多 {limit} 字节",
      "Attachment {attachment}: link description of {actual} bytes, at most {limit}"}},
    {"content.link_missing_url", {"第 {attachment} 个附件：链接缺少网址", "Attachment {attachment}: the link has no URL"}},
    {"content.link_title_too_long",
     {"第 {attachment} 个附件：链接标题 {actual} 字节，最多 {limit} 字节",
      "Attachment {attachment}: link title of {actual} bytes, at most {limit}"}},
    {"content.link_url_too_long",
     {"第 {attachment} 个附件：链接网址 {actual} 字节，最多 {limit} 字节",
      "Attachment {attachment}: link URL of {actual} bytes, at most {limit}"}},
    {"content.miniprogram_incomplete",
     {"第 {attachment} 个附件：小程序需要填写 AppID 和页面路径",
      "Attachment {attachment}: a mini program needs an AppID and a page"}},
    {"content.miniprogram_title_too_long",
     {"第 {attachment} 个附件：小程序标题 {actual} 字节，最多 {limit} 字节",
      "Attachment {attachment}: mini program title of {actual} bytes, at most {limit}"}},
    {"content.mixed_attachments", {"朋友圈只能带同一种附件", "A moment takes attachments of one type only"}},
    {"content.text_too_long", {"文案 {actual} {unit}，最多 {limit} {unit}", "The text has {actual} {unit}, at most {limit}"}},
    {"content.too_many_attachments", {"附件 {actual} 个，最多 {limit} 个", "{actual} attachments, at most {limit}"}},
    {"content.too_many_images", {"图片 {actual} 张，最多 {limit} 张", "{actual} images, at most {limit}"}},
    {"content.too_many_links", {"链接 {actual} 个，最多 {limit} 个", "{actual} links, at most {limit}"}},
    {"content.too_many_videos", {"视频 {actual} 个，最多 {limit} 个", "{actual} videos, at most {limit}"}},
    {"content.unsupported_attachment", {"朋友圈不能带{type}附件", "A moment cannot carry a {type}"}},
    {"content.video_too_large",
     {"第 {attachment} 个附件：视频 {actual}，超过上限 {limit}", "Attachment {attachment}: video of {actual}, at most {limit}"}},
    {"content.video_too_long",
     {"第 {attachment} 个附件：视频时长 {actual} 秒，最长 {limit} 秒",
      "Attachment {attachment}: video of {actual} s, at most {limit} s"}},
    {"deliveries.unknown_chat",
     {"{count} 条客户群送达记录找不到对应的群，不计入任何群",
      "{count} group deliveries name no known group chat and count for no group"}},
    {"data.fetch_failed", {"{source}：无法下载（网络不通或地址不可达）", "{source}: cannot fetch ({detail})"}},
    {"data.http", {"{source}：服务器返回 HTTP {status}，没有数据", "{source}: HTTP {status}"}},
    {"data.no_data", {"{source}：没有数据", "{source}: no data"}},
    {"data.no_demo", {"{source}：找不到演示数据", "{source}: no demo tenant here"}},
    {"data.not_url", {"{source}：不是有效的 http(s) 地址", "{source}: not an http(s) URL"}},
    {"data.out_of_memory", {"{source}：内存不足，无法载入 {bytes}", "{source}: not enough memory for {bytes}"}},
    {"data.read_failed", {"{source}：无法读取文件", "{source}: cannot read the file ({detail})"}},
    {"data.too_large",
     {"{source}：JSON 数据 {bytes}，超过浏览器可解析的上限 2 GB；请让技术同事把它转成快照文件（.rlsnap）后再载入",
      "{source}: {bytes} of JSON is over the 2 GB the browser can parse; convert it to a snapshot (reachlens snapshot) and "
      "load that"}},
    {"drafts.not_saved", {"草稿“{id}”未能保存；可以继续编辑", "Draft \"{id}\" was not saved; editing continues"}},
    {"drafts.deleted", {"已删除 {id}", "Deleted {id}"}},
    {"drafts.damaged", {"保存的内容已损坏", "the saved entry is damaged"}},
    {"drafts.no_current", {"没有当前草稿", "no current draft"}},
    {"drafts.no_saved", {"没有已保存的草稿“{id}”", "no saved draft {id}"}},
    {"drafts.unreadable", {"草稿“{id}”的内容无法读取", "draft {id} cannot be read"}},
    {"drafts.opened", {"已打开 {id}", "Opened {id}"}},
    {"drafts.applied", {"已把 {id} 的文字和附件套用到当前草稿", "Applied the text and attachments of {id}"}},
    {"drafts.new_from", {"已用 {id} 新建草稿", "New draft from {id}"}},
    {"drafts.saved_as_new", {"已另存为新活动（新的活动 ID）", "Saved as a new campaign (new campaign id)"}},
    {"drafts.storage_full",
     {"浏览器存储已满，草稿“{id}”未能保存；可以继续编辑，删除一些旧草稿后会再次保存",
      "Browser storage is full: draft \"{id}\" was not saved; editing continues — delete old drafts to free space"}},
    {"drafts.storage_unavailable",
     {"浏览器存储不可用（可能是无痕模式或存储已满），草稿不会被保存；可以继续编辑",
      "Browser storage is unavailable (private mode or full): drafts are not kept, editing continues"}},
    {"deliveries.unknown_customer",
     {"{count} 条历史送达记录找不到对应客户，不计入任何人", "{count} deliveries name no known customer and count for nobody"}},
    {"enterprise.unverified", {"客户朋友圈需要企业已认证", "Customer moments need a verified enterprise"}},
    {"host.no_api",
     {"服务器上没有 ReachLens 接口（{detail}），已保存到发件箱", "No ReachLens API at {detail}; saved to the outbox"}},
    {"host.no_server",
     {"本页面从本地文件打开（{detail}），没有可提交的服务器，已保存到发件箱",
      "No server to send to: the page was opened from {detail}"}},
    {"host.outbox_storage", {"浏览器拒绝保存发件箱（存储空间已满或被禁用）", "Browser storage refused the outbox: {detail}"}},
    {"host.unreachable", {"无法连接服务器 {url}", "Cannot reach {url}: {detail}"}},
    {"server.campaign_exists",
     {"这个活动 ID 已被服务器接受，这次没有再存一份",
      "The server accepted this campaign id already and stored nothing this time"}},
    {"server.check_timeout",
     {"服务器复核超时，没有保存：请稍后重试", "The server's re-check timed out and stored nothing: retry later"}},
    {"server.idempotency_key_reused",
     {"这个提交编号已用于另一份内容", "This Idempotency-Key was used for a different submission"}},
    {"server.media_missing",
     {"第 {attachment} 个附件的文件不在服务器上：请等待上传完成或重试上传",
      "Attachment {attachment}'s file is not on the server: wait for its upload or retry it"}},
    {"server.media_mismatch",
     {"第 {attachment} 个附件与服务器上的文件不符（类型或大小不同）：请重新添加",
      "Attachment {attachment} does not match its file on the server (kind or size): attach it again"}},
    {"server.media_too_large", {"文件超过服务器的大小上限", "The file is over the server's size limit"}},
    {"server.media_type_mismatch", {"文件内容与它的类型不符", "The file's content does not match its type"}},
    {"server.not_submittable",
     {"服务器复核后认为这个活动不可提交，没有保存", "The server's re-check found the campaign not submittable; nothing stored"}},
    {"server.other", {"服务器拒绝了请求（HTTP {status}）", "The server refused (HTTP {status} {code}): {message}"}},
    {"server.unauthorized", {"服务器拒绝：未登录或令牌无效", "Unauthorized: no token, or a wrong one"}},
    {"server.unsupported_media_type", {"服务器不接受这种文件类型", "The server does not accept this file type"}},
    {"upload.storage",
     {"没有服务器，浏览器也无法保存“{name}”", "No server, and the browser could not keep \"{name}\": {detail}"}},
    {"upload.too_large", {"“{name}”大小 {bytes}，{kind}上限 {limit}", "\"{name}\" is {bytes}; the {kind} limit is {limit}"}},
    {"upload.wrong_type", {"“{name}”的类型 {type} 不是可用的{kind}类型", "\"{name}\": {type} is not an accepted {kind} type"}},
    {"industry.excluded", {"{industry}行业不能发客户朋友圈", "Customer moments are closed to the {industry} industry"}},
    {"input.attachment_body_missing",
     {"{type}附件缺少对应的 {type} 内容对象", "An attachment of type {type} needs its body object"}},
    {"input.attr_in_needs_array",
     {"“属于”条件需要一组数字、文字或布尔值", "op \"in\" needs an array of numbers, strings or booleans"}},
    {"input.attr_value_type", {"应为数字、文字或布尔值", "Expected a number, string or boolean"}},
    {"input.attr_within_days_number", {"“最近 N 天内”条件需要天数", "op \"within_days\" needs a number of days"}},
    {"input.campaign_too_large",
     {"活动 JSON 为 {actual}，最多 {limit}", "A campaign is at most {limit} of JSON, this one is {actual}"}},
    {"input.expression_no_operator",
     {"筛选条件缺少运算（全部满足、任一满足、标签、属性等）",
      "An expression node needs one operator (all, any, not, tags_any, attr, ...)"}},
    {"input.at", {"{file} 中 {pointer} 处：{problem}", "{file}: {pointer}: {problem}"}},
    {"input.attribute_meta.duplicate_value", {"属性 {attribute} 的可选值重复", "This value of {attribute} is listed twice"}},
    {"input.attribute_meta.empty_name", {"属性 {attribute} 的显示名称为空", "The display name of {attribute} is empty"}},
    {"input.attribute_meta.no_values",
     {"枚举属性 {attribute} 至少要列出一个可选值", "The enum attribute {attribute} needs at least one allowed value"}},
    {"input.attribute_meta.values_not_enum",
     {"属性 {attribute} 不是枚举类型（type 为 enum），不能列出可选值",
      "Only an attribute of type \"enum\" lists allowed values ({attribute})"}},
    {"input.delivery_wants_chat",
     {"客户群群发的送达记录应写 chat_id，而不是 external_userid",
      "A group_send delivery names a chat_id, not an external_userid"}},
    {"input.delivery_wants_customer",
     {"{kind}的送达记录应写 external_userid，而不是 chat_id", "A {kind} delivery names an external_userid, not a chat_id"}},
    {"input.department_cycle",
     {"部门 {id} 是自己的上级（parentid 成环）", "Department {id} is its own ancestor (a cycle of parentid)"}},
    {"input.duplicate_id", {"{what} {id} 重复", "Duplicate {what} {id}"}},
    {"input.too_many_employees",
     {"员工超过 {limit} 人，超出一个企业可载入的上限", "More than {limit} employees: a tenant holds at most {limit}"}},
    {"input.duplicate_key", {"字段 {key} 重复", "Duplicate key {key}"}},
    {"input.integer_out_of_range", {"整数 {value} 超出范围", "Integer out of range: {value}"}},
    {"input.invalid_json", {"JSON 格式错误（第 {line} 行第 {column} 列）", "Invalid JSON at line {line}, column {column}"}},
    {"input.missing_field", {"缺少必填字段 {field}", "Required field {field} is missing"}},
    {"input.not_finite", {"数值 {value} 无效", "Number is not finite: {value}"}},
    {"input.not_one_of", {"取值 {value} 无效，应为 {expected} 之一", "Expected {expected}, got {value}"}},
    {"input.scheduled_unknown_reference",
     {"待发送活动 {campaign} 引用了不存在的{what} {id}", "Scheduled campaign {campaign} names an unknown {what} {id}"}},
    {"input.scheduled_work_limit",
     {"待发送活动的计算量合计超过 {limit} 个单位", "The scheduled campaigns add up to more than {limit} units of work"}},
    {"input.too_deep", {"嵌套超过 {limit} 层", "Nested more than {limit} levels deep"}},
    {"input.unknown_reference", {"{what} {id} 不存在", "Unknown {what} {id}"}},
    {"reconcile.no_draft", {"先载入数据和活动草稿。", "Load a tenant and a draft first."}},
    {"input.uncoded", {"数据有误（{problem}）", "{problem}"}},
    {"input.wrong_type", {"应为{expected}，实际是{got}", "Expected {expected}, got {got}"}},
    {"not_interested.unknown_customer",
     {"{count} 条不感兴趣记录找不到对应客户", "{count} not-interested events name no known customer"}},
    {"results.bad_publish_status",
     {"publish_status 应为 0（未发表）或 1（已发表），实际是 {value}",
      "publish_status must be 0 (not published) or 1 (published), got {value}"}},
    {"results.bad_status",
     {"status 应为 0（未发送）、1（已发送）、2（非好友）或 3（超过额度），实际是 {value}",
      "status must be 0 (not sent), 1 (sent), 2 (not a friend) or 3 (quota), got {value}"}},
    {"results.mass_send_api_for_moment",
     {"这是群发的发送结果，但活动 {campaign} 是朋友圈",
      "get_groupmsg_send_result answers a mass send, but campaign {campaign} is a moments post"}},
    {"results.moment_api_for_mass_send",
     {"这是朋友圈的发送结果，但活动 {campaign} 是群发",
      "The moments APIs answer a moments post, but campaign {campaign} is a mass send"}},
    {"results.other_campaign",
     {"这些结果属于活动 {results}，不是当前活动 {campaign}", "These results are for campaign {results}, not {campaign}"}},
    {"results.wecom_error",
     {"企业微信返回了错误（错误码 {errcode}）：结果不完整，请重新拉取这一页",
      "WeCom answered {api} with errcode {errcode} ({errmsg}): the results are incomplete; fetch this page again"}},
    {"scheduled.past",
     {"待发送活动 {id} 的发送时间已过，未计入预览", "Scheduled campaign {id} has a send time before now; not simulated"}},
    {"senders.employee_origin_needs_one",
     {"成员发表需要恰好 1 名发送成员，当前 {actual} 名", "Origin employee needs exactly one sender, got {actual}"}},
    // ---- refusals coded for issue 11's remainder: snapshots, shard merges, input limits, typed send times.
    {"draft.date_format", {"日期格式应为 年-月-日，例如 2026-05-20", "Expected a date as YYYY-MM-DD, e.g. 2026-05-20"}},
    {"draft.day_range", {"这个月没有 {day} 日（只有 {days} 天）", "Day {day} is not in the month (1-{days})"}},
    {"draft.month_range", {"月份 {month} 无效，应为 1 至 12", "Month {month} is not 1-12"}},
    {"draft.time_format", {"时间格式应为 时:分（24 小时制），例如 09:30", "Expected a time as HH:MM (24-hour), e.g. 09:30"}},
    {"draft.time_range", {"时间 {time} 无效，应在 00:00 至 23:59 之间", "Time {time} is not between 00:00 and 23:59"}},
    {"input.draft_work_limit",
     {"待发送活动与这份草稿的计算量合计 {actual} 个单位，超过上限 {limit}：请精简筛选条件或名单",
      "The scheduled campaigns and this draft add up to {actual} units of work, over the limit of {limit}"}},
    {"input.expression_too_many_nodes", {"筛选条件最多 {limit} 个节点", "An audience filter has at most {limit} nodes"}},
    {"input.expression_two_operators",
     {"一个筛选条件只能有一种运算，这里有两种", "An expression node takes one operator, found {first} and {second}"}},
    // A place that is not a JSON pointer (a snapshot's section): engineers' detail, left to the English.
    {"input.in_file", {"{file}：{problem}", "{file}: {place}: {problem}"}},
    {"input.list_too_long", {"一个列表最多 {limit} 项", "A list holds at most {limit} items"}},
    {"input.lists_too_long", {"一个活动的所有列表合计最多 {limit} 项", "A campaign's lists hold at most {limit} items in all"}},
    {"input.negative", {"不能为负数（{value}）", "Must not be negative, got {value}"}},
    {"input.not_allowed", {"取值 {value} 无效，可选值为 {allowed}", "{value} is not one of {allowed}"}},
    {"input.quota_count",
     {"额度次数应为整数或按当月天数计，实际是“{value}”", "Expected an integer or \"days_in_month\", got \"{value}\""}},
    {"input.string_too_long", {"文字 {actual}，超过上限 {limit}", "A string of {actual}, over the limit of {limit}"}},
    {"input.time_out_of_range",
     {"时间超出支持的范围（公元 1 年至 9999 年）", "Time {value} is outside the supported range (year 1 to 9999)"}},
    {"input.too_many_attachments", {"附件最多 {limit} 个", "A campaign carries at most {limit} attachments"}},
    {"input.tz_out_of_range",
     {"时区偏移 {value} 分钟超出范围（-1440 至 1440）", "tz_offset_minutes must be between -1440 and 1440, got {value}"}},
    {"input.unknown_industry",
     {"行业“{value}”无效，应为零售、教育、烟酒、金融、医药、政务或其他",
      "Unknown industry \"{value}\" (expected retail, education, tobacco_alcohol, finance, pharma, government or other)"}},
    {"input.unknown_msgtype",
     {"附件类型“{value}”无效，应为图片、视频、链接、小程序或文件",
      "Unknown msgtype \"{value}\" (expected image, video, link, miniprogram or file)"}},
    {"merge.differs",
     {"与第 0 片不同：这些分片不是同一次预览", "{field} differs from shard 0's: the shards are not of one preview"}},
    {"merge.no_parts", {"没有给出分片预览结果", "No partial summaries given"}},
    {"merge.not_partial",
     {"缺失或类型不对（不是分片预览的结果）", "{field} is missing or of the wrong type (not a partial summary)"}},
    {"merge.other_run",
     {"第 {index} 片（共 {shards} 片）不属于这次共 {count} 片的预览",
      "Shard {index}/{shards} does not belong to a run of {count} shards"}},
    {"merge.other_scheduled", {"待发送活动与第 0 片不同", "Lists other scheduled campaigns than shard 0"}},
    {"merge.other_senders", {"发送成员与第 0 片不同", "Lists other senders than shard 0"}},
    {"merge.shard_missing", {"缺少第 {index} 片（共 {count} 片）", "Shard {index} of {count} is missing"}},
    {"merge.shard_twice", {"第 {index} 片重复给出", "Shard {index} is given twice"}},
    {"results.unknown_api",
     {"结果文件里有一段不是 ReachLens 读取的企业微信接口的结果，已略过", "api \"{api}\" is not one ReachLens reads; ignored"}},
    {"snapshot.damaged",
     {"快照文件已损坏，无法载入：请重新生成快照", "The snapshot is damaged ({section}): write it again with reachlens snapshot"}},
    {"snapshot.not_snapshot", {"这不是 ReachLens 快照文件", "Not a ReachLens snapshot"}},
    {"snapshot.too_big",
     {"这个租户载入约需 {needed} 内存，超过本页还能使用的 {available}，未载入；当前数据保持不变",
      "Loading this tenant needs about {needed} of memory, more than the {available} this page has left; the tenant in use "
      "stays"}},
    {"snapshot.section_missing",
     {"快照文件缺少一部分数据，无法载入：请重新生成快照", "The snapshot lacks its {section}: write it again"}},
    {"snapshot.truncated",
     {"快照文件不完整（{actual}），可能没有下载完：请重新下载或重新生成", "The snapshot is cut short or padded ({actual})"}},
    {"snapshot.version",
     {"快照文件的版本 {version} 不受支持（当前程序读取第 {supported} 版）：请重新生成快照",
      "Snapshot version {version} is not supported (this build reads version {supported})"}},
};

// Contract words for people: industries, rules presets, attachment types, units, JSON types.
constexpr CodeText kTerms[] = {
    {"a boolean", {"布尔值", "a boolean"}},
    {"a number", {"数字", "a number"}},
    {"a number, string or boolean (attribute value)", {"数字、文字或布尔值", "a number, string or boolean"}},
    {"a string", {"文字", "a string"}},
    {"an array", {"列表（数组）", "an array"}},
    {"an integer", {"整数", "an integer"}},
    {"an object", {"对象", "an object"}},
    {"bytes", {"字节", "bytes"}},
    {"chars", {"字", "characters"}},
    {"custom", {"自定义规则", "Custom rules"}},
    {"education", {"教育", "education"}},
    {"file", {"文件", "file"}},
    {"finance", {"金融", "finance"}},
    {"government", {"政务", "government"}},
    {"image", {"图片", "image"}},
    {"link", {"链接", "link"}},
    {"chat", {"客户群", "group chat"}},
    {"department", {"部门", "department"}},
    {"employee", {"成员", "employee"}},
    {"group_send", {"客户群群发", "group send"}},
    {"group_send.employee", {"成员客户群群发", "Employee customer-group send"}},
    {"group_send.enterprise", {"企业客户群群发", "Enterprise customer-group send"}},
    {"mass_send", {"客户群发", "Mass send"}},
    {"mass_send.employee", {"成员群发", "Employee mass send"}},
    {"mass_send.enterprise", {"企业群发", "Enterprise mass send"}},
    {"miniprogram", {"小程序", "mini program"}},
    {"moment", {"客户朋友圈", "Customer moments"}},
    {"moment.employee", {"成员朋友圈", "Employee moments"}},
    {"moment.enterprise", {"企业朋友圈", "Enterprise moments"}},
    {"scheduled_campaign", {"待发送活动", "scheduled campaign"}},
    {"tag", {"标签", "tag"}},
    {"customer", {"客户", "customer"}},
    {"null", {"空值", "null"}},
    {"other", {"其他", "other"}},
    {"pharma", {"医药", "pharma"}},
    {"retail", {"零售", "retail"}},
    {"tobacco_alcohol", {"烟酒", "tobacco & alcohol"}},
    {"video", {"视频", "video"}},
    {"wecom-2020", {"企业微信 2020 规则", "WeCom 2020 rules"}},
    {"wecom-2021", {"企业微信 2021 规则", "WeCom 2021 rules"}},
    {"wecom-2025", {"企业微信 2025 规则", "WeCom 2025 rules"}},
};

constexpr CodeText kQuotas[] = {
    {"group_send_any_month", {"客户群群发每月额度", "Group send: monthly quota"}},
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
    if (code.substr(0, 2) == "zh") {
        out = Lang::Zh;
        return true;
    }
    if (code.substr(0, 2) == "en") {
        out = Lang::En;
        return true;
    }
    return false;
}

const char* reason_text(std::string_view reason) {
    thread_local std::string buf;
    const auto colon = reason.find(':');
    if (colon == std::string_view::npos) {
        if (const std::optional<ReasonCode> code = enum_of(kReasonKeys, reason)) return tx(kReasonTexts[*code]);
        buf = std::string(reason);
        return buf.c_str();
    }
    const std::string_view prefix = reason.substr(0, colon), id = reason.substr(colon + 1);
    if (prefix == "quota")
        if (const Text* t = find(kQuotas, id)) return tx(*t);  // a known quota id
    const Text* p = prefix == "quota" ? &kQuotaText : prefix == "policy" ? &kPolicyText : nullptr;
    buf = p ? std::string(tx(*p)) + ": " + std::string(id) : std::string(reason);
    return buf.c_str();
}

const char* weekday_text(int w) {
    static const char* const zh[] = {"一", "二", "三", "四", "五", "六", "日"};
    static const char* const en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return language() == Lang::Zh ? zh[w] : en[w];
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

std::string server_error_text(int status, std::string_view code, std::string_view message, int64_t attachment) {
    MessageParams params = {param_number("status", status), param_text("code", std::string(code)),
                            param_text("message", std::string(message))};
    if (attachment >= 0) params.push_back(param_attachment(static_cast<size_t>(attachment)));
    const std::string key = "server." + std::string(code);
    const Text* t = code.empty() ? nullptr : find(kMessages, key);
    // A message naming the attachment needs its index (a one-line bridge message has none).
    const bool needs_attachment = t && std::string_view(t->zh).find("{attachment}") != std::string_view::npos;
    if (t && (attachment >= 0 || !needs_attachment)) return message_text(key, params, message);
    return message_text("server.other", params, message);
}

std::string host_message_text(std::string_view message) {
    // The stable leads of web/submit.js's messages; what follows them (a URL, the
    // browser's reason) is kept as detail.
    struct Lead {
        std::string_view lead;
        const char* code;
    };
    static constexpr Lead kLeads[] = {
        {"no server to send to: the page was opened from ", "host.no_server"},
        {"cannot reach ", "host.unreachable"},
        {"no ReachLens API at ", "host.no_api"},
        {"browser storage refused the outbox: ", "host.outbox_storage"},
    };
    for (const Lead& l : kLeads) {
        if (message.substr(0, l.lead.size()) != l.lead) continue;
        const std::string_view rest = message.substr(l.lead.size());
        // "cannot reach <url>: <the browser's reason>": the URL and the reason apart (the
        // reason is the browser's English, left out of the Chinese text).
        const size_t cut = rest.find(": ");
        return message_text(l.code,
                            {param_text("detail", std::string(cut == std::string_view::npos ? rest : rest.substr(cut + 2))),
                             param_text("url", std::string(rest.substr(0, cut)))},
                            message);
    }
    // "HTTP <status> <code>: <message>" (web/submit.js, a server's refusal): worded by its code.
    if (message.substr(0, 5) == "HTTP ") {
        const std::string_view rest = message.substr(5);
        const size_t space = rest.find(' '), colon = rest.find(": ");
        if (space != std::string_view::npos && colon != std::string_view::npos && space < colon) {
            const int status = std::atoi(std::string(rest.substr(0, space)).c_str());
            return server_error_text(status, rest.substr(space + 1, colon - space - 1), rest.substr(colon + 2));
        }
        if (colon != std::string_view::npos)
            return server_error_text(std::atoi(std::string(rest.substr(0, colon)).c_str()), "", rest.substr(colon + 2));
    }
    return std::string(message);
}

std::string term_text(std::string_view word) {
    const Text* t = find(kTerms, word);
    return t ? std::string(tx(*t)) : std::string(word);
}

bool has_message(std::string_view code) { return find(kMessages, code) != nullptr; }

std::string message_text(std::string_view code, const MessageParams& params, std::string_view fallback) {
    const Text* t = code.empty() ? nullptr : find(kMessages, code);
    if (!t) return std::string(fallback);
    return fill(tx(*t), params);
}

std::string message_text(const StoredMessage& m) {
    if (m.input) return input_error_text(*m.input);
    return message_text(m.code, m.params, m.fallback);
}

std::string input_error_text(const InputError& e) {
    const std::string problem = e.code().empty()
                                    ? message_text("input.uncoded", {param_text("problem", e.problem())}, e.problem())
                                    : message_text(e.code(), e.params(), e.problem());
    if (!e.pointer().empty() && e.pointer()[0] != '/')
        return message_text("input.in_file",
                            {param_text("file", e.file()), param_text("place", e.pointer()), param_text("problem", problem)},
                            e.what());
    return message_text("input.at",
                        {param_text("file", e.file()), param_text("pointer", e.pointer().empty() ? "/" : e.pointer()),
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
