#include "ui/reconcile_panel.h"

#include <algorithm>

#include <imgui.h>
#include "misc/cpp/imgui_stdlib.h"

#include "ui/app_state.h"
#include "ui/customer_view.h"
#include "ui/dashboard.h"
#include "core/read/input_error.h"
#include "ui/i18n.h"
#include "ui/submit_dialog.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {

namespace {

const char* actual_text(Actual a) {
    switch (a) {
        case Actual::Delivered: return tx("已送达", "delivered");
        case Actual::FailedQuota: return tx("失败：额度", "failed: quota");
        case Actual::FailedNotFriend: return tx("失败：非好友", "failed: not a friend");
        case Actual::NotExecuted: return tx("成员未执行", "not carried out");
        case Actual::Hidden: return tx("未展示", "not shown");
        case Actual::Unknown: return tx("无记录", "no record");
    }
    return "?";
}

// The derived lists, rebuilt whenever a reconciliation is made.
void index_reconciliation(ReconcilePanelState& st, const Dataset& d) {
    st.differ.clear();
    st.missed_order.clear();
    if (!st.rec) return;
    const Reconciliation& r = *st.rec;
    for (uint32_t c : d.by_external_userid) {
        if (r.actual[c] == kNoActual) continue;
        bool counted = false;
        if (!prediction_agrees(r.preview.verdict[c], static_cast<Actual>(r.actual[c]), counted) && counted)
            st.differ.push_back(c);
    }
    for (size_t i = 0; i < r.senders.size(); ++i)
        if (r.senders[i].executed < r.senders[i].tasks) st.missed_order.push_back(i);
    std::stable_sort(st.missed_order.begin(), st.missed_order.end(), [&](size_t a, size_t b) {
        return r.senders[a].tasks - r.senders[a].executed > r.senders[b].tasks - r.senders[b].executed;
    });
}

bool reconcile_now(AppState& s, const std::string& text, const std::string& source) {
    ReconcilePanelState& st = s.reconcile;
    const Dataset* d = s.ws.dataset();
    if (!d || !s.ws.draft()) {
        st.error = {"reconcile.no_draft", {}, "Load a tenant and a draft first.", {}};
        return false;
    }
    // An accepted draft stands among the scheduled campaigns, maybe renamed by the server:
    // that entry is left off, as in the draft's preview, so the campaign is not counted twice.
    const size_t own = s.ws.draft_scheduled_index();
    const std::string scheduled_id = own < d->scheduled.size() ? d->scheduled[own].id : std::string();
    try {
        Results results = rl::load_results(text, source, *d);
        Reconciliation rec = reconcile(*d, *s.ws.draft(), s.ws.rules(), results, scheduled_id);
        st.rec = std::move(rec);
        st.results_text = text;
        st.results_source = source;
        st.key_rules = s.ws.rules_revision();
        st.error.clear();
        index_reconciliation(st, *d);
        return true;
    } catch (const InputError& e) {  // the file, the place (/responses/3/body/...), the problem, worded
        st.error = {};
        st.error.input = e;
        return false;
    } catch (const std::exception& e) {
        st.error = {"input.uncoded", {param_text("problem", e.what())}, e.what(), {}};
        return false;
    }
}

// Why the server's stored results could not be read, worded when drawn.
std::string stored_problem_text(const ReconcilePanelState& st) {
    // A 200 whose results did not load says why in `error`.
    if (st.stored != ReconcilePanelState::Stored::Failed || st.stored_status == 200) return {};
    if (st.stored_status == 0) return host_message_text(st.stored_message);
    return server_error_text(st.stored_status, st.stored_code, st.stored_message);
}

std::string department_names(const Dataset& d, uint32_t employee) {
    std::string out;
    if (employee == kNone) return out;
    for (uint32_t dep : d.employees[employee].departments) {
        if (!out.empty()) out += "、";
        out += d.departments[dep].name;
    }
    return out;
}

}  // namespace

bool load_results(AppState& s, const std::string& text, const std::string& source) { return reconcile_now(s, text, source); }

void stored_results_answered(AppState& s, const std::string& server_id, int status, const std::string& text) {
    ReconcilePanelState& st = s.reconcile;
    if (server_id != st.stored_server_id || st.stored != ReconcilePanelState::Stored::Asking) return;  // a stale answer
    st.stored_status = status;
    st.stored_code.clear();
    st.stored_message.clear();
    if (status == 200) {
        const bool loaded = reconcile_now(s, text, "campaigns/" + server_id + "/results");
        st.stored = loaded ? ReconcilePanelState::Stored::Loaded : ReconcilePanelState::Stored::Failed;
        return;
    }
    nlohmann::json body = nlohmann::json::parse(text, nullptr, false);
    std::string code, message;
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        code = body["error"].value("code", std::string());
        message = body["error"].value("message", std::string());
    }
    if (status == 404 && code == "no_results") {
        st.stored = ReconcilePanelState::Stored::Absent;
        return;
    }
    st.stored = ReconcilePanelState::Stored::Failed;
    st.stored_code = status == 0 ? std::string() : code;
    st.stored_message = status == 0 ? text : message;
}

namespace {

// For a draft the server accepted: its stored results, asked for once per campaign (and on
// "refresh"), loaded when they exist; says so plainly when none exist yet.
void draw_stored_results(AppState& s) {
    ReconcilePanelState& st = s.reconcile;
    using Stored = ReconcilePanelState::Stored;
    std::string server_id;
    if (!draft_accepted(s, &server_id)) {
        st.stored = Stored::Idle;
        st.stored_server_id.clear();
        return;
    }
    auto ask = [&] {
        st.stored_server_id = server_id;
        st.stored = s.host().fetch_stored_results(server_id) ? Stored::Asking : Stored::NoServer;
    };
    if (st.stored_server_id != server_id) ask();
    const Palette pal = palette(s.dark);
    ImGui::BeginDisabled(st.stored == Stored::Asking);
    if (ImGui::SmallButton(tx("刷新###results_stored_refresh", "Refresh###results_stored_refresh"))) ask();
    ImGui::EndDisabled();
    ImGui::SameLine();
    // One line about the server's results, wrapped (a narrow window keeps all of it).
    auto say = [&](const ImVec4& colour, const std::string& text) {
        ImGui::PushStyleColor(ImGuiCol_Text, colour);
        ImGui::TextWrapped("%s", text.c_str());
        ImGui::PopStyleColor();
    };
    const char* id = server_id.c_str();
    switch (st.stored) {
        case Stored::Asking:
            say(pal.muted, fmt(tx("正在向服务器读取已提交活动（服务器编号 %s）的发送结果…",
                                  "Reading the stored send results of the accepted campaign (server id %s)…"),
                               id));
            break;
        case Stored::Absent:
            say(pal.warn, fmt(tx("已提交活动（服务器编号 %s）还没有发送结果：企业微信的结果提交到服务器后会显示在这里。",
                                 "No send results yet for the accepted campaign (server id %s): they show here once "
                                 "WeCom's results are posted to the server."),
                              id));
            break;
        case Stored::Loaded:
            say(pal.good, fmt(tx("已载入服务器上已提交活动（服务器编号 %s）的发送结果。",
                                 "Loaded the server's send results of the accepted campaign (server id %s)."),
                              id));
            break;
        case Stored::Failed:
            say(pal.bad, fmt(tx("读取服务器上的发送结果失败（服务器编号 %s）。",
                                "Could not read the server's send results (server id %s)."),
                             id) +
                             " " + stored_problem_text(st));
            break;
        case Stored::NoServer:
            say(pal.muted, tx("没有连上服务器，无法读取已提交活动的发送结果。",
                              "No server to read the accepted campaign's send results from."));
            break;
        case Stored::Idle: break;
    }
    name_item("results_stored");
}

const char* stored_state_name(ReconcilePanelState::Stored v) {
    switch (v) {
        case ReconcilePanelState::Stored::Idle: return "idle";
        case ReconcilePanelState::Stored::NoServer: return "no_server";
        case ReconcilePanelState::Stored::Asking: return "asking";
        case ReconcilePanelState::Stored::Absent: return "none";
        case ReconcilePanelState::Stored::Loaded: return "loaded";
        case ReconcilePanelState::Stored::Failed: return "failed";
    }
    return "?";
}

}  // namespace

void draw_reconcile_panel(AppState& s, double now) {
    (void)now;
    ReconcilePanelState& st = s.reconcile;
    const Palette pal = palette(s.dark);
    const Dataset* d = s.ws.dataset();
    // The rules changed since (e.g. the switch below): the same results under the new rules.
    if (st.rec && st.key_rules != s.ws.rules_revision()) reconcile_now(s, st.results_text, st.results_source);

    draw_stored_results(s);
    ImGui::TextWrapped(
        "%s",
        tx("粘贴或选择企业微信返回的发送结果（reachlens.results/1），与发送前的预测逐个客户对账。",
           "Paste or pick WeCom's answers after the send (reachlens.results/1) to check the forecast customer by customer."));
    ImGui::InputTextMultiline("###results_paste", &st.paste, ImVec2(-1, 70 * s.dpi_scale));
    if (ImGui::Button(tx("对账###results_load", "Reconcile###results_load"))) reconcile_now(s, st.paste, "results.json");
    ImGui::SameLine();
    if (ImGui::Button(tx("选择文件…###results_file", "Choose file…###results_file")))
        st.picker_missing = !s.host().pick_results_file();
    if (st.picker_missing)
        ImGui::TextColored(pal.warn, "%s",
                           tx("此页面不能打开文件，请粘贴结果。", "This page cannot open files: paste the results."));
    if (!st.results_source.empty() && st.rec) {
        ImGui::SameLine();
        ImGui::TextColored(pal.muted, "%s", st.results_source.c_str());
    }
    error_text(s, message_text(st.error));
    if (!st.rec || !d) return;
    const Reconciliation& r = *st.rec;

    ImGui::Separator();
    ImGui::Text("%s %.1f%%  ·  %s %s  ·  %s %s  ·  %s %s", tx("预测准确率", "Accuracy"), r.accuracy * 100, tx("一致", "agree"),
                fmt_int(r.agree).c_str(), tx("不一致", "disagree"), fmt_int(r.disagree).c_str(),
                tx("受众外记录", "rows outside the audience"), fmt_int(r.outside_audience_rows).c_str());

    // Heat map: predicted (rows) x actual (columns).
    section_title(tx("预测与实际", "Forecast against outcome"));
    int64_t top = 1;
    for (const auto& row : r.matrix)
        for (int64_t v : row) top = std::max(top, v);
    if (ImGui::BeginTable("matrix", int(kActualCount) + 1, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn(tx("预测 \\ 实际", "forecast \\ outcome"));
        for (size_t a = 0; a < kActualCount; ++a) ImGui::TableSetupColumn(actual_text(static_cast<Actual>(a)));
        ImGui::TableHeadersRow();
        for (size_t code = 0; code < r.matrix.size(); ++code) {
            int64_t total = 0;
            for (int64_t v : r.matrix[code]) total += v;
            if (!total) continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string& label = r.preview.reason_labels[code];
            ImGui::TextUnformatted(code == kReached ? tx("可触达", "reached") : reason_text(label));
            for (size_t a = 0; a < kActualCount; ++a) {
                ImGui::TableNextColumn();
                const int64_t v = r.matrix[code][a];
                bool counted = false;
                const bool agrees = prediction_agrees(static_cast<uint16_t>(code), static_cast<Actual>(a), counted);
                if (v) {
                    ImVec4 c = !counted ? pal.muted : agrees ? pal.good : pal.bad;
                    c.w = 0.15f + 0.85f * float(v) / float(top);
                    ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ImGui::GetColorU32(c));
                    ImGui::TextUnformatted(fmt_int(v).c_str());
                }
            }
        }
        ImGui::EndTable();
    }

    // Which rules explain it best.
    section_title(tx("最符合的规则", "Rules that fit best"));
    for (size_t i = 0; i < r.rules_fit.size(); ++i) {
        const RulesFit& f = r.rules_fit[i];
        ImGui::Text("%s%s  %.1f%%", i == 0 ? "★ " : "   ", f.rules.c_str(), f.accuracy * 100);
        if (i == 0 && f.setting != "given" && f.accuracy > r.accuracy) {
            ImGui::SameLine();
            if (ImGui::SmallButton(tx("切换到此规则###results_use_best", "Use these rules###results_use_best"))) {
                for (RulesCandidate& c : rules_fit_candidates(s.ws.rules()))
                    if ((c.rules.name.empty() ? c.setting : c.rules.name) == f.rules) {
                        s.ws.set_rules(std::move(c.rules), f.rules);
                        s.rules_json.clear();
                        break;
                    }
            }
        }
    }

    // Employees who did not carry out their task, most missed customers first.
    section_title(tx("未执行的成员", "Employees who did not send"));
    if (st.missed_order.empty())
        ImGui::TextColored(pal.good, "%s", tx("所有成员都已执行。", "Every employee carried out the task."));
    if (!st.missed_order.empty() &&
        ImGui::BeginTable("missed", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY, ImVec2(0, 160 * s.dpi_scale))) {
        ImGui::TableSetupColumn(tx("成员", "Employee"));
        ImGui::TableSetupColumn(tx("部门", "Department"));
        ImGui::TableSetupColumn(tx("漏发客户", "Missed"));
        ImGui::TableSetupColumn(tx("执行率", "Rate"));
        ImGui::TableHeadersRow();
        for (size_t i : st.missed_order) {
            const SenderExecution& e = r.senders[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%s (%s)", e.employee != kNone ? d->employees[e.employee].name.c_str() : "", e.userid.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(department_names(*d, e.employee).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt_int(e.tasks - e.executed).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.0f%%", e.tasks ? 100.0 * double(e.executed) / double(e.tasks) : 100.0);
        }
        ImGui::EndTable();
    }

    // Customers where the forecast and the outcome differ.
    section_title(tx("预测与实际不符的客户", "Customers the forecast got wrong"));
    if (st.differ.empty()) ImGui::TextColored(pal.good, "%s", tx("没有。", "None."));
    ImGuiListClipper clip;
    if (!st.differ.empty() && ImGui::BeginChild("differ", ImVec2(0, 160 * s.dpi_scale))) {
        clip.Begin(static_cast<int>(st.differ.size()));
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const uint32_t c = st.differ[size_t(i)];
                const uint16_t v = r.preview.verdict[c];
                std::string line = std::string(d->external_userid(c)) + "  " +
                                   (v == kReached ? tx("可触达", "reached") : reason_text(r.preview.reason_labels[v])) + " → " +
                                   actual_text(static_cast<Actual>(r.actual[c]));
                ImGui::PushID(i);
                if (ImGui::Selectable(line.c_str())) show_customer(s, c);
                ImGui::PopID();
            }
    }
    if (!st.differ.empty()) ImGui::EndChild();
}

nlohmann::ordered_json reconcile_state_json(const AppState& s) {
    const ReconcilePanelState& st = s.reconcile;
    nlohmann::ordered_json out;
    out["error"] = message_text(st.error);
    out["source"] = st.rec ? st.results_source : std::string();
    out["stored"] = {
        {"server_id", st.stored_server_id}, {"state", stored_state_name(st.stored)}, {"problem", stored_problem_text(st)}};
    out["differ"] = st.differ.size();
    out["reconcile"] = st.rec && s.ws.dataset() ? reconcile_json(*s.ws.dataset(), *st.rec) : nlohmann::ordered_json();
    return out;
}

}  // namespace rl::ui
