#include "ui/drafts.h"

#include <algorithm>
#include <ctime>
#include <functional>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {
const StoredMessage kDamaged{"drafts.damaged", {}, "the saved entry is damaged", {}};
const StoredMessage kNoCurrentDraft{"drafts.no_current", {}, "no current draft", {}};

StoredMessage no_saved_draft(const std::string& id) {
    return {"drafts.no_saved", {param_text("id", id)}, "no saved draft " + id, {}};
}
StoredMessage unreadable(const std::string& id, const std::exception& e) {
    return {"drafts.unreadable", {param_text("id", id)}, id + ": " + e.what(), {}};
}
// The workspace's refusal of a draft document: the engine's input error when it gave one
// (worded when drawn), else its text.
StoredMessage refusal(const AppState& s, const std::string& text) {
    StoredMessage m;
    if (const InputError* e = s.ws.last_input_error()) m.input = *e;
    else m.fallback = text;
    return m;
}

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

const SavedDraft* find_saved(const AppState& s, const std::string& id) {
    for (const SavedDraft& d : s.drafts.saved)
        if (d.id == id) return &d;
    return nullptr;
}

// The entry web/storage.js keeps for the current draft: the document plus the rules.
Json current_entry(const AppState& s, const Json& doc) {
    Json e;
    e["id"] = doc.contains("id") && doc["id"].is_string() ? doc["id"].get<std::string>() : std::string("draft");
    e["preset"] = s.ws.preset();
    e["rules"] = s.rules_json.empty() ? Json(nullptr) : Json(s.rules_json);
    e["draft"] = doc;
    const Json& sub = s.drafts.submission;
    if (sub.is_object() && sub.value("campaign_id", std::string()) == e["id"].get<std::string>()) e["submission"] = sub;
    return e;
}

// The draft as it is now becomes the baseline: not an edit. `tracked`: it has a saved
// entry already (reopened), so later edits update that entry.
void rebase(AppState& s, bool tracked) {
    DraftsState& d = s.drafts;
    d.baseline_revision = s.ws.draft_revision();
    const Json doc = s.ws.draft_document();
    d.baseline_hash = std::hash<std::string>{}(dump(doc));
    d.tracked = tracked && doc.is_object();
    d.saved_hash = d.tracked ? std::hash<std::string>{}(dump(current_entry(s, doc))) : 0;
    d.current_id = d.tracked ? current_entry(s, doc)["id"].get<std::string>() : std::string();
}

// First `max_chars` characters of `text` (UTF-8), on one line.
std::string excerpt(const std::string& text, size_t max_chars) {
    std::string out;
    size_t chars = 0;
    for (size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (chars == max_chars) {
            out += "…";
            break;
        }
        if (c == '\n' || c == '\r' || c == '\t') out.push_back(' ');
        else out.append(text, i, n);
        i += n;
        ++chars;
    }
    return out;
}

std::string fresh_id(const AppState& s) {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "draft-%Y%m%d-%H%M%S", &tm);
    std::string id = buf;
    const Campaign* c = s.ws.draft();
    for (int n = 2; find_saved(s, id) || (c && c->id == id); ++n) id = std::string(buf) + "-" + std::to_string(n);
    return id;
}

// Opens `doc` under a fresh campaign id as a new draft of its own (saved at once), with
// no submission record.
bool open_copy(AppState& s, Json doc, double now, StoredMessage* error) {
    drafts_tick(s, true);
    doc["id"] = fresh_id(s);
    std::string err;
    if (!s.ws.set_campaign_json(dump(doc), "draft", &err)) {
        if (error) *error = refusal(s, err);
        return false;
    }
    (void)now;
    rebase(s, false);
    s.drafts.submission = nullptr;
    s.drafts.tracked = true;  // save it with the next frame
    s.drafts.saved_hash = 0;
    s.tab_request = "compose";
    return true;
}

// Sets the current draft's content (text and attachments) from a saved document.
bool copy_content(AppState& s, const SavedDraft& from, double now, StoredMessage* error) {
    Json src;
    try {
        src = Json::parse(from.document);
    } catch (const std::exception& e) {
        if (error) *error = unreadable(from.id, e);
        return false;
    }
    Json* doc = s.ws.edit_draft();
    std::string* text = s.ws.draft_text();
    if (!doc || !text) {
        if (error) *error = kNoCurrentDraft;
        return false;
    }
    const Json content = src.contains("content") && src["content"].is_object() ? src["content"] : Json::object();
    if (!(*doc)["content"].is_object()) (*doc)["content"] = Json::object();
    const std::string new_text =
        content.contains("text") && content["text"].is_string() ? content["text"].get<std::string>() : "";
    (*doc)["content"]["text"] = new_text;
    (*doc)["content"]["attachments"] =
        content.contains("attachments") && content["attachments"].is_array() ? content["attachments"] : Json::array();
    *text = new_text;  // draft_edited writes the editor's text into the document
    s.ws.draft_edited(now);
    return true;
}

void draw_new_buttons(AppState& s, double now) {
    if (ImGui::Button(tx("+ 新建朋友圈###draft_new_moment", "+ New moment###draft_new_moment")))
        drafts_new(s, Kind::Moment, Origin::Enterprise, now);
    const char* mass_send_label = tx("+ 新建群发###draft_new_mass_send", "+ New mass send###draft_new_mass_send");
    same_line_if_fits(button_width(mass_send_label));
    if (ImGui::Button(mass_send_label)) drafts_new(s, Kind::MassSend, Origin::Enterprise, now);
}

void draw_demo_campaigns(AppState& s) {
    const Palette pal = palette(s.dark);
    const auto& files = s.ws.campaign_files();
    for (int i = 0; i < static_cast<int>(files.size()); ++i) {
        const model::CampaignFile& f = files[i];
        ImGui::PushID(i);
        const std::string label = f.error.empty() ? f.id : f.name;
        const std::string sub = f.error.empty() ? kind_origin_text(f.kind, f.origin) + " · " + f.name : f.error;
        const bool selected = s.ws.selected_file() == i;
        // Both lines wrap inside the panel (a long file name at 800 px); the row is as tall as they are.
        const ImGuiStyle& style = ImGui::GetStyle();
        const float wrap_w = std::max(1.0f, ImGui::GetContentRegionAvail().x - style.FramePadding.x * 2);
        const ImVec2 label_size = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap_w);
        const ImVec2 sub_size = ImGui::CalcTextSize(sub.c_str(), nullptr, false, wrap_w);
        if (ImGui::Selectable(("###campaign:" + f.name).c_str(), selected, 0,
                              ImVec2(0, label_size.y + style.ItemSpacing.y + sub_size.y))) {
            std::string err;
            if (!s.ws.select_campaign_file(i, &err)) s.campaign_error = err;
            else s.campaign_error.clear();
        }
        const ImVec2 min(ImGui::GetItemRectMin().x + style.FramePadding.x, ImGui::GetItemRectMin().y);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), min, ImGui::GetColorU32(ImGuiCol_Text), label.c_str(), nullptr,
                    wrap_w);
        const ImVec2 sub_min(min.x, min.y + label_size.y + style.ItemSpacing.y);
        dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), sub_min, ImGui::GetColorU32(f.error.empty() ? pal.muted : pal.bad),
                    sub.c_str(), nullptr, wrap_w);
        name_rect("campaign_text:" + f.name, min, ImVec2(min.x + std::max(label_size.x, sub_size.x), sub_min.y + sub_size.y));
        ImGui::PopID();
    }
    if (files.empty()) ImGui::TextDisabled("%s", tx("没有示例活动", "No demo campaigns"));
    if (!s.campaign_error.empty()) error_text(s, s.campaign_error);
}

void draw_saved_draft(AppState& s, const SavedDraft& d, double now) {
    DraftsState& st = s.drafts;
    const Palette pal = palette(s.dark);
    const bool current = st.tracked && st.current_id == d.id && s.ws.draft() && s.ws.draft()->id == d.id;
    ImGui::PushID(d.id.c_str());
    ImGui::PushStyleColor(ImGuiCol_ChildBg, current ? ImVec4(pal.accent.x, pal.accent.y, pal.accent.z, 0.07f) : pal.card_bg);
    if (current) ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(pal.accent.x, pal.accent.y, pal.accent.z, 0.55f));
    ImGui::BeginChild("##card", ImVec2(0, 0), ImGuiChildFlags_Borders | ImGuiChildFlags_AutoResizeY);
    const float right_x = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    // The title's parts, the date and the buttons each wrap to the next line when the card is
    // narrow (800 px, the host demo's frame): nothing runs past the card's edge.
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(d.id.c_str());
    ImGui::PopTextWrapPos();
    const auto tag = [](const ImVec4& color, const std::string& text) {
        same_line_if_fits(ImGui::CalcTextSize(text.c_str()).x);
        ImGui::TextColored(color, "%s", text.c_str());
    };
    tag(pal.accent, kind_origin_text(d.kind.empty() ? "mass_send" : d.kind, d.origin));
    const std::string sub_state = d.submission.is_object() ? d.submission.value("state", std::string()) : std::string();
    if (sub_state == "accepted" || sub_state == "exists") tag(pal.good, tx("· 已提交", "· submitted"));
    if (current) tag(pal.good, tx("· 正在编辑", "· editing"));
    const std::string when =
        d.updated_text + (d.attachments > 0 ? fmt(tx(" · %d 个附件", " · %d attachments"), d.attachments) : std::string());
    const float when_w = ImGui::CalcTextSize(when.c_str()).x;
    ImGui::SameLine();
    if (ImGui::GetCursorPosX() + when_w <= right_x) ImGui::SetCursorPosX(right_x - when_w);
    else ImGui::NewLine();  // too narrow: the date goes below the title
    ImGui::TextDisabled("%s", when.c_str());
    const std::string ex = excerpt(d.text, 48);
    ImGui::PushStyleColor(ImGuiCol_Text, pal.muted);
    ImGui::TextWrapped("%s", ex.empty() ? tx("（无文字）", "(no text)") : ex.c_str());
    ImGui::PopStyleColor();
    if (d.damaged) error_text(s, message_text(kDamaged));
    else if (!d.open_error.empty()) error_text(s, message_text(d.open_error));

    StoredMessage err;
    if (st.confirm_delete == d.id) {
        ImGui::AlignTextToFramePadding();
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(pal.bad, "%s", tx("删除这份草稿？无法恢复。", "Delete this draft? This cannot be undone."));
        ImGui::PopTextWrapPos();
        same_line_if_fits(button_width(tx("删除", "Delete")) + button_width(tx("取消", "Cancel")) +
                          ImGui::GetStyle().ItemSpacing.x);
        ImGui::PushStyleColor(ImGuiCol_Button, pal.bad);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(pal.bad.x, pal.bad.y, pal.bad.z, 0.85f));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        if (ImGui::Button(tx("删除###draft_delete_confirm", "Delete###draft_delete_confirm"))) {
            s.host().storage_delete(d.id);
            if (st.current_id == d.id) rebase(s, false);
            st.notice = {"drafts.deleted", {param_text("id", d.id)}, "", {}};
            st.confirm_delete.clear();
        }
        ImGui::PopStyleColor(3);
        ImGui::SameLine();
        if (ImGui::Button(tx("取消###draft_delete_cancel", "Cancel###draft_delete_cancel"))) st.confirm_delete.clear();
    } else {
        ImGui::BeginDisabled(current);
        const std::string open_label = fmt("%s###draft_open:%s", tx("打开", "Open"), d.id.c_str());
        if (ImGui::SmallButton(open_label.c_str())) {
            if (drafts_reopen(s, d.id, &err)) st.notice = {"drafts.opened", {param_text("id", d.id)}, "", {}};
            else st.notice = err;
        }
        const std::string template_label =
            fmt("%s###draft_template:%s", tx("套用到当前草稿", "Apply to current draft"), d.id.c_str());
        same_line_if_fits(button_width(template_label.c_str()));
        if (ImGui::SmallButton(template_label.c_str())) {
            if (drafts_apply_template(s, d.id, now, &err)) st.notice = {"drafts.applied", {param_text("id", d.id)}, "", {}};
            else st.notice = err;
        }
        ImGui::EndDisabled();
        const std::string new_from_label = fmt("%s###draft_new_from:%s", tx("以此新建", "New from this"), d.id.c_str());
        same_line_if_fits(button_width(new_from_label.c_str()));
        if (ImGui::SmallButton(new_from_label.c_str())) {
            if (drafts_new_from_template(s, d.id, now, &err)) st.notice = {"drafts.new_from", {param_text("id", d.id)}, "", {}};
            else st.notice = err;
        }
        const std::string delete_label = fmt("%s###draft_delete:%s", tx("删除", "Delete"), d.id.c_str());
        same_line_if_fits(button_width(delete_label.c_str()));
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        if (ImGui::SmallButton(delete_label.c_str())) st.confirm_delete = d.id;
        ImGui::PopStyleColor();
    }
    ImGui::EndChild();
    name_item("draft:", d.id);
    ImGui::PopStyleColor(current ? 2 : 1);
    ImGui::PopID();
}

}  // namespace

void draw_drafts_panel(AppState& s, double now) {
    DraftsState& st = s.drafts;
    const Palette pal = palette(s.dark);
    draw_new_buttons(s, now);
    ImGui::Spacing();

    section_title(tx("示例活动", "Demo campaigns"));
    draw_demo_campaigns(s);
    ImGui::Spacing();

    section_title(fmt("%s (%d)", tx("已保存的草稿", "Saved drafts"), static_cast<int>(st.saved.size())).c_str());
    if (!st.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.warn);
        ImGui::TextWrapped("%s", drafts_error_text(s).c_str());
        ImGui::PopStyleColor();
    }
    if (!st.rename_blocked.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.warn);
        ImGui::TextWrapped(
            "%s", fmt(tx("活动 ID “%s” 已有一份保存的草稿，未覆盖它：当前的修改尚未保存。请换一个活动 ID，或打开那份草稿。",
                         "A saved draft already has the campaign id \"%s\"; it was not overwritten and the current edits are not "
                         "saved yet. Choose another campaign id, or open that draft."),
                      st.rename_blocked.c_str())
                      .c_str());
        ImGui::PopStyleColor();
    }
    if (!st.notice.empty()) ImGui::TextDisabled("%s", message_text(st.notice).c_str());
    if (st.saved.empty()) {
        ImGui::TextDisabled("%s", tx("编辑草稿后会自动保存在本浏览器中，刷新或崩溃后可恢复。",
                                     "Edited drafts are kept in this browser automatically and come back after a reload."));
    }
    // Copy: a button may change the list (delete) while we draw it.
    const std::vector<SavedDraft> saved = st.saved;
    for (const SavedDraft& d : saved) {
        draw_saved_draft(s, d, now);
        ImGui::Spacing();
    }
}

void drafts_tick(AppState& s, bool force) {
    DraftsState& d = s.drafts;
    if (!s.ws.has_draft()) return;
    const std::string* text = s.ws.draft_text();
    const size_t text_size = text ? text->size() : 0;
    const bool same = d.seen_revision == s.ws.draft_revision() && d.seen_recompute == s.ws.recompute_count() &&
                      d.seen_text_size == text_size && d.seen_preset == s.ws.preset() &&
                      d.seen_rules_size == s.rules_json.size() && d.seen_error == s.ws.draft_error();
    if (same && !force) return;
    d.seen_revision = s.ws.draft_revision();
    d.seen_recompute = s.ws.recompute_count();
    d.seen_text_size = text_size;
    d.seen_preset = s.ws.preset();
    d.seen_rules_size = s.rules_json.size();
    d.seen_error = s.ws.draft_error();

    if (d.baseline_revision != s.ws.draft_revision()) {  // opened from elsewhere: not an edit
        rebase(s, false);
        return;
    }
    const Json doc = s.ws.draft_document();
    if (!doc.is_object()) return;
    if (!d.tracked && std::hash<std::string>{}(dump(doc)) == d.baseline_hash) return;
    const Json entry = current_entry(s, doc);
    const std::string entry_text = dump(entry);
    const size_t entry_hash = std::hash<std::string>{}(entry_text);
    if (d.tracked && entry_hash == d.saved_hash) return;
    const std::string id = entry["id"].get<std::string>();
    // A renamed campaign id renames its saved draft (one entry, not two) unless another
    // saved draft has that id already: that one is never overwritten.
    const bool renamed = d.tracked && !d.current_id.empty() && d.current_id != id;
    if (renamed || !d.tracked) {
        if (find_saved(s, id) && id != d.current_id) {
            d.rename_blocked = id;
            return;
        }
    }
    d.rename_blocked.clear();
    s.host().storage_save(id, entry_text);
    if (renamed) s.host().storage_delete(d.current_id);
    d.saved_hash = entry_hash;
    d.tracked = true;
    d.current_id = id;
    ++d.saves;
}

bool drafts_save_now(AppState& s) {
    DraftsState& d = s.drafts;
    if (!s.ws.has_draft()) return false;
    if (!d.tracked) {  // e.g. a demo campaign submitted as opened: keep it as a draft now
        d.tracked = true;
        d.current_id.clear();
    }
    d.saved_hash = 0;
    drafts_tick(s, true);
    s.host().storage_flush();
    return d.error.empty() && d.rename_blocked.empty();
}

void drafts_set_list(AppState& s, std::string_view json) {
    Json list;
    try {
        list = Json::parse(json);
    } catch (const std::exception& e) {
        drafts_storage_failed(s, std::string("saved drafts: ") + e.what());
        return;
    }
    std::vector<SavedDraft> out;
    if (list.is_array()) {
        for (const Json& e : list) {
            if (!e.is_object() || !e.contains("id") || !e["id"].is_string()) continue;
            SavedDraft d;
            d.id = e["id"].get<std::string>();
            if (e.contains("updated") && e["updated"].is_number()) d.updated_ms = e["updated"].get<double>();
            if (e.contains("updated_text") && e["updated_text"].is_string())
                d.updated_text = e["updated_text"].get<std::string>();
            if (e.contains("preset") && e["preset"].is_string()) d.preset = e["preset"].get<std::string>();
            if (e.contains("rules") && e["rules"].is_string()) d.rules_json = e["rules"].get<std::string>();
            const Json doc = e.contains("draft") ? e["draft"] : Json(nullptr);
            if (doc.is_object()) {
                if (doc.contains("kind") && doc["kind"].is_string()) d.kind = doc["kind"].get<std::string>();
                if (doc.contains("origin") && doc["origin"].is_string()) d.origin = doc["origin"].get<std::string>();
                if (doc.contains("content") && doc["content"].is_object()) {
                    const Json& c = doc["content"];
                    if (c.contains("text") && c["text"].is_string()) d.text = c["text"].get<std::string>();
                    if (c.contains("attachments") && c["attachments"].is_array())
                        d.attachments = static_cast<int>(c["attachments"].size());
                }
                d.document = dump(doc);
                if (e.contains("submission") && e["submission"].is_object()) d.submission = e["submission"];
            } else {
                d.damaged = true;
            }
            for (const SavedDraft& old : s.drafts.saved)
                if (old.id == d.id && !d.damaged) {
                    d.damaged = old.damaged;
                    d.open_error = old.open_error;
                }
            out.push_back(std::move(d));
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const SavedDraft& a, const SavedDraft& b) { return a.updated_ms > b.updated_ms; });
    s.drafts.saved = std::move(out);
}

bool drafts_reopen(AppState& s, const std::string& id, StoredMessage* error) {
    DraftsState& st = s.drafts;
    SavedDraft* d = nullptr;
    for (SavedDraft& x : st.saved)
        if (x.id == id) d = &x;
    if (!d) {
        if (error) *error = no_saved_draft(id);
        return false;
    }
    std::string err;
    if (d->document.empty() || !s.ws.set_campaign_json(d->document, id, &err)) {
        if (!err.empty()) d->open_error = refusal(s, err);
        if (error) *error = d->damaged ? kDamaged : d->open_error;
        return false;
    }
    d->open_error.clear();
    st.submission = d->submission;
    // The rules it was composed with; a preset that no longer exists leaves the rules as they are.
    if (!d->rules_json.empty()) {
        if (s.ws.set_rules_json(d->rules_json, "saved rules", nullptr)) s.rules_json = d->rules_json;
    } else if (!d->preset.empty() && d->preset != s.ws.preset()) {
        if (s.ws.set_preset(d->preset, nullptr)) s.rules_json.clear();
    }
    rebase(s, true);
    st.submission = d->submission;
    return true;
}

bool drafts_apply_template(AppState& s, const std::string& id, double now, StoredMessage* error) {
    const SavedDraft* d = find_saved(s, id);
    if (!d) {
        if (error) *error = no_saved_draft(id);
        return false;
    }
    const SavedDraft copy = *d;
    return copy_content(s, copy, now, error);
}

bool drafts_new_from_template(AppState& s, const std::string& id, double now, StoredMessage* error) {
    const SavedDraft* d = find_saved(s, id);
    if (!d) {
        if (error) *error = no_saved_draft(id);
        return false;
    }
    // A copy of the whole saved draft (audience, senders, time, content) under a fresh id,
    // saved at once as a draft of its own.
    Json doc;
    try {
        doc = Json::parse(d->document);
    } catch (const std::exception& e) {
        if (error) *error = unreadable(id, e);
        return false;
    }
    return open_copy(s, std::move(doc), now, error);
}

bool drafts_save_as_new(AppState& s, double now, StoredMessage* error) {
    Json doc = s.ws.draft_document();
    if (!doc.is_object()) {
        if (error) *error = kNoCurrentDraft;
        return false;
    }
    drafts_save_now(s);
    return open_copy(s, std::move(doc), now, error);
}

void drafts_new(AppState& s, Kind kind, Origin origin, double now) {
    drafts_tick(s, true);  // the last edit of the draft being left is saved first
    const std::string id = fresh_id(s);
    s.ws.new_draft(kind, origin, now);
    if (Json* doc = s.ws.edit_draft()) {
        (*doc)["id"] = id;
        s.ws.draft_edited(now);
    }
    // Blank: not saved until the marketer writes something.
    rebase(s, false);
    s.drafts.submission = nullptr;
    s.tab_request = "compose";
}

void drafts_storage_failed(AppState& s, const std::string& report_json) {
    DraftsState& d = s.drafts;
    const nlohmann::json r = nlohmann::json::parse(report_json, nullptr, false);
    d.error_code.clear();
    d.error_id.clear();
    if (r.is_object() && r.contains("code") && r["code"].is_string()) {
        d.error = json_string(r, "message");
        d.error_code = "drafts." + r["code"].get<std::string>();
        d.error_id = json_string(r, "id");
    } else {
        d.error = report_json;  // "" = storage works again
    }
}

std::string drafts_error_text(const AppState& s) {
    const DraftsState& d = s.drafts;
    if (d.error_code.empty()) return d.error;
    return message_text(d.error_code, {param_text("id", d.error_id)}, d.error);
}

nlohmann::ordered_json drafts_state_json(const AppState& s) {
    const DraftsState& d = s.drafts;
    Json j;
    j["error"] = d.error;
    j["error_text"] = drafts_error_text(s);
    j["notice"] = message_text(d.notice);
    j["restored_id"] = d.restored_id;
    j["current_id"] = d.tracked ? Json(d.current_id) : Json(nullptr);
    j["saves"] = d.saves;
    j["rename_blocked"] = d.rename_blocked;
    j["submission"] = d.submission;
    j["confirm_delete"] = d.confirm_delete;
    j["demo_campaigns"] = static_cast<int>(s.ws.campaign_files().size());
    Json list = Json::array();
    for (const SavedDraft& x : d.saved) {
        list.push_back({{"id", x.id},
                        {"kind", x.kind},
                        {"updated", x.updated_ms},
                        {"updated_text", x.updated_text},
                        {"excerpt", excerpt(x.text, 60)},
                        {"attachments", x.attachments},
                        {"preset", x.preset},
                        {"submission", x.submission},
                        {"error", message_text(x.damaged ? kDamaged : x.open_error)}});
    }
    j["saved"] = std::move(list);
    return j;
}

}  // namespace rl::ui
