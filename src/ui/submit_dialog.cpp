#include "ui/submit_dialog.h"

#include <random>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/widgets.h"
#include "core/payload.h"
#include "platform/web_platform.h"

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
    if (!rl::web::submit_campaign(sub.payload, sub.key)) {
        sub.in_flight = false;
        sub.answered = true;
        sub.status = 0;
        sub.response = "submit.js is not loaded";
    }
}

}  // namespace

void draw_submit_button(AppState& s) {
    const PreviewResult* r = s.ws.result();
    const bool submittable = r && r->submittable && s.ws.dataset();
    s.submit.enabled = submittable && !s.submit.in_flight && !s.ws.recompute_pending();
    ImGui::BeginDisabled(!s.submit.enabled);
    if (ImGui::Button(tr("submit.button")) && prepare_submit(s)) s.submit.open_request = true;
    ImGui::EndDisabled();
    track_item(s, "submit");
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

void draw_submit_dialog(AppState& s) {
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
    if (sub.in_flight) {
        ImGui::TextColored(pal.warn, "%s", tr("submit.in_flight"));
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
    } else {
        if (ImGui::Button(tr("submit.confirm"))) send_submit(s);
        track_item(s, "submit_confirm");
    }
    ImGui::EndDisabled();
    if (!accepted) {
        ImGui::SameLine();
        ImGui::BeginDisabled(sub.in_flight);
        if (ImGui::Button(tr("submit.cancel"))) ImGui::CloseCurrentPopup();
        ImGui::EndDisabled();
        track_item(s, "submit_cancel");
    }
    ImGui::EndPopup();
}

nlohmann::ordered_json submit_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
