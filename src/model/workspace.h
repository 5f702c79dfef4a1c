#pragma once
// The application model (the workspace): the loaded tenant, the rules, the draft campaign and the last
// preview, all through the engine (src/core). No ImGui and no browser code here, so the
// exported C API (src/app), the UI (src/ui) and a future native shell share it.
//
// Every number the UI shows comes from the engine's PreviewResult; this class only
// decides *when* to ask (debounced after edits) and keeps the PreviewSession alive so
// an edit recomputes just the draft.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/insight/insight.h"
#include "core/read/input_error.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"

namespace rl::model {

// What the data panel shows about a loaded tenant (counted once at load).
struct DatasetSummary {
    std::string source;
    std::string corp_name;
    std::string industry;
    bool verified = false;
    int tz_offset_minutes = 480;
    int64_t employees = 0, employees_active = 0, departments = 0, customers = 0, relations = 0;
    int64_t tags = 0, tag_groups = 0, deliveries = 0, not_interested = 0, scheduled = 0;
    Time now = 0, earliest = 0, latest = 0;
    double load_ms = 0;
    double memory_mb = 0;
};

// A campaign file the page bundled (the demo tenant's campaigns/*.json).
struct CampaignFile {
    std::string name;  // file name, e.g. 01-moment-enterprise.json
    std::string text;  // the JSON as shipped
    std::string id;  // parsed for the picker; empty when the file does not load
    Kind kind = Kind::MassSend;
    Origin origin = Origin::Enterprise;
    std::string error;  // load error, shown in the picker
};

class Workspace {
public:
    Workspace();
    ~Workspace();

    // ---- dataset. On error nothing changes (the previous tenant stays) and *error
    // is the engine's message ("file: pointer: problem").
    bool load_dataset(std::string_view json_text, const std::string& source, std::string* error);
    // The same load a slice at a time (the page loads between frames): a snapshot is read
    // in steps (SnapshotLoad); a JSON dataset is parsed whole in the first step. The current
    // tenant stays in use until the new one is complete; `bytes` must outlive the load.
    // NeedsBytes: a streamed snapshot waits for feed_dataset.
    enum class LoadStep { Pending, Loaded, Failed, NeedsBytes };
    void begin_dataset_load(std::string_view bytes, const std::string& source);
    // A snapshot streamed in (the page's file or fetch stream), so the whole file is never
    // in memory: bytes in file order by feed_dataset (copied; any piece size), then
    // end_dataset_input. Checksums are verified as the bytes come; the tenant replaces the
    // current one only once every byte has come and held. On false the load is dropped
    // and *error says why (the previous tenant stays).
    // `memory_limit`: the most the load may hold at its peak (the page's memory left); a
    // snapshot estimated to need more is refused when its table of sections arrives.
    void begin_dataset_stream(const std::string& source, uint64_t memory_limit = UINT64_MAX);
    bool feed_dataset(const char* bytes, size_t size, std::string* error);
    bool end_dataset_input(std::string* error);
    LoadStep step_dataset_load(double budget_ms, std::string* error);
    void cancel_dataset_load();  // the previous tenant stays
    bool dataset_load_running() const { return pending_load_ != nullptr; }
    double dataset_load_progress() const;  // 0..1
    bool has_dataset() const { return data_ != nullptr; }
    const Dataset* dataset() const { return data_.get(); }
    const DatasetSummary& dataset_summary() const { return summary_; }

    // ---- rules
    bool set_preset(const std::string& name, std::string* error);
    const std::string& preset() const { return preset_; }
    const Rules& rules() const { return rules_; }
    static std::vector<std::string> presets();
    // A whole rules profile (reachlens.rules/1, through the engine's loader). The
    // preset name becomes the profile's `name` ("custom" when it has none).
    bool set_rules_json(std::string_view json_text, const std::string& source, std::string* error);
    // A rules profile the engine made (the reconciliation's best fit), shown as `name`.
    void set_rules(Rules rules, std::string name);
    // Bumped by every change of the rules.
    int rules_revision() const { return rules_revision_; }

    // ---- draft. set_campaign replaces the whole draft (error: unchanged).
    bool set_campaign_json(std::string_view json_text, const std::string& source, std::string* error);
    bool has_draft() const { return draft_.has_value(); }
    const Campaign* draft() const { return draft_ ? &*draft_ : nullptr; }
    const std::string& draft_source() const { return draft_source_; }
    // Bumped whenever the draft is replaced from outside the text editor.
    int draft_revision() const { return draft_revision_; }
    // The editor's buffer: content.text of the draft. Call draft_text_changed() after editing.
    std::string* draft_text();
    void draft_text_changed(double now_seconds);
    void set_draft_text(std::string text);  // from the host: recompute at once
    // The draft as a reachlens.campaign/1 document: the one it was loaded from, with
    // content.text as edited. null without a draft.
    nlohmann::ordered_json draft_document() const;

    // ---- structural edits (composer, audience builder, media, drafts). The draft document
    // is what the marketer composes: edit *edit_draft() in place, then call
    // draft_edited(now). The engine re-reads the document (debounced recompute); when it
    // does not load, draft_error() says where ("draft: /pointer: problem"), the document
    // keeps the edit, and the preview stays on the last draft that loaded.
    nlohmann::ordered_json* edit_draft();
    void draft_edited(double now_seconds);
    const std::string& draft_error() const { return draft_error_; }
    // The last refused input (dataset, rules, campaign, draft) as data, so the UI can word
    // an error string whose tail is its what() in its own language; null when none.
    const InputError* last_input_error() const { return last_input_error_ ? &*last_input_error_ : nullptr; }
    // A dataset refused outside the workspace (the page's dataset worker, src/worker): kept
    // as the last refused input, so the UI words it as one refused here.
    void note_refused_input(const InputError& e) { last_input_error_ = e; }
    // A blank draft: this kind and origin, every employee, send at the dataset's time.
    void new_draft(Kind kind, Origin origin, double now_seconds);

    // ---- the draft's accepted copy. The server lists each campaign it accepted with the id it
    // has among the dataset's scheduled campaigns (serve.py renames a taken id
    // "<id>#<server id>"; empty: the campaign's own id). A draft the server accepted stands
    // there too, so every preview of the draft (this one, the explorer's) leaves that entry
    // off the timeline, as `reachlens reconcile --scheduled-id` does: played twice, the
    // campaign would take its own customers' quota.
    void set_accepted_campaigns(std::map<std::string, std::string> scheduled_id_by_campaign_id);
    // The draft's own entry in Dataset::scheduled, left off; PreviewSession::kSkipNone when
    // the draft has none there.
    size_t draft_scheduled_index() const { return draft_scheduled_index_; }
    // A session on the timeline the draft's previews play on (its accepted copy left off).
    std::unique_ptr<PreviewSession> new_session() const;

    // ---- bundled campaigns
    void add_campaign_file(std::string name, std::string text);
    const std::vector<CampaignFile>& campaign_files() const { return files_; }
    int selected_file() const { return selected_file_; }
    bool select_campaign_file(int index, std::string* error);

    // ---- preview
    // Recompute now when something changed (no debounce). Returns true if it ran.
    bool recompute();
    // Recompute when the debounce delay after the last edit has passed.
    bool recompute_if_due(double now_seconds);
    // True while a debounced recompute waits or runs (the frame loop must keep ticking).
    bool recompute_pending() const { return (dirty_ && session_ && draft_) || job_.valid(); }
    // How far the running recompute is (0..1); 0 while it only waits for the debounce.
    double recompute_progress() const { return job_.valid() ? job_.progress() : 0.0; }
    double seconds_until_due(double now_seconds) const;
    void cancel_pending() { dirty_ = false; }
    const PreviewResult* result() const { return result_ ? &*result_ : nullptr; }
    double last_recompute_ms() const { return last_recompute_ms_; }
    int recompute_count() const { return recompute_count_; }
    // reachlens.preview/1 of the current draft, recomputed first if needed; null JSON
    // when there is no dataset or no draft.
    nlohmann::ordered_json summary_json();
    // One customer's timeline with the draft in place (rl::explain_customer on this
    // session and draft); empty without a dataset or a draft.
    std::vector<rl::CustomerEvent> explain_customer(uint32_t customer);
    // Why each of the customer's relations was or was not tried by the draft
    // (rl::explain_relations on this session and draft); empty without a dataset or a draft.
    std::vector<rl::RelationExplanation> explain_relations(uint32_t customer);
    // Customers per value of one attribute (rl::attribute_value_counts), once per dataset.
    const std::vector<rl::AttrValueCount>& attribute_value_counts(const std::string& attribute);

    static constexpr double kDebounceSeconds = 0.15;
    // recompute_if_due plays customers for at most this long per call (one per frame), so a
    // million-customer preview never blocks the page; a small tenant finishes in one call.
    static constexpr double kSliceMilliseconds = 12.0;

    // ---- observers (the embedding host protocol, src/app/api_host_protocol.cpp)
    // on_recomputed: after every recompute. on_draft_edited: before the recompute that
    // follows an edit made in the UI (text editor, campaign picker), not after the draft
    // was replaced through set_campaign_json / set_draft_text.
    std::function<void()> on_recomputed;
    std::function<void()> on_draft_edited;

private:
    void reset_session();
    size_t find_draft_scheduled_index() const;
    void follow_draft_scheduled_index();  // a new session when the draft's entry changed
    void adopt_dataset(std::unique_ptr<Dataset> loaded, const std::string& source, double load_ms);

    struct PendingLoad;  // a load begun by begin_dataset_load or begin_dataset_stream
    template <class F>
    bool stream_input(std::string* error, F&& give);  // feed_dataset / end_dataset_input
    std::unique_ptr<PendingLoad> pending_load_;
    std::unique_ptr<Dataset> data_;
    std::unique_ptr<PreviewSession> session_;
    std::map<std::string, std::string> accepted_scheduled_ids_;  // by campaign id (set_accepted_campaigns)
    size_t draft_scheduled_index_ = PreviewSession::kSkipNone;  // the entry session_ leaves off
    std::map<std::string, std::vector<rl::AttrValueCount>> attribute_counts_;  // by attribute name
    DatasetSummary summary_;
    Rules rules_;
    std::string preset_;
    int rules_revision_ = 0;
    std::optional<Campaign> draft_;
    std::string draft_source_;
    int draft_revision_ = 0;
    nlohmann::ordered_json draft_doc_;  // the document the draft was loaded from
    bool draft_edited_ = false;  // a UI edit not yet announced (on_draft_edited)
    std::string draft_error_;  // the edited document does not load (see edit_draft)
    std::optional<InputError> last_input_error_;
    void remember_error(const std::exception& e);
    std::vector<CampaignFile> files_;
    int selected_file_ = -1;
    std::optional<PreviewResult> result_;
    bool dirty_ = false;
    double due_at_ = 0;
    double last_recompute_ms_ = 0;
    int recompute_count_ = 0;
    // The recompute in progress (recompute_if_due steps it; anything else that needs the
    // session finishes it first, see settle()).
    PreviewJob job_;
    double job_compute_ms_ = 0;  // engine time spent on job_ so far
    // The drafts that job_ plays and that result_ answers (under the session's current
    // rules; dropped with them): an edit the simulation cannot see reuses result_.
    std::optional<Campaign> job_draft_, result_draft_;
    bool reuse_result();
    bool start_job();  // true when the edit reused the last result (nothing left to run)
    void finish_job();
    void publish_result();
    void cancel_job() { job_ = PreviewJob(); }
    void settle() {
        if (job_.valid()) finish_job();
    }

    // ================================================================ insight accessors
    // Read-only views for the preview panels and the campaign calendar (preview_panels.cpp,
    // campaign_calendar.cpp), computed by the engine (core/insight.h).
public:
    // Each quota's and policy's use per day through the draft's send month, for the
    // current result; computed at most once per recompute. nullptr without a result.
    const QuotaCalendar* quota_calendar();
    // The same for another local month (the send-date picker's): day by day, the audience's
    // ledgers as the current result has them. Cached for one month at a time.
    const QuotaCalendar* quota_calendar_for_month(int64_t year, int month);
    // Scheduled campaign `index` (Dataset::scheduled) previewed as if it were the draft,
    // under the current rules. A cold run: callers cache it. nullopt without a dataset.
    std::optional<PreviewResult> preview_scheduled(size_t index) const;

private:
    std::optional<QuotaCalendar> quota_calendar_;
    int quota_calendar_recompute_ = -1;  // recompute_count_ the cached calendar belongs to
    std::optional<QuotaCalendar> month_calendar_;  // quota_calendar_for_month's
    int month_calendar_recompute_ = -1;
};

// Local calendar date (YYYY-MM-DD) and date-time (YYYY-MM-DD HH:MM) of a Unix time.
std::string format_date(Time t, int tz_offset_minutes);
std::string format_date_time(Time t, int tz_offset_minutes);

// The preset the dashboard starts with (the browser tests compare against the CLI with it).
inline constexpr const char* kDefaultPreset = "wecom-2025";

}  // namespace rl::model
