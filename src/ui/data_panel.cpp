#include "ui/data_panel.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/read/input_error.h"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {

std::string megabytes(double bytes) {
    const double mb = bytes / (1024.0 * 1024.0);
    return fmt(mb < 10 ? "%.1f MB" : "%.0f MB", mb);
}

// "12.3 / 160 MB" (or just the bytes read when the size is unknown).
std::string progress_text(const DataPanelState& d) {
    if (d.parsing && d.parse_in_worker) return fmt(tx("正在解析… %.0f%%", "Parsing… %.0f%%"), d.parse_progress * 100);
    if (d.parsing && d.parse_progress > 0) return fmt(tx("正在载入… %.0f%%", "Loading… %.0f%%"), d.parse_progress * 100);
    if (d.parsing && d.parse_on_page)
        return tx("正在解析…（此页面无法使用后台线程，页面可能暂停片刻）",
                  "Parsing… (no background worker on this page: it may pause for a moment)");
    if (d.parsing) return tx("正在解析…", "Parsing…");
    if (d.total_bytes > 0) return megabytes(d.loaded_bytes) + " / " + megabytes(d.total_bytes);
    return megabytes(d.loaded_bytes);
}

// A thin progress bar across the available width; indeterminate (a full, faint bar)
// when the size is unknown or while parsing.
void progress_bar(const DataPanelState& d, const Palette& pal, float width) {
    const float h = std::max(4.0f, ImGui::GetFontSize() * 0.35f);
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), ImGui::GetColorU32(pal.bar_bg), h * 0.5f);
    const bool known = d.parsing ? d.parse_progress > 0 : d.total_bytes > 0;
    const double done = d.parsing ? d.parse_progress : d.progress;
    const float f = known ? static_cast<float>(std::clamp(done, 0.0, 1.0)) : 1.0f;
    ImVec4 c = pal.accent;
    if (!known) c.w = 0.45f;
    if (f > 0) dl->AddRectFilled(p, ImVec2(p.x + std::max(width * f, h), p.y + h), ImGui::GetColorU32(c), h * 0.5f);
    ImGui::Dummy(ImVec2(width, h));
}

bool url_is_loadable(const std::string& url) { return !url.empty() && url.find_first_not_of(" \t") != std::string::npos; }

void draw_sources(AppState& s) {
    DataPanelState& d = s.data_panel;
    const Palette pal = palette(s.dark);
    ImGui::BeginDisabled(d.busy);
    if (ImGui::Button(tx("打开文件…###data_open_file", "Open file…###data_open_file"))) s.host().data_open_file_picker();
    ImGui::SameLine();
    if (ImGui::Button(tx("演示数据###data_demo", "Demo tenant###data_demo"))) s.host().data_load_demo();
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s", tx("或把 JSON 文件拖到页面上", "or drop a JSON file on the page"));

    const float load_w = ImGui::CalcTextSize(tx("从 URL 加载", "Load URL")).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetNextItemWidth(std::max(80.0f, ImGui::GetContentRegionAvail().x - load_w - ImGui::GetStyle().ItemSpacing.x));
    const bool enter =
        ImGui::InputTextWithHint("###data_url", "https://…/dataset.json", &d.url, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    ImGui::BeginDisabled(!url_is_loadable(d.url));
    if ((ImGui::Button(tx("从 URL 加载###data_load_url", "Load URL###data_load_url")) || enter) && url_is_loadable(d.url))
        s.host().data_load_url(d.url);
    ImGui::EndDisabled();
    ImGui::EndDisabled();

    if (d.busy) {
        ImGui::Spacing();
        ImGui::TextUnformatted(fmt("%s %s", tx("正在加载", "Loading"), d.busy_source.c_str()).c_str());
        const float cancel_w = ImGui::CalcTextSize(tx("取消", "Cancel")).x + ImGui::GetStyle().FramePadding.x * 2;
        const float bar_w = std::max(60.0f, ImGui::GetContentRegionAvail().x - cancel_w - ImGui::GetStyle().ItemSpacing.x);
        const float y = ImGui::GetCursorPosY();
        ImGui::SetCursorPosY(y + (ImGui::GetFrameHeight() - std::max(4.0f, ImGui::GetFontSize() * 0.35f)) * 0.5f);
        progress_bar(d, pal, bar_w);
        ImGui::SameLine();
        ImGui::SetCursorPosY(y);
        // Also while the engine loads: a sliced load stops between steps (a JSON parse cannot).
        if (ImGui::Button(tx("取消###data_cancel", "Cancel###data_cancel"))) s.host().data_cancel();
        ImGui::TextDisabled("%s", progress_text(d).c_str());
    }
}

}  // namespace

void draw_data_panel(AppState& s) {
    const Palette pal = palette(s.dark);
    section_title(tx("载入数据", "Load data"));
    draw_sources(s);
    ImGui::Spacing();

    if (!s.dataset_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(pal.bad.x, pal.bad.y, pal.bad.z, 0.08f));
        ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(pal.bad.x, pal.bad.y, pal.bad.z, 0.45f));
        ImGui::BeginChild("###data_error", ImVec2(0, 0), ImGuiChildFlags_Borders | ImGuiChildFlags_AutoResizeY);
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::TextWrapped("%s", s.ws.has_dataset()
                                     ? tx("未能载入数据，仍使用之前的数据：", "Not loaded; the previous data stays:")
                                     : tx("未能载入数据：", "Not loaded:"));
        ImGui::PopStyleColor();
        ImGui::TextWrapped("%s", dataset_error_text(s).c_str());
        ImGui::EndChild();
        ImGui::PopStyleColor(2);
        ImGui::Spacing();
    }

    section_title(tx("数据概况", "Tenant data"));
    if (!s.ws.has_dataset()) {
        ImGui::TextDisabled("%s", s.loading ? tx("正在载入数据…", "Loading data…") : tx("尚未载入数据", "No dataset loaded"));
        return;
    }
    const model::DatasetSummary& d = s.ws.dataset_summary();
    ImGui::PushFont(nullptr, ImGui::GetStyle().FontSizeBase * 1.2f);
    ImGui::TextUnformatted(d.corp_name.c_str());
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, d.verified ? pal.good : pal.muted);
    ImGui::TextUnformatted(d.verified ? tx("已认证", "verified") : tx("未认证", "not verified"));
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextDisabled("· %s · %s", term_text(d.industry).c_str(), fmt("UTC%+d", d.tz_offset_minutes / 60).c_str());
    ImGui::Spacing();

    // The four numbers a marketer checks first, as cards; the rest in a table.
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float card_w = (ImGui::GetContentRegionAvail().x - gap) * 0.5f;
    count_card(s, "##card_customers", tx(text::data_customers), d.customers, "", pal.accent, pal, card_w);
    ImGui::SameLine();
    count_card(s, "##card_employees", tx("成员", "Employees"), d.employees,
               fmt(tx("在职 %lld", "%lld active"), static_cast<long long>(d.employees_active)).c_str(), pal.accent, pal, card_w);
    count_card(s, "##card_relations", tx("好友关系", "Relations"), d.relations, "", pal.accent, pal, card_w);
    ImGui::SameLine();
    count_card(s, "##card_deliveries", tx("历史送达", "Past deliveries"), d.deliveries, "", pal.accent, pal, card_w);
    ImGui::Spacing();

    if (ImGui::BeginTable("##data", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
        ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
        label_value(tx("来源", "Source"), d.source);
        label_value(tx("部门", "Departments"), fmt_int(d.departments));
        label_value(tx("标签", "Tags"),
                    fmt_int(d.tags) + " " + fmt(tx("(%lld 个标签组)", "(%lld groups)"), static_cast<long long>(d.tag_groups)));
        label_value(tx("不感兴趣记录", "Not-interested events"), fmt_int(d.not_interested));
        label_value(tx("待发送活动", "Scheduled campaigns"), fmt_int(d.scheduled));
        label_value(tx("数据时间范围", "Date range"), model::format_date(d.earliest, d.tz_offset_minutes) + " ~ " +
                                                          model::format_date(d.latest, d.tz_offset_minutes));
        label_value(tx("导出时间", "Exported at"), model::format_date_time(d.now, d.tz_offset_minutes));
        if (s.engineering) {
            label_value(tx("解析耗时", "Load time"), fmt("%.0f ms", d.load_ms));
            label_value(tx("内存", "Memory"), fmt("%.1f MB", d.memory_mb));
        }
        ImGui::EndTable();
    }
    // Engineering figures (parse and recompute times, memory) are for support, not marketers.
    ImGui::Checkbox(tx("显示技术指标（调试）###engineering_toggle", "Show engineering figures (debug)###engineering_toggle"),
                    &s.engineering);
}

void draw_data_toast(AppState& s, double now) {
    DataPanelState& d = s.data_panel;
    const bool data_tab_open = std::find(s.open_tabs.begin(), s.open_tabs.end(), "data") != s.open_tabs.end();
    const bool show_error = d.error_seq > d.toast_dismissed_seq && !s.dataset_error.empty() && !d.busy;
    const bool show_busy = d.busy && !data_tab_open;
    const bool show_done = !d.busy && !show_error && d.loaded_at >= 0 && now - d.loaded_at < 4.0 && !data_tab_open;
    if (!show_error && !show_busy && !show_done) return;

    const Palette pal = palette(s.dark);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float margin = 16.0f * s.dpi_scale;
    const float width = std::min(vp->WorkSize.x - margin * 2, 460.0f * s.dpi_scale);
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - margin, vp->WorkPos.y + vp->WorkSize.y - margin),
                            ImGuiCond_Always, ImVec2(1, 1));
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 8.0f * s.dpi_scale);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14.0f * s.dpi_scale, 12.0f * s.dpi_scale));
    ImGui::PushStyleColor(ImGuiCol_Border, show_error ? pal.bad : ImGui::GetStyleColorVec4(ImGuiCol_Border));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, show_error ? 1.5f * s.dpi_scale : 1.0f);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                                   ImGuiWindowFlags_AlwaysAutoResize;
    if (ImGui::Begin("###data_toast", nullptr, flags)) {
        if (show_error) {
            ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
            ImGui::TextWrapped("%s", s.ws.has_dataset()
                                         ? tx("数据未载入，仍使用之前的数据", "Data not loaded; the previous data stays")
                                         : tx("数据未载入", "Data not loaded"));
            ImGui::PopStyleColor();
            ImGui::TextWrapped("%s", dataset_error_text(s).c_str());
            if (!data_tab_open) {
                if (ImGui::Button(tx("查看数据面板###data_toast_view", "Open data panel###data_toast_view")))
                    s.tab_request = "data";
                ImGui::SameLine();
            }
            if (ImGui::Button(tx("关闭###data_toast_dismiss", "Dismiss###data_toast_dismiss")))
                d.toast_dismissed_seq = d.error_seq;
        } else if (show_busy) {
            ImGui::TextUnformatted(fmt("%s %s", tx("正在加载", "Loading"), d.busy_source.c_str()).c_str());
            progress_bar(d, pal, ImGui::GetContentRegionAvail().x);
            ImGui::TextDisabled("%s", progress_text(d).c_str());
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, pal.good);
            ImGui::TextUnformatted(tx("数据已载入", "Data loaded"));
            ImGui::PopStyleColor();
            const model::DatasetSummary& sum = s.ws.dataset_summary();
            ImGui::TextDisabled("%s · %s %s", d.last_loaded.c_str(), fmt_int(sum.customers).c_str(), tx(text::data_customers));
        }
    }
    ImGui::End();
    ImGui::PopStyleVar(3);
    ImGui::PopStyleColor();
}

nlohmann::ordered_json data_state_json(const AppState& s) {
    const DataPanelState& d = s.data_panel;
    nlohmann::ordered_json j;
    j["busy"] = d.busy;
    j["parsing"] = d.parsing;
    j["progress"] = d.progress;
    j["parse_progress"] = d.parse_progress;
    j["parse_in_worker"] = d.parse_in_worker;
    j["parse_on_page"] = d.parse_on_page;
    j["loaded_bytes"] = d.loaded_bytes;
    j["total_bytes"] = d.total_bytes;
    j["busy_source"] = d.busy_source;
    j["url"] = d.url;
    j["error"] = s.dataset_error;
    j["error_text"] = dataset_error_text(s);  // as the marketer reads it
    j["error_seq"] = d.error_seq;
    j["toast_error_visible"] = d.error_seq > d.toast_dismissed_seq && !s.dataset_error.empty() && !d.busy;
    j["loads"] = d.loads;
    if (!s.ws.has_dataset()) {
        j["summary"] = nullptr;
        return j;
    }
    const model::DatasetSummary& sum = s.ws.dataset_summary();
    j["summary"] = {{"source", sum.source},
                    {"corp_name", sum.corp_name},
                    {"industry", sum.industry},
                    {"verified", sum.verified},
                    {"tz_offset_minutes", sum.tz_offset_minutes},
                    {"employees", sum.employees},
                    {"employees_active", sum.employees_active},
                    {"departments", sum.departments},
                    {"customers", sum.customers},
                    {"relations", sum.relations},
                    {"tags", sum.tags},
                    {"tag_groups", sum.tag_groups},
                    {"deliveries", sum.deliveries},
                    {"not_interested", sum.not_interested},
                    {"scheduled", sum.scheduled},
                    {"earliest", sum.earliest},
                    {"latest", sum.latest},
                    {"now", sum.now},
                    {"load_ms", sum.load_ms},
                    {"memory_mb", sum.memory_mb}};
    return j;
}

std::string dataset_error_text(const AppState& s) {
    const DataPanelState& d = s.data_panel;
    if (d.page_error_code.empty()) return engine_error_text(s, s.dataset_error);
    return message_text(d.page_error_code, d.page_error_params, s.dataset_error);
}

bool load_dataset(AppState& s, std::string_view json, const std::string& source, std::string* error) {
    const bool loaded = s.ws.load_dataset(json, source, error);
    s.loading = false;
    s.data_panel.page_error_code.clear();
    if (loaded) s.dataset_error.clear();
    else s.dataset_error = *error;
    return loaded;
}

void data_read_started(AppState& s, const std::string& source, double total_bytes, bool quiet, bool draft_if_none) {
    DataPanelState& d = s.data_panel;
    d.busy = true;
    d.quiet = quiet;
    d.draft_if_none = draft_if_none;
    d.parsing = false;
    d.busy_source = source;
    d.loaded_bytes = 0;
    d.total_bytes = total_bytes > 0 ? total_bytes : 0;
    d.progress = 0;
    d.parse_in_worker = false;  // parse_on_page is told before the read starts and kept until it ends
    d.loaded_at = -1;
}

void data_read_progress(AppState& s, double loaded_bytes, double total_bytes) {
    DataPanelState& d = s.data_panel;
    d.loaded_bytes = loaded_bytes;
    if (total_bytes > 0) d.total_bytes = total_bytes;
    d.progress = d.total_bytes > 0 ? loaded_bytes / d.total_bytes : 0;
}

void data_read_parsing(AppState& s) {
    s.data_panel.parsing = true;
    s.data_panel.progress = 1;
}

namespace {

// The dataset worker's parse and snapshot of a JSON dataset take most of its load; the
// page's streamed load of that snapshot the rest (measured at 100k and 1M customers).
constexpr double kWorkerParseShare = 0.8;

}  // namespace

void data_read_parse_progress(AppState& s, double fraction) {
    if (!s.data_panel.parsing) return;
    s.data_panel.parse_in_worker = true;
    s.data_panel.parse_progress = kWorkerParseShare * std::clamp(fraction, 0.0, 1.0);
}

void data_read_parse_on_page(AppState& s) { s.data_panel.parse_on_page = true; }

bool data_read_finished(AppState& s, const char* json, double len, double now_seconds, std::string* error) {
    data_read_start(s, json, len);
    return data_read_step(s, std::numeric_limits<double>::infinity(), now_seconds, error) == kDataLoaded;
}

void data_read_start(AppState& s, const char* bytes, double len) {
    DataPanelState& d = s.data_panel;
    d.parsing = true;
    d.parse_progress = 0;
    if (!bytes || !(len >= 0)) {
        s.ws.cancel_dataset_load();
        return;
    }
    const std::string source = d.busy_source.empty() ? "dataset.json" : d.busy_source;
    s.ws.begin_dataset_load(std::string_view(bytes, static_cast<size_t>(len)), source);
}

void data_stream_start(AppState& s, uint64_t memory_limit) {
    DataPanelState& d = s.data_panel;
    d.parse_progress = d.parse_in_worker ? kWorkerParseShare : 0;  // the worker's snapshot: its share is done
    s.ws.begin_dataset_stream(d.busy_source.empty() ? "dataset.rlsnap" : d.busy_source, memory_limit);
}

namespace {

// A load that ended in an error: the panel stops and shows it (the previous tenant stays).
DataStep data_load_failed(AppState& s, const std::string& error) {
    DataPanelState& d = s.data_panel;
    d.busy = false;
    d.parsing = false;
    d.parse_progress = 0;
    s.loading = false;
    s.dataset_error = error;
    ++d.error_seq;
    return kDataFailed;
}

}  // namespace

DataStep data_stream_feed(AppState& s, const char* bytes, double len, std::string* error) {
    if (!bytes || !(len >= 0)) {
        *error = "no bytes";
        s.ws.cancel_dataset_load();
        return data_load_failed(s, *error);
    }
    if (!s.ws.feed_dataset(bytes, static_cast<size_t>(len), error)) return data_load_failed(s, *error);
    return kDataNeedsBytes;
}

DataStep data_stream_end(AppState& s, std::string* error) {
    if (!s.ws.end_dataset_input(error)) return data_load_failed(s, *error);
    return kDataNeedsBytes;
}

DataStep data_read_step(AppState& s, double budget_ms, double now_seconds, std::string* error) {
    DataPanelState& d = s.data_panel;
    const std::string source = d.busy_source.empty() ? "dataset.json" : d.busy_source;
    model::Workspace::LoadStep step = model::Workspace::LoadStep::Failed;
    if (!s.ws.dataset_load_running()) {
        *error = source + ": no data";
        d.page_error_code = "data.no_data";
        d.page_error_params = {param_text("source", source)};
    } else {
        d.page_error_code.clear();
        step = s.ws.step_dataset_load(budget_ms, error);
    }
    if (step == model::Workspace::LoadStep::Pending || step == model::Workspace::LoadStep::NeedsBytes) {
        // After the worker's share, the bar goes on from where the worker left it.
        const double load = s.ws.dataset_load_progress();
        d.parse_progress = d.parse_in_worker ? kWorkerParseShare + (1 - kWorkerParseShare) * load : load;
        return step == model::Workspace::LoadStep::Pending ? kDataLoading : kDataNeedsBytes;
    }
    if (step == model::Workspace::LoadStep::Failed) return data_load_failed(s, *error);
    d.busy = false;
    d.parsing = false;
    d.parse_progress = 0;
    d.parse_on_page = false;
    s.loading = false;
    s.dataset_error.clear();
    ++d.loads;
    d.last_loaded = source;
    if (!d.quiet) d.loaded_at = now_seconds;
    // A page started without a tenant has no draft yet: give the new tenant one.
    if (d.draft_if_none && !s.ws.has_draft()) {
        std::string ignored;
        if (s.ws.campaign_files().empty() || !s.ws.select_campaign_file(0, &ignored))
            s.ws.new_draft(Kind::Moment, Origin::Enterprise, now_seconds);
    }
    return kDataLoaded;
}

void data_read_cancel(AppState& s) {
    s.ws.cancel_dataset_load();
    data_read_failed(s, "");
}

void data_read_failed(AppState& s, const std::string& message) {
    DataPanelState& d = s.data_panel;
    d.busy = false;
    d.parsing = false;
    d.parse_progress = 0;
    d.parse_on_page = false;
    s.loading = false;
    if (message.empty()) return;  // cancelled by the marketer: not an error
    // web/data.js's report: {code, source, message (English), bytes?, status?, detail?}, or
    // {input: <InputError as JSON>} for a dataset the worker refused (web/dataset-worker.js).
    const nlohmann::json r = nlohmann::json::parse(message, nullptr, false);
    d.page_error_code.clear();
    d.page_error_params.clear();
    if (r.is_object() && r.contains("input")) {
        try {
            const InputError e = input_error_from_json(r["input"]);
            s.ws.note_refused_input(e);
            s.dataset_error = e.what();
        } catch (const std::invalid_argument&) { s.dataset_error = json_string(r, "message"); }
    } else if (r.is_object() && r.contains("code") && r["code"].is_string()) {
        s.dataset_error = json_string(r, "message");
        d.page_error_code = "data." + r["code"].get<std::string>();
        const auto number = [&](const char* key) {
            return r.contains(key) && r[key].is_number() ? r[key].get<int64_t>() : int64_t{0};
        };
        d.page_error_params = {param_text("source", json_string(r, "source")), param_bytes("bytes", number("bytes")),
                               param_number("status", number("status")), param_text("detail", json_string(r, "detail"))};
    } else {
        s.dataset_error = message;
    }
    ++d.error_seq;
}

}  // namespace rl::ui
