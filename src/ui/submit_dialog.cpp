#include "ui/submit_dialog.h"

#include <cfloat>
#include <ctime>
#include <map>
#include <random>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/drafts.h"
#include "ui/i18n.h"
#include "ui/media.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"
#include "core/draft/draft_fields.h"
#include "core/output/payload.h"

namespace rl::ui {
namespace {

// ---- submit (POST {apiBase}/campaigns through web/submit.js; answer in rl_submit_done)
std::string new_uuid() {
    static std::random_device rd;  // crypto.getRandomValues on the web
    unsigned char b[16];
    for (int i = 0; i < 16; i += 4) {
        const uint32_t v = rd();
        for (int k = 0; k < 4; ++k) b[i + k] = static_cast<unsigned char>(v >> (8 * k));
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(hex[b[i] >> 4]);
        out.push_back(hex[b[i] & 15]);
    }
    return out;
}

// FNV-1a 64 of the text, hex: the draft version a key was made for (stable across builds,
// unlike std::hash, because the record outlives the page).
std::string version_digest(const std::string& text) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string iso_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// The campaign `campaign_id` was accepted: by the draft's own record, or by the server's
// list. Fills the server id and when.
bool submitted_as(const AppState& s, const std::string& campaign_id, std::string* server_id, std::string* when) {
    const nlohmann::ordered_json& rec = s.drafts.submission;
    const std::string state = json_string(rec, "state");
    if ((state == "accepted" || state == "exists") && json_string(rec, "campaign_id") == campaign_id) {
        *server_id = json_string(rec, "server_id");
        *when = json_string(rec, "at");
        return true;
    }
    for (const auto& [cid, a] : s.submit.accepted) {
        if (cid != campaign_id) continue;
        *server_id = a.id;
        const std::time_t t = static_cast<std::time_t>(a.created_at);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        *when = buf;
        return true;
    }
    return false;
}

// Builds the POST body from the current draft, rules and preview. The Idempotency-Key
// comes from the draft's submission record: made once for this campaign id and version
// (campaign + rules) and kept, with the draft, until the server answered.
bool prepare_submit(AppState& s) {
    const PreviewResult* r = s.ws.result();
    const Campaign* c = s.ws.draft();
    if (!r || !c || !s.ws.dataset() || !r->submittable) return false;
    nlohmann::ordered_json body;
    body["campaign"] = s.ws.draft_document();
    if (!s.rules_json.empty()) {
        try {
            body["rules"] = nlohmann::ordered_json::parse(s.rules_json);
        } catch (const std::exception&) { body["rules"] = s.ws.preset(); }
    } else {
        body["rules"] = s.ws.preset();
    }
    const nlohmann::ordered_json version = {{"campaign", body["campaign"]}, {"rules", body["rules"]}};
    const std::string version_text = version.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    body["summary"] = s.ws.summary_json();
    nlohmann::ordered_json requests = rl::wecom_requests(*s.ws.dataset(), *c, *r);
    auto& sub = s.submit;
    nlohmann::ordered_json& rec = s.drafts.submission;
    const std::string digest = version_digest(version_text);
    if (json_string(rec, "key").empty() || json_string(rec, "campaign_id") != c->id || json_string(rec, "version") != digest) {
        rec = {{"key", new_uuid()}, {"version", digest}, {"campaign_id", c->id}, {"state", "ready"}};
    }
    sub.key = json_string(rec, "key");
    // A fresh dialog (the same key for the same draft: the server answers a repeat
    // with its first answer and stores nothing twice).
    sub.answered = false;
    sub.status = 0;
    sub.response.clear();
    sub.id.clear();
    sub.error_code.clear();
    sub.error_message.clear();
    sub.requests_pretty = requests.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    body["requests"] = std::move(requests);
    sub.payload = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    sub.audience = r->audience;
    sub.reached = r->reached;
    sub.deliveries = r->deliveries;
    sub.group_send = r->is_group_send();
    sub.members_reached = r->members_reached;
    sub.members_multi = r->members_multi;
    sub.campaign_id = c->id;
    sub.kind_origin = kind_origin_text(c->kind, c->origin);
    const int tz = s.ws.dataset()->enterprise.tz_offset_minutes;
    sub.send_time_text = c->send_time ? model::format_date_time(*c->send_time, tz) + " (" + tx("企业时区 ", "enterprise time ") +
                                            utc_offset_text(tz) + ")"
                                      : std::string(tx("提交后立即发送", "right after submission"));
    sub.text = c->content.text;
    sub.attachments = static_cast<int>(c->content.attachments.size());
    sub.senders = static_cast<int>(r->senders.size());
    sub.senders_confirming = 0;
    for (const SenderStats& st : r->senders) sub.senders_confirming += st.requires_confirmation ? 1 : 0;
    if (sub.group_send) {  // the owners who get a task: those with a reached group (one request each)
        sub.senders = sub.senders_confirming = 0;
        for (const SenderStats& st : r->senders)
            if (st.deliveries > 0) ++sub.senders, sub.senders_confirming += st.requires_confirmation ? 1 : 0;
    }
    sub.requests = static_cast<int>(body["requests"].size());
    sub.confirm_nobody = false;
    return true;
}

void send_submit(AppState& s) {
    auto& sub = s.submit;
    if (sub.in_flight || sub.payload.empty()) return;
    sub.answered = false;
    // The key is saved with the draft before the request leaves.
    nlohmann::ordered_json& rec = s.drafts.submission;
    if (rec.is_object() && json_string(rec, "key") == sub.key) {
        rec["state"] = "sending";
        rec["sent_at"] = iso_now();
    }
    sub.record_warning.clear();
    if (!drafts_save_now(s))
        sub.record_warning =
            tx("注意：浏览器未能保存这次提交的记录（存储已满或不可用）。提交仍会发送。",
               "Note: the browser could not keep a record of this submission (storage full or unavailable). It is still sent.");
    sub.in_flight = true;
    ++sub.attempts;
    if (!s.host().submit_campaign(sub.payload, sub.key)) {
        sub.in_flight = false;
        sub.answered = true;
        sub.status = 0;
        sub.response = "submit.js is not loaded";
    }
}

const OutboxEntry* find_outbox_entry(const SubmitState& sub, const std::string& id) {
    for (const OutboxEntry& e : sub.outbox)
        if (e.id == id) return &e;
    return nullptr;
}

// "发件箱 (n)": always there, so the marketer knows where offline submissions went.
void draw_outbox_button(AppState& s) {
    auto& sub = s.submit;
    const std::string label =
        fmt(tx("发件箱 (%s)", "Outbox (%s)"), fmt_int(static_cast<int64_t>(sub.outbox.size())).c_str()) + "###outbox";
    const bool has_entries = !sub.outbox.empty();
    if (has_entries) ImGui::PushStyleColor(ImGuiCol_Text, palette(s.dark).warn);
    if (ImGui::Button(label.c_str())) sub.outbox_open_request = true;
    if (has_entries) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered() && !has_entries)
        ImGui::SetTooltip("%s", tx("没有待发送的提交", "No submissions waiting to be sent"));
}

// "2026-11-23T03:10:29.123Z" (the page's UTC stamp) -> the one date-time format, in the
// enterprise's zone (time_text): "2026-11-23 11:10".
std::string short_time(const std::string& iso) {
    Time t = 0;
    if (iso.size() < 16 || !parse_local_date_time(iso.substr(0, 10), iso.substr(11, 5), 0, t, nullptr)) return iso;
    return time_text(t);
}

void draw_outbox_dialog(AppState& s) {
    auto& sub = s.submit;
    const char* popup = "###outbox_dialog";
    if (sub.outbox_open_request) {
        ImGui::OpenPopup(popup);
        sub.outbox_open_request = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(
        ImVec2(std::min(vp->Size.x * 0.9f, 760 * s.dpi_scale), std::min(vp->Size.y * 0.8f, 440 * s.dpi_scale)),
        ImGuiCond_Appearing);
    const std::string title = std::string(tx("发件箱", "Outbox")) + popup;
    sub.outbox_dialog_open = false;
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    sub.outbox_dialog_open = true;
    const Palette pal = palette(s.dark);
    ImGui::TextWrapped("%s",
                       tx("没有连上服务器时提交的活动保存在本浏览器中。服务器可用时可重新发送，也可下载为 JSON 文件交给管理员。",
                          "Submissions made while no server was reachable are kept in this browser. Send them again once "
                          "a server is reachable, or download them as a JSON file for an administrator."));
    ImGui::Spacing();

    const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y;
    const ImVec2 table_size(-FLT_MIN, std::max(ImGui::GetFrameHeight() * 3, ImGui::GetContentRegionAvail().y - footer));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
    if (sub.outbox.empty()) {
        ImGui::BeginChild("##outbox_empty", table_size);
        ImGui::Dummy(ImVec2(0, table_size.y * 0.3f));
        const char* empty = tx("发件箱是空的", "The outbox is empty");
        ImGui::SetCursorPosX((ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(empty).x) * 0.5f);
        ImGui::TextDisabled("%s", empty);
        ImGui::EndChild();
    } else if (ImGui::BeginTable("##outbox_table", 5, flags, table_size)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(tx("活动", "Campaign"), ImGuiTableColumnFlags_WidthStretch, 2.4f);
        ImGui::TableSetupColumn(tx("保存时间", "Saved"), ImGuiTableColumnFlags_WidthStretch, 1.5f);
        ImGui::TableSetupColumn(tx("触达 / 受众", "Reached / audience"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
        ImGui::TableSetupColumn(tx("状态", "State"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableHeadersRow();
        std::string remove;
        for (size_t i = 0; i < sub.outbox.size(); ++i) {
            const OutboxEntry& e = sub.outbox[i];
            ImGui::PushID(e.id.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(e.campaign_id.empty() ? "—" : e.campaign_id.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Idempotency-Key %s", e.id.c_str());
            if (!e.kind.empty()) {
                ImGui::SameLine();
                ImGui::TextDisabled("%s", kind_origin_text(e.kind, e.origin).c_str());
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(short_time(e.created_at).c_str());
            ImGui::TableNextColumn();
            const double pct = e.audience ? 100.0 * static_cast<double>(e.reached) / static_cast<double>(e.audience) : 0.0;
            ImGui::Text("%s / %s (%.1f%%)", fmt_int(e.reached).c_str(), fmt_int(e.audience).c_str(), pct);
            ImGui::TableNextColumn();
            const std::string& why = e.last_error.empty() ? e.reason : e.last_error;
            ImGui::TextColored(e.last_error.empty() ? pal.muted : pal.bad, "%s",
                               e.last_error.empty() ? tx("待发送", "Waiting") : tx("发送失败", "Send failed"));
            if (ImGui::IsItemHovered() && !why.empty()) ImGui::SetTooltip("%s", host_message_text(why).c_str());
            ImGui::TableNextColumn();
            ImGui::BeginDisabled(sub.outbox_retrying);
            if (ImGui::SmallButton(fmt("%s###outbox_delete:%zu", tx("删除", "Delete"), i).c_str())) remove = e.id;
            ImGui::EndDisabled();
            ImGui::PopID();
        }
        ImGui::EndTable();
        if (!remove.empty()) s.host().outbox_remove(remove);
    }

    // The last retry's outcome, or a storage problem.
    if (!sub.outbox_storage_error.empty()) {
        ImGui::TextColored(pal.bad, "%s", host_message_text(sub.outbox_storage_error).c_str());
    } else if (sub.outbox_retrying) {
        ImGui::TextColored(pal.warn, "%s", tx("正在发送…", "Sending…"));
    } else if (sub.outbox_retry_accepted >= 0) {
        const std::string line = fmt(tx("已发送 %s 个，失败 %s 个", "Sent %s, failed %s"),
                                     fmt_int(sub.outbox_retry_accepted).c_str(), fmt_int(sub.outbox_retry_failed).c_str());
        ImGui::TextColored(sub.outbox_retry_failed > 0 ? pal.bad : pal.good, "%s", line.c_str());
    } else {
        ImGui::TextUnformatted("");
    }

    const bool empty = sub.outbox.empty();
    ImGui::BeginDisabled(empty || sub.outbox_retrying);
    if (ImGui::Button(tx("重新发送###outbox_retry", "Retry send###outbox_retry"))) s.host().outbox_retry();
    ImGui::SameLine();
    if (ImGui::Button(tx("下载 JSON###outbox_download", "Download JSON###outbox_download"))) s.host().outbox_download();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tx("关闭###outbox_close", "Close###outbox_close"))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace

bool draft_accepted(const AppState& s, std::string* server_id) {
    const Campaign* c = s.ws.draft();
    std::string when;
    return c && submitted_as(s, c->id, server_id, &when);
}

bool submit_saved_to_outbox(const SubmitState& sub) {
    return sub.answered && sub.status == 0 && !sub.key.empty() && find_outbox_entry(sub, sub.key) != nullptr;
}

void submission_answered(AppState& s) {
    const SubmitState& sub = s.submit;
    nlohmann::ordered_json& rec = s.drafts.submission;
    if (!rec.is_object() || json_string(rec, "key") != sub.key) return;  // another draft's record
    rec["status"] = sub.status;
    rec["at"] = iso_now();
    rec.erase("code");
    if (sub.status == 201) {
        rec["state"] = "accepted";
        rec["server_id"] = sub.id;
    } else if (sub.status == 409 && sub.error_code == "campaign_exists") {
        rec["state"] = "exists";
        rec["server_id"] = sub.existing_id;
    } else if (sub.status == 0) {
        rec["state"] = submit_saved_to_outbox(sub) ? "outbox" : "failed";
    } else {
        rec["state"] = "refused";
        rec["code"] = sub.error_code;
        // The server stored nothing; a key it saw with another body must not be reused.
        if (sub.error_code == "idempotency_key_reused") rec["key"] = new_uuid();
    }
    drafts_save_now(s);
}

void set_accepted_campaigns(AppState& s, const std::string& json) {
    nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
    if (!doc.is_object() || !doc.contains("campaigns") || !doc["campaigns"].is_array()) return;
    std::vector<std::pair<std::string, SubmitState::Accepted>> out;
    for (const auto& c : doc["campaigns"]) {
        if (!c.is_object() || c.value("status", std::string()) != "accepted") continue;
        if (!c.contains("campaign") || !c["campaign"].is_object()) continue;
        const std::string cid = c["campaign"].value("id", std::string());
        if (cid.empty()) continue;
        SubmitState::Accepted a;
        a.id = c.value("id", std::string());
        if (c.contains("scheduled_id") && c["scheduled_id"].is_string()) a.scheduled_id = c["scheduled_id"].get<std::string>();
        a.created_at = c.value("created_at", int64_t{0});
        out.emplace_back(cid, a);
    }
    std::map<std::string, std::string> scheduled_ids;
    for (const auto& [cid, a] : out) scheduled_ids[cid] = a.scheduled_id;
    s.ws.set_accepted_campaigns(std::move(scheduled_ids));  // its previews leave the draft's own copy off
    s.submit.accepted = std::move(out);
    s.submit.accepted_known = true;
}

// A submitted draft: the button says so, with the server id and time; a second send is an
// explicit new campaign (另存为新活动).
bool draw_submitted_state(AppState& s) {
    const Campaign* c = s.ws.draft();
    std::string server_id, when;
    if (!c || !submitted_as(s, c->id, &server_id, &when)) return false;
    const Palette pal = palette(s.dark);
    ImGui::BeginDisabled();
    ImGui::Button(tx("已提交###submit", "Submitted###submit"));
    ImGui::EndDisabled();
    // A short status (the header must keep 规则 / English / 深色 on screen at 800 px); a click
    // opens the server id, the time and what a second send needs.
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, pal.good);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    if (ImGui::SmallButton(tx("详情###submit_state", "Details###submit_state"))) ImGui::OpenPopup("###submit_state_popup");
    ImGui::PopStyleColor(2);
    if (ImGui::BeginPopup("###submit_state_popup")) {
        ImGui::PushTextWrapPos(std::min(480 * s.dpi_scale, ImGui::GetMainViewport()->Size.x * 0.85f));
        ImGui::TextColored(
            pal.good, "%s",
            fmt(tx("已提交 · 服务器编号 %s · %s", "Submitted · server id %s · %s"), server_id.c_str(), short_time(when).c_str())
                .c_str());
        ImGui::TextWrapped("%s", tx("这个活动 ID 已被服务器接受。再次发送需要一个新的活动 ID（另存为新活动）。",
                                    "The server accepted this campaign id. Sending again needs a new campaign id "
                                    "(Save as new campaign)."));
        ImGui::PopTextWrapPos();
        name_item("submit_state_details");
        ImGui::EndPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tx("另存为新活动###submit_save_as_new", "Save as new campaign###submit_save_as_new"))) {
        StoredMessage err;
        if (drafts_save_as_new(s, 0.0, &err)) s.drafts.notice = {"drafts.saved_as_new", {}, "", {}};
        else s.drafts.notice = err;
    }
    ImGui::SameLine();
    if (ImGui::Button(tx("发送结果###submitted_results", "Send results###submitted_results"))) s.tab_request = "reconcile";
    ImGui::SameLine();
    draw_outbox_button(s);
    return true;
}

void draw_submit_button(AppState& s) {
    if (draw_submitted_state(s)) {
        s.submit.enabled = false;
        return;
    }
    const PreviewResult* r = s.ws.result();
    const bool submittable = r && r->submittable && s.ws.dataset();
    // Submit waits until every upload is done (or kept offline for the outbox).
    bool upload_failed = false;
    const std::string upload_wait = submittable ? uploads_blocking_submit(s, &upload_failed) : std::string();
    s.submit.enabled = submittable && upload_wait.empty() && !s.submit.in_flight && !s.ws.recompute_pending();
    ImGui::BeginDisabled(!s.submit.enabled);
    if (ImGui::Button(tx("提交###submit", "Submit###submit")) && prepare_submit(s)) s.submit.open_request = true;
    ImGui::EndDisabled();
    ImGui::SameLine();
    draw_outbox_button(s);
    if (s.submit.in_flight) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tx(text::submit_in_flight));
    } else if (!upload_wait.empty()) {
        // Short in the header (a file name can be long); the tooltip names the file.
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        const Palette pal = palette(s.dark);
        if (upload_failed) ImGui::TextColored(pal.bad, "%s", tx("上传失败", "Upload failed"));
        else ImGui::TextColored(pal.warn, "%s", tx("等待上传…", "Waiting for uploads…"));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", upload_wait.c_str());
        name_item("submit_reason");
    } else if (r && !r->submittable) {
        // A short status (the header must keep 规则 / English / 深色 on screen); a click opens
        // every problem, worded by the catalogue and wrapped inside the popup.
        const Palette pal = palette(s.dark);
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
        const std::string status =
            fmt(tx("不可提交：%d 个问题", "Cannot submit: %d problems"), static_cast<int>(r->errors.size()));
        if (ImGui::SmallButton((status + "###submit_reason").c_str())) ImGui::OpenPopup("###submit_problems");
        ImGui::PopStyleColor(2);
        ImGui::SetNextWindowSizeConstraints(
            ImVec2(280 * s.dpi_scale, 0), ImVec2(std::min(560 * s.dpi_scale, ImGui::GetMainViewport()->Size.x * 0.9f), FLT_MAX));
        if (ImGui::BeginPopup("###submit_problems")) {
            ImGui::PushTextWrapPos(std::min(540 * s.dpi_scale, ImGui::GetMainViewport()->Size.x * 0.85f));
            for (const Issue& e : r->errors) {
                ImGui::Bullet();
                ImGui::TextColored(pal.bad, "%s", issue_text(e).c_str());
            }
            ImGui::PopTextWrapPos();
            name_item("submit_problems");  // a popup's window is named "##Popup_<id>", not by its label
            ImGui::EndPopup();
        }
    }
}

// The confirmation in words, Chinese first: what goes out, to whom, when, as the customer
// sees it, how many WeCom requests, the uploads, and warnings.
static void draw_confirmation_facts(AppState& s) {
    SubmitState& sub = s.submit;
    const Palette pal = palette(s.dark);
    auto row = [&](const char* label, const std::string& value) {
        ImGui::TextDisabled("%s", label);
        ImGui::SameLine(ImGui::GetFontSize() * 7);
        ImGui::TextWrapped("%s", value.c_str());
    };
    row(tx("活动 ID", "Campaign id"), sub.campaign_id + "  ·  " + sub.kind_origin);
    row(tx("发送时间", "Send time"), sub.send_time_text);
    const bool group = sub.group_send;  // a group send's senders are the owners, its counts are groups
    std::string senders = fmt(group ? tx("%d 位群主", "%d group owners") : tx("%d 位成员", "%d employees"), sub.senders);
    if (sub.senders_confirming > 0)
        senders +=
            fmt(group ? tx("，其中 %d 位需在企业微信中确认后才会发到群里",
                           "; %d of them must confirm in WeCom before it goes into their groups")
                      : tx("，其中 %d 位需在企业微信中确认后才会发出", "; %d of them must confirm in WeCom before it goes out"),
                sub.senders_confirming);
    row(group ? tx("群主", "Group owners") : tx("发送成员", "Senders"), senders);
    const double pct = sub.audience ? 100.0 * static_cast<double>(sub.reached) / static_cast<double>(sub.audience) : 0.0;
    if (group)
        row(tx("触达", "Reach"),
            fmt(tx("目标 %s 个群，送达 %s 个群（%.1f%%），未送达 %s 个群；群内客户 %s 人，其中 %s 人会在多个群里重复收到",
                   "%s groups, reached %s (%.1f%%), not reached %s; %s customers in them, %s of them in several groups"),
                fmt_int(sub.audience).c_str(), fmt_int(sub.reached).c_str(), pct, fmt_int(sub.audience - sub.reached).c_str(),
                fmt_int(sub.members_reached).c_str(), fmt_int(sub.members_multi).c_str()));
    else
        row(tx("触达", "Reach"), fmt(tx("目标 %s 人，触达 %s 人（%.1f%%），未触达 %s 人，送达 %s 次",
                                        "audience %s, reached %s (%.1f%%), not reached %s, deliveries %s"),
                                     fmt_int(sub.audience).c_str(), fmt_int(sub.reached).c_str(), pct,
                                     fmt_int(sub.audience - sub.reached).c_str(), fmt_int(sub.deliveries).c_str()));
    row(tx("企业微信请求", "WeCom requests"),
        fmt(group ? tx("%d 个（每位群主一个，每个请求最多 2,000 个群）", "%d (one per owner, at most 2,000 groups a request)")
                  : tx("%d 个（群发每个请求最多 10,000 位客户）", "%d (a mass send request takes at most 10,000 customers)"),
            sub.requests));
    const std::string uploads = uploads_blocking_submit(s);
    row(tx("附件上传", "Uploads"), sub.attachments == 0 ? std::string(tx("无附件", "no attachments"))
                                   : uploads.empty()
                                       ? std::string(tx("全部就绪（已上传，或保存在浏览器中随提交上传）",
                                                        "ready (uploaded, or kept in the browser and sent with the submission)"))
                                       : uploads);
    // Each attachment's upload with its media id, numbered as the composer's cards.
    for (const std::string& line : attachment_upload_lines(s)) {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetFontSize() * 7);
        ImGui::TextWrapped("%s", line.c_str());
    }
    // The content as the customer will see it.
    ImGui::TextDisabled("%s",
                        group ? tx("群里看到的内容", "What the groups see") : tx("客户看到的内容", "What the customer sees"));
    ImGui::BeginChild("###submit_content", ImVec2(0, 0), ImGuiChildFlags_Borders | ImGuiChildFlags_AutoResizeY);
    ImGui::TextWrapped("%s", sub.text.empty() ? tx("（无文字）", "(no text)") : sub.text.c_str());
    const float thumb = ImGui::GetFrameHeight() * 2.5f;
    for (int i = 0; i < sub.attachments; ++i) {
        if (i > 0) ImGui::SameLine();
        draw_attachment_thumbnail(s, i, ImVec2(thumb, thumb));
    }
    ImGui::EndChild();
    if (sub.reached == 0) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s", group ? tx("警告：这个群发不会发到任何群。", "Warning: this group send reaches no group.")
                                       : tx("警告：这个活动不会触达任何客户。", "Warning: this campaign reaches no customer."));
        ImGui::PopStyleColor();
        ImGui::Checkbox(group ? tx("我确认要提交一个不发到任何群的群发###submit_confirm_nobody",
                                   "I confirm submitting a group send that reaches no group###submit_confirm_nobody")
                              : tx("我确认要提交一个不触达任何客户的活动###submit_confirm_nobody",
                                   "I confirm submitting a campaign that reaches nobody###submit_confirm_nobody"),
                        &sub.confirm_nobody);
    }
}

// Why a submission failed, in the UI's language: the page's bridge message (no server, cannot
// reach) or the server's refusal worded by its code (422 media_missing names the attachment as
// the composer's cards number it).
static std::string failure_text(const SubmitState& sub) {
    if (!sub.answered || sub.status == 201) return {};
    return sub.status == 0 ? host_message_text(sub.response)
                           : server_error_text(sub.status, sub.error_code, sub.error_message, sub.error_attachment);
}

static void draw_submit_popup(AppState& s) {
    auto& sub = s.submit;
    const char* popup = "###submit_dialog";
    if (sub.open_request) {
        ImGui::OpenPopup(popup);
        sub.open_request = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(
        ImVec2(std::min(vp->Size.x * 0.9f, 720 * s.dpi_scale), std::min(vp->Size.y * 0.85f, 560 * s.dpi_scale)),
        ImGuiCond_Appearing);
    const std::string title = std::string(tx("确认提交", "Confirm submission")) + popup;
    sub.dialog_open = false;
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    sub.dialog_open = true;
    const Palette pal = palette(s.dark);
    const float footer = ImGui::GetFrameHeightWithSpacing() * 3 + ImGui::GetTextLineHeightWithSpacing() * 2;
    ImGui::BeginChild("##submit_facts",
                      ImVec2(0, std::max(ImGui::GetTextLineHeight() * 6, ImGui::GetContentRegionAvail().y - footer)));
    draw_confirmation_facts(s);
    // The request bodies, one click away, pretty-printed and copyable.
    if (ImGui::CollapsingHeader(tx("技术详情（请求内容）###submit_tech", "Technical details (request bodies)###submit_tech"))) {
        if (ImGui::SmallButton(tx("复制###submit_copy", "Copy###submit_copy")))
            ImGui::SetClipboardText(sub.requests_pretty.c_str());
        ImGui::InputTextMultiline("###submit_requests", sub.requests_pretty.data(), sub.requests_pretty.size() + 1,
                                  ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * 16), ImGuiInputTextFlags_ReadOnly);
    }
    ImGui::EndChild();

    // The server's answer.
    const bool in_outbox = submit_saved_to_outbox(sub);
    if (sub.in_flight) {
        ImGui::TextColored(pal.warn, "%s", tx(text::submit_in_flight));
    } else if (in_outbox) {
        ImGui::TextColored(pal.warn, "%s", tx("未连上服务器，已保存到发件箱。", "No server reached: saved to the outbox."));
        ImGui::PushStyleColor(ImGuiCol_Text, pal.muted);
        ImGui::TextWrapped("%s", host_message_text(sub.response).c_str());
        ImGui::PopStyleColor();
    } else if (sub.answered && sub.status == 201) {
        ImGui::TextColored(pal.good, "%s", fmt(tx("已提交：%s", "Accepted: %s"), sub.id.c_str()).c_str());
    } else if (sub.answered && sub.status == 409 && sub.error_code == "campaign_exists") {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s",
                           fmt(tx("这个活动已经提交过了：服务器已接受活动 ID 为“%s”的活动（服务器编号 %s），这次没有再存一份。"
                                  "如果确实要再发一次，请关闭此窗口，点“另存为新活动”换一个新的活动 ID。",
                                  "This campaign was submitted already: the server accepted campaign id \"%s\" (server id %s) "
                                  "and stored nothing this time. "
                                  "To really send it again, close this and use \"Save as new campaign\" for a new campaign id."),
                               json_string(s.drafts.submission, "campaign_id").c_str(), sub.existing_id.c_str())
                               .c_str());
        ImGui::PopStyleColor();
    } else if (sub.answered) {
        const std::string what = failure_text(sub);
        ImGui::TextColored(pal.bad, "%s", tx("提交失败", "Submission failed"));
        ImGui::SameLine();
        ImGui::TextWrapped("%s", what.c_str());
    } else {
        ImGui::TextUnformatted("");
    }
    name_item("submit_answer");
    if (!sub.record_warning.empty()) { ImGui::TextColored(pal.warn, "%s", sub.record_warning.c_str()); }

    const bool accepted = sub.answered && sub.status == 201;
    ImGui::BeginDisabled(sub.in_flight);
    if (accepted) {
        if (ImGui::Button((std::string(tx(text::submit_close)) + "###submit_close").c_str())) ImGui::CloseCurrentPopup();
    } else if (sub.answered && sub.status == 0) {
        if (ImGui::Button(tx("重试###submit_retry", "Retry###submit_retry"))) send_submit(s);
        if (in_outbox) {
            ImGui::SameLine();
            if (ImGui::Button(tx("打开发件箱###submit_open_outbox", "Open outbox###submit_open_outbox"))) {
                ImGui::CloseCurrentPopup();
                sub.outbox_open_request = true;
            }
        }
    } else {
        // Reaching nobody needs a second, explicit confirmation.
        ImGui::BeginDisabled(sub.reached == 0 && !sub.confirm_nobody);
        if (ImGui::Button(tx("确认提交###submit_confirm", "Confirm###submit_confirm"))) send_submit(s);
        ImGui::EndDisabled();
    }
    ImGui::EndDisabled();
    if (!accepted) {
        ImGui::SameLine();
        ImGui::BeginDisabled(sub.in_flight);
        // Saved in the outbox: nothing to cancel any more, only to close.
        const std::string label = std::string(in_outbox ? tx(text::submit_close) : tx("取消", "Cancel")) + "###submit_cancel";
        if (ImGui::Button(label.c_str())) ImGui::CloseCurrentPopup();
        ImGui::EndDisabled();
    }
    ImGui::EndPopup();
}

void draw_submit_dialog(AppState& s) {
    draw_submit_popup(s);
    // After the submit popup, so "Open outbox" there opens the list in the same frame
    // (the frames an event wakes cover a popup's hidden first frame).
    draw_outbox_dialog(s);
}

nlohmann::ordered_json submit_state_json(const AppState& s) {
    const auto& sub = s.submit;
    nlohmann::ordered_json entries = nlohmann::ordered_json::array();
    for (const OutboxEntry& e : sub.outbox) {
        entries.push_back({{"id", e.id},
                           {"created_at", e.created_at},
                           {"campaign_id", e.campaign_id},
                           {"kind", e.kind},
                           {"kind_origin", kind_origin_text(e.kind, e.origin)},
                           {"audience", e.audience},
                           {"reached", e.reached},
                           {"deliveries", e.deliveries},
                           {"reason", e.reason},
                           {"last_error", e.last_error},
                           {"reason_text", host_message_text(e.last_error.empty() ? e.reason : e.last_error)}});
    }
    const Campaign* c = s.ws.draft();
    std::string server_id, when;
    const bool submitted = c && submitted_as(s, c->id, &server_id, &when);
    return {{"enabled", sub.enabled},
            {"submitted", submitted},
            {"server_id", server_id},
            {"submitted_at", when},
            {"record", s.drafts.submission},
            {"accepted_known", sub.accepted_known},
            {"accepted_count", sub.accepted.size()},
            {"record_warning", sub.record_warning},
            {"dialog_open", sub.dialog_open},
            {"kind_origin", sub.kind_origin},
            {"upload_lines", attachment_upload_lines(s)},
            {"in_flight", sub.in_flight},
            {"answered", sub.answered},
            {"status", sub.status},
            {"key", sub.key},
            {"confirmation",
             {{"group_send", sub.group_send},
              {"senders", sub.senders},
              {"senders_confirming", sub.senders_confirming},
              {"requests", sub.requests},
              {"audience", sub.audience},
              {"reached", sub.reached},
              {"members_reached", sub.members_reached},
              {"members_multi", sub.members_multi}}},
            {"saved_to_outbox", submit_saved_to_outbox(sub)},
            {"response", sub.status == 201 ? std::string() : sub.response},
            {"failure_text", failure_text(sub)},
            {"outbox",
             {{"count", sub.outbox.size()},
              {"dialog_open", sub.outbox_dialog_open},
              {"retrying", sub.outbox_retrying},
              {"retry_accepted", sub.outbox_retry_accepted},
              {"retry_failed", sub.outbox_retry_failed},
              {"storage_error", sub.outbox_storage_error},
              {"entries", std::move(entries)}}}};
}

void submit_answered(AppState& s, int status, const std::string& text) {
    auto& sub = s.submit;
    sub.in_flight = false;
    sub.answered = true;
    sub.status = status;
    sub.response = text;
    sub.error_code.clear();
    sub.error_message.clear();
    sub.error_pointer.clear();
    sub.existing_id.clear();
    sub.error_attachment = -1;
    if (status == 201) sub.id.clear();
    if (status != 0) {
        try {
            auto j = nlohmann::json::parse(sub.response);
            if (status == 201 && j.is_object() && j.contains("id") && j["id"].is_string()) sub.id = j["id"].get<std::string>();
            if (j.is_object() && j.contains("error") && j["error"].is_object()) {
                const auto& e = j["error"];
                if (e.contains("code") && e["code"].is_string()) sub.error_code = e["code"].get<std::string>();
                if (e.contains("message") && e["message"].is_string()) sub.error_message = e["message"].get<std::string>();
                if (e.contains("pointer") && e["pointer"].is_string()) sub.error_pointer = e["pointer"].get<std::string>();
                if (e.contains("id") && e["id"].is_string()) sub.existing_id = e["id"].get<std::string>();
                if (e.contains("attachment") && e["attachment"].is_number_integer())
                    sub.error_attachment = e["attachment"].get<int64_t>();
            }
        } catch (const std::exception&) {
            if (status != 201) sub.error_message = sub.response.substr(0, 300);
        }
        if (status != 201 && sub.error_code.empty()) sub.error_code = "http_" + std::to_string(status);
    }
    submission_answered(s);
}

namespace {
int64_t json_num(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}
}  // namespace

void outbox_set_view(AppState& s, const std::string& json) {
    auto& sub = s.submit;
    const auto j = nlohmann::json::parse(json);
    std::vector<OutboxEntry> entries;
    if (auto it = j.find("entries"); it != j.end() && it->is_array()) {
        for (const auto& e : *it) {
            if (!e.is_object()) continue;
            OutboxEntry x;
            x.id = json_string(e, "id");
            x.created_at = json_string(e, "created_at");
            x.campaign_id = json_string(e, "campaign_id");
            x.kind = json_string(e, "kind");
            x.origin = json_string(e, "origin");
            x.reason = json_string(e, "reason");
            x.last_error = json_string(e, "last_error");
            x.audience = json_num(e, "audience");
            x.reached = json_num(e, "reached");
            x.deliveries = json_num(e, "deliveries");
            entries.push_back(std::move(x));
        }
    }
    sub.outbox = std::move(entries);
    sub.outbox_retrying = j.value("retrying", false);
    sub.outbox_storage_error = json_string(j, "storage_error");
    sub.outbox_retry_accepted = sub.outbox_retry_failed = -1;
    if (const std::string note = json_string(j, "note"); !note.empty()) {
        const auto n = nlohmann::json::parse(note);
        sub.outbox_retry_accepted = static_cast<int>(json_num(n, "accepted"));
        sub.outbox_retry_failed = static_cast<int>(json_num(n, "failed"));
    }
}

}  // namespace rl::ui
