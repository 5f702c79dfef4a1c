#include "ui/submit_dialog.h"

#include <random>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/widgets.h"
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

// Builds the POST body from the current draft, rules and preview; a new Idempotency-Key
// only when the draft version (campaign + rules) changed since the last one.
bool prepare_submit(AppState& s) {
    const PreviewResult* r = s.ws.result();
    const Campaign* c = s.ws.draft();
    if (!r || !c || !s.ws.dataset() || !r->submittable) return false;
    nlohmann::ordered_json body;
    body["campaign"] = s.ws.draft_document();
    if (!s.rules_json.empty()) {
        try {
            body["rules"] = nlohmann::ordered_json::parse(s.rules_json);
        } catch (const std::exception&) {
            body["rules"] = s.ws.preset();
        }
    } else {
        body["rules"] = s.ws.preset();
    }
    const nlohmann::ordered_json version = {{"campaign", body["campaign"]}, {"rules", body["rules"]}};
    const std::string version_text = version.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    body["summary"] = s.ws.summary_json();
    nlohmann::ordered_json requests = rl::wecom_requests(*s.ws.dataset(), *c, *r);
    auto& sub = s.submit;
    if (version_text != sub.key_for || sub.key.empty()) {
        sub.key = new_uuid();
        sub.key_for = version_text;
    }
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
    return true;
}

void send_submit(AppState& s) {
    auto& sub = s.submit;
    if (sub.in_flight || sub.payload.empty()) return;
    sub.answered = false;
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
    track_item(s, "outbox");
    if (ImGui::IsItemHovered() && !has_entries)
        ImGui::SetTooltip("%s", tx("没有待发送的提交", "No submissions waiting to be sent"));
}

// "2026-11-23T03:10:29.123Z" -> "2026-11-23 03:10 UTC"
std::string short_time(const std::string& iso) {
    if (iso.size() < 16) return iso;
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
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
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.9f, 760 * s.dpi_scale), std::min(vp->Size.y * 0.8f, 440 * s.dpi_scale)),
                             ImGuiCond_Appearing);
    const std::string title = std::string(tx("发件箱", "Outbox")) + popup;
    sub.outbox_dialog_open = false;
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    sub.outbox_dialog_open = true;
    const Palette pal = palette(s.dark);
    ImGui::TextWrapped("%s", tx("没有连上服务器时提交的活动保存在本浏览器中。服务器可用时可重新发送，也可下载为 JSON 文件交给管理员。",
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
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(short_time(e.created_at).c_str());
            ImGui::TableNextColumn();
            const double pct = e.audience ? 100.0 * static_cast<double>(e.reached) / static_cast<double>(e.audience) : 0.0;
            ImGui::Text("%s / %s (%.1f%%)", fmt_int(e.reached).c_str(), fmt_int(e.audience).c_str(), pct);
            ImGui::TableNextColumn();
            const std::string& why = e.last_error.empty() ? e.reason : e.last_error;
            ImGui::TextColored(e.last_error.empty() ? pal.muted : pal.bad, "%s",
                               e.last_error.empty() ? tx("待发送", "Waiting") : tx("发送失败", "Send failed"));
            if (ImGui::IsItemHovered() && !why.empty()) ImGui::SetTooltip("%s", why.c_str());
            ImGui::TableNextColumn();
            ImGui::BeginDisabled(sub.outbox_retrying);
            if (ImGui::SmallButton(tx("删除###delete", "Delete###delete"))) remove = e.id;
            ImGui::EndDisabled();
            track_item(s, ("outbox_delete:" + std::to_string(i)).c_str());
            ImGui::PopID();
        }
        ImGui::EndTable();
        if (!remove.empty()) s.host().outbox_remove(remove);
    }
    track_item(s, "outbox_list");

    // The last retry's outcome, or a storage problem.
    if (!sub.outbox_storage_error.empty()) {
        ImGui::TextColored(pal.bad, "%s", sub.outbox_storage_error.c_str());
    } else if (sub.outbox_retrying) {
        ImGui::TextColored(pal.warn, "%s", tx("正在发送…", "Sending…"));
    } else if (sub.outbox_retry_accepted >= 0) {
        const std::string line = fmt(tx("已发送 %s 个，失败 %s 个", "Sent %s, failed %s"),
                                     fmt_int(sub.outbox_retry_accepted).c_str(), fmt_int(sub.outbox_retry_failed).c_str());
        ImGui::TextColored(sub.outbox_retry_failed > 0 ? pal.bad : pal.good, "%s", line.c_str());
    } else {
        ImGui::TextUnformatted("");
    }
    track_item(s, "outbox_note");

    const bool empty = sub.outbox.empty();
    ImGui::BeginDisabled(empty || sub.outbox_retrying);
    if (ImGui::Button(tx("重新发送###outbox_retry", "Retry send###outbox_retry"))) s.host().outbox_retry();
    track_item(s, "outbox_retry");
    ImGui::SameLine();
    if (ImGui::Button(tx("下载 JSON###outbox_download", "Download JSON###outbox_download"))) s.host().outbox_download();
    track_item(s, "outbox_download");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tx("关闭###outbox_close", "Close###outbox_close"))) ImGui::CloseCurrentPopup();
    track_item(s, "outbox_close");
    ImGui::EndPopup();
}

}  // namespace

bool submit_saved_to_outbox(const SubmitState& sub) {
    return sub.answered && sub.status == 0 && !sub.key.empty() && find_outbox_entry(sub, sub.key) != nullptr;
}

void draw_submit_button(AppState& s) {
    const PreviewResult* r = s.ws.result();
    const bool submittable = r && r->submittable && s.ws.dataset();
    s.submit.enabled = submittable && !s.submit.in_flight && !s.ws.recompute_pending();
    ImGui::BeginDisabled(!s.submit.enabled);
    if (ImGui::Button(tr("submit.button")) && prepare_submit(s)) s.submit.open_request = true;
    ImGui::EndDisabled();
    track_item(s, "submit");
    ImGui::SameLine();
    draw_outbox_button(s);
    if (s.submit.in_flight) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr("submit.in_flight"));
    } else if (r && !r->submittable) {
        std::string codes;
        for (const Issue& e : r->errors) codes += (codes.empty() ? "" : ", ") + e.code;
        ImGui::SameLine();
        ImGui::TextColored(palette(s.dark).bad, "%s", fmt(tr("submit.not_submittable"), codes.c_str()).c_str());
        track_item(s, "submit_reason");
    }
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
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.9f, 720 * s.dpi_scale), std::min(vp->Size.y * 0.85f, 560 * s.dpi_scale)),
                             ImGuiCond_Appearing);
    const std::string title = std::string(tr("submit.title")) + popup;
    sub.dialog_open = false;
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    sub.dialog_open = true;
    const Palette pal = palette(s.dark);
    const double pct = sub.audience ? 100.0 * static_cast<double>(sub.reached) / static_cast<double>(sub.audience) : 0.0;
    ImGui::Text("%s %s    %s %s (%.1f%%)    %s %s", tr("preview.audience"), fmt_int(sub.audience).c_str(),
                tr("preview.reached"), fmt_int(sub.reached).c_str(), pct, tr("preview.deliveries"),
                fmt_int(sub.deliveries).c_str());
    track_item(s, "submit_summary");
    ImGui::TextDisabled("%s", tr("submit.requests"));
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("submit.copy"))) ImGui::SetClipboardText(sub.requests_pretty.c_str());
    track_item(s, "submit_copy");
    const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetTextLineHeightWithSpacing() * 2;
    ImGui::InputTextMultiline("##submit_requests", sub.requests_pretty.data(), sub.requests_pretty.size() + 1,
                              ImVec2(-FLT_MIN, std::max(ImGui::GetTextLineHeight() * 4, ImGui::GetContentRegionAvail().y - footer)),
                              ImGuiInputTextFlags_ReadOnly);
    track_item(s, "submit_requests");

    // The server's answer.
    const bool in_outbox = submit_saved_to_outbox(sub);
    if (sub.in_flight) {
        ImGui::TextColored(pal.warn, "%s", tr("submit.in_flight"));
    } else if (in_outbox) {
        ImGui::TextColored(pal.warn, "%s", tx("未连上服务器，已保存到发件箱。", "No server reached: saved to the outbox."));
        ImGui::PushStyleColor(ImGuiCol_Text, pal.muted);
        ImGui::TextWrapped("%s", sub.response.c_str());
        ImGui::PopStyleColor();
    } else if (sub.answered && sub.status == 201) {
        ImGui::TextColored(pal.good, "%s", fmt(tr("submit.accepted"), sub.id.c_str()).c_str());
    } else if (sub.answered) {
        const std::string what = sub.status == 0 ? sub.response
                                                 : "HTTP " + std::to_string(sub.status) + " " + sub.error_code + ": " +
                                                       sub.error_message;
        ImGui::TextColored(pal.bad, "%s", tr("submit.failed"));
        ImGui::SameLine();
        ImGui::TextWrapped("%s", what.c_str());
    } else {
        ImGui::TextUnformatted("");
    }
    track_item(s, "submit_answer");

    const bool accepted = sub.answered && sub.status == 201;
    ImGui::BeginDisabled(sub.in_flight);
    if (accepted) {
        if (ImGui::Button(tr("submit.close"))) ImGui::CloseCurrentPopup();
        track_item(s, "submit_close");
    } else if (sub.answered && sub.status == 0) {
        if (ImGui::Button(tr("submit.retry"))) send_submit(s);
        track_item(s, "submit_retry");
        if (in_outbox) {
            ImGui::SameLine();
            if (ImGui::Button(tx("打开发件箱###submit_open_outbox", "Open outbox###submit_open_outbox"))) {
                ImGui::CloseCurrentPopup();
                sub.outbox_open_request = true;
            }
            track_item(s, "submit_open_outbox");
        }
    } else {
        if (ImGui::Button(tr("submit.confirm"))) send_submit(s);
        track_item(s, "submit_confirm");
    }
    ImGui::EndDisabled();
    if (!accepted) {
        ImGui::SameLine();
        ImGui::BeginDisabled(sub.in_flight);
        // Saved in the outbox: nothing to cancel any more, only to close.
        const std::string label = std::string(in_outbox ? tr("submit.close") : tr("submit.cancel")) + "###submit_cancel";
        if (ImGui::Button(label.c_str())) ImGui::CloseCurrentPopup();
        ImGui::EndDisabled();
        track_item(s, "submit_cancel");
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
                           {"audience", e.audience},
                           {"reached", e.reached},
                           {"deliveries", e.deliveries},
                           {"reason", e.reason},
                           {"last_error", e.last_error}});
    }
    return {{"enabled", sub.enabled},
            {"dialog_open", sub.dialog_open},
            {"in_flight", sub.in_flight},
            {"answered", sub.answered},
            {"status", sub.status},
            {"key", sub.key},
            {"saved_to_outbox", submit_saved_to_outbox(sub)},
            {"response", sub.status == 201 ? std::string() : sub.response},
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
    if (status == 201) sub.id.clear();
    if (status != 0) {
        try {
            auto j = nlohmann::json::parse(sub.response);
            if (status == 201 && j.is_object() && j.contains("id") && j["id"].is_string()) sub.id = j["id"].get<std::string>();
            if (j.is_object() && j.contains("error") && j["error"].is_object()) {
                const auto& e = j["error"];
                if (e.contains("code") && e["code"].is_string()) sub.error_code = e["code"].get<std::string>();
                if (e.contains("message") && e["message"].is_string()) sub.error_message = e["message"].get<std::string>();
            }
        } catch (const std::exception&) {
            if (status != 201) sub.error_message = sub.response.substr(0, 300);
        }
        if (status != 201 && sub.error_code.empty()) sub.error_code = "http_" + std::to_string(status);
    }
}

namespace {
std::string json_str(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
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
            x.id = json_str(e, "id");
            x.created_at = json_str(e, "created_at");
            x.campaign_id = json_str(e, "campaign_id");
            x.kind = json_str(e, "kind");
            x.reason = json_str(e, "reason");
            x.last_error = json_str(e, "last_error");
            x.audience = json_num(e, "audience");
            x.reached = json_num(e, "reached");
            x.deliveries = json_num(e, "deliveries");
            entries.push_back(std::move(x));
        }
    }
    sub.outbox = std::move(entries);
    sub.outbox_retrying = j.value("retrying", false);
    sub.outbox_storage_error = json_str(j, "storage_error");
    sub.outbox_retry_accepted = sub.outbox_retry_failed = -1;
    if (const std::string note = json_str(j, "note"); !note.empty()) {
        const auto n = nlohmann::json::parse(note);
        sub.outbox_retry_accepted = static_cast<int>(json_num(n, "accepted"));
        sub.outbox_retry_failed = static_cast<int>(json_num(n, "failed"));
    }
}

}  // namespace rl::ui
