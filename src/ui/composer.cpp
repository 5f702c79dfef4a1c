// The composer (tab "撰写 Compose"): every control edits the draft document
// (Workspace::edit_draft + draft_edited); what the draft means (resolved senders, content
// issues, verdicts) always comes from the engine: bind_campaign, check_content and the
// preview result. Errors are shown next to the field their JSON pointer names.
#include "ui/composer.h"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <optional>
#include <set>
#include <unordered_set>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "core/audience/audience.h"
#include "core/checks/campaign_checks.h"
#include "core/draft/draft_fields.h"
#include "core/insight/insight.h"
#include "core/time/calendar.h"
#include "ui/app_state.h"
#include "ui/date_picker.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/drafts.h"
#include "ui/media.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {

using ojson = nlohmann::ordered_json;

// One frame of the panel: what every section reads.
struct Frame {
    AppState& s;
    double now;
    ojson* doc;  // the draft document (never null inside the sections)
    const Campaign* draft;  // the last draft that loaded
    const Dataset* data;  // may be null (no tenant yet)
    Palette pal;
    float label_w;
    std::vector<Issue> issues;  // content checks (live) + the preview's campaign errors
};

void commit(Frame& f) { f.s.ws.draft_edited(f.now); }

// A muted label in the left column of a form row; the field follows on the same line.
void field_label(const Frame& f, const char* text) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", text);
    ImGui::SameLine(f.label_w);
}

// Issues whose pointer is `pointer` or below it (pointer + "/..."); `exact` = only equal.
void show_issues(Frame& f, const std::string& pointer, bool exact) {
    for (const Issue& i : f.issues) {
        const bool match =
            i.pointer == pointer || (!exact && i.pointer.size() > pointer.size() &&
                                     i.pointer.compare(0, pointer.size(), pointer) == 0 && i.pointer[pointer.size()] == '/');
        if (!match) continue;
        ImGui::PushStyleColor(ImGuiCol_Text, f.pal.bad);
        const std::string text = issue_text(i);
        ImGui::TextWrapped("%s", text.c_str());
        ImGui::PopStyleColor();
        name_item("error:", i.pointer);
        f.s.composer.shown_errors.push_back({{"pointer", i.pointer}, {"code", i.code}, {"message", i.message}, {"text", text}});
    }
}

// A two-state segmented control: filled when selected.
bool segment(const Palette& pal, const char* label, bool selected) {
    if (selected) {
        ImGui::PushStyleColor(ImGuiCol_Button, pal.accent);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pal.accent);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, pal.accent);
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    }
    const bool clicked = ImGui::Button(label);
    if (selected) ImGui::PopStyleColor(4);
    return clicked && !selected;
}

// A collapsible section with a short summary drawn at the header's right end. `label` ends in
// "###composer_section_<name>": its test name, also its key in ComposerState::sections.
bool section(AppState& s, const char* label, const std::string& summary, bool open_by_default) {
    ImGui::Spacing();
    const bool open = ImGui::CollapsingHeader(label, open_by_default ? ImGuiTreeNodeFlags_DefaultOpen : 0);
    s.composer.sections[std::strstr(label, "###") + 3] = open;
    if (!summary.empty()) {
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const ImVec2 size = ImGui::CalcTextSize(summary.c_str());
        const float pad = ImGui::GetStyle().FramePadding.x;
        const float label_end = a.x + ImGui::GetFontSize() * 2 + ImGui::CalcTextSize(label, nullptr, true).x;
        const float x = std::max(b.x - size.x - pad, label_end + pad);
        ImGui::GetWindowDrawList()->PushClipRect(ImVec2(x, a.y), b, true);
        ImGui::GetWindowDrawList()->AddText(ImVec2(x, a.y + (b.y - a.y - size.y) * 0.5f),
                                            ImGui::GetColorU32(ImGuiCol_TextDisabled), summary.c_str());
        ImGui::GetWindowDrawList()->PopClipRect();
    }
    if (open) ImGui::Indent(ImGui::GetStyle().IndentSpacing * 0.25f);
    return open;
}
void end_section() { ImGui::Unindent(ImGui::GetStyle().IndentSpacing * 0.25f); }

// ------------------------------------------------------------------ header: new draft, id, kind, origin
void draw_new_draft_menu(AppState& s, double now) {
    if (ImGui::Button(tx("新建草稿…###composer_new_draft", "New draft…###composer_new_draft")))
        ImGui::OpenPopup("##new_draft_menu");
    if (ImGui::BeginPopup("##new_draft_menu")) {
        for (Kind k : {Kind::Moment, Kind::MassSend, Kind::GroupSend})
            for (Origin o : {Origin::Enterprise, Origin::Employee}) {
                const std::string label = kind_origin_text(k, o) + "###new_draft:" + kind_name(k) + ":" + origin_name(o);
                if (ImGui::Selectable(label.c_str())) {
                    drafts_new(s, k, o, now);  // a fresh id, the draft being left saved first
                    s.composer.send_time_error.clear();
                }
            }
        ImGui::EndPopup();
    }
}

void draw_identity(Frame& f) {
    ojson& doc = *f.doc;
    field_label(f, tx("活动 ID", "Campaign id"));
    std::string id = doc.contains("id") && doc["id"].is_string() ? doc["id"].get<std::string>() : "";
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputTextWithHint("###composer_id", tx("例如 spring-sale", "e.g. spring-sale"), &id)) {
        doc["id"] = id;
        commit(f);
    }

    const Kind kind = f.draft->kind;
    field_label(f, tx("类型", "Kind"));
    if (segment(f.pal, tx("客户朋友圈###composer_kind_moment", "Customer moments###composer_kind_moment"),
                kind == Kind::Moment)) {
        doc["kind"] = "moment";
        commit(f);
    }
    same_line_if_fits(button_width(tx("客户群发", "Mass send")), f.label_w, 0);
    if (segment(f.pal, tx("客户群发###composer_kind_mass_send", "Mass send###composer_kind_mass_send"), kind == Kind::MassSend)) {
        doc["kind"] = "mass_send";
        commit(f);
    }
    // Three kinds: the third goes under the others when the column is narrow (800 px).
    const char* group_label = tx("客户群群发###composer_kind_group_send", "Customer groups###composer_kind_group_send");
    same_line_if_fits(button_width(group_label), f.label_w, 0);
    if (segment(f.pal, group_label, kind == Kind::GroupSend)) {
        doc["kind"] = "group_send";
        commit(f);
    }
    const bool enterprise = f.draft->origin == Origin::Enterprise;
    field_label(f, tx("发起方", "Origin"));
    // Named with the kind, as WeCom's admin does: 企业群发 / 成员群发, 企业朋友圈 / 成员朋友圈. English
    // keeps the short origin (the kind is on the line above; "Employee mass send" would not fit).
    const auto origin_label = [&](Origin o) {
        return (language() == Lang::Zh ? kind_origin_text(f.draft->kind, o) : std::string(origin_text(o))) +
               (o == Origin::Enterprise ? "###composer_origin_enterprise" : "###composer_origin_employee");
    };
    if (segment(f.pal, origin_label(Origin::Enterprise).c_str(), enterprise)) {
        doc["origin"] = "enterprise";
        commit(f);
    }
    const std::string employee_label = origin_label(Origin::Employee);
    same_line_if_fits(button_width(employee_label.c_str()), f.label_w, 0);
    if (segment(f.pal, employee_label.c_str(), !enterprise)) {
        doc["origin"] = "employee";
        commit(f);
    }
    const bool group = kind == Kind::GroupSend;
    const char* origin_hint = enterprise ? (group ? tx("群主需确认后发到群里", "group owners confirm before it goes out")
                                                  : tx("成员需确认后发送", "employees confirm before it goes out"))
                                         : (group ? tx("需恰好一位群主", "needs exactly one owner")
                                                  : tx("需恰好一位发送成员", "needs exactly one sender"));
    same_line_if_fits(ImGui::CalcTextSize(origin_hint).x, f.label_w);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", origin_hint);
    ImGui::PopTextWrapPos();
}

// ------------------------------------------------------------------ content
std::string string_at(const ojson& body, const char* key) {
    auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A text field of an attachment body; `optional` keys are removed when emptied.
// `max_bytes` > 0: a live "used / limit bytes" counter after the field (the current rules' limit).
bool body_text(Frame& f, ojson& body, const char* key, const char* label, const std::string& track, const char* hint,
               bool optional, int64_t max_bytes = 0) {
    field_label(f, label);
    std::string v = string_at(body, key);
    std::string counter;
    if (max_bytes > 0) counter = fmt("%lld / %lld", static_cast<long long>(v.size()), static_cast<long long>(max_bytes));
    const float counter_w = counter.empty() ? 0 : ImGui::CalcTextSize("0000 / 0000").x + ImGui::GetStyle().ItemSpacing.x;
    ImGui::SetNextItemWidth(counter.empty() ? -FLT_MIN : -counter_w);
    const bool changed = ImGui::InputTextWithHint(("###" + track).c_str(), hint, &v);
    if (!counter.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(static_cast<int64_t>(v.size()) > max_bytes ? f.pal.bad : f.pal.muted, "%s", counter.c_str());
    }
    if (changed) {
        if (optional && v.empty()) body.erase(key);
        else body[key] = v;
    }
    return changed;
}

const char* attachment_label(Attachment::Type t) {
    switch (t) {
        case Attachment::Type::Image: return tx("图片", "Image");
        case Attachment::Type::Video: return tx("视频", "Video");
        case Attachment::Type::Link: return tx("链接", "Link");
        case Attachment::Type::MiniProgram: return tx("小程序", "Mini program");
        case Attachment::Type::File: return tx("文件", "File");
    }
    return "?";
}

// Drag-and-drop payload: the index of the attachment card being dragged.
constexpr const char* kAttachmentPayload = "rl_attachment";

void draw_attachment(Frame& f, int i, int count, int& move_from, int& move_to, int& remove) {
    AppState& s = f.s;
    ojson& item = (*f.doc)["content"]["attachments"][static_cast<size_t>(i)];
    const std::string type = item.value("msgtype", "");
    Attachment::Type t = Attachment::Type::Image;
    if (type == "video") t = Attachment::Type::Video;
    else if (type == "link") t = Attachment::Type::Link;
    else if (type == "miniprogram") t = Attachment::Type::MiniProgram;
    else if (type == "file") t = Attachment::Type::File;
    if (!item.contains(type) || !item[type].is_object()) item[type] = ojson::object();
    ojson& body = item[type];
    const std::string id = "att" + std::to_string(i);

    ImGui::PushID(i);
    ImGui::BeginChild(("###" + id + ":box").c_str(), ImVec2(0, 0), ImGuiChildFlags_Borders | ImGuiChildFlags_AutoResizeY);
    // Title row: index, type, size facts, then the move/remove buttons at the right.
    const float right_edge = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    // The title is the card's drag handle: drop it on another card to move it there.
    const std::string title = fmt("≡  %d · %s", i + 1, attachment_label(t));
    const ImVec2 title_pos = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(("###" + id + ":drag").c_str(), ImVec2(ImGui::CalcTextSize(title.c_str()).x, ImGui::GetFrameHeight()));
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::GetWindowDrawList()->AddText(
        ImVec2(title_pos.x, title_pos.y + (ImGui::GetFrameHeight() - ImGui::GetTextLineHeight()) * 0.5f),
        ImGui::GetColorU32(f.pal.accent), title.c_str());
    if (ImGui::BeginDragDropSource()) {
        ImGui::SetDragDropPayload(kAttachmentPayload, &i, sizeof i);
        ImGui::TextUnformatted(title.c_str());
        ImGui::EndDragDropSource();
    }
    const ImGuiStyle& st = ImGui::GetStyle();
    const char* up = tx("上移", "Up");
    const char* down = tx("下移", "Down");
    const char* del = tx("移除", "Remove");
    const float buttons_w = ImGui::CalcTextSize(up).x + ImGui::CalcTextSize(down).x + ImGui::CalcTextSize(del).x +
                            st.FramePadding.x * 6 + st.ItemSpacing.x * 2;
    // At the card's right end, or under the title when the card is too narrow for both.
    const float title_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + st.ItemSpacing.x;
    if (title_end + buttons_w <= right_edge) ImGui::SameLine(right_edge - buttons_w);
    ImGui::BeginDisabled(i == 0);
    if (ImGui::SmallButton((up + ("###" + id + ":up")).c_str())) {
        move_from = i;
        move_to = i - 1;
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(i + 1 >= count);
    if (ImGui::SmallButton((down + ("###" + id + ":down")).c_str())) {
        move_from = i;
        move_to = i + 1;
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, f.pal.bad);
    if (ImGui::SmallButton((del + ("###" + id + ":remove")).c_str())) remove = i;
    ImGui::PopStyleColor();

    bool changed = false;
    const bool media = t == Attachment::Type::Image || t == Attachment::Type::Video;
    if (media) {
        const float thumb = ImGui::GetFrameHeight() * 2 + st.ItemSpacing.y;
        draw_attachment_thumbnail(s, i, ImVec2(thumb, thumb));
        ImGui::SameLine();
        ImGui::BeginGroup();
    }
    switch (t) {
        case Attachment::Type::Image:
        case Attachment::Type::Video: {
            changed |= body_text(f, body, "name", tx("文件名", "Name"), id + ":name", "photo.jpg", false);
            field_label(f, tx("大小", "Size"));
            std::string facts = bytes_text(body.value("bytes", int64_t{0}));
            if (t == Attachment::Type::Image)
                facts += fmt(" · %lld × %lld", static_cast<long long>(body.value("width", int64_t{0})),
                             static_cast<long long>(body.value("height", int64_t{0})));
            else if (body.contains("seconds") && body["seconds"].is_number())
                facts += fmt(tx(" · %.1f 秒", " · %.1f s"), body["seconds"].get<double>());
            ImGui::TextUnformatted(facts.c_str());
            s.composer.shown_sizes.push_back(facts);
            draw_upload_status(s, body, id);
            break;
        }
        case Attachment::Type::Link: {
            // The byte limits of the current rules for this kind (moments limit only the title).
            const Rules& r = s.ws.rules();
            const bool moment = f.draft->kind == Kind::Moment;
            const int64_t title_max = moment ? r.moment_limits.link_title_max_bytes : r.mass_send_limits.link_title_max_bytes;
            changed |=
                body_text(f, body, "title", tx("标题", "Title"), id + ":title", tx("链接标题", "link title"), false, title_max);
            changed |= body_text(f, body, "url", "URL", id + ":url", "https://", false,
                                 moment ? 0 : r.mass_send_limits.link_url_max_bytes);
            changed |= body_text(f, body, "desc", tx("描述", "Description"), id + ":desc", tx("（可选）", "(optional)"), true,
                                 moment ? 0 : r.mass_send_limits.link_desc_max_bytes);
            changed |= body_text(f, body, "picurl", tx("封面", "Cover"), id + ":picurl",
                                 tx("封面图片 URL（可选）", "cover image URL (optional)"), true);
            break;
        }
        case Attachment::Type::MiniProgram:
            changed |= body_text(f, body, "title", tx("标题", "Title"), id + ":title", tx("小程序标题", "title"), false,
                                 s.ws.rules().mass_send_limits.miniprogram_title_max_bytes);
            changed |= body_text(f, body, "appid", "AppID", id + ":appid", "wx0123456789abcdef", false);
            changed |= body_text(f, body, "page", tx("页面", "Page"), id + ":page", "pages/index/index", false);
            changed |= body_text(f, body, "pic_media_id", tx("封面", "Cover"), id + ":pic_media_id", "media_id", true);
            break;
        case Attachment::Type::File:
            // A picked file: its name, its real size (the server checks it against the upload)
            // and the upload's state with the media id.
            changed |= body_text(f, body, "name", tx("文件名", "Name"), id + ":name", "brochure.pdf", false);
            field_label(f, tx("大小", "Size"));
            const std::string size = bytes_text(body.value("bytes", int64_t{0}));
            ImGui::TextUnformatted(size.c_str());
            s.composer.shown_sizes.push_back(size);
            draw_upload_status(s, body, id);
            break;
    }
    if (media) ImGui::EndGroup();
    if (changed) commit(f);
    show_issues(f, "/content/attachments/" + std::to_string(i), false);
    ImGui::EndChild();
    if (ImGui::BeginDragDropTarget()) {
        if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload(kAttachmentPayload)) {
            int from = -1;
            std::memcpy(&from, p->Data, sizeof from);
            if (from != i) move_from = from, move_to = i;
        }
        ImGui::EndDragDropTarget();
    }
    ImGui::PopID();
}

void draw_content(Frame& f) {
    AppState& s = f.s;
    const Rules& rules = s.ws.rules();
    std::string* text = s.ws.draft_text();
    // Counter against the limit of the current rules: characters for moments, bytes for mass sends.
    const bool moment = f.draft->kind == Kind::Moment;
    const int64_t used = moment ? utf8_code_points(*text) : static_cast<int64_t>(text->size());
    const int64_t limit = moment ? rules.moment_limits.text_max_chars : rules.mass_send_limits.text_max_bytes;
    const int atts = static_cast<int>(f.draft->content.attachments.size());
    const std::string summary = fmt(tx("%d 个附件", "%d attachments"), atts);
    if (!section(s, tx("内容###composer_section_content", "Content###composer_section_content"), summary, true)) return;

    ImGui::TextDisabled("%s", tx("文案", "Text"));
    // A new id per external replacement: ImGui drops its edit state for the old text.
    ImGui::PushID(s.ws.draft_revision());
    if (s.focus_request == "draft_text") {
        ImGui::SetKeyboardFocusHere();
        s.focus_request.clear();
    }
    const float h = ImGui::GetTextLineHeight() * 6 + ImGui::GetStyle().FramePadding.y * 2;
    // Lines wrap at the box's width; the draft keeps the text exactly as typed (soft_wrap.h).
    if (soft_wrap::input_text_multiline("###draft_text", text, h, s.composer.text_field)) s.ws.draft_text_changed(f.now);
    ImGui::PopID();
    const bool over = used > limit;
    const std::string counter = moment
                                    ? fmt(tx("%s / %s 字", "%s / %s characters"), fmt_int(used).c_str(), fmt_int(limit).c_str())
                                    : fmt(tx("%s / %s 字节", "%s / %s bytes"), fmt_int(used).c_str(), fmt_int(limit).c_str());
    ImGui::TextColored(over ? f.pal.bad : f.pal.muted, "%s", counter.c_str());
    name_item("composer_text_counter");
    ImGui::SameLine();
    ImGui::TextDisabled("%s", moment ? fmt(tx("· %d 字节", "· %d bytes"), static_cast<int>(text->size())).c_str()
                                     : fmt(tx("· %d 字", "· %d characters"), static_cast<int>(utf8_code_points(*text))).c_str());
    s.composer.counter = {{"unit", moment ? "characters" : "bytes"}, {"used", used}, {"limit", limit}, {"over", over}};
    show_issues(f, "/content/text", true);

    // Attachments: add buttons, then one framed row per attachment.
    ImGui::Spacing();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", tx("附件", "Attachments"));
    ImGui::SameLine(f.label_w);
    const float st_pad_x = ImGui::GetStyle().FramePadding.x;  // SmallButton's: no vertical padding
    ojson& doc = *f.doc;
    if (!doc["content"].is_object()) doc["content"] = ojson::object();
    if (!doc["content"].contains("attachments") || !doc["content"]["attachments"].is_array())
        doc["content"]["attachments"] = ojson::array();
    ojson& list = doc["content"]["attachments"];
    bool first_add = true;
    auto add = [&](const char* label) {
        // One row while they fit, then the next row under the first button.
        if (!first_add) same_line_if_fits(ImGui::CalcTextSize(label, nullptr, true).x + st_pad_x * 2, f.label_w);
        first_add = false;
        const bool clicked = ImGui::SmallButton(label);
        return clicked;
    };
    const bool picking = s.media.picking;
    ImGui::BeginDisabled(picking);
    if (add(tx("+ 图片###composer_add_image", "+ Image###composer_add_image"))) pick_media_file(s, "image");
    if (add(tx("+ 视频###composer_add_video", "+ Video###composer_add_video"))) pick_media_file(s, "video");
    if (add(tx("+ 文件###composer_add_file", "+ File###composer_add_file"))) pick_media_file(s, "file");
    ImGui::EndDisabled();
    bool added = false;
    if (add(tx("+ 链接###composer_add_link", "+ Link###composer_add_link"))) {
        list.push_back({{"msgtype", "link"}, {"link", {{"title", ""}, {"url", ""}}}});
        added = true;
    }
    if (add(tx("+ 小程序###composer_add_miniprogram", "+ Mini program###composer_add_miniprogram"))) {
        list.push_back({{"msgtype", "miniprogram"}, {"miniprogram", {{"title", ""}, {"appid", ""}, {"page", ""}}}});
        added = true;
    }
    ImGui::NewLine();
    if (picking && s.media.batch_left > 1)
        ImGui::TextDisabled("%s", fmt(tx("正在读取 %d 个文件…", "Reading %d files…"), s.media.batch_left).c_str());
    else if (picking) ImGui::TextDisabled("%s", tx("正在读取文件…", "Reading the file…"));
    error_text(s, media_errors_text(s.media));  // a picked file that could not be read (it names the file)
    if (added) commit(f);
    show_issues(f, "/content/attachments", true);

    int move_from = -1, move_to = -1, remove = -1;
    const int n = static_cast<int>(list.size());
    for (int i = 0; i < n; ++i) draw_attachment(f, i, n, move_from, move_to, remove);
    if (n == 0) ImGui::TextDisabled("%s", tx("（无附件）", "(no attachments)"));
    if (move_from >= 0 && move_from < n && move_to >= 0 && move_to < n) {
        // Moved to where it was dropped (Up/Down are moves of one place); the others keep their order.
        ojson moved = std::move(list[static_cast<size_t>(move_from)]);
        list.erase(static_cast<size_t>(move_from));
        list.insert(list.begin() + move_to, std::move(moved));
        commit(f);
    } else if (remove >= 0 && remove < n) {
        list.erase(static_cast<size_t>(remove));
        commit(f);
    }
    end_section();
}

// ------------------------------------------------------------------ senders
ojson& senders_list(ojson& doc, const char* key) {
    if (!doc.contains("senders") || !doc["senders"].is_object()) doc["senders"] = ojson::object();
    ojson& sd = doc["senders"];
    if (!sd.contains(key) || !sd[key].is_array()) sd[key] = ojson::array();
    return sd[key];
}

// Read-only view of senders.<key> (an empty list when missing): drawing must not add keys.
const ojson& senders_view(const ojson& doc, const char* key) {
    static const ojson empty = ojson::array();
    auto sd = doc.find("senders");
    if (sd == doc.end() || !sd->is_object()) return empty;
    auto it = sd->find(key);
    return it == sd->end() || !it->is_array() ? empty : *it;
}

bool list_has(const ojson& list, const ojson& v) { return std::find(list.begin(), list.end(), v) != list.end(); }

void toggle(ojson& list, const ojson& v) {
    auto it = std::find(list.begin(), list.end(), v);
    if (it != list.end()) list.erase(it);
    else list.push_back(v);
}

// The resolved sender set through the engine's binding, cached on the senders object.
void update_sender_counts(Frame& f) {
    ComposerState& st = f.s.composer;
    // The binding reads the senders, and for a group send the chat_list: both make the key.
    const ojson* sd = f.doc->contains("senders") ? &(*f.doc)["senders"] : nullptr;
    std::string key = std::string(kind_name(f.draft->kind)) + (sd ? sd->dump() : "");
    if (f.draft->kind == Kind::GroupSend)
        for (const IdRef& chat : f.draft->chat_list) key += "\n" + chat.id;
    if (key == st.senders_key && f.data == st.senders_dataset) return;
    st.senders_key = key;
    st.senders_dataset = f.data;
    st.senders_resolved = st.senders_active = st.groups_audience = 0;
    st.sender_selected.clear();
    if (!f.data) return;
    std::vector<UnknownId> unknown;
    const BoundCampaign b = bind_campaign(*f.data, *f.draft, f.data->now, unknown);
    st.senders_resolved = static_cast<int64_t>(b.senders.size());
    st.sender_selected.assign(f.data->employees.size(), 0);
    for (uint32_t e : b.senders) {
        st.senders_active += f.data->employees[e].active ? 1 : 0;
        st.sender_selected[e] = 1;
    }
    st.groups_audience = static_cast<int64_t>(b.groups.size());
}

std::string department_path(const Dataset& d, uint32_t i) {
    std::string path = d.departments[i].name;
    for (uint32_t p = d.departments[i].parent; p != kNone; p = d.departments[p].parent)
        path = d.departments[p].name + " / " + path;
    return path;
}

bool contains_ci(const std::string& hay, const std::string& needle) {
    if (needle.empty()) return true;
    auto lower = [](std::string v) {
        for (char& c : v)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return v;
    };
    return lower(hay).find(lower(needle)) != std::string::npos;
}

void draw_department_node(Frame& f, uint32_t i, const ojson& selected, bool& changed) {
    const Dataset& d = *f.data;
    const Department& dep = d.departments[i];
    ImGui::PushID(static_cast<int>(i));
    bool on = list_has(selected, dep.id);
    if (ImGui::Checkbox(fmt("###dept:%lld", static_cast<long long>(dep.id)).c_str(), &on)) {
        toggle(senders_list(*f.doc, "department_list"), dep.id);
        changed = true;
    }
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanAvailWidth | ImGuiTreeNodeFlags_OpenOnArrow;
    if (dep.children.empty()) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
    if (dep.parent == kNone) flags |= ImGuiTreeNodeFlags_DefaultOpen;
    const bool open = ImGui::TreeNodeEx("##node", flags, "%s", dep.name.c_str());
    if (open && !dep.children.empty()) {
        for (uint32_t c : dep.children) draw_department_node(f, c, selected, changed);
        ImGui::TreePop();
    }
    ImGui::PopID();
}

void count_owner_groups(ComposerState& st, const Dataset& d);

void draw_senders(Frame& f) {
    AppState& s = f.s;
    ComposerState& st = s.composer;
    update_sender_counts(f);
    const bool everyone = f.draft->sender_users.empty() && f.draft->sender_departments.empty();
    const bool group = f.draft->kind == Kind::GroupSend;  // the senders are the groups' owners
    const std::string summary = everyone ? std::string(tx("全部成员", "every employee"))
                                         : fmt(tx("%s 位", "%s selected"), fmt_int(st.senders_resolved).c_str());
    if (!section(s,
                 group ? tx("群主###composer_section_senders", "Group owners###composer_section_senders")
                       : tx("发送成员###composer_section_senders", "Senders###composer_section_senders"),
                 summary, false))
        return;
    if (!f.data) {
        ImGui::TextDisabled("%s", tx("（未加载数据）", "(no dataset loaded)"));
        end_section();
        return;
    }
    const Dataset& d = *f.data;
    ojson& doc = *f.doc;
    ImGui::TextUnformatted(fmt(group ? tx("已选 %s 位群主（%s 位在职）", "%s group owners selected (%s active)")
                                     : tx("已选 %s 位发送成员（%s 位在职）", "%s senders selected (%s active)"),
                               fmt_int(st.senders_resolved).c_str(), fmt_int(st.senders_active).c_str())
                               .c_str());
    name_item("composer_senders_count");
    if (everyone) {
        ImGui::SameLine();
        ImGui::TextColored(f.pal.muted, "%s", tx("未选择 = 全部成员", "none selected = every employee"));
    } else {
        ImGui::SameLine();
        if (ImGui::SmallButton(tx("清空###composer_senders_clear", "Clear###composer_senders_clear"))) {
            doc["senders"] = {{"user_list", ojson::array()}, {"department_list", ojson::array()}};
            commit(f);
        }
    }
    show_issues(f, "/senders", false);

    // Departments: a tree (checkbox = the department and its sub-departments).
    bool changed = false;
    ImGui::Spacing();
    field_label(f, tx("部门", "Departments"));
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputTextWithHint("###composer_dept_search", tx("搜索部门", "search departments"), &st.department_search);
    const ojson& deps = senders_view(doc, "department_list");
    const float row_h = ImGui::GetFrameHeightWithSpacing();
    ImGui::BeginChild("##dept_tree", ImVec2(0, row_h * 6.5f), ImGuiChildFlags_Borders);
    if (st.department_search.empty()) {
        for (uint32_t i = 0; i < d.departments.size(); ++i)
            if (d.departments[i].parent == kNone) draw_department_node(f, i, deps, changed);
    } else {
        // Matches as a flat list with their path.
        for (uint32_t i = 0; i < d.departments.size(); ++i) {
            const std::string path = department_path(d, i);
            if (!contains_ci(path, st.department_search)) continue;
            ImGui::PushID(static_cast<int>(i));
            bool on = list_has(deps, d.departments[i].id);
            if (ImGui::Checkbox(fmt("%s###dept:%lld", path.c_str(), static_cast<long long>(d.departments[i].id)).c_str(), &on)) {
                toggle(senders_list(doc, "department_list"), d.departments[i].id);
                changed = true;
            }
            ImGui::PopID();
        }
    }
    ImGui::EndChild();

    // Employees: search by name or userid; checkbox = in user_list.
    ImGui::Spacing();
    field_label(f, tx("成员", "Employees"));
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputTextWithHint("###composer_employee_search", tx("按姓名或 userid 搜索", "search by name or userid"),
                             &st.sender_search);
    if (st.employee_rows_key != st.sender_search || st.employee_rows_dataset != &d ||
        st.employee_rows.empty() != d.employees.empty()) {
        st.employee_rows.clear();
        for (uint32_t e = 0; e < d.employees.size(); ++e)
            if (contains_ci(d.employees[e].name, st.sender_search) || contains_ci(d.employees[e].userid, st.sender_search))
                st.employee_rows.push_back(e);
        st.employee_rows_key = st.sender_search;
        st.employee_rows_dataset = &d;
    }
    if (group) count_owner_groups(st, d);
    const ojson& users = senders_view(doc, "user_list");
    std::unordered_set<std::string> chosen;
    for (const ojson& u : users)
        if (u.is_string()) chosen.insert(u.get<std::string>());
    const ImGuiTableFlags tflags =
        ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##employees", 3, tflags, ImVec2(0, row_h * 8.5f))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tx("成员", "Employee"), ImGuiTableColumnFlags_WidthStretch, 1.1f);
        ImGui::TableSetupColumn(tx("部门", "Departments"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn(tx("状态", "Status"), ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(st.employee_rows.size()));
        while (clipper.Step()) {
            for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
                const uint32_t e = st.employee_rows[static_cast<size_t>(r)];
                const Employee& emp = d.employees[e];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(e));
                bool on = chosen.count(emp.userid) > 0;
                const std::string label = emp.name + "  (" + emp.userid + ")###employee:" + emp.userid;
                if (ImGui::Checkbox(label.c_str(), &on)) {
                    toggle(senders_list(doc, "user_list"), emp.userid);
                    changed = true;
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                std::string deps_text;
                for (uint32_t di : emp.departments) deps_text += (deps_text.empty() ? "" : "、") + d.departments[di].name;
                ImGui::TextDisabled("%s", deps_text.c_str());
                ImGui::TableNextColumn();
                if (!emp.active) ImGui::TextColored(f.pal.bad, "%s", tx("已离职", "resigned"));
                else if (group)
                    ImGui::TextDisabled("%s", fmt(tx("%s 个群", "%s groups"), fmt_int(st.owner_groups[e]).c_str()).c_str());
                else if (!emp.moments_enabled) ImGui::TextColored(f.pal.warn, "%s", tx("未开朋友圈", "no moments"));
                else ImGui::TextColored(f.pal.good, "%s", tx("在职", "active"));
            }
        }
        ImGui::EndTable();
    }
    ImGui::TextDisabled(
        "%s", fmt(tx("%s / %s 位成员", "%s of %s employees"), fmt_int(static_cast<int64_t>(st.employee_rows.size())).c_str(),
                  fmt_int(static_cast<int64_t>(d.employees.size())).c_str())
                  .c_str());
    if (changed) commit(f);
    end_section();
}

// ------------------------------------------------------------------ groups (客户群群发)
// How many groups each employee owns, once per dataset.
void count_owner_groups(ComposerState& st, const Dataset& d) {
    if (st.owner_groups_dataset == &d && st.owner_groups.size() == d.employees.size()) return;
    st.owner_groups.assign(d.employees.size(), 0);
    for (uint32_t owner : d.groups.owner) ++st.owner_groups[owner];
    st.owner_groups_dataset = &d;
}

const char* group_status_text(uint8_t status) {
    switch (status) {
        case GroupChats::kOwnerResigned: return tx("群主离职待继承", "owner resigned, awaiting transfer");
        case GroupChats::kTransferring: return tx("转让中", "being transferred");
        case GroupChats::kTransferred: return tx("已转让", "transferred");
        default: return tx("正常", "normal");
    }
}

// The picker's rows: the selected owners (by userid) each followed by their groups (by
// chat_id) that match the search; a folded owner shows its header only.
void update_group_rows(Frame& f) {
    ComposerState& st = f.s.composer;
    const Dataset& d = *f.data;
    std::string key = st.senders_key + "\x1f" + st.group_search;
    for (uint32_t e : st.owners_collapsed) key += "\x1f" + std::to_string(e);
    if (key == st.group_rows_key && st.owner_groups_dataset == &d) return;
    st.group_rows_key = key;
    st.group_rows.clear();
    const GroupChats& groups = d.groups;
    std::vector<std::vector<uint32_t>> by_owner(d.employees.size());
    for (uint32_t g : groups.by_chat_id) {
        const uint32_t owner = groups.owner[g];
        if (owner >= st.sender_selected.size() || !st.sender_selected[owner]) continue;
        const Employee& emp = d.employees[owner];
        if (!contains_ci(std::string(groups.names[g]), st.group_search) &&
            !contains_ci(std::string(groups.chat_id(g)), st.group_search) && !contains_ci(emp.name, st.group_search) &&
            !contains_ci(emp.userid, st.group_search))
            continue;
        by_owner[owner].push_back(g);
    }
    for (uint32_t e : employees_by_userid(d)) {
        if (by_owner[e].empty()) continue;
        st.group_rows.push_back(e | ComposerState::kOwnerRow);
        if (std::find(st.owners_collapsed.begin(), st.owners_collapsed.end(), e) != st.owners_collapsed.end()) continue;
        st.group_rows.insert(st.group_rows.end(), by_owner[e].begin(), by_owner[e].end());
    }
}

// The audience of a group send: every group of the selected owners, or the groups of
// audience.chat_list. Unticking a group while the list is empty writes every other group of
// the owners into it (an exclusion); "every group" empties it again.
void draw_groups(Frame& f) {
    AppState& s = f.s;
    ComposerState& st = s.composer;
    if (f.draft->kind != Kind::GroupSend) return;
    update_sender_counts(f);
    const bool all = f.draft->chat_list.empty();
    const std::string summary = fmt(tx("%s 个群", "%s groups"), fmt_int(st.groups_audience).c_str());
    if (!section(s, tx("客户群###composer_section_groups", "Customer groups###composer_section_groups"), summary, true)) return;
    if (!f.data) {
        ImGui::TextDisabled("%s", tx("（未加载数据）", "(no dataset loaded)"));
        end_section();
        return;
    }
    const Dataset& d = *f.data;
    const GroupChats& groups = d.groups;
    ojson& doc = *f.doc;
    count_owner_groups(st, d);
    ImGui::TextUnformatted(
        fmt(all ? tx("所选群主的全部 %s 个群", "all %s groups of the selected owners") : tx("已选 %s 个群", "%s groups picked"),
            fmt_int(st.groups_audience).c_str())
            .c_str());
    name_item("composer_groups_count");
    if (!all) {
        ImGui::SameLine();
        if (ImGui::SmallButton(tx("全部群###composer_groups_all", "Every group###composer_groups_all"))) {
            if (!doc["audience"].is_object()) doc["audience"] = ojson::object();
            doc["audience"]["chat_list"] = ojson::array();
            commit(f);
        }
    }
    show_issues(f, "/audience/chat_list", false);
    if (f.draft->stray_filter) {
        // A filter or tag list kept from another kind: the engine ignores it and refuses to submit.
        ImGui::PushStyleColor(ImGuiCol_Text, f.pal.bad);
        ImGui::TextWrapped("%s", tx("客户群群发按群发送，不使用客户筛选或标签；移除后才能提交。",
                                    "A group send goes to groups: the customer filter or tag list must be removed to submit."));
        ImGui::PopStyleColor();
        if (ImGui::SmallButton(
                tx("移除客户筛选###composer_groups_drop_filter", "Remove the customer filter###composer_groups_drop_filter")) &&
            doc["audience"].is_object()) {
            doc["audience"].erase("filter");
            doc["audience"].erase("tag_list");
            commit(f);
        }
    }
    field_label(f, tx("搜索", "Search"));
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputTextWithHint("###composer_group_search", tx("群名、群 ID 或群主", "group name, chat id or owner"),
                             &st.group_search);
    update_group_rows(f);

    std::unordered_set<std::string> picked;
    for (const IdRef& chat : f.draft->chat_list) picked.insert(chat.id);
    auto in_audience = [&](uint32_t g) { return all || picked.count(std::string(groups.chat_id(g))) > 0; };
    int toggle_group = -1;
    const float row_h = ImGui::GetFrameHeightWithSpacing();
    const ImGuiTableFlags tflags =
        ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##groups", 4, tflags, ImVec2(0, row_h * 9.5f))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tx("群", "Group"), ImGuiTableColumnFlags_WidthStretch, 2.6f);
        ImGui::TableSetupColumn(tx("群成员", "Members"), ImGuiTableColumnFlags_WidthStretch, 0.6f);
        ImGui::TableSetupColumn(tx("其中客户", "Customers"), ImGuiTableColumnFlags_WidthStretch, 0.6f);
        ImGui::TableSetupColumn(tx("状态", "Status"), ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(st.group_rows.size()));
        while (clipper.Step()) {
            for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
                const uint32_t row = st.group_rows[static_cast<size_t>(r)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                if (row & ComposerState::kOwnerRow) {
                    const uint32_t e = row & ~ComposerState::kOwnerRow;
                    const Employee& emp = d.employees[e];
                    auto folded = std::find(st.owners_collapsed.begin(), st.owners_collapsed.end(), e);
                    const bool open = folded == st.owners_collapsed.end();
                    const std::string label =
                        fmt("%s  (%s) · %s###group_owner:%s", emp.name.c_str(), emp.userid.c_str(),
                            fmt(tx("%s 个群", "%s groups"), fmt_int(st.owner_groups[e]).c_str()).c_str(), emp.userid.c_str());
                    ImGui::PushStyleColor(ImGuiCol_Text, emp.active ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : f.pal.bad);
                    // The fold state is ours (the rows are rebuilt from it), ImGui only draws the arrow.
                    ImGui::SetNextItemOpen(open, ImGuiCond_Always);
                    const bool now_open =
                        ImGui::TreeNodeEx(label.c_str(), ImGuiTreeNodeFlags_SpanAllColumns | ImGuiTreeNodeFlags_NoTreePushOnOpen);
                    if (now_open != open) {
                        if (open) st.owners_collapsed.push_back(e);
                        else st.owners_collapsed.erase(folded);
                    }
                    ImGui::PopStyleColor();
                    ImGui::TableNextColumn();
                    ImGui::TableNextColumn();
                    ImGui::TableNextColumn();
                    if (!emp.active) ImGui::TextColored(f.pal.bad, "%s", tx("群主已离职", "owner resigned"));
                    continue;
                }
                const uint32_t g = row;
                const std::string chat_id(groups.chat_id(g));
                ImGui::PushID(static_cast<int>(g));
                ImGui::Indent();
                bool on = in_audience(g);
                const std::string name(groups.names[g]);
                // An empty chat_list means every group: the last group in the audience stays ticked.
                ImGui::BeginDisabled(on && st.groups_audience == 1);
                if (ImGui::Checkbox(((name.empty() ? chat_id : name) + "###group:" + chat_id).c_str(), &on))
                    toggle_group = static_cast<int>(g);
                ImGui::EndDisabled();
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", name.c_str(), chat_id.c_str());
                ImGui::Unindent();
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt_int(groups.member_count[g]).c_str());
                ImGui::TableNextColumn();
                ImGui::TextDisabled("%s", fmt_int(groups.member_begin[g + 1] - groups.member_begin[g]).c_str());
                ImGui::TableNextColumn();
                const uint8_t status = groups.status[g];
                if (!groups.owner_can_post(g)) ImGui::TextColored(f.pal.bad, "%s", group_status_text(status));
                else ImGui::TextDisabled("%s", group_status_text(status));
            }
        }
        ImGui::EndTable();
    }
    name_item("composer_groups_table");
    if (toggle_group >= 0) {
        const uint32_t g = static_cast<uint32_t>(toggle_group);
        const std::string chat_id(groups.chat_id(g));
        if (!doc["audience"].is_object()) doc["audience"] = ojson::object();
        ojson& list = doc["audience"]["chat_list"];
        if (all) {  // exclude: every other group of the selected owners
            list = ojson::array();
            for (uint32_t other : groups.by_chat_id)
                if (other != g && st.sender_selected[groups.owner[other]]) list.push_back(std::string(groups.chat_id(other)));
        } else {
            if (!list.is_array()) list = ojson::array();
            toggle(list, chat_id);
        }
        commit(f);
    }
    end_section();
}

// ------------------------------------------------------------------ send time
// The date and time fields as typed (or as the calendar set them) into the draft's
// send_time; a value that does not parse leaves the document alone and says where.
void apply_send_time_fields(Frame& f, int tz) {
    ComposerState& st = f.s.composer;
    Time t = 0;
    LocalTimeError err;
    if (parse_local_date_time(st.send_date, st.send_clock, tz, t, &err)) {
        st.send_time_error.clear();
        (*f.doc)["send_time"] = t;
        st.send_time_shown = (*f.doc)["send_time"].dump();
        commit(f);
    } else {
        st.send_time_error = {err.code, err.params, err.message, {}};
        st.send_time_field = err.field;
    }
}

// The share of the draft's audience with no headroom left, at the end of each day of the
// month, on the quotas and policies that count the draft's kind (the engine's quota
// calendar; the most filled one of them each day). Empty without a preview.
std::vector<std::pair<int64_t, double>> audience_at_quota(AppState& s, int64_t year, int month) {
    std::vector<std::pair<int64_t, double>> days;
    const PreviewResult* r = s.ws.result();
    const QuotaCalendar* qc = r ? s.ws.quota_calendar_for_month(year, month) : nullptr;
    if (!qc || qc->year != year || qc->month != month || r->audience <= 0) return days;
    days.assign(static_cast<size_t>(qc->days), {0, 0.0});
    for (size_t q = 0; q < qc->use.size(); ++q) {
        if (q >= qc->applies.size() || !qc->applies[q]) continue;
        for (size_t d = 0; d < days.size() && d < qc->use[q].size(); ++d)
            days[d].first = std::max(days[d].first, qc->use[q][d].customers_full);
    }
    for (auto& [full, share] : days) share = static_cast<double>(full) / static_cast<double>(r->audience);
    return days;
}

// The send date on the UI's one calendar (ui/date_picker.h), in the enterprise's zone; days
// on which many of the audience are already at a quota are marked (the engine's figures).
// Picking a day writes the date field and applies it as typing does.
void draw_send_date_picker(Frame& f, int tz) {
    AppState& s = f.s;
    ComposerState& st = s.composer;
    Time typed = 0;
    std::optional<int64_t> selected;
    if (parse_local_date_time(st.send_date, "00:00", tz, typed, nullptr)) selected = local_day_number(typed, tz);
    DatePickerOptions options;
    options.button_label = tx("选择日期…###composer_send_date_pick", "Calendar…###composer_send_date_pick");
    options.open_on_day = local_day_number(f.data ? f.data->now : 0, tz);  // a date that does not parse: "now"
    options.title_note = utc_offset_text(tz);
    bool any_figures = false;
    options.marks = [&](int64_t year, int month) {
        const std::vector<std::pair<int64_t, double>> full = audience_at_quota(s, year, month);
        any_figures = !full.empty();
        st.date_picker_marks = ojson::array();
        std::vector<DayMark> marks(full.size());
        for (size_t d = 0; d < full.size(); ++d) {
            const auto [at_quota, share] = full[d];
            if (at_quota <= 0) continue;
            // Many: a fifth of the audience or more already at a quota; some: any at all.
            const bool many = share >= 0.2;
            st.date_picker_marks.push_back({{"day", d + 1}, {"at_quota", at_quota}, {"many", many}});
            const ImVec4 c = many ? f.pal.bad : f.pal.warn;
            marks[d].fill = ImVec4(c.x, c.y, c.z, many ? 0.55f : 0.28f);
            marks[d].tooltip =
                fmt(tx("当日结束时已达额度上限的受众 %s 人（%.0f%%）", "%s of the audience at a quota by the day's end (%.0f%%)"),
                    fmt_int(at_quota).c_str(), share * 100);
        }
        return marks;
    };
    options.footer = [&] {
        const ImGuiStyle& style = ImGui::GetStyle();
        if (!any_figures) {
            ImGui::TextDisabled("%s", tx("本月暂无额度数据", "No quota figures for this month"));
            return;
        }
        ImGui::TextColored(f.pal.bad, "■");
        ImGui::SameLine(0, style.ItemInnerSpacing.x);
        ImGui::TextDisabled("%s", tx("≥20% 受众已达额度", "≥20% of the audience at a quota"));
        ImGui::SameLine();
        ImGui::TextColored(f.pal.warn, "■");
        ImGui::SameLine(0, style.ItemInnerSpacing.x);
        ImGui::TextDisabled("%s", tx("部分已达", "some"));
    };
    CalendarShown shown;
    options.shown = &shown;
    const std::optional<int64_t> picked = date_picker("date_pick", selected, options);
    st.date_picker_open = shown.open;
    st.date_picker_year = shown.year;
    st.date_picker_month = shown.month;
    if (picked) {
        const LocalDate d = date_of_day(*picked);
        st.send_date = fmt("%04lld-%02d-%02d", static_cast<long long>(d.year), d.month, d.day);
        if (st.send_clock.empty()) st.send_clock = "09:00";
        apply_send_time_fields(f, tz);
    }
}

void draw_send_time(Frame& f) {
    AppState& s = f.s;
    ComposerState& st = s.composer;
    ojson& doc = *f.doc;
    const int tz = f.data ? f.data->enterprise.tz_offset_minutes : 480;
    const bool has_time = doc.contains("send_time") && doc["send_time"].is_number_integer();
    const std::string shown = has_time ? doc["send_time"].dump() : "";
    // Refill the fields when the document changed from elsewhere (new draft, picker, host).
    if (st.send_time_revision != s.ws.draft_revision() || st.send_time_shown != shown) {
        st.send_time_revision = s.ws.draft_revision();
        st.send_time_shown = shown;
        st.send_at = has_time;
        st.send_time_error.clear();
        if (has_time) {
            const std::string dt = model::format_date_time(doc["send_time"].get<Time>(), tz);
            st.send_date = dt.substr(0, 10);
            st.send_clock = dt.substr(11);
        }
    }
    const std::string summary = has_time ? model::format_date_time(doc["send_time"].get<Time>(), tz)
                                         : std::string(tx("立即（数据导出时间）", "now (dataset export time)"));
    if (!section(s, tx("发送时间###composer_section_send_time", "Send time###composer_section_send_time"), summary, false))
        return;

    const std::string now_text = f.data ? model::format_date_time(f.data->now, tz) : "";
    const std::string now_label =
        fmt(tx("立即（数据时间 %s）###composer_send_now", "Now (dataset time %s)###composer_send_now"), now_text.c_str());
    if (ImGui::RadioButton(now_label.c_str(), !st.send_at) && st.send_at) {
        st.send_at = false;
        st.send_time_error.clear();
        doc.erase("send_time");
        st.send_time_shown.clear();
        commit(f);
    }
    if (ImGui::RadioButton(tx("指定时间###composer_send_at", "At a time###composer_send_at"), st.send_at) && !st.send_at) {
        st.send_at = true;
        // Start from the next full hour after the dataset's time, so the choice is valid at once.
        if (f.data) {
            const Time next = (f.data->now / 3600 + 1) * 3600;
            doc["send_time"] = next;
            st.send_time_shown = doc["send_time"].dump();
            const std::string dt = model::format_date_time(next, tz);
            st.send_date = dt.substr(0, 10);
            st.send_clock = dt.substr(11);
            commit(f);
        }
    }
    if (st.send_at) {
        bool edited = false;
        field_label(f, tx("日期", "Date"));
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("0000-00-00__").x + ImGui::GetStyle().FramePadding.x * 2);
        edited |= ImGui::InputTextWithHint("###composer_send_date", "YYYY-MM-DD", &st.send_date);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("00:00__").x + ImGui::GetStyle().FramePadding.x * 2);
        edited |= ImGui::InputTextWithHint("###composer_send_clock", "HH:MM", &st.send_clock);
        ImGui::SameLine();
        draw_send_date_picker(f, tz);
        ImGui::SameLine();
        ImGui::TextDisabled("%s %s", tx("企业时区", "enterprise time"), utc_offset_text(tz).c_str());
        if (edited) apply_send_time_fields(f, tz);
        if (!st.send_time_error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, f.pal.bad);
            ImGui::TextWrapped("%s: %s",
                               st.send_time_field == "date" ? tx("日期无效（YYYY-MM-DD）", "Invalid date (YYYY-MM-DD)")
                                                            : tx("时间无效（HH:MM，24 小时制）", "Invalid time (HH:MM, 24-hour)"),
                               message_text(st.send_time_error).c_str());
            ImGui::PopStyleColor();
            name_item("composer_send_time_error");
            ImGui::TextDisabled("%s", tx("草稿仍使用上一个有效时间", "the draft keeps the last valid time"));
        } else if (has_time) {
            ImGui::TextDisabled("UTC %s", model::format_date_time(doc["send_time"].get<Time>(), 0).c_str());
        }
    }
    show_issues(f, "/send_time", true);
    end_section();
}

// ------------------------------------------------------------------ rules
const char* const kKindItems[] = {"any", "moment", "mass_send", "group_send"};
const char* const kOriginItems[] = {"any", "enterprise", "employee"};
const char* const kWindowItems[] = {"day", "week", "month", "rolling_days"};
const char* const kPerItems[] = {"customer", "customer_sender", "group"};
const char* const kMultiItems[] = {"each", "first_added", "last_chat"};
const char* const kIndustries[] = {"retail", "education", "tobacco_alcohol", "finance", "pharma", "government", "other"};

bool combo(const char* id, int& v, const char* const* items, int n) {
    bool changed = false;
    if (ImGui::BeginCombo(id, items[std::clamp(v, 0, n - 1)])) {
        for (int i = 0; i < n; ++i)
            if (ImGui::Selectable(items[i], i == v)) {
                v = i;
                changed = true;
            }
        ImGui::EndCombo();
    }
    return changed;
}

std::string quota_text(const Quota& q) {
    const std::string count = q.count_is_days_in_month ? tx("当月天数", "days-in-month") : std::to_string(q.count);
    std::string window = window_name(q.window);
    if (q.window == Window::RollingDays) window += "(" + std::to_string(q.days) + ")";
    return fmt("%s/%s · %s/%s/%s", q.kind ? kind_name(*q.kind) : "any", q.origin ? origin_name(*q.origin) : "any", count.c_str(),
               window.c_str(),
               q.per_group    ? "group"
               : q.per_sender ? "customer_sender"
                              : "customer");
}

void draw_quota_rows(std::vector<Quota>& rows, const char* prefix) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    int remove = -1;
    if (ImGui::BeginTable(prefix, 9, flags)) {
        ImGui::TableSetupColumn("ID", ImGuiTableColumnFlags_WidthStretch, 2.2f);
        ImGui::TableSetupColumn(tx("类型", "Kind"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn(tx("发起方", "Origin"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn(tx("次数", "Count"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn(tx("当月天数", "Days in month"), ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn(tx("窗口", "Window"), ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn(tx("天数", "Days"), ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableSetupColumn(tx("计数对象", "Per"), ImGuiTableColumnFlags_WidthStretch, 1.5f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableHeadersRow();
        for (size_t i = 0; i < rows.size(); ++i) {
            Quota& q = rows[i];
            const auto label = [&](const char* field) { return fmt("###%s_%s:%zu", prefix, field, i); };
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::SetNextItemWidth(-FLT_MIN);
            ImGui::InputText(label("id").c_str(), &q.id);
            ImGui::TableNextColumn();
            int kind = q.kind ? 1 + static_cast<int>(*q.kind) : 0;
            ImGui::SetNextItemWidth(-FLT_MIN);
            if (combo(label("kind").c_str(), kind, kKindItems, 4))
                q.kind = kind == 0 ? std::nullopt : std::optional<Kind>(Kind(kind - 1));
            ImGui::TableNextColumn();
            int origin = q.origin ? 1 + static_cast<int>(*q.origin) : 0;
            ImGui::SetNextItemWidth(-FLT_MIN);
            if (combo(label("origin").c_str(), origin, kOriginItems, 3))
                q.origin = origin == 0 ? std::nullopt : std::optional<Origin>(Origin(origin - 1));
            ImGui::TableNextColumn();
            ImGui::BeginDisabled(q.count_is_days_in_month);
            ImGui::SetNextItemWidth(-FLT_MIN);
            ImGui::InputScalar(label("count").c_str(), ImGuiDataType_S64, &q.count);
            ImGui::EndDisabled();
            ImGui::TableNextColumn();
            ImGui::Checkbox(label("dim").c_str(), &q.count_is_days_in_month);
            ImGui::TableNextColumn();
            int window = static_cast<int>(q.window);
            ImGui::SetNextItemWidth(-FLT_MIN);
            if (combo(label("window").c_str(), window, kWindowItems, 4)) q.window = Window(window);
            ImGui::TableNextColumn();
            ImGui::BeginDisabled(q.window != Window::RollingDays);
            ImGui::SetNextItemWidth(-FLT_MIN);
            ImGui::InputScalar(label("days").c_str(), ImGuiDataType_S64, &q.days);
            ImGui::EndDisabled();
            ImGui::TableNextColumn();
            int per = q.per_group ? 2 : q.per_sender ? 1 : 0;
            ImGui::SetNextItemWidth(-FLT_MIN);
            if (combo(label("per").c_str(), per, kPerItems, 3)) {
                q.per_sender = per == 1;
                q.per_group = per == 2;  // counts a group's group sends only (contract 8.1)
            }
            ImGui::TableNextColumn();
            if (ImGui::SmallButton((tx("删除", "Delete") + label("remove")).c_str())) remove = static_cast<int>(i);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (remove >= 0) rows.erase(rows.begin() + remove);
}

void apply_rules_edit(AppState& s) {
    ComposerState& st = s.composer;
    Rules r = st.rules_edit;
    r.name = "custom";  // the header's preset picker shows "custom" for an edited profile
    const std::string text = rules_document(r).dump(2);
    std::string err;
    if (!s.ws.set_rules_json(text, "rules editor", &err)) {
        st.rules_error = err;  // the engine's loader message; the previous rules stay
        return;
    }
    s.rules_json = text;
    st.rules_applied = text;
    st.rules_error.clear();
    st.rules_editor_open = false;
    ImGui::CloseCurrentPopup();
}

void draw_rules_editor(AppState& s) {
    ComposerState& st = s.composer;
    if (st.rules_editor_requested) {
        st.rules_editor_requested = false;
        st.rules_edit = s.ws.rules();
        st.rules_error.clear();
        st.rules_editor_open = true;
        ImGui::OpenPopup("###rules_editor");
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(
        ImVec2(std::min(vp->Size.x * 0.92f, 1040 * s.dpi_scale), std::min(vp->Size.y * 0.88f, 700 * s.dpi_scale)),
        ImGuiCond_Always);
    const std::string title = std::string(tx("规则编辑器", "Rules editor")) + " — " + s.ws.preset() + "###rules_editor";
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) {
        st.rules_editor_open = false;
        return;
    }
    const Palette pal = palette(s.dark);
    Rules& r = st.rules_edit;
    const float footer = ImGui::GetFrameHeightWithSpacing() * 2.2f;
    ImGui::BeginChild("##rules_body", ImVec2(0, -footer));
    ImGui::TextDisabled("%s", tx("平台额度：同一客户在窗口内已收到的次数达到上限即拦截。",
                                 "Platform quotas: a customer who already received `count` in the window is blocked."));
    ImGui::TextDisabled("%s",
                        tx("计数对象 group：按客户群计数，只用于客户群群发；其他计数对象不用于客户群群发。",
                           "Per group: counts a group's group sends and applies to group sends only; the others never do."));
    section_title(tx("额度 quotas", "Quotas"));
    draw_quota_rows(r.quotas, "rules_quota");
    if (ImGui::SmallButton(tx("+ 添加额度###rules_add_quota", "+ Add quota###rules_add_quota"))) {
        Quota q;
        q.id = "quota_" + std::to_string(r.quotas.size() + 1);
        q.count = 1;
        r.quotas.push_back(q);
    }
    ImGui::Spacing();
    section_title(tx("企业策略 policies", "Policies (the brand's own caps)"));
    draw_quota_rows(r.policies, "rules_policy");
    if (ImGui::SmallButton(tx("+ 添加策略###rules_add_policy", "+ Add policy###rules_add_policy"))) {
        Quota q;
        q.id = "policy_" + std::to_string(r.policies.size() + 1);
        q.count = 1;
        q.window = Window::Week;
        r.policies.push_back(q);
    }

    ImGui::Spacing();
    section_title(tx("其他", "Other"));
    const float lw = ImGui::CalcTextSize(tx("朋友圈排除行业____", "Excluded industries (moments)__")).x;
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", tx("不感兴趣（小时）", "Not interested (hours)"));
    ImGui::SameLine(lw);
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("0000000").x + ImGui::GetFrameHeight() * 2);
    ImGui::InputScalar("###rules_not_interested_hours", ImGuiDataType_S64, &r.not_interested_hours);
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", tx("多成员（朋友圈）", "Multi-sender (moments)"));
    ImGui::SameLine(lw);
    int ms = static_cast<int>(r.moment_multi_sender);
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("first_added").x + ImGui::GetFrameHeight() * 2);
    if (combo("###rules_multi_moment", ms, kMultiItems, 3)) r.moment_multi_sender = MultiSender(ms);
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", tx("群发", "mass send"));
    ImGui::SameLine();
    int mm = static_cast<int>(r.mass_send_multi_sender);
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("first_added").x + ImGui::GetFrameHeight() * 2);
    if (combo("###rules_multi_mass_send", mm, kMultiItems, 3)) r.mass_send_multi_sender = MultiSender(mm);
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", tx("朋友圈排除行业", "Excluded industries (moments)"));
    ImGui::SameLine(lw);
    for (const char* ind : kIndustries) {
        auto& list = r.moments_excluded_industries;
        bool on = std::find(list.begin(), list.end(), ind) != list.end();
        if (ImGui::Checkbox(fmt("%s###rules_industry:%s", ind, ind).c_str(), &on)) {
            if (on) list.push_back(ind);
            else list.erase(std::remove(list.begin(), list.end(), std::string(ind)), list.end());
        }
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize("tobacco_alcohol").x + ImGui::GetFrameHeight() * 2) {
            ImGui::NewLine();
            ImGui::SetCursorPosX(lw);
        }
    }
    ImGui::NewLine();
    ImGui::SetCursorPosX(lw);
    ImGui::Checkbox(
        tx("朋友圈需认证企业###rules_require_verified", "Moments need a verified enterprise###rules_require_verified"),
        &r.moments_require_verified);
    ImGui::TextDisabled("%s", tx("内容上限沿用当前规则。", "Content limits stay as in the current rules."));
    ImGui::EndChild();

    ImGui::Separator();
    if (!st.rules_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s", st.rules_error.c_str());
        ImGui::PopStyleColor();
    }
    if (ImGui::Button(tx("应用###rules_apply", "Apply###rules_apply"))) apply_rules_edit(s);
    ImGui::SameLine();
    if (ImGui::Button(tx("取消###rules_cancel", "Cancel###rules_cancel"))) {
        st.rules_editor_open = false;
        st.rules_error.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tx("恢复为当前规则###rules_reset", "Reset to current rules###rules_reset"))) {
        st.rules_edit = s.ws.rules();
        st.rules_error.clear();
    }
    ImGui::EndPopup();
}

void draw_rules(Frame& f) {
    AppState& s = f.s;
    if (!section(s, tx("规则###composer_section_rules", "Rules###composer_section_rules"), s.ws.preset(), false)) return;
    field_label(f, tx(text::settings_preset));
    const ImGuiStyle& st = ImGui::GetStyle();
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("wecom-2025").x + ImGui::GetFrameHeight() + st.FramePadding.x * 2);
    // The same choice as the header's picker: both read and set Workspace::preset().
    if (ImGui::BeginCombo("##composer_preset", s.ws.preset().c_str())) {
        for (const std::string& name : model::Workspace::presets())
            if (ImGui::Selectable(name.c_str(), name == s.ws.preset()) && s.ws.set_preset(name, nullptr)) s.rules_json.clear();
        ImGui::EndCombo();
    }
    name_item("composer_preset");
    ImGui::SameLine();
    if (ImGui::Button(tx("编辑规则…###composer_rules_edit", "Edit rules…###composer_rules_edit")))
        s.composer.rules_editor_requested = true;

    const Rules& r = s.ws.rules();
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##rules_summary", 2, flags)) {
        ImGui::TableSetupColumn("id", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("rule", ImGuiTableColumnFlags_WidthStretch, 1.4f);
        for (const Quota& q : r.quotas) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(q.id.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", quota_text(q).c_str());
        }
        for (const Quota& q : r.policies) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(f.pal.warn, "%s", q.id.c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", quota_text(q).c_str());
        }
        ImGui::EndTable();
    }
    ImGui::TextDisabled("%s", fmt(tx("不感兴趣 %lld 小时 · 多成员：朋友圈 %s，群发 %s",
                                     "not interested %lld h · multi-sender: moments %s, mass send %s"),
                                  static_cast<long long>(r.not_interested_hours), multi_sender_name(r.moment_multi_sender),
                                  multi_sender_name(r.mass_send_multi_sender))
                                  .c_str());
    end_section();
}

}  // namespace

void draw_composer(AppState& s, double now) {
    ComposerState& st = s.composer;
    st.shown_errors = ojson::array();
    st.shown_sizes = ojson::array();
    st.counter = nullptr;
    st.date_picker_open = false;
    ojson* doc = s.ws.edit_draft();
    const Campaign* draft = s.ws.draft();
    draw_new_draft_menu(s, now);
    if (!draft || !doc) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tx(text::campaign_none));
        return;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", s.ws.draft_source().c_str());

    Frame f{s, now, doc, draft, s.ws.dataset(), palette(s.dark), 0, {}};
    f.label_w = ImGui::GetCursorPosX() + ImGui::CalcTextSize(tx("发起方____", "Departments__")).x;
    // Live content checks (the text editor writes into the draft directly) plus the
    // preview's campaign errors that name a field (senders, send time, unknown ids).
    f.issues = check_content(draft->content, draft->kind, s.ws.rules());
    if (const PreviewResult* r = s.ws.result())
        for (const Issue& i : r->errors)
            if (!i.pointer.empty() && i.pointer.rfind("/content", 0) != 0) f.issues.push_back(i);

    draw_identity(f);
    if (!s.ws.draft_error().empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, f.pal.bad);
        ImGui::TextWrapped("%s", s.ws.draft_error().c_str());
        ImGui::PopStyleColor();
        name_item("composer_draft_error");
    }
    draw_content(f);
    draw_senders(f);
    draw_groups(f);
    draw_send_time(f);
    draw_rules(f);
    draw_rules_editor(s);
}

nlohmann::ordered_json composer_state_json(const AppState& s) {
    const ComposerState& st = s.composer;
    ojson j;
    const Campaign* c = s.ws.draft();
    j["has_draft"] = c != nullptr;
    if (c) {
        j["id"] = c->id;
        j["kind"] = kind_name(c->kind);
        j["origin"] = origin_name(c->origin);
        j["senders_all"] = c->sender_users.empty() && c->sender_departments.empty();
        j["senders_selected"] = st.senders_resolved;
        j["senders_active"] = st.senders_active;
        j["user_list"] = c->sender_users.size();
        j["department_list"] = c->sender_departments.size();
        j["attachments"] = c->content.attachments.size();
        if (c->kind == Kind::GroupSend) {
            j["chat_list"] = c->chat_list.size();
            j["groups_audience"] = st.groups_audience;
            j["group_rows"] = st.group_rows.size();
        }
    }
    j["counter"] = st.counter;
    // The text box's visual lines (soft breaks included) as last drawn.
    j["text_field"] = {{"visual_lines", std::count(st.text_field.shown.begin(), st.text_field.shown.end(), '\n') + 1}};
    j["send_time"] = {{"mode", st.send_at ? "at" : "now"},
                      {"date", st.send_date},
                      {"time", st.send_clock},
                      {"error", message_text(st.send_time_error)},
                      {"error_field", st.send_time_error.empty() ? "" : st.send_time_field},
                      {"utc_offset", utc_offset_text(s.ws.has_dataset() ? s.ws.dataset_summary().tz_offset_minutes : 480)}};
    j["date_picker"] = {{"open", st.date_picker_open},
                        {"year", st.date_picker_year},
                        {"month", st.date_picker_month},
                        {"marked", st.date_picker_marks}};
    j["field_errors"] = st.shown_errors;
    j["attachment_sizes"] = st.shown_sizes;
    j["draft_error"] = s.ws.draft_error();
    j["sections"] = st.sections;
    j["rules_editor_open"] = st.rules_editor_open;
    j["rules_error"] = st.rules_error;
    j["rules_custom"] = !s.rules_json.empty();
    return j;
}

}  // namespace rl::ui
