#include "core/checks/campaign_checks.h"

#include <algorithm>
#include <cstdio>

namespace rl {

int64_t utf8_code_points(std::string_view s) {
    int64_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // input is validated UTF-8
    return n;
}

namespace {

std::string format_number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string att(size_t i) { return "attachment " + std::to_string(i) + ": "; }

// Where a content issue points (Issue::pointer).
const std::string kTextPointer = "/content/text";
const std::string kAttachmentsPointer = "/content/attachments";
std::string att_ptr(size_t i, Attachment::Type t, const char* field) {
    std::string p = kAttachmentsPointer + "/" + std::to_string(i);
    if (field) p += std::string("/") + attachment_type_name(t) + "/" + field;
    return p;
}

// The per-attachment limits, shared by moments and mass sends (each with its own limits).

// Attachment i's file over `limit` bytes: "attachment 2: image over 10485760 bytes".
void check_attachment_bytes(const char* code, size_t i, const Attachment& a, int64_t limit, std::vector<Issue>& out) {
    if (a.bytes <= limit) return;
    out.push_back({code,
                   att(i) + attachment_type_name(a.type) + " over " + std::to_string(limit) + " bytes",
                   att_ptr(i, a.type, "bytes"),
                   {param_attachment(i), param_bytes("actual", a.bytes), param_bytes("limit", limit)}});
}

// Attachment i's text `field` (`value`) over `limit` bytes; `what` names it in the message
// ("link title").
void check_attachment_field_bytes(const char* code, size_t i, const Attachment& a, const char* field, const char* what,
                                  const std::string& value, int64_t limit, std::vector<Issue>& out) {
    const int64_t n = static_cast<int64_t>(value.size());
    if (n <= limit) return;
    out.push_back({code,
                   att(i) + what + " of " + std::to_string(n) + " bytes, at most " + std::to_string(limit),
                   att_ptr(i, a.type, field),
                   {param_attachment(i), param_number("actual", n), param_number("limit", limit)}});
}

void check_link_has_url(size_t i, const Attachment& a, std::vector<Issue>& out) {
    if (a.url.empty())
        out.push_back(
            {"content.link_missing_url", att(i) + "link without a url", att_ptr(i, a.type, "url"), {param_attachment(i)}});
}

void check_moment(const Content& content, const MomentLimits& lim, std::vector<Issue>& out) {
    using T = Attachment::Type;
    const auto& atts = content.attachments;
    if (content.text.empty() && atts.empty())
        out.push_back({"content.empty", "a moment needs text or attachments", kTextPointer});
    int64_t chars = utf8_code_points(content.text);
    if (chars > lim.text_max_chars)
        out.push_back({"content.text_too_long",
                       "text has " + std::to_string(chars) + " characters, at most " + std::to_string(lim.text_max_chars),
                       kTextPointer,
                       {param_number("actual", chars), param_number("limit", lim.text_max_chars), param_term("unit", "chars")}});
    std::vector<T> types;
    for (const Attachment& a : atts)
        if (std::find(types.begin(), types.end(), a.type) == types.end()) types.push_back(a.type);
    if (types.size() > 1)
        out.push_back({"content.mixed_attachments", "a moment takes attachments of one type only", kAttachmentsPointer});
    for (T t : types)
        if (t == T::MiniProgram || t == T::File)
            out.push_back({"content.unsupported_attachment",
                           std::string("a moment cannot carry a ") + attachment_type_name(t),
                           kAttachmentsPointer,
                           {param_term("type", attachment_type_name(t))}});
    auto check_count = [&](T t, const char* code, const char* plural, int64_t limit) {
        const int64_t n = std::count_if(atts.begin(), atts.end(), [&](const Attachment& a) { return a.type == t; });
        if (n > limit)
            out.push_back({code,
                           std::to_string(n) + " " + plural + ", at most " + std::to_string(limit),
                           kAttachmentsPointer,
                           {param_number("actual", n), param_number("limit", limit)}});
    };
    check_count(T::Image, "content.too_many_images", "images", lim.image_max_count);
    check_count(T::Video, "content.too_many_videos", "videos", lim.video_max_count);
    check_count(T::Link, "content.too_many_links", "links", lim.link_max_count);
    for (size_t i = 0; i < atts.size(); ++i) {
        const Attachment& a = atts[i];
        if (a.type == T::Image) {
            check_attachment_bytes("content.image_too_large", i, a, lim.image_max_bytes, out);
            // Checked: 4294967296 x 4294967296 must not wrap to a small count.
            int64_t pixels = 0;
            const bool overflow = __builtin_mul_overflow(a.width, a.height, &pixels);
            if (overflow || pixels > lim.image_max_pixels)
                out.push_back({"content.image_too_many_pixels",
                               att(i) + std::to_string(a.width) + "x" + std::to_string(a.height) + " is over " +
                                   std::to_string(lim.image_max_pixels) + " pixels",
                               att_ptr(i, a.type, "width"),
                               {param_attachment(i), param_number("width", a.width), param_number("height", a.height),
                                param_number("limit", lim.image_max_pixels)}});
        } else if (a.type == T::Video) {
            if (a.seconds > lim.video_max_seconds)
                out.push_back({"content.video_too_long",
                               att(i) + "video of " + format_number(a.seconds) + " s, at most " +
                                   format_number(lim.video_max_seconds) + " s",
                               att_ptr(i, a.type, "seconds"),
                               {param_attachment(i), param_number("actual", format_number(a.seconds)),
                                param_number("limit", format_number(lim.video_max_seconds))}});
            check_attachment_bytes("content.video_too_large", i, a, lim.video_max_bytes, out);
        } else if (a.type == T::Link) {
            check_attachment_field_bytes("content.link_title_too_long", i, a, "title", "link title", a.title,
                                         lim.link_title_max_bytes, out);
            check_link_has_url(i, a, out);
        }
    }
}

void check_mass_send(const Content& content, const MassSendLimits& lim, std::vector<Issue>& out) {
    using T = Attachment::Type;
    const auto& atts = content.attachments;
    if (content.text.empty() && atts.empty())
        out.push_back({"content.empty", "a mass send needs text or attachments", kTextPointer});
    if (static_cast<int64_t>(content.text.size()) > lim.text_max_bytes)
        out.push_back(
            {"content.text_too_long",
             "text has " + std::to_string(content.text.size()) + " bytes, at most " + std::to_string(lim.text_max_bytes),
             kTextPointer,
             {param_number("actual", static_cast<int64_t>(content.text.size())), param_number("limit", lim.text_max_bytes),
              param_term("unit", "bytes")}});
    if (static_cast<int64_t>(atts.size()) > lim.attachments_max_count)
        out.push_back(
            {"content.too_many_attachments",
             std::to_string(atts.size()) + " attachments, at most " + std::to_string(lim.attachments_max_count),
             kAttachmentsPointer,
             {param_number("actual", static_cast<int64_t>(atts.size())), param_number("limit", lim.attachments_max_count)}});
    for (size_t i = 0; i < atts.size(); ++i) {
        const Attachment& a = atts[i];
        switch (a.type) {
            case T::Image: check_attachment_bytes("content.image_too_large", i, a, lim.image_max_bytes, out); break;
            case T::Video: check_attachment_bytes("content.video_too_large", i, a, lim.video_max_bytes, out); break;
            case T::File: check_attachment_bytes("content.file_too_large", i, a, lim.file_max_bytes, out); break;
            case T::Link:
                check_attachment_field_bytes("content.link_title_too_long", i, a, "title", "link title", a.title,
                                             lim.link_title_max_bytes, out);
                check_attachment_field_bytes("content.link_desc_too_long", i, a, "desc", "link description", a.desc,
                                             lim.link_desc_max_bytes, out);
                check_attachment_field_bytes("content.link_url_too_long", i, a, "url", "link url", a.url, lim.link_url_max_bytes,
                                             out);
                check_link_has_url(i, a, out);
                break;
            case T::MiniProgram:
                check_attachment_field_bytes("content.miniprogram_title_too_long", i, a, "title", "mini program title", a.title,
                                             lim.miniprogram_title_max_bytes, out);
                if (a.appid.empty() || a.page.empty())
                    out.push_back({"content.miniprogram_incomplete",
                                   att(i) + "mini program needs appid and page",
                                   att_ptr(i, a.type, a.appid.empty() ? "appid" : "page"),
                                   {param_attachment(i)}});
                break;
        }
    }
}

}  // namespace

std::vector<Issue> check_content(const Content& content, Kind kind, const Rules& rules) {
    std::vector<Issue> out;
    if (kind == Kind::Moment) check_moment(content, rules.moment_limits, out);
    else check_mass_send(content, rules.mass_send_limits, out);
    return out;
}

std::vector<Issue> check_campaign(const Dataset& data, const Campaign& campaign, const Rules& rules, const BoundCampaign& bound,
                                  const std::vector<UnknownId>& unknown) {
    std::vector<Issue> out = check_content(campaign.content, campaign.kind, rules);
    if (campaign.kind == Kind::Moment) {
        const auto& excluded = rules.moments_excluded_industries;
        if (std::find(excluded.begin(), excluded.end(), data.enterprise.industry) != excluded.end())
            out.push_back({"industry.excluded",
                           "customer moments are closed to the industry \"" + data.enterprise.industry + "\"",
                           "",
                           {param_term("industry", data.enterprise.industry)}});
        if (rules.moments_require_verified && !data.enterprise.verified)
            out.push_back({"enterprise.unverified", "customer moments need a verified enterprise"});
    }
    if (campaign.origin == Origin::Employee && bound.senders.size() != 1)
        out.push_back({"senders.employee_origin_needs_one",
                       "origin employee needs exactly one sender, got " + std::to_string(bound.senders.size()),
                       "/senders",
                       {param_number("actual", static_cast<int64_t>(bound.senders.size()))}});
    for (const UnknownId& u : unknown) {
        std::string what = u.code == "campaign.unknown_userid"       ? "unknown userid \"" + u.id + "\""
                           : u.code == "campaign.unknown_department" ? "unknown department " + u.id
                           : u.code == "campaign.unknown_chat"       ? "unknown group chat \"" + u.id + "\""
                                                                     : "unknown tag \"" + u.id + "\"";
        out.push_back({u.code, what + " at " + u.pointer, u.pointer, {param_text("id", u.id), param_text("pointer", u.pointer)}});
    }
    if (campaign.send_time && *campaign.send_time < data.now)
        out.push_back({"campaign.send_time_past",
                       "send_time " + std::to_string(*campaign.send_time) + " is before now (" + std::to_string(data.now) +
                           "); previewed at now",
                       "/send_time",
                       {param_time("send_time", *campaign.send_time), param_time("now", data.now)}});
    if (campaign.stray_filter)
        out.push_back(
            {"audience.filter_not_supported", campaign.kind == Kind::GroupSend
                                                  ? "a group send's audience is a chat_list; tag_list and filter are ignored"
                                                  : "a moment's audience is a tag_list; the filter is ignored"});
    if (campaign.stray_tag_list)
        out.push_back({"audience.tag_list_not_supported", "a mass send's audience is a filter; the tag_list is ignored"});
    return out;
}

}  // namespace rl
