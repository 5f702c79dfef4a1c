// The dashboard: header (language, theme, rules), data panel, campaign picker, draft
// editor and the preview summary. Every number comes from the engine (Workspace →
// PreviewResult / DatasetSummary); this file only lays them out.
#include "ui/dashboard.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "core/campaign_checks.h"
#include "core/payload.h"
#include "platform/web_platform.h"
#include "ui/customer_table.h"

namespace rl::ui {
namespace {

// ------------------------------------------------------------------ helpers
std::string fmt_int(int64_t v) {
    char raw[32];
    std::snprintf(raw, sizeof raw, "%lld", static_cast<long long>(v < 0 ? -v : v));
    std::string digits = raw, out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return v < 0 ? "-" + out : out;
}

std::string fmt(const char* format, ...) IM_FMTARGS(1);
std::string fmt(const char* format, ...) {
    char buf[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    return buf;
}

const char* kind_text(Kind k) { return tr(k == Kind::Moment ? "kind.moment" : "kind.mass_send"); }
const char* origin_text(Origin o) { return tr(o == Origin::Enterprise ? "origin.enterprise" : "origin.employee"); }

struct Palette {
    ImVec4 accent, good, bad, warn, muted, bar_bg, card_bg;
};

Palette palette(bool dark) {
    if (dark)
        return {ImVec4(0.36f, 0.62f, 1.00f, 1), ImVec4(0.30f, 0.78f, 0.47f, 1), ImVec4(0.95f, 0.42f, 0.40f, 1),
                ImVec4(0.96f, 0.70f, 0.30f, 1), ImVec4(0.62f, 0.64f, 0.70f, 1), ImVec4(1, 1, 1, 0.07f),
                ImVec4(1, 1, 1, 0.04f)};
    return {ImVec4(0.13f, 0.42f, 0.90f, 1), ImVec4(0.10f, 0.58f, 0.30f, 1), ImVec4(0.82f, 0.20f, 0.18f, 1),
            ImVec4(0.78f, 0.48f, 0.05f, 1), ImVec4(0.42f, 0.45f, 0.50f, 1), ImVec4(0, 0, 0, 0.06f),
            ImVec4(0, 0, 0, 0.025f)};
}

bool input_text_multiline(const char* label, std::string* str, const ImVec2& size) {
    return ImGui::InputTextMultiline(label, str, size);  // std::string-backed, misc/cpp/imgui_stdlib
}

void label_value(const char* label, const std::string& value) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", label);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(value.c_str());
}

void section_title(const char* text) {
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.15f);
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
    ImGui::Separator();
}

// A horizontal bar: fraction of the width, with `text` drawn at its right.
void bar(float fraction, const ImVec4& color, const Palette& pal, const char* text) {
    const float height = ImGui::GetFrameHeight() * 0.8f;
    const float text_w = ImGui::CalcTextSize("000,000 (100.0%)").x;
    const float width = std::max(40.0f, ImGui::GetContentRegionAvail().x - text_w - ImGui::GetStyle().ItemSpacing.x);
    ImVec2 p = ImGui::GetCursorScreenPos();
    const float y_off = (ImGui::GetFrameHeight() - height) * 0.5f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = height * 0.3f;
    dl->AddRectFilled(ImVec2(p.x, p.y + y_off), ImVec2(p.x + width, p.y + y_off + height),
                      ImGui::GetColorU32(pal.bar_bg), r);
    const float f = std::clamp(fraction, 0.0f, 1.0f);
    if (f > 0)
        dl->AddRectFilled(ImVec2(p.x, p.y + y_off), ImVec2(p.x + std::max(width * f, 2.0f), p.y + y_off + height),
                          ImGui::GetColorU32(color), r);
    ImGui::Dummy(ImVec2(width, ImGui::GetFrameHeight()));
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
}

// A small card with a big number.
void stat_card(const char* id, const char* label, const std::string& value, const char* note, const ImVec4& color,
               const Palette& pal, float width) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, pal.card_bg);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float h = ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetFontSize() * 1.6f + st.ItemSpacing.y +
                    st.WindowPadding.y * 2;
    ImGui::BeginChild(id, ImVec2(width, h), ImGuiChildFlags_Borders, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextDisabled("%s", label);
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.6f);
    ImGui::TextColored(color, "%s", value.c_str());
    ImGui::PopFont();
    if (note && *note) ImGui::TextDisabled("%s", note);
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

// ------------------------------------------------------------------ panels
void draw_header(AppState& s) {
    const Palette pal = palette(s.dark);
    const float right_edge = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.45f);
    ImGui::TextColored(pal.accent, "%s", tr("app.title"));
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", tr("app.subtitle"));

    // Right-aligned controls: rules preset, language, theme.
    const ImGuiStyle& st = ImGui::GetStyle();
    const float combo_w = ImGui::CalcTextSize("wecom-2025").x + ImGui::GetFrameHeight() + st.FramePadding.x * 2;
    const char* lang_label = s.lang == Lang::Zh ? "English" : "中文";
    const char* theme_label = s.dark ? tr("settings.light") : tr("settings.dark");
    const float lang_w = ImGui::CalcTextSize(lang_label).x + st.FramePadding.x * 2;
    const float theme_w = ImGui::CalcTextSize(theme_label).x + st.FramePadding.x * 2;
    const float preset_label_w = ImGui::CalcTextSize(tr("settings.preset")).x;
    const float total = preset_label_w + st.ItemInnerSpacing.x + combo_w + lang_w + theme_w + st.ItemSpacing.x * 2;
    ImGui::SameLine();
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), right_edge - total));

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("settings.preset"));
    ImGui::SameLine(0, st.ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##preset", s.ws.preset().c_str())) {
        for (const std::string& name : Workspace::presets()) {
            if (ImGui::Selectable(name.c_str(), name == s.ws.preset()) && s.ws.set_preset(name, nullptr))
                s.rules_json.clear();
        }
        ImGui::EndCombo();
    }
    track_item(s, "preset");
    ImGui::SameLine();
    if (ImGui::Button(lang_label)) {
        s.lang = s.lang == Lang::Zh ? Lang::En : Lang::Zh;
        set_language(s.lang);
    }
    track_item(s, "language");
    ImGui::SameLine();
    if (ImGui::Button(theme_label)) {
        s.dark = !s.dark;
        apply_style(s.dark, s.dpi_scale);
    }
    track_item(s, "theme");
}

void draw_data_panel(AppState& s) {
    const Palette pal = palette(s.dark);
    section_title(tr("data.title"));
    if (!s.dataset_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s: %s", tr(s.ws.has_dataset() ? "error.dataset_kept" : "error.dataset"),
                           s.dataset_error.c_str());
        ImGui::PopStyleColor();
    }
    if (!s.ws.has_dataset()) {
        ImGui::TextDisabled("%s", s.loading ? tr("data.loading") : tr("data.none"));
        return;
    }
    const DatasetSummary& d = s.ws.dataset_summary();
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.15f);
    ImGui::TextUnformatted(d.corp_name.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s · %s · %s", d.industry.c_str(), d.verified ? tr("data.verified") : tr("data.unverified"),
                        fmt("UTC%+d", d.tz_offset_minutes / 60).c_str());
    if (ImGui::BeginTable("##data", 2, ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
        label_value(tr("data.employees"),
                    fmt_int(d.employees) + " (" + fmt(tr("data.employees_active"), static_cast<long long>(d.employees_active)) + ")");
        label_value(tr("data.departments"), fmt_int(d.departments));
        label_value(tr("data.customers"), fmt_int(d.customers));
        label_value(tr("data.relations"), fmt_int(d.relations));
        label_value(tr("data.tags"), fmt_int(d.tags));
        label_value(tr("data.deliveries"), fmt_int(d.deliveries));
        label_value(tr("data.not_interested"), fmt_int(d.not_interested));
        label_value(tr("data.scheduled"), fmt_int(d.scheduled));
        label_value(tr("data.date_range"),
                    format_date(d.earliest, d.tz_offset_minutes) + " ~ " + format_date(d.latest, d.tz_offset_minutes));
        label_value(tr("data.now"), format_date_time(d.now, d.tz_offset_minutes));
        ImGui::EndTable();
    }
    ImGui::TextDisabled("%s", fmt(tr("data.load_time"), d.load_ms, d.memory_mb).c_str());
    track_item(s, "data_panel");
}

void draw_campaign_picker(AppState& s) {
    const Palette pal = palette(s.dark);
    section_title(tr("campaign.picker"));
    const auto& files = s.ws.campaign_files();
    for (int i = 0; i < static_cast<int>(files.size()); ++i) {
        const CampaignFile& f = files[i];
        ImGui::PushID(i);
        std::string label = f.error.empty() ? f.id : f.name;
        const bool selected = s.ws.selected_file() == i;
        const float h = ImGui::GetTextLineHeightWithSpacing() * 2;
        if (ImGui::Selectable("##pick", selected, 0, ImVec2(0, h))) {
            std::string err;
            if (!s.ws.select_campaign_file(i, &err)) s.campaign_error = err;
            else s.campaign_error.clear();
        }
        track_item(s, ("campaign:" + f.name).c_str());
        ImVec2 min = ImGui::GetItemRectMin();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec4 text_col = ImGui::GetStyleColorVec4(ImGuiCol_Text);
        dl->AddText(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y), ImGui::GetColorU32(text_col), label.c_str());
        std::string sub = f.error.empty() ? std::string(kind_text(f.kind)) + " · " + origin_text(f.origin) + " · " + f.name
                                          : f.error;
        dl->AddText(ImVec2(min.x + ImGui::GetStyle().FramePadding.x, min.y + ImGui::GetTextLineHeightWithSpacing()),
                    ImGui::GetColorU32(f.error.empty() ? pal.muted : pal.bad), sub.c_str());
        ImGui::PopID();
    }
    if (!s.campaign_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s", s.campaign_error.c_str());
        ImGui::PopStyleColor();
    }
}

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

void draw_draft(AppState& s, double now) {
    section_title(tr("campaign.draft"));
    const Campaign* c = s.ws.draft();
    if (!c) {
        ImGui::TextDisabled("%s", tr("campaign.none"));
        return;
    }
    const int tz = s.ws.has_dataset() ? s.ws.dataset_summary().tz_offset_minutes : 480;
    std::string senders;
    if (c->sender_users.empty() && c->sender_departments.empty()) {
        senders = tr("campaign.senders_all");
    } else {
        for (const IdRef& u : c->sender_users) senders += (senders.empty() ? "" : ", ") + u.id;
        for (const IntIdRef& d : c->sender_departments)
            senders += (senders.empty() ? "#" : ", #") + std::to_string(d.id);
    }
    ImGui::TextDisabled("%s", tr("campaign.id"));
    ImGui::SameLine();
    ImGui::TextUnformatted(c->id.c_str());
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", tr("campaign.kind"));
    ImGui::SameLine();
    ImGui::Text("%s · %s", kind_text(c->kind), origin_text(c->origin));
    ImGui::TextDisabled("%s", tr("campaign.send_time"));
    ImGui::SameLine();
    ImGui::TextUnformatted(c->send_time ? format_date_time(*c->send_time, tz).c_str() : tr("campaign.send_time_now"));
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", tr("campaign.senders"));
    ImGui::SameLine();
    ImGui::TextUnformatted(senders.c_str());
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", tr("campaign.attachments"));
    ImGui::SameLine();
    ImGui::Text("%d", static_cast<int>(c->content.attachments.size()));

    ImGui::TextDisabled("%s", tr("campaign.text"));
    std::string* text = s.ws.draft_text();
    // A new id per external replacement: ImGui drops its edit state for the old text.
    ImGui::PushID(s.ws.draft_revision());
    if (s.focus_request == "draft_text") {
        ImGui::SetKeyboardFocusHere();
        s.focus_request.clear();
    }
    const float h = std::max(ImGui::GetTextLineHeight() * 3.0f, ImGui::GetContentRegionAvail().y -
                                                                   ImGui::GetTextLineHeightWithSpacing() * 1.2f -
                                                                   ImGui::GetFrameHeightWithSpacing());
    if (input_text_multiline("##draft_text", text, ImVec2(-FLT_MIN, h))) s.ws.draft_text_changed(now);
    track_item(s, "draft_text");
    ImGui::PopID();
    ImGui::TextDisabled("%s", fmt(tr("campaign.text_stats"), static_cast<int>(utf8_code_points(*text)),
                                  static_cast<int>(text->size())).c_str());
    draw_submit_button(s);
}

void draw_preview(AppState& s) {
    const Palette pal = palette(s.dark);
    section_title(tr("preview.title"));
    const PreviewResult* r = s.ws.result();
    if (!r) {
        ImGui::TextDisabled("%s", s.ws.recompute_pending() ? tr("preview.pending") : tr("campaign.none"));
        return;
    }
    // Status line: submittable, recompute time.
    ImGui::TextColored(r->submittable ? pal.good : pal.bad, "● %s",
                       r->submittable ? tr("preview.submittable") : tr("preview.not_submittable"));
    track_item(s, "submittable");
    ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
    ImGui::TextDisabled("%s", fmt(tr("preview.recompute"), s.ws.last_recompute_ms()).c_str());
    track_item(s, "recompute_time");
    if (s.ws.recompute_pending()) {
        ImGui::SameLine();
        ImGui::TextColored(pal.warn, "%s", tr("preview.pending"));
    }

    // Cards.
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float card_w = (ImGui::GetContentRegionAvail().x - spacing * 3) / 4;
    const double pct = r->audience ? 100.0 * static_cast<double>(r->reached) / static_cast<double>(r->audience) : 0.0;
    stat_card("##c_aud", tr("preview.audience"), fmt_int(r->audience), "", pal.accent, pal, card_w);
    track_item(s, "audience");
    ImGui::SameLine();
    stat_card("##c_reach", tr("preview.reached"), fmt_int(r->reached), fmt("%.1f%%", pct).c_str(), pal.good, pal, card_w);
    track_item(s, "reached");
    ImGui::SameLine();
    stat_card("##c_del", tr("preview.deliveries"), fmt_int(r->deliveries), "", pal.accent, pal, card_w);
    track_item(s, "deliveries");
    ImGui::SameLine();
    stat_card("##c_send", tr("campaign.senders"), fmt_int(static_cast<int64_t>(r->senders.size())), "", pal.accent, pal,
              card_w);

    // Blocked reasons, largest first; the reached share on top for scale.
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("preview.blocked"));
    std::vector<std::pair<int64_t, uint16_t>> rows;
    for (size_t code = 1; code < r->blocked_customers.size(); ++code)
        if (r->blocked_customers[code] > 0) rows.push_back({r->blocked_customers[code], static_cast<uint16_t>(code)});
    std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first > b.first; });
    if (ImGui::BeginTable("##blocked", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("bar", ImGuiTableColumnFlags_WidthStretch);
        auto row = [&](const char* label, const std::string& code, int64_t n, const ImVec4& col) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(label);
            if (ImGui::IsItemHovered() && !code.empty()) ImGui::SetTooltip("%s", code.c_str());
            ImGui::TableNextColumn();
            const double p = r->audience ? static_cast<double>(n) / static_cast<double>(r->audience) : 0.0;
            bar(static_cast<float>(p), col, pal, fmt("%s (%.1f%%)", fmt_int(n).c_str(), p * 100).c_str());
        };
        row(reason_text("reached"), "reached", r->reached, pal.good);
        for (auto& [n, code] : rows) {
            const std::string& label = r->reason_label(code);
            const bool quota = label.rfind("quota:", 0) == 0 || label.rfind("policy:", 0) == 0;
            row(reason_text(label), label, n, quota ? pal.warn : pal.bad);
        }
        ImGui::EndTable();
    }
    track_item(s, "blocked");
    if (rows.empty() && r->audience > 0) ImGui::TextColored(pal.good, "%s", tr("preview.blocked_none"));

    // Errors and warnings.
    ImGui::Spacing();
    if (r->errors.empty()) {
        ImGui::TextColored(pal.good, "%s", tr("preview.errors_none"));
    } else {
        ImGui::TextColored(pal.bad, "%s (%d)", tr("preview.errors"), static_cast<int>(r->errors.size()));
        for (const Issue& e : r->errors) {
            ImGui::Bullet();
            ImGui::TextColored(pal.bad, "%s", e.code.c_str());
            ImGui::SameLine();
            ImGui::TextWrapped("%s", e.message.c_str());
        }
    }
    track_item(s, "errors");
    if (!r->warnings.empty()) {
        if (ImGui::TreeNode("##warnings", "%s", fmt(tr("preview.warnings"), static_cast<int>(r->warnings.size())).c_str())) {
            for (const Issue& w : r->warnings) {
                ImGui::Bullet();
                ImGui::TextWrapped("%s: %s", w.code.c_str(), w.message.c_str());
            }
            ImGui::TreePop();
        }
    }

    // Impact on scheduled campaigns (those whose reach changes).
    int changed = 0;
    for (const ImpactEntry& e : r->impact) changed += e.reached_before != e.reached_after;
    if (changed > 0 && ImGui::TreeNodeEx("##impact", ImGuiTreeNodeFlags_DefaultOpen, "%s (%d)", tr("preview.impact"), changed)) {
        if (ImGui::BeginTable("##impact_t", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn(tr("preview.impact_campaign"));
            ImGui::TableSetupColumn(tr("preview.impact_before"));
            ImGui::TableSetupColumn(tr("preview.impact_after"));
            ImGui::TableHeadersRow();
            for (const ImpactEntry& e : r->impact) {
                if (e.reached_before == e.reached_after) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(e.campaign_id.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(fmt_int(e.reached_before).c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(pal.bad, "%s", fmt_int(e.reached_after).c_str());
            }
            ImGui::EndTable();
        }
        ImGui::TreePop();
    }
}

void draw_ui_error(AppState& s) {
    if (s.ui_error.empty()) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.8f, 640 * s.dpi_scale), 0));
    if (ImGui::Begin(tr("error.title"), nullptr, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextWrapped("%s", tr("error.ui"));
        ImGui::PushStyleColor(ImGuiCol_Text, palette(s.dark).bad);
        ImGui::TextWrapped("%s", s.ui_error.c_str());
        ImGui::PopStyleColor();
        if (ImGui::Button(tr("error.dismiss"))) s.ui_error.clear();
        track_item(s, "error_dismiss");
    }
    ImGui::End();
}

}  // namespace

void track_item(AppState& state, const char* name) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    state.items[name] = ItemRect{a.x, a.y, b.x - a.x, b.y - a.y, state.frame};
}

void apply_style(bool dark, float dpi_scale) {
    ImGuiStyle style;  // fresh sizes: ScaleAllSizes multiplies
    if (dark) ImGui::StyleColorsDark(&style);
    else ImGui::StyleColorsLight(&style);
    style.WindowRounding = 6;
    style.ChildRounding = 6;
    style.FrameRounding = 4;
    style.PopupRounding = 4;
    style.GrabRounding = 4;
    style.WindowPadding = ImVec2(12, 10);
    style.FramePadding = ImVec2(8, 4);
    style.ItemSpacing = ImVec2(8, 6);
    style.CellPadding = ImVec2(6, 3);
    style.ScrollbarSize = 12;
    if (dark) {
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(0.13f, 0.14f, 0.17f, 1);
    } else {
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.969f, 0.976f, 1);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
        style.Colors[ImGuiCol_Border] = ImVec4(0, 0, 0, 0.10f);
        style.Colors[ImGuiCol_FrameBg] = ImVec4(0.94f, 0.95f, 0.96f, 1);
    }
    style.ScaleAllSizes(dpi_scale);
    style.FontSizeBase = kBaseFontSize;
    style.FontScaleDpi = dpi_scale;
    ImGui::GetStyle() = style;
}

void draw_dashboard(AppState& s, double now) {
    ++s.frame;
    if (s.debug_fail == 1) {
        s.debug_fail = 0;
        throw std::runtime_error("debug failure requested by rl_debug_fail(1)");
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    const ImGuiWindowFlags root_flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("##reachlens", nullptr, root_flags);
    draw_header(s);
    ImGui::Spacing();

    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float left_w = std::clamp(avail_w * 0.30f, 260.0f * s.dpi_scale, 420.0f * s.dpi_scale);
    ImGui::BeginChild("##left", ImVec2(left_w, 0), ImGuiChildFlags_Borders);
    draw_data_panel(s);
    ImGui::Spacing();
    draw_campaign_picker(s);
    ImGui::EndChild();
    ImGui::SameLine();

    ImGui::BeginChild("##right", ImVec2(0, 0), ImGuiChildFlags_None);
    // Title, campaign facts, label and stats take about 6.5 lines; the editor gets the rest.
    const float editor_h = std::max(ImGui::GetContentRegionAvail().y * 0.36f,
                                    ImGui::GetTextLineHeightWithSpacing() * 10.5f);
    ImGui::BeginChild("##draft", ImVec2(0, editor_h), ImGuiChildFlags_Borders);
    draw_draft(s, now);
    ImGui::EndChild();
    // The preview and, below it, the per-customer table share the rest.
    const float preview_h = std::max(ImGui::GetContentRegionAvail().y * 0.45f, ImGui::GetTextLineHeightWithSpacing() * 4);
    ImGui::BeginChild("##preview", ImVec2(0, preview_h), ImGuiChildFlags_Borders);
    draw_preview(s);
    ImGui::EndChild();
    track_item(s, "preview_panel");
    ImGui::BeginChild("##customers", ImVec2(0, 0), ImGuiChildFlags_Borders);
    draw_customer_table(s);
    ImGui::EndChild();
    ImGui::EndChild();
    ImGui::End();

    draw_submit_dialog(s);
    draw_ui_error(s);
}

}  // namespace rl::ui
