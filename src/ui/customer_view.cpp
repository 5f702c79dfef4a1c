// The customer's-eye view (see customer_view.h). Every verdict and every post on the
// customer's day comes from the engine (PreviewResult, rl::explain_customer); this file
// only lays them out the way WeChat shows them.
#include "ui/customer_view.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {

namespace {

// ---------------------------------------------------------------- look

// WeChat's own colours for moments and chats, light and dark.
struct WeChatLook {
    ImU32 page, card, text, muted, name, corp, soft, line, bubble, bubble_text, chat_bg, header;
};

WeChatLook wechat_look(bool dark) {
    if (dark)
        return {IM_COL32(17, 17, 17, 255),    IM_COL32(30, 30, 30, 255),    IM_COL32(214, 214, 214, 255),
                IM_COL32(118, 118, 118, 255), IM_COL32(126, 145, 176, 255), IM_COL32(214, 150, 72, 255),
                IM_COL32(44, 44, 44, 255),    IM_COL32(52, 52, 52, 255),    IM_COL32(44, 44, 44, 255),
                IM_COL32(214, 214, 214, 255), IM_COL32(17, 17, 17, 255),    IM_COL32(30, 30, 30, 255)};
    return {IM_COL32(237, 237, 237, 255), IM_COL32(255, 255, 255, 255), IM_COL32(25, 25, 25, 255),
            IM_COL32(153, 153, 153, 255), IM_COL32(87, 107, 149, 255),  IM_COL32(232, 138, 34, 255),
            IM_COL32(247, 247, 247, 255), IM_COL32(229, 229, 229, 255), IM_COL32(255, 255, 255, 255),
            IM_COL32(25, 25, 25, 255),    IM_COL32(237, 237, 237, 255), IM_COL32(247, 247, 247, 255)};
}

ImU32 faded(ImU32 c, float alpha) {
    const ImU32 a = static_cast<ImU32>(((c >> IM_COL32_A_SHIFT) & 0xFF) * alpha);
    return (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

ImVec4 to_vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

uint32_t hash_text(std::string_view text) {
    uint32_t h = 2166136261u;
    for (unsigned char c : text) h = (h ^ c) * 16777619u;
    return h;
}

// The first character (UTF-8) of a name, for an avatar.
std::string initial(std::string_view name) {
    if (name.empty()) return "?";
    const unsigned char c = static_cast<unsigned char>(name[0]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, name.size());
    std::string out(name.substr(0, n));
    if (n == 1 && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

void draw_avatar(ImDrawList* dl, ImVec2 p0, float size, std::string_view key, std::string_view name, float alpha) {
    float r, g, b;
    ImGui::ColorConvertHSVtoRGB(static_cast<float>(hash_text(key) % 360) / 360.0f, 0.45f, 0.78f, r, g, b);
    const ImVec2 c(p0.x + size * 0.5f, p0.y + size * 0.5f);
    dl->AddCircleFilled(c, size * 0.5f, faded(ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, 1)), alpha));
    const std::string ch = initial(name);
    ImFont* font = ImGui::GetFont();
    const float fs = size * 0.46f;
    const ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, ch.c_str());
    dl->AddText(font, fs, ImVec2(c.x - ts.x * 0.5f, c.y - ts.y * 0.5f), faded(IM_COL32(255, 255, 255, 255), alpha), ch.c_str());
}

constexpr float kPi = 3.14159265f;

// A heart outline made of two arcs and a point (no emoji in the UI font).
void draw_heart(ImDrawList* dl, ImVec2 c, float s, ImU32 col) {
    const float r = s * 0.26f, th = std::max(1.0f, s * 0.1f);
    dl->PathArcTo(ImVec2(c.x - r, c.y - r * 0.3f), r, kPi * 0.75f, kPi * 2.0f);
    dl->PathArcTo(ImVec2(c.x + r, c.y - r * 0.3f), r, kPi, kPi * 2.25f);
    dl->PathLineTo(ImVec2(c.x, c.y + s * 0.42f));
    dl->PathStroke(col, ImDrawFlags_Closed, th);
}

// ---------------------------------------------------------------- text

// Where `text` stops after `max_lines` wrapped lines at `width` (ImGui's own word wrap, so
// the cut matches what TextWrapped draws); *folded when something is left over.
const char* cut_after_lines(const char* begin, const char* end, float width, int max_lines, bool* folded) {
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    const char* p = begin;
    int lines = 0;
    *folded = false;
    while (p < end) {
        if (lines == max_lines) {
            *folded = true;
            return p;
        }
        const char* line_end = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
        if (!line_end) line_end = end;
        const char* wrap = font->CalcWordWrapPosition(size, p, line_end, width);
        if (wrap <= p) wrap = std::min(line_end, p + 1);
        if (wrap >= line_end) {
            p = line_end < end ? line_end + 1 : end;
        } else {
            p = wrap;
            while (p < line_end && *p == ' ') ++p;
        }
        ++lines;
    }
    return end;
}

std::string duration_text(double seconds) {
    const int s = static_cast<int>(seconds + 0.5);
    return fmt("%d:%02d", s / 60, s % 60);
}

// ---------------------------------------------------------------- the customer's day

// A post (or chat message) on the customer's day, as the view draws it.
struct Post {
    const CustomerEvent* event = nullptr;  // null: the draft without a timeline (engine not ready)
    bool draft = false;
    std::string campaign_id;
    const Content* content = nullptr;  // null for past deliveries (only their id is known)
    uint32_t employee = kNone;
    Time time = 0;
    uint16_t verdict = kReached;
    std::string label;  // reason label ("" when reached)
    bool group_chat = false;  // a group send's message in a group (the group, not the customer, is blocked)
};

struct CustomerCache {
    const void* result = nullptr;
    int recompute = -1;
    int64_t customer = -1;
    std::vector<CustomerEvent> events;
    std::vector<RelationExplanation> relations;
    // search
    std::string search;
    const void* dataset = nullptr;
    std::vector<uint32_t> matches;
};

CustomerCache& cache() {
    static CustomerCache c;
    return c;
}

const std::vector<CustomerEvent>& customer_events(AppState& s, uint32_t customer) {
    CustomerCache& c = cache();
    if (c.result != s.ws.result() || c.recompute != s.ws.recompute_count() || c.customer != customer) {
        c.result = s.ws.result();
        c.recompute = s.ws.recompute_count();
        c.customer = customer;
        c.events = s.ws.explain_customer(customer);
        c.relations = s.ws.explain_relations(customer);
    }
    return c.events;
}

const std::vector<RelationExplanation>& customer_relations(AppState& s, uint32_t customer) {
    customer_events(s, customer);  // fills both for this customer and recompute
    return cache().relations;
}

std::string local_date(const AppState& s, Time t) {
    return model::format_date(t, s.ws.dataset() ? s.ws.dataset()->enterprise.tz_offset_minutes : 480);
}

std::string label_of(const PreviewResult& r, uint16_t verdict) {
    if (verdict == kReached) return "reached";
    if (verdict == kNotInAudience) return "not_in_audience";
    return verdict < r.reason_labels.size() ? r.reason_labels[verdict] : std::string();
}

// A verdict label for people ("not in the audience" is the view's own, the rest the engine's).
const char* verdict_text(const std::string& label) {
    if (label == "not_in_audience") return tx("不在本活动的受众中", "Not in this campaign's audience");
    return reason_text(label);
}

// The engine's explanation of one relation in the marketer's words (the rule was applied
// by rl::explain_relations; this only words its answer).
std::string relation_text(const AppState& s, const RelationExplanation& x) {
    using State = RelationExplanation::State;
    using Detail = RelationExplanation::Detail;
    const Dataset& d = *s.ws.dataset();
    const PreviewResult& r = *s.ws.result();
    const int tz = d.enterprise.tz_offset_minutes;
    if (x.state == State::NotSelected) return tx("未选为发送成员", "Not a selected sender");
    if (x.state == State::NotInAudience) return tx("客户不在本活动的受众中", "Customer not in this campaign's audience");
    if (x.verdict == kReached) return tx("本次送达", "Delivered");
    switch (x.detail) {
        case Detail::Resigned: return tx("员工已离职", "The employee has left");
        case Detail::MomentsDisabled: return tx("成员不可发朋友圈", "The employee cannot post customer moments");
        case Detail::NotFirstAdded:
            return tx("非首位添加：由先添加的员工发送", "Not the first to add: an earlier employee sends");
        case Detail::NotLastChat: return tx("非最近聊天：由最近聊天的员工发送", "Not the latest chat: that employee sends");
        case Detail::None: break;
    }
    if (x.verdict == kNotFriend) return tx("已删除：客户删除了该员工", "Deleted: the customer removed this employee");
    if (x.verdict == kNotInterested) {
        if (x.not_interested_until == 0) return reason_text("not_interested");
        return fmt(tx("不感兴趣，至 %s", "Not interested until %s"), model::format_date_time(x.not_interested_until, tz).c_str());
    }
    std::string out = reason_text(label_of(r, x.verdict));
    if (x.verdict >= kQuotaReasonBase) {
        out += fmt(tx("：已用 %d/%lld", ": %d of %lld used"), static_cast<int>(x.quota_used.size()),
                   static_cast<long long>(x.quota_limit));
        std::vector<std::string_view> ids;
        for (const RelationExplanation::QuotaUse& u : x.quota_used)
            if (std::find(ids.begin(), ids.end(), u.campaign_id) == ids.end()) ids.push_back(u.campaign_id);
        for (size_t i = 0; i < ids.size(); ++i) {
            out += i == 0 ? tx("（", " (") : tx("、", ", ");
            out += ids[i].empty() ? std::string_view(tx("未命名活动", "unnamed")) : ids[i];
        }
        if (!ids.empty()) out += tx("）", ")");
    }
    return out;
}

const char* relation_state_key(RelationExplanation::State state) {
    switch (state) {
        case RelationExplanation::State::NotSelected: return "not_selected";
        case RelationExplanation::State::NotInAudience: return "not_in_audience";
        case RelationExplanation::State::Tried: return "tried";
    }
    return "";
}

// The sender shown for the draft: who delivers it, else who would have (the draft's pair
// on the timeline), else the customer's first live relation.
uint32_t draft_sender(const AppState& s, uint32_t customer, const std::vector<CustomerEvent>& events) {
    const PreviewResult* r = s.ws.result();
    if (r && customer + 1 < r->via_begin.size() && r->via_begin[customer] < r->via_begin[customer + 1])
        return r->via[r->via_begin[customer]];
    for (const CustomerEvent& e : events)
        if (e.source == CustomerEvent::Source::Draft) return e.employee;
    const Dataset* d = s.ws.dataset();
    if (d)
        for (uint32_t i = d->relation_begin[customer]; i < d->relation_begin[customer + 1]; ++i)
            if (!d->relations[i].deleted) return d->relations[i].employee;
    return kNone;
}

// The posts of the draft's kind on the customer's day of the send (enterprise time zone).
std::vector<Post> day_posts(AppState& s, uint32_t customer, const std::vector<CustomerEvent>& events) {
    std::vector<Post> posts;
    const PreviewResult* r = s.ws.result();
    const Campaign* draft = s.ws.draft();
    const Dataset* d = s.ws.dataset();
    if (!r || !draft || !d) return posts;
    const std::string day = local_date(s, r->send_time);
    bool have_draft = false;
    for (const CustomerEvent& e : events) {
        if (e.kind != r->kind || local_date(s, e.time) != day) continue;
        Post p;
        p.event = &e;
        p.campaign_id = e.campaign_id;
        p.employee = e.employee;
        p.time = e.time;
        p.verdict = e.verdict;
        p.label = e.verdict == kReached ? std::string() : label_of(*r, e.verdict);
        if (e.source == CustomerEvent::Source::Draft) {
            // One card for the draft even when several employees send it (the customer sees it once).
            if (have_draft) continue;
            have_draft = true;
            p.draft = true;
            p.content = &draft->content;
            p.employee = draft_sender(s, customer, events);
            p.verdict = r->verdict[customer];
            p.label = p.verdict == kReached ? std::string() : label_of(*r, p.verdict);
        } else if (e.source == CustomerEvent::Source::Scheduled && e.scheduled_index >= 0 &&
                   static_cast<size_t>(e.scheduled_index) < d->scheduled.size()) {
            p.content = &d->scheduled[static_cast<size_t>(e.scheduled_index)].content;
        }
        posts.push_back(std::move(p));
    }
    if (!have_draft) {  // no timeline yet, or the customer is outside the audience: the draft alone
        Post p;
        p.draft = true;
        p.campaign_id = r->campaign_id;
        p.content = &draft->content;
        p.employee = draft_sender(s, customer, events);
        p.time = r->send_time;
        p.verdict = r->verdict[customer];
        p.label = p.verdict == kReached ? std::string() : label_of(*r, p.verdict);
        posts.push_back(std::move(p));
    }
    return posts;
}

// The customer's posts of the draft's kind earlier in the send's local month (before its
// day), newest first: what a monthly quota counted before the draft. Display only: which
// of them a quota counts is the engine's business (the verdicts come from it).
std::vector<const CustomerEvent*> earlier_in_month(const AppState& s, const std::vector<CustomerEvent>& events) {
    std::vector<const CustomerEvent*> out;
    const PreviewResult* r = s.ws.result();
    if (!r) return out;
    const std::string day = local_date(s, r->send_time);
    const std::string month = day.substr(0, 7);
    for (const CustomerEvent& e : events) {
        if (e.kind != r->kind || e.source == CustomerEvent::Source::Draft) continue;
        const std::string d = local_date(s, e.time);
        if (d.compare(0, 7, month) == 0 && d < day) out.push_back(&e);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::string time_of_day(const AppState& s, Time t) {
    const std::string dt = model::format_date_time(t, s.ws.dataset() ? s.ws.dataset()->enterprise.tz_offset_minutes : 480);
    return dt.size() > 11 ? dt.substr(11) : dt;
}

// ---------------------------------------------------------------- moments card

// Reserves `size` at the cursor and draws an attachment cover there. `track`: its test name
// (nullptr: none), followed by `track_index` unless that is negative.
void cover_item(AppState& s, const Attachment& a, ImVec2 size, float radius, const char* track, int track_index, float alpha) {
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    if (track) name_item(track, track_index);
    const ImVec2 p1(p0.x + size.x, p0.y + size.y);
    if (!ImGui::IsRectVisible(p0, p1)) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string& name = a.type == Attachment::Type::Link || a.type == Attachment::Type::MiniProgram ? a.title : a.name;
    draw_media_cover(s, dl, name, attachment_type_name(a.type), p0, p1, radius);
    if (alpha < 1) dl->AddRectFilled(p0, p1, faded(wechat_look(s.dark).card, 1 - alpha), radius);
    if (a.type == Attachment::Type::Video && a.seconds > 0) {
        const std::string d = duration_text(a.seconds);
        const ImVec2 ts = ImGui::CalcTextSize(d.c_str());
        const float pad = 5 * s.dpi_scale;
        dl->AddText(ImVec2(p1.x - ts.x - pad, p1.y - ts.y - pad * 0.6f), IM_COL32(255, 255, 255, 235), d.c_str());
    }
}

// The images of a moment: one large (its own aspect, capped), 2–4 in two columns, 5–9 in three.
void image_grid(AppState& s, const std::vector<const Attachment*>& images, float width, float alpha, bool track) {
    const float u = s.dpi_scale, gap = 4 * u;
    const size_t n = images.size();
    if (n == 1) {
        const Attachment& a = *images[0];
        const float cap = std::min(width * 0.72f, 200 * u);
        float w = cap, h = cap;
        if (a.width > 0 && a.height > 0) {
            const float aspect = std::clamp(static_cast<float>(a.width) / static_cast<float>(a.height), 0.5f, 2.0f);
            if (aspect >= 1) h = cap / aspect;
            else w = cap * aspect;
        }
        cover_item(s, a, ImVec2(w, h), 4 * u, track ? "cv_image:" : nullptr, 0, alpha);
        return;
    }
    const int columns = n <= 4 ? 2 : 3;
    const float cell = std::min((width - gap * (columns - 1)) / columns, 80 * u);
    for (size_t i = 0; i < n; ++i) {
        if (i % columns) ImGui::SameLine(0, gap);
        else if (i)
            ImGui::SetCursorScreenPos(
                ImVec2(ImGui::GetCursorScreenPos().x, ImGui::GetCursorScreenPos().y - ImGui::GetStyle().ItemSpacing.y + gap));
        cover_item(s, *images[i], ImVec2(cell, cell), 3 * u, track ? "cv_image:" : nullptr, static_cast<int>(i), alpha);
    }
}

// A link as WeChat shows it in a moment: a grey strip with a cover and the title.
void link_strip(AppState& s, const Attachment& a, float width, const WeChatLook& look, float alpha) {
    const float u = s.dpi_scale, pad = 6 * u, cover = 40 * u;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 p1(p0.x + width, p0.y + cover + 2 * pad);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, faded(look.soft, alpha), 2 * u);
    draw_media_cover(s, dl, a.title.empty() ? a.url : a.title, "link", ImVec2(p0.x + pad, p0.y + pad),
                     ImVec2(p0.x + pad + cover, p0.y + pad + cover), 2 * u);
    const float tx0 = p0.x + 2 * pad + cover, tw = width - 3 * pad - cover;
    const std::string title = a.title.empty() ? a.url : a.title;
    bool folded = false;
    const char* cut = cut_after_lines(title.c_str(), title.c_str() + title.size(), tw, 2, &folded);
    const ImVec2 ts = ImGui::CalcTextSize(title.c_str(), cut, false, tw);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(tx0, p0.y + (p1.y - p0.y - ts.y) * 0.5f), faded(look.text, alpha),
                title.c_str(), cut, tw);
    ImGui::Dummy(ImVec2(width, p1.y - p0.y));
}

void moment_card(AppState& s, const Post& p, float width, int index) {
    const Dataset& d = *s.ws.dataset();
    const WeChatLook look = wechat_look(s.dark);
    const float u = s.dpi_scale, pad = 14 * u, avatar = 40 * u, gap = 10 * u;
    const float alpha = p.verdict == kReached ? 1.0f : 0.5f;
    ImGui::PushID(index);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);

    const std::string name = employee_name(d, p.employee);
    draw_avatar(dl, ImVec2(origin.x + pad, origin.y + pad), avatar,
                p.employee < d.employees.size() ? d.employees[p.employee].userid : name, name, alpha);
    const float content_x = origin.x + pad + avatar + gap;
    const float content_w = std::max(60 * u, width - (content_x - origin.x) - pad);
    ImGui::SetCursorScreenPos(ImVec2(content_x, origin.y + pad - 2 * u));
    ImGui::BeginGroup();
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4 * u, 6 * u));
    ImGui::TextColored(to_vec(faded(look.name, alpha)), "%s", name.c_str());
    ImGui::SameLine();
    ImGui::TextColored(to_vec(faded(look.corp, alpha)), "＠%s", d.enterprise.corp_name.c_str());

    const Content* content = p.content;
    if (content && !content->text.empty()) {
        const std::string& text = content->text;
        bool folded = false;
        const char* end = text.c_str() + text.size();
        const char* cut = cut_after_lines(text.c_str(), end, content_w, 6, &folded);
        const bool expanded = p.draft && s.customer_view.expanded;
        const char* shown_end = folded && !expanded ? cut : end;
        while (shown_end > text.c_str() && shown_end[-1] == '\n') --shown_end;
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + content_w);
        ImGui::PushStyleColor(ImGuiCol_Text, to_vec(faded(look.text, alpha)));
        ImGui::TextUnformatted(text.c_str(), shown_end);
        ImGui::PopStyleColor();
        ImGui::PopTextWrapPos();
        if (folded && p.draft) {
            ImGui::PushStyleColor(ImGuiCol_TextLink, to_vec(look.name));
            if (ImGui::TextLink(fmt("%s###cv_fold", expanded ? tx("收起", "Collapse") : tx("全文", "Full text")).c_str()))
                s.customer_view.expanded = !expanded;
            ImGui::PopStyleColor();
        }
        if (p.draft) s.customer_view.text_folded = folded && !expanded;
    } else if (!content) {
        ImGui::TextColored(to_vec(faded(look.muted, alpha)), "%s %s", tx("活动", "Campaign"), p.campaign_id.c_str());
    }

    if (content && !content->attachments.empty()) {
        std::vector<const Attachment*> images;
        for (const Attachment& a : content->attachments)
            if (a.type == Attachment::Type::Image) images.push_back(&a);
        if (!images.empty()) image_grid(s, images, content_w, alpha, p.draft);
        for (const Attachment& a : content->attachments) {
            if (a.type == Attachment::Type::Video) {
                const float w = std::min(content_w * 0.72f, 200 * u);
                cover_item(s, a, ImVec2(w, w * 0.5625f), 4 * u, p.draft ? "cv_video" : nullptr, -1, alpha);
            } else if (a.type == Attachment::Type::Link || a.type == Attachment::Type::MiniProgram) {
                link_strip(s, a, content_w, look, alpha);
            } else if (a.type == Attachment::Type::File) {
                Attachment as_link = a;
                as_link.title = a.name;
                link_strip(s, as_link, content_w, look, alpha);
            }
        }
    }

    // Time, and the "··" button that opens like/comment.
    const std::string when =
        time_of_day(s, p.time) + (p.draft ? std::string("  ") + tx("· 本草稿", "· this draft") : std::string());
    ImGui::TextColored(to_vec(faded(look.muted, alpha)), "%s", when.c_str());
    {
        const ImVec2 tmin = ImGui::GetItemRectMin();
        const float bw = 30 * u, bh = 19 * u;
        const ImVec2 b0(content_x + content_w - bw, tmin.y + (ImGui::GetTextLineHeight() - bh) * 0.5f);
        dl->AddRectFilled(b0, ImVec2(b0.x + bw, b0.y + bh), faded(look.soft, alpha), 3 * u);
        for (int i = 0; i < 2; ++i)
            dl->AddCircleFilled(ImVec2(b0.x + bw * (0.38f + 0.24f * i), b0.y + bh * 0.5f), 2.2f * u, faded(look.name, alpha));
    }
    if (p.verdict != kReached) {
        const std::string why = std::string(tx("该客户看不到：", "Hidden from this customer: ")) + verdict_text(p.label);
        ImGui::TextColored(palette(s.dark).bad, "%s", why.c_str());
    }
    if (p.draft) {  // the like/comment area (interactions are seen by the employee and this customer only)
        const ImVec2 r0 = ImGui::GetCursorScreenPos();
        const float rh = ImGui::GetTextLineHeight() + 8 * u;
        dl->AddRectFilled(r0, ImVec2(r0.x + content_w, r0.y + rh), faded(look.soft, alpha), 3 * u);
        float x = r0.x + 8 * u;
        draw_heart(dl, ImVec2(x + 7 * u, r0.y + rh * 0.48f), 14 * u, faded(look.name, alpha));
        x += 18 * u;
        dl->AddText(ImVec2(x, r0.y + 4 * u), faded(look.name, alpha), tx("赞", "Like"));
        x += ImGui::CalcTextSize(tx("赞", "Like")).x + 16 * u;
        // A speech bubble: a rounded box with a small tail.
        const ImVec2 b0(x, r0.y + rh * 0.28f), b1(x + 13 * u, r0.y + rh * 0.62f);
        dl->AddRect(b0, b1, faded(look.name, alpha), 2.5f * u, 0, 1.4f * u);
        dl->AddTriangleFilled(ImVec2(b0.x + 3 * u, b1.y - 0.5f), ImVec2(b0.x + 7 * u, b1.y - 0.5f),
                              ImVec2(b0.x + 3 * u, b1.y + 3.5f * u), faded(look.name, alpha));
        x += 18 * u;
        dl->AddText(ImVec2(x, r0.y + 4 * u), faded(look.name, alpha), tx("评论", "Comment"));
        ImGui::Dummy(ImVec2(content_w, rh));
    }
    ImGui::PopStyleVar();
    ImGui::EndGroup();
    const float bottom = std::max(ImGui::GetItemRectMax().y, origin.y + pad + avatar) + pad;

    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(origin, ImVec2(origin.x + width, bottom), look.card, 8 * u);
    if (p.draft)
        dl->AddRect(origin, ImVec2(origin.x + width, bottom), ImGui::GetColorU32(palette(s.dark).accent), 8 * u, 0, 2 * u);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, bottom));
    ImGui::Dummy(ImVec2(width, 0));
    if (p.draft) name_rect("cv_card", origin, ImVec2(origin.x + width, bottom));
    ImGui::PopID();
}

// A post the customer will not see: one dimmed line with who, what and why.
void hidden_row(AppState& s, const Post& p, float width, int index) {
    const Dataset& d = *s.ws.dataset();
    const WeChatLook look = wechat_look(s.dark);
    const Palette pal = palette(s.dark);
    const float u = s.dpi_scale, pad = 10 * u, avatar = 24 * u;
    ImGui::PushID(index);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float line = ImGui::GetTextLineHeight();
    const float h = std::max(avatar, 2 * line + 2 * u) + 2 * pad;
    dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + h), faded(look.card, 0.55f), 8 * u);
    dl->AddRect(p0, ImVec2(p0.x + width, p0.y + h), faded(look.line, 1.0f), 8 * u, 0, 1 * u);
    const std::string name = employee_name(d, p.employee);
    draw_avatar(dl, ImVec2(p0.x + pad, p0.y + (h - avatar) * 0.5f), avatar,
                p.employee < d.employees.size() ? d.employees[p.employee].userid : name, name, 0.45f);
    const float x = p0.x + pad * 2 + avatar;
    const std::string head = name + " · " + p.campaign_id + "  " + time_of_day(s, p.time) +
                             (p.draft ? std::string("  ") + tx("· 本草稿", "· this draft") : std::string());
    dl->AddText(ImVec2(x, p0.y + pad), faded(look.muted, 1.0f), head.c_str());
    const std::string why = std::string(tx("该客户看不到：", "Hidden from this customer: ")) + verdict_text(p.label);
    dl->AddText(ImVec2(x, p0.y + pad + line + 2 * u), ImGui::GetColorU32(pal.bad), why.c_str());
    ImGui::Dummy(ImVec2(width, h));
    if (p.draft) name_item("cv_card");
    ImGui::PopID();
}

// ---------------------------------------------------------------- chat (mass send)

void chat_bubble_text(AppState& s, const std::string& text, float x, float max_w, const WeChatLook& look, float alpha) {
    const float u = s.dpi_scale, pad = 10 * u;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, max_w - 2 * pad);
    const ImVec2 p0(x, ImGui::GetCursorScreenPos().y);
    const ImVec2 p1(p0.x + ts.x + 2 * pad, p0.y + ts.y + 2 * pad * 0.8f);
    dl->AddRectFilled(p0, p1, faded(look.bubble, alpha), 5 * u);
    const float ty = p0.y + 14 * u;  // the tail points at the avatar
    dl->AddTriangleFilled(ImVec2(p0.x - 6 * u, ty), ImVec2(p0.x + 1, ty - 6 * u), ImVec2(p0.x + 1, ty + 6 * u),
                          faded(look.bubble, alpha));
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p0.x + pad, p0.y + pad * 0.8f), faded(look.bubble_text, alpha),
                text.c_str(), nullptr, max_w - 2 * pad);
    ImGui::SetCursorScreenPos(p0);
    ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
}

// One attachment as a chat card (WeCom's layouts for link, mini program, file, video, image).
void chat_card(AppState& s, const Attachment& a, float x, float w, const WeChatLook& look, float alpha, int index, bool track) {
    const float u = s.dpi_scale, pad = 10 * u;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float fs = ImGui::GetFontSize(), small = fs * 0.85f;
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    if (a.type == Attachment::Type::Image || a.type == Attachment::Type::Video) {
        float cw = std::min(w * 0.7f, 150 * u), ch = cw;
        if (a.type == Attachment::Type::Video) ch = cw * 0.5625f;
        else if (a.width > 0 && a.height > 0) {
            const float aspect = std::clamp(static_cast<float>(a.width) / static_cast<float>(a.height), 0.5f, 2.0f);
            if (aspect >= 1) ch = cw / aspect;
            else cw = ch * aspect;
        }
        cover_item(s, a, ImVec2(cw, ch), 5 * u, track ? "cv_attachment:" : nullptr, index, alpha);
        return;
    }
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    float h = 0;
    if (a.type == Attachment::Type::Link) {
        const float cover = 44 * u;
        const float text_w = w - 3 * pad - cover;
        const ImVec2 title = font->CalcTextSizeA(fs, FLT_MAX, text_w, a.title.c_str());
        const std::string desc = a.desc.empty() ? a.url : a.desc;
        const ImVec2 ds = font->CalcTextSizeA(small, FLT_MAX, text_w, desc.c_str());
        h = pad + title.y + 6 * u + std::max(cover, ds.y) + pad;
        dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), faded(look.bubble, alpha), 5 * u);
        dl->AddText(font, fs, ImVec2(p0.x + pad, p0.y + pad), faded(look.text, alpha), a.title.c_str(), nullptr, w - 2 * pad);
        const float y = p0.y + pad + title.y + 6 * u;
        dl->AddText(font, small, ImVec2(p0.x + pad, y), faded(look.muted, alpha), desc.c_str(), nullptr, text_w);
        draw_media_cover(s, dl, a.title, "link", ImVec2(p0.x + w - pad - cover, y), ImVec2(p0.x + w - pad, y + cover), 2 * u);
    } else if (a.type == Attachment::Type::MiniProgram) {
        const float cover_h = (w - 2 * pad) * 0.62f;
        const float line = ImGui::GetTextLineHeight();
        h = pad + line + 6 * u + line + 6 * u + cover_h + pad + line + pad * 0.6f;
        dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), faded(look.bubble, alpha), 5 * u);
        float y = p0.y + pad;
        dl->AddCircleFilled(ImVec2(p0.x + pad + line * 0.4f, y + line * 0.5f), line * 0.4f,
                            faded(IM_COL32(103, 114, 229, 255), alpha));
        dl->AddText(font, small, ImVec2(p0.x + pad + line, y + (fs - small) * 0.5f), faded(look.muted, alpha), a.appid.c_str());
        y += line + 6 * u;
        dl->AddText(font, fs, ImVec2(p0.x + pad, y), faded(look.text, alpha), a.title.c_str(), nullptr, w - 2 * pad);
        y += line + 6 * u;
        draw_media_cover(s, dl, a.title, "image", ImVec2(p0.x + pad, y), ImVec2(p0.x + w - pad, y + cover_h), 2 * u);
        y += cover_h + pad * 0.6f;
        dl->AddLine(ImVec2(p0.x + pad, y), ImVec2(p0.x + w - pad, y), faded(look.line, alpha), 1 * u);
        dl->AddText(font, small, ImVec2(p0.x + pad, y + pad * 0.4f), faded(look.muted, alpha), tx("小程序", "Mini Program"));
    } else {  // file
        const float icon = 40 * u;
        const float text_w = w - 3 * pad - icon;
        const ImVec2 ns = font->CalcTextSizeA(fs, FLT_MAX, text_w, a.name.c_str());
        h = pad + std::max(icon, ns.y + 4 * u + ImGui::GetTextLineHeight()) + pad;
        dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), faded(look.bubble, alpha), 5 * u);
        dl->AddText(font, fs, ImVec2(p0.x + pad, p0.y + pad), faded(look.text, alpha), a.name.c_str(), nullptr, text_w);
        dl->AddText(font, small, ImVec2(p0.x + pad, p0.y + pad + ns.y + 4 * u), faded(look.muted, alpha),
                    bytes_text(a.bytes).c_str());
        draw_media_cover(s, dl, a.name, "file", ImVec2(p0.x + w - pad - icon, p0.y + pad),
                         ImVec2(p0.x + w - pad, p0.y + pad + icon), 3 * u);
    }
    ImGui::Dummy(ImVec2(w, h));
    if (track) name_item("cv_attachment:", index);
}

void chat_message(AppState& s, const Post& p, float width, int index) {
    const Dataset& d = *s.ws.dataset();
    const WeChatLook look = wechat_look(s.dark);
    const float u = s.dpi_scale, pad = 12 * u, avatar = 38 * u, gap = 10 * u;
    const float alpha = p.verdict == kReached ? 1.0f : 0.45f;
    ImGui::PushID(index);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    // The time stamp, centred, as chats show it.
    const std::string when = time_of_day(s, p.time);
    const ImVec2 ws = ImGui::CalcTextSize(when.c_str());
    dl->AddText(ImVec2(origin.x + (width - ws.x) * 0.5f, origin.y), faded(look.muted, 1.0f), when.c_str());
    const float top = origin.y + ws.y + 6 * u;
    const std::string name = employee_name(d, p.employee);
    draw_avatar(dl, ImVec2(origin.x + pad, top), avatar, p.employee < d.employees.size() ? d.employees[p.employee].userid : name,
                name, alpha);
    const float x = origin.x + pad + avatar + gap;
    const float max_w = std::min(width - (x - origin.x) - pad - avatar, 380 * u);
    ImGui::SetCursorScreenPos(ImVec2(x, top));
    ImGui::BeginGroup();
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4 * u, 8 * u));
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 0.85f);
    ImGui::TextColored(to_vec(faded(look.muted, alpha)), "%s ＠%s", name.c_str(), d.enterprise.corp_name.c_str());
    ImGui::PopFont();
    const Content* content = p.content;
    if (!content) {
        chat_bubble_text(s, std::string(tx("活动 ", "Campaign ")) + p.campaign_id, x + 6 * u, max_w, look, alpha);
    } else {
        if (!content->text.empty()) chat_bubble_text(s, content->text, x + 6 * u, max_w, look, alpha);
        int i = 0;
        for (const Attachment& a : content->attachments)
            chat_card(s, a, x + 6 * u, std::min(max_w, 260 * u), look, alpha, i++, p.draft);
    }
    if (p.verdict != kReached) {
        const std::string why = std::string(p.group_chat ? tx("不会发到这个群：", "Not sent into this group: ")
                                                         : tx("该客户收不到：", "Not delivered to this customer: ")) +
                                verdict_text(p.label);
        ImGui::TextColored(palette(s.dark).bad, "%s", why.c_str());
    }
    ImGui::PopStyleVar();
    ImGui::EndGroup();
    const float bottom = std::max(ImGui::GetItemRectMax().y, top + avatar) + pad;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, bottom));
    ImGui::Dummy(ImVec2(width, 0));
    if (p.draft) name_rect("cv_card", origin, ImVec2(origin.x + width, bottom));
    ImGui::PopID();
}

// ---------------------------------------------------------------- picking a customer

void update_matches(AppState& s) {
    CustomerCache& c = cache();
    const Dataset* d = s.ws.dataset();
    if (c.search == s.customer_view.search && c.dataset == d) return;
    c.search = s.customer_view.search;
    c.dataset = d;
    c.matches.clear();
    if (!d || c.search.empty()) return;
    for (uint32_t i : d->by_external_userid) {
        const std::string_view id = d->external_userid(i);
        const std::string_view name = i < d->customer_names.size() ? d->customer_names[i] : std::string_view();
        if (id.find(c.search) != std::string_view::npos || name.find(c.search) != std::string_view::npos) {
            c.matches.push_back(i);
            if (c.matches.size() >= 8) break;
        }
    }
}

int64_t first_group_member(const AppState& s, bool reached);

// The first customer (external_userid order) the engine says is reached / blocked.
int64_t first_customer(const AppState& s, bool reached) {
    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (!d || !r) return -1;
    if (r->is_group_send()) return first_group_member(s, reached);
    for (uint32_t i : d->by_external_userid) {
        const uint16_t v = r->verdict[i];
        if (reached ? v == kReached : (v != kReached && v != kNotInAudience)) return i;
    }
    return -1;
}

void picker(AppState& s) {
    const float u = s.dpi_scale;
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.45f, 280 * u));
    ImGui::InputTextWithHint("###cv_search", tx("搜索客户 ID 或姓名", "Search external_userid or name"), &s.customer_view.search);
    // The pick buttons follow the search field while they fit, else wrap (800 px, English).
    const std::string reached_label = fmt("%s###cv_pick_reached", tx("看一位已触达客户", "A reached customer"));
    same_line_if_fits(button_width(reached_label.c_str()));
    if (ImGui::Button(reached_label.c_str())) {
        const int64_t c = first_customer(s, true);
        if (c >= 0) show_customer(s, static_cast<uint32_t>(c));
    }
    const std::string blocked_label = fmt("%s###cv_pick_blocked", tx("看一位被拦截客户", "A blocked customer"));
    same_line_if_fits(button_width(blocked_label.c_str()));
    if (ImGui::Button(blocked_label.c_str())) {
        const int64_t c = first_customer(s, false);
        if (c >= 0) show_customer(s, static_cast<uint32_t>(c));
    }
    update_matches(s);
    const Dataset& d = *s.ws.dataset();
    const std::vector<uint32_t>& matches = cache().matches;
    if (!s.customer_view.search.empty()) {
        if (matches.empty()) ImGui::TextDisabled("%s", tx("没有匹配的客户", "No customer matches"));
        int n = 0;
        for (uint32_t c : matches) {
            const std::string label =
                fmt("%.*s  %.*s###cv_match:%d", static_cast<int>(d.external_userid(c).size()), d.external_userid(c).data(),
                    static_cast<int>(c < d.customer_names.size() ? d.customer_names[c].size() : 0),
                    c < d.customer_names.size() ? d.customer_names[c].data() : "", n);
            if (ImGui::Selectable(label.c_str(), s.customer_view.customer == c)) {
                show_customer(s, c);
                s.customer_view.search.clear();
            }
            ++n;
        }
    }
}

// ---------------------------------------------------------------- facts

void facts(AppState& s, uint32_t c) {
    const Dataset& d = *s.ws.dataset();
    const PreviewResult& r = *s.ws.result();
    const Palette pal = palette(s.dark);
    section_title(tx("客户", "Customer"));
    if (ImGui::BeginTable("###cv_facts_table", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
        label_value("external_userid", std::string(d.external_userid(c)));
        label_value(tx("姓名", "Name"), c < d.customer_names.size() ? std::string(d.customer_names[c]) : std::string());
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", tx("结果", "Result"));
        ImGui::TableNextColumn();
        const uint16_t v = r.verdict[c];
        if (v == kReached) ImGui::TextColored(pal.good, "%s", tx("已触达", "Reached"));
        else if (v == kNotInAudience) ImGui::TextColored(pal.muted, "%s", tx("不在受众中", "Not in the audience"));
        else ImGui::TextColored(pal.bad, "%s", reason_text(label_of(r, v)));
        std::string via;
        for (uint32_t i = r.via_begin[c]; i < r.via_begin[c + 1]; ++i) {
            if (!via.empty()) via += tx("、", ", ");
            via += employee_name(d, r.via[i]);
        }
        label_value(tx("送达员工", "Delivered by"), via.empty() ? std::string("—") : via);
        std::string tags;
        for (uint32_t i = d.tag_begin[c]; i < d.tag_begin[c + 1]; ++i) {
            if (!tags.empty()) tags += tx("、", ", ");
            const uint32_t t = d.customer_tags[i];
            tags += t < d.tags.size() ? d.tags[t].name : std::string("?");
        }
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", tx("标签", "Tags"));
        ImGui::TableNextColumn();
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(tags.empty() ? "—" : tags.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTable();
    }
    ImGui::Spacing();
    section_title(tx("与员工的关系", "Relations"));
    const int tz = d.enterprise.tz_offset_minutes;
    const std::vector<RelationExplanation>& why = customer_relations(s, c);
    if (ImGui::BeginTable("###cv_relations", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn(tx("员工", "Employee"));
        ImGui::TableSetupColumn(tx("添加于", "Added"));
        ImGui::TableSetupColumn(tx("状态", "Status"));
        ImGui::TableSetupColumn(tx("本次", "This campaign"));
        ImGui::TableHeadersRow();
        for (uint32_t i = d.relation_begin[c]; i < d.relation_begin[c + 1]; ++i) {
            const Relation& rel = d.relations[i];
            const RelationExplanation* x = i - d.relation_begin[c] < why.size() ? &why[i - d.relation_begin[c]] : nullptr;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(employee_name(d, rel.employee).c_str());
            if (rel.employee < d.employees.size() && ImGui::IsItemHovered())
                ImGui::SetTooltip("%s", d.employees[rel.employee].userid.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(model::format_date(rel.createtime, tz).c_str());
            ImGui::TableNextColumn();
            if (rel.deleted) ImGui::TextColored(pal.bad, "%s", tx("已删除", "Deleted"));
            else if (rel.employee < d.employees.size() && !d.employees[rel.employee].active)
                ImGui::TextColored(pal.warn, "%s", tx("员工已离职", "Employee left"));
            else ImGui::TextColored(pal.good, "%s", tx("好友", "Friend"));
            ImGui::TableNextColumn();
            if (x) {
                const bool delivered = x->state == RelationExplanation::State::Tried && x->verdict == kReached;
                const bool tried = x->state == RelationExplanation::State::Tried;
                ImGui::PushStyleColor(ImGuiCol_Text, delivered ? pal.good : tried ? pal.bad : pal.muted);
                ImGui::PushTextWrapPos(0);
                ImGui::TextUnformatted(relation_text(s, *x).c_str());
                ImGui::PopTextWrapPos();
                ImGui::PopStyleColor();
            }
        }
        ImGui::EndTable();
    }
}

// ---------------------------------------------------------------- group chat (group send, contract 8)
// A group send reaches customers through groups: the view shows the customer's groups of the
// draft's audience and the chat of one of them with the owner's message, as the engine
// decided it per group (group_verdict) and per member (joined by the send time).

struct CustomerGroup {
    uint32_t group = 0;
    Time join_time = 0;
    uint16_t verdict = kNotInAudience;  // the draft's verdict for the group
};

struct GroupMembershipCache {
    const void* dataset = nullptr;
    int64_t customer = -1;
    std::vector<CustomerGroup> groups;  // audience groups first (reached first), then by chat_id
    const void* result = nullptr;
    int recompute = -1;
};

GroupMembershipCache& group_cache() {
    static GroupMembershipCache c;
    return c;
}

// The groups customer c is a member of (one scan of the member column per customer picked).
const std::vector<CustomerGroup>& customer_groups(const AppState& s, uint32_t c) {
    GroupMembershipCache& gc = group_cache();
    const Dataset& d = *s.ws.dataset();
    const PreviewResult& r = *s.ws.result();
    if (gc.dataset == &d && gc.customer == c && gc.result == &r && gc.recompute == s.ws.recompute_count()) return gc.groups;
    gc.dataset = &d;
    gc.customer = c;
    gc.result = &r;
    gc.recompute = s.ws.recompute_count();
    gc.groups.clear();
    const GroupChats& groups = d.groups;
    for (uint32_t g : groups.by_chat_id)
        for (uint32_t i = groups.member_begin[g]; i < groups.member_begin[g + 1]; ++i)
            if (groups.member_customer[i] == c) {
                const uint16_t v = g < r.group_verdict.size() ? r.group_verdict[g] : uint16_t(kNotInAudience);
                gc.groups.push_back({g, groups.member_join[i], v});
                break;
            }
    auto rank = [](uint16_t v) { return v == kReached ? 0 : v == kNotInAudience ? 2 : 1; };
    std::stable_sort(gc.groups.begin(), gc.groups.end(),
                     [&](const CustomerGroup& a, const CustomerGroup& b) { return rank(a.verdict) < rank(b.verdict); });
    return gc.groups;
}

// Reached: a customer who reads the send in a group (the engine's group_reads); not reached:
// a member, by the send time, of an audience group the send does not reach.
int64_t first_group_member(const AppState& s, bool reached) {
    const Dataset& d = *s.ws.dataset();
    const PreviewResult& r = *s.ws.result();
    if (reached) {
        for (uint32_t i : d.by_external_userid)
            if (r.group_reads(i) > 0) return i;
        return -1;
    }
    int64_t best = -1;
    std::string_view best_id;
    for (uint32_t g = 0; g < r.group_verdict.size(); ++g) {
        const uint16_t v = r.group_verdict[g];
        if (v == kReached || v == kNotInAudience) continue;
        for (uint32_t c : d.groups.customers_joined_by(g, r.send_time))
            if (r.group_reads(c) == 0 && (best < 0 || d.external_userid(c) < best_id)) best = c, best_id = d.external_userid(c);
    }
    return best;
}

void group_chat_view(AppState& s, uint32_t c) {
    const Dataset& d = *s.ws.dataset();
    const PreviewResult& r = *s.ws.result();
    const GroupChats& groups = d.groups;
    const WeChatLook look = wechat_look(s.dark);
    const Palette pal = palette(s.dark);
    const float u = s.dpi_scale;
    CustomerViewState& st = s.customer_view;
    const std::vector<CustomerGroup>& mine = customer_groups(s, c);
    const int reads = r.group_reads(c);

    // Which group's chat: the one picked, else the customer's first group of the audience.
    const CustomerGroup* shown = nullptr;
    for (const CustomerGroup& cg : mine)
        if (groups.chat_id(cg.group) == st.group_chat) shown = &cg;
    if (!shown && !mine.empty()) shown = &mine.front();

    const float avail = ImGui::GetContentRegionAvail().x;
    const float feed_w = std::clamp(avail * 0.6f, std::min(avail, 300 * u), 520 * u);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, to_vec(look.chat_bg));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 8 * u);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10 * u, 10 * u));
    ImGui::BeginChild("###cv_feed", ImVec2(feed_w, 0), ImGuiChildFlags_AlwaysUseWindowPadding);
    const float w = ImGui::GetContentRegionAvail().x;
    if (!shown) {
        ImGui::TextColored(to_vec(look.muted), "%s", tx("该客户不在任何客户群里", "This customer is in no customer group"));
    } else {
        const uint32_t g = shown->group;
        const std::string name(groups.names[g]);
        // The chat's title bar as WeChat shows it: the group's name and its member count.
        const std::string title =
            fmt("%s（%u）", name.empty() ? std::string(groups.chat_id(g)).c_str() : name.c_str(), groups.member_count[g]);
        const ImVec2 ts = ImGui::CalcTextSize(title.c_str());
        const ImVec2 o = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(o, ImVec2(o.x + w, o.y + ts.y + 12 * u), look.header, 4 * u);
        dl->AddText(ImVec2(o.x + (w - ts.x) * 0.5f, o.y + 6 * u), look.text, title.c_str());
        ImGui::Dummy(ImVec2(w, ts.y + 12 * u));
        name_item("cv_group_title");
        ImGui::Spacing();
        const bool joined = shown->join_time <= r.send_time;
        if (shown->verdict == kNotInAudience) {
            ImGui::PushStyleColor(ImGuiCol_Text, to_vec(look.muted));
            ImGui::TextWrapped("%s", tx("这个群不在本次群发的范围内。", "This group is not in the send's audience."));
            ImGui::PopStyleColor();
        } else {
            Post p;
            p.draft = true;
            p.group_chat = true;
            p.campaign_id = r.campaign_id;
            p.content = &s.ws.draft()->content;
            p.employee = groups.owner[g];
            p.time = r.send_time;
            p.verdict = shown->verdict;
            p.label = shown->verdict == kReached ? std::string() : label_of(r, shown->verdict);
            chat_message(s, p, w, 0);
            if (!joined) {
                ImGui::PushStyleColor(ImGuiCol_Text, pal.warn);
                ImGui::TextWrapped("%s",
                                   fmt(tx("该客户 %s 才入群，看不到这条消息。", "The customer joins on %s and does not see it."),
                                       local_date(s, shown->join_time).c_str())
                                       .c_str());
                ImGui::PopStyleColor();
            }
        }
    }
    ImGui::EndChild();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor();

    ImGui::SameLine();
    ImGui::BeginChild("###cv_facts", ImVec2(0, 0));
    section_title(tx("客户", "Customer"));
    ImGui::TextUnformatted(fmt("%.*s  %.*s", static_cast<int>(d.external_userid(c).size()), d.external_userid(c).data(),
                               static_cast<int>(c < d.customer_names.size() ? d.customer_names[c].size() : 0),
                               c < d.customer_names.size() ? d.customer_names[c].data() : "")
                               .c_str());
    if (reads == 0) ImGui::TextColored(pal.muted, "%s", tx("不会在群里收到这条消息", "Does not read it in any group"));
    else if (reads == 1) ImGui::TextColored(pal.good, "%s", tx("会在 1 个群里收到", "Reads it in one group"));
    else ImGui::TextColored(pal.warn, "%s", tx("会在 2 个或更多群里收到（重复）", "Reads it in two or more groups (repeated)"));
    name_item("cv_group_reads");
    ImGui::Spacing();
    section_title(fmt(tx("所在客户群（%d）", "Groups (%d)"), static_cast<int>(mine.size())).c_str());
    for (const CustomerGroup& cg : mine) {
        const uint32_t g = cg.group;
        const std::string chat_id(groups.chat_id(g));
        const std::string name(groups.names[g]);
        const std::string label =
            fmt("%s（%u）###cv_group:%s", name.empty() ? chat_id.c_str() : name.c_str(), groups.member_count[g], chat_id.c_str());
        if (ImGui::Selectable(label.c_str(), shown == &cg)) st.group_chat = chat_id;
        ImGui::SameLine();
        if (cg.verdict == kNotInAudience) ImGui::TextDisabled("%s", tx("不在范围内", "not in the audience"));
        else if (cg.verdict != kReached) ImGui::TextColored(pal.bad, "%s", reason_text(label_of(r, cg.verdict)));
        else if (cg.join_time > r.send_time) ImGui::TextColored(pal.warn, "%s", tx("发送后入群", "joins later"));
        else ImGui::TextColored(pal.good, "%s", tx("会收到", "receives it"));
    }
    ImGui::EndChild();
}

nlohmann::ordered_json group_chat_state_json(const AppState& s, uint32_t c) {
    const Dataset& d = *s.ws.dataset();
    const PreviewResult& r = *s.ws.result();
    nlohmann::ordered_json j;
    j["group_reads"] = r.group_reads(c);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const CustomerGroup& cg : customer_groups(s, c))
        list.push_back({{"chat_id", std::string(d.groups.chat_id(cg.group))},
                        {"name", std::string(d.groups.names[cg.group])},
                        {"member_count", d.groups.member_count[cg.group]},
                        {"owner", d.employees[d.groups.owner[cg.group]].userid},
                        {"verdict", label_of(r, cg.verdict)},
                        {"joined_by_send", cg.join_time <= r.send_time}});
    j["groups"] = list;
    j["shown"] = list.empty() ? nlohmann::ordered_json(nullptr) : list[0]["chat_id"];
    for (const auto& g : list)
        if (g["chat_id"] == s.customer_view.group_chat) j["shown"] = g["chat_id"];
    return j;
}

}  // namespace

// ---------------------------------------------------------------- public

void show_customer(AppState& s, uint32_t index) {
    s.customer_view.customer = index;
    s.customer_view.expanded = false;
    s.tab_request = "customer";
}

void draw_customer_view(AppState& s) {
    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (!d || !r || !s.ws.draft()) {
        ImGui::TextDisabled("%s", tx("加载数据和草稿后可查看客户视角", "Load a tenant and a draft to see a customer's view"));
        return;
    }
    picker(s);
    if (s.customer_view.customer >= static_cast<int64_t>(d->customer_count())) s.customer_view.customer = -1;
    if (s.customer_view.customer < 0) {
        ImGui::Spacing();
        ImGui::TextDisabled(
            "%s", tx("选一位客户（搜索、上面的按钮或客户表），看这条内容在他那里的样子。",
                     "Pick a customer (search, the buttons above or the customer table) to see the post as they will."));
        return;
    }
    const uint32_t c = static_cast<uint32_t>(s.customer_view.customer);
    ImGui::Spacing();
    if (r->is_group_send()) {
        group_chat_view(s, c);
        return;
    }
    const std::vector<CustomerEvent>& events = customer_events(s, c);
    const std::vector<Post> posts = day_posts(s, c, events);
    const WeChatLook look = wechat_look(s.dark);
    const float u = s.dpi_scale;

    const float avail = ImGui::GetContentRegionAvail().x;
    const float feed_w = std::clamp(avail * 0.6f, std::min(avail, 300 * u), 520 * u);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, to_vec(r->kind == Kind::Moment ? look.page : look.chat_bg));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 8 * u);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10 * u, 10 * u));
    ImGui::BeginChild("###cv_feed", ImVec2(feed_w, 0), ImGuiChildFlags_AlwaysUseWindowPadding);
    {
        const std::string day = local_date(s, r->send_time);
        const float w = ImGui::GetContentRegionAvail().x;
        ImGui::PushStyleColor(ImGuiCol_Text, to_vec(look.text));
        if (r->kind == Kind::Moment)
            ImGui::TextUnformatted(fmt("%s  ·  %s", tx("客户朋友圈", "Customer moments"), day.c_str()).c_str());
        else ImGui::TextUnformatted(fmt("%s  ·  %s", tx("与员工的聊天", "Chat with the employee"), day.c_str()).c_str());
        ImGui::PopStyleColor();
        int hidden = 0;
        for (const Post& p : posts) hidden += p.verdict != kReached;
        ImGui::TextColored(to_vec(look.muted), "%s",
                           events.empty() ? tx("该客户的时间线上没有其他内容", "Nothing else on this customer's timeline")
                                          : fmt(tx("当天同类内容 %d 条，其中 %d 条该客户看不到",
                                                   "%d posts of this kind that day, %d hidden from this customer"),
                                                static_cast<int>(posts.size()), hidden)
                                                .c_str());
        ImGui::Spacing();
        int i = 0;
        for (const Post& p : posts) {
            const bool collapse = p.verdict != kReached && !p.draft;
            if (collapse) hidden_row(s, p, w, i);
            else if (r->kind == Kind::Moment) moment_card(s, p, w, i);
            else chat_message(s, p, w, i);
            ImGui::Dummy(ImVec2(0, 4 * u));
            ++i;
        }
        const std::vector<const CustomerEvent*> earlier = earlier_in_month(s, events);
        if (!earlier.empty()) {
            ImGui::Spacing();
            ImGui::TextColored(
                to_vec(look.muted), "%s",
                fmt(tx("本月此前的同类内容（%d 条）", "Earlier this month, same kind (%d)"), static_cast<int>(earlier.size()))
                    .c_str());
            const Palette pal = palette(s.dark);
            const int tz = d->enterprise.tz_offset_minutes;
            if (ImGui::BeginTable("###cv_earlier", 3, ImGuiTableFlags_SizingStretchProp)) {
                for (const CustomerEvent* e : earlier) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::TextColored(to_vec(look.muted), "%s", model::format_date_time(e->time, tz).substr(5).c_str());
                    ImGui::TableNextColumn();
                    ImGui::PushStyleColor(ImGuiCol_Text, to_vec(look.text));
                    ImGui::TextUnformatted(e->campaign_id.c_str());
                    ImGui::PopStyleColor();
                    ImGui::TableNextColumn();
                    if (e->verdict == kReached) ImGui::TextColored(pal.good, "%s", tx("已送达", "Delivered"));
                    else ImGui::TextColored(pal.bad, "%s", reason_text(label_of(*r, e->verdict)));
                }
                ImGui::EndTable();
            }
        }
    }
    ImGui::EndChild();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::BeginChild("###cv_facts", ImVec2(0, 0));
    facts(s, c);
    ImGui::EndChild();
}

nlohmann::ordered_json customer_view_state_json(const AppState& s) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["customer"] = s.customer_view.customer;
    const Dataset* d = s.ws.dataset();
    const PreviewResult* r = s.ws.result();
    if (!d || !r || s.customer_view.customer < 0 || s.customer_view.customer >= static_cast<int64_t>(d->customer_count()))
        return j;
    const uint32_t c = static_cast<uint32_t>(s.customer_view.customer);
    j["external_userid"] = std::string(d->external_userid(c));
    j["name"] = c < d->customer_names.size() ? std::string(d->customer_names[c]) : std::string();
    j["verdict"] = label_of(*r, r->verdict[c]);
    nlohmann::ordered_json via = nlohmann::ordered_json::array();
    for (uint32_t i = r->via_begin[c]; i < r->via_begin[c + 1]; ++i) via.push_back(d->employees[r->via[i]].userid);
    j["via"] = via;
    j["kind"] = kind_name(r->kind);
    j["send_date"] = local_date(s, r->send_time);
    if (r->is_group_send()) {
        j["group_chat"] = group_chat_state_json(s, c);
        return j;
    }
    j["text_folded"] = s.customer_view.text_folded;
    j["expanded"] = s.customer_view.expanded;
    // The feed as drawn (the same function the view uses; the timeline is cached per recompute).
    // The timeline cache is filled on demand; reading it does not change what the view shows.
    AppState& mutable_state = const_cast<AppState&>(s);
    const std::vector<CustomerEvent>& events = customer_events(mutable_state, c);
    j["timeline_events"] = events.size();
    nlohmann::ordered_json feed = nlohmann::ordered_json::array();
    for (const Post& p : day_posts(mutable_state, c, events)) {
        nlohmann::ordered_json e = {{"campaign_id", p.campaign_id},
                                    {"draft", p.draft},
                                    {"source", !p.event                                              ? "draft"
                                               : p.event->source == CustomerEvent::Source::Past      ? "past"
                                               : p.event->source == CustomerEvent::Source::Scheduled ? "scheduled"
                                                                                                     : "draft"},
                                    {"time", p.time},
                                    {"employee", p.employee < d->employees.size() ? d->employees[p.employee].userid : ""},
                                    {"hidden", p.verdict != kReached},
                                    {"reason", p.label}};
        feed.push_back(std::move(e));
    }
    j["feed"] = feed;
    nlohmann::ordered_json earlier = nlohmann::ordered_json::array();
    for (const CustomerEvent* e : earlier_in_month(s, events))
        earlier.push_back({{"campaign_id", e->campaign_id},
                           {"time", e->time},
                           {"hidden", e->verdict != kReached},
                           {"reason", e->verdict == kReached ? std::string() : label_of(*r, e->verdict)}});
    j["earlier_in_month"] = earlier;
    // Each relation as the view words it, with the engine's answer it was worded from.
    nlohmann::ordered_json relations = nlohmann::ordered_json::array();
    for (const RelationExplanation& x : customer_relations(mutable_state, c)) {
        nlohmann::ordered_json e = {{"userid", d->employees[x.employee].userid},
                                    {"state", relation_state_key(x.state)},
                                    {"reason", x.state == RelationExplanation::State::Tried ? label_of(*r, x.verdict) : ""},
                                    {"text", relation_text(s, x)}};
        if (x.not_interested_until) e["not_interested_until"] = x.not_interested_until;
        if (x.verdict >= kQuotaReasonBase && x.state == RelationExplanation::State::Tried) {
            e["quota_limit"] = x.quota_limit;
            nlohmann::ordered_json used = nlohmann::ordered_json::array();
            for (const RelationExplanation::QuotaUse& u : x.quota_used) used.push_back(u.campaign_id);
            e["quota_used_by"] = used;
        }
        relations.push_back(std::move(e));
    }
    j["relations"] = relations;
    return j;
}

}  // namespace rl::ui
