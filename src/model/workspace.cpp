#include "model/workspace.h"

#include <chrono>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "core/read/input_error.h"
#include "core/read/snapshot.h"
#include "core/output/report.h"
#include "core/time/calendar.h"
#include "core/time/time_windows.h"

namespace rl::model {
namespace {

double now_ms() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void Workspace::remember_error(const std::exception& e) {
    if (const auto* input = dynamic_cast<const InputError*>(&e)) last_input_error_ = *input;
    else last_input_error_.reset();
}

struct Workspace::PendingLoad {
    std::string_view bytes;
    std::string source;
    std::unique_ptr<SnapshotLoad> snapshot;  // null: JSON, parsed in the first step
    double spent_ms = 0;  // time in steps (the load's cost, not the frames between)
};

Workspace::Workspace() : rules_(preset_rules(kDefaultPreset)), preset_(kDefaultPreset) {}
Workspace::~Workspace() = default;

bool Workspace::load_dataset(std::string_view json_text, const std::string& source, std::string* error) {
    begin_dataset_load(json_text, source);
    return step_dataset_load(std::numeric_limits<double>::infinity(), error) == LoadStep::Loaded;
}

void Workspace::begin_dataset_load(std::string_view bytes, const std::string& source) {
    pending_load_ = std::make_unique<PendingLoad>();
    pending_load_->bytes = bytes;
    pending_load_->source = source;
}

void Workspace::begin_dataset_stream(const std::string& source, uint64_t memory_limit) {
    pending_load_ = std::make_unique<PendingLoad>();
    pending_load_->source = source;
    pending_load_->snapshot = std::make_unique<SnapshotLoad>(SnapshotLoad::kStreamed, source, memory_limit);
}

bool Workspace::feed_dataset(const char* bytes, size_t size, std::string* error) {
    return stream_input(error, [&](SnapshotLoad& load) { load.feed(bytes, size); });
}

bool Workspace::end_dataset_input(std::string* error) {
    return stream_input(error, [](SnapshotLoad& load) { load.end_input(); });
}

template <class F>
bool Workspace::stream_input(std::string* error, F&& give) {
    if (!pending_load_ || !pending_load_->snapshot) {
        if (error) *error = "no streamed load is running";
        return false;
    }
    const double t0 = now_ms();
    try {
        give(*pending_load_->snapshot);
    } catch (const std::exception& e) {  // InputError: "file: section: problem"
        pending_load_.reset();
        remember_error(e);
        if (error) *error = e.what();
        return false;
    }
    pending_load_->spent_ms += now_ms() - t0;
    return true;
}

void Workspace::cancel_dataset_load() { pending_load_.reset(); }

double Workspace::dataset_load_progress() const {
    if (!pending_load_) return 0;
    return pending_load_->snapshot ? pending_load_->snapshot->progress() : 0;
}

Workspace::LoadStep Workspace::step_dataset_load(double budget_ms, std::string* error) {
    if (!pending_load_) return LoadStep::Failed;
    PendingLoad& load = *pending_load_;
    const double t0 = now_ms();
    std::unique_ptr<Dataset> loaded;
    try {
        if (!load.snapshot && is_snapshot(load.bytes)) {
            // The header and table of sections are checked here; the rest in steps.
            load.snapshot = std::make_unique<SnapshotLoad>(load.bytes, load.source);
            budget_ms -= now_ms() - t0;
        }
        if (load.snapshot) {
            if (load.snapshot->step(budget_ms)) loaded = std::make_unique<Dataset>(load.snapshot->take());
        } else {
            loaded = std::make_unique<Dataset>(rl::load_dataset(load.bytes, load.source));
        }
    } catch (const std::exception& e) {  // InputError: "file: pointer: problem"
        pending_load_.reset();
        remember_error(e);
        if (error) *error = e.what();
        return LoadStep::Failed;
    }
    load.spent_ms += now_ms() - t0;
    if (!loaded) return load.snapshot && load.snapshot->needs_bytes() ? LoadStep::NeedsBytes : LoadStep::Pending;
    const std::string source = load.source;
    const double spent_ms = load.spent_ms;
    pending_load_.reset();
    adopt_dataset(std::move(loaded), source, spent_ms);
    return LoadStep::Loaded;
}

void Workspace::adopt_dataset(std::unique_ptr<Dataset> loaded, const std::string& source, double load_ms) {
    const double t0 = now_ms();
    const Dataset& d = *loaded;
    DatasetSummary s;
    s.source = source;
    s.corp_name = d.enterprise.corp_name;
    s.industry = d.enterprise.industry;
    s.verified = d.enterprise.verified;
    s.tz_offset_minutes = d.enterprise.tz_offset_minutes;
    s.employees = static_cast<int64_t>(d.employees.size());
    for (const Employee& e : d.employees) s.employees_active += e.active ? 1 : 0;
    s.departments = static_cast<int64_t>(d.departments.size());
    s.customers = d.customer_count();
    s.relations = static_cast<int64_t>(d.relations.size());
    s.tags = static_cast<int64_t>(d.tags.size());
    s.tag_groups = static_cast<int64_t>(d.tag_groups.size());
    s.deliveries = d.total_deliveries;
    s.not_interested = d.total_not_interested;
    s.scheduled = static_cast<int64_t>(d.scheduled.size());
    s.now = d.now;
    s.earliest = d.earliest_time;
    s.latest = d.latest_time;
    s.memory_mb = static_cast<double>(d.memory_bytes()) / (1024.0 * 1024.0);

    // The session refers to the dataset: drop it (and its job) before the dataset it points to.
    cancel_job();
    session_.reset();
    result_.reset();
    data_ = std::move(loaded);
    attribute_counts_.clear();
    s.load_ms = load_ms + (now_ms() - t0);
    summary_ = std::move(s);
    reset_session();
}

void Workspace::reset_session() {
    cancel_job();
    result_draft_.reset();
    session_.reset();
    draft_scheduled_index_ = find_draft_scheduled_index();
    if (data_) session_ = new_session();
    dirty_ = true;
    due_at_ = 0;  // recompute at the next chance
}

std::unique_ptr<PreviewSession> Workspace::new_session() const {
    if (!data_) return nullptr;
    return std::make_unique<PreviewSession>(*data_, rules_, draft_scheduled_index_);
}

size_t Workspace::find_draft_scheduled_index() const {
    if (!data_ || !draft_) return PreviewSession::kSkipNone;
    // Listed: under the id the server gave it; else (or listed without one) under its own id,
    // as rl::reconcile finds it: ids are unique among the scheduled ones, so that entry is
    // this campaign.
    auto it = accepted_scheduled_ids_.find(draft_->id);
    const bool renamed = it != accepted_scheduled_ids_.end() && !it->second.empty();
    return data_->find_scheduled(renamed ? it->second : draft_->id).value_or(PreviewSession::kSkipNone);
}

void Workspace::follow_draft_scheduled_index() {
    if (find_draft_scheduled_index() != draft_scheduled_index_) reset_session();
}

void Workspace::set_accepted_campaigns(std::map<std::string, std::string> scheduled_id_by_campaign_id) {
    accepted_scheduled_ids_ = std::move(scheduled_id_by_campaign_id);
    follow_draft_scheduled_index();
}

bool Workspace::set_preset(const std::string& name, std::string* error) {
    Rules r;
    try {
        r = preset_rules(name);
    } catch (const std::exception& e) {
        remember_error(e);
        if (error) *error = e.what();
        return false;
    }
    set_rules(std::move(r), name);
    return true;
}

void Workspace::set_rules(Rules rules, std::string name) {
    rules_ = std::move(rules);
    preset_ = std::move(name);
    ++rules_revision_;
    cancel_job();
    result_draft_.reset();
    if (session_) session_->set_rules(rules_);
    dirty_ = true;
    due_at_ = 0;
}

std::vector<std::string> Workspace::presets() { return preset_names(); }

bool Workspace::set_rules_json(std::string_view json_text, const std::string& source, std::string* error) {
    Rules r;
    try {
        r = load_rules(json_text, source);
    } catch (const std::exception& e) {  // InputError: "file: pointer: problem"
        remember_error(e);
        if (error) *error = e.what();
        return false;
    }
    std::string name = r.name.empty() ? "custom" : r.name;
    set_rules(std::move(r), std::move(name));
    return true;
}

bool Workspace::set_campaign_json(std::string_view json_text, const std::string& source, std::string* error) {
    nlohmann::ordered_json doc;
    try {
        Campaign c = load_campaign(json_text, source);
        // Kept only to hand the draft back (reachlens.draft): the engine loader above
        // validated it, so this parse cannot fail in practice.
        doc = nlohmann::ordered_json::parse(json_text);
        draft_ = std::move(c);
    } catch (const std::exception& e) {
        remember_error(e);
        if (error) *error = e.what();
        return false;
    }
    draft_doc_ = std::move(doc);
    draft_error_.clear();
    draft_edited_ = false;
    draft_source_ = source;
    selected_file_ = -1;
    ++draft_revision_;
    dirty_ = true;
    due_at_ = 0;
    follow_draft_scheduled_index();
    return true;
}

std::string* Workspace::draft_text() { return draft_ ? &draft_->content.text : nullptr; }

void Workspace::draft_text_changed(double now_seconds) {
    dirty_ = true;
    draft_edited_ = true;
    due_at_ = now_seconds + kDebounceSeconds;
}

void Workspace::set_draft_text(std::string text) {
    if (!draft_) return;
    draft_->content.text = std::move(text);
    ++draft_revision_;
    dirty_ = true;
    due_at_ = 0;
}

std::vector<rl::CustomerEvent> Workspace::explain_customer(uint32_t customer) {
    settle();  // the session serves one caller at a time
    if (!session_ || !draft_ || !data_ || customer >= data_->customer_count()) return {};
    return rl::explain_customer(*session_, *draft_, customer);
}

const std::vector<rl::AttrValueCount>& Workspace::attribute_value_counts(const std::string& attribute) {
    static const std::vector<rl::AttrValueCount> kNoCounts;
    if (!data_) return kNoCounts;
    auto it = attribute_counts_.find(attribute);
    if (it == attribute_counts_.end())
        it = attribute_counts_.emplace(attribute, rl::attribute_value_counts(*data_, data_->attribute_names.find(attribute)))
                 .first;
    return it->second;
}

std::vector<rl::RelationExplanation> Workspace::explain_relations(uint32_t customer) {
    settle();
    if (!session_ || !draft_ || !data_ || customer >= data_->customer_count()) return {};
    return rl::explain_relations(*session_, *draft_, customer);
}

nlohmann::ordered_json* Workspace::edit_draft() {
    if (!draft_ || !draft_doc_.is_object()) return nullptr;
    return &draft_doc_;
}

void Workspace::draft_edited(double now_seconds) {
    if (!draft_) return;
    if (!draft_doc_["content"].is_object()) draft_doc_["content"] = nlohmann::ordered_json::object();
    draft_doc_["content"]["text"] = draft_->content.text;  // the text editor writes into the Campaign
    const std::string text = draft_doc_.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    try {
        draft_ = load_campaign(text, "draft");
        draft_error_.clear();
    } catch (const std::exception& e) {  // InputError: "draft: pointer: problem"
        remember_error(e);
        draft_error_ = e.what();
        return;  // the preview stays on the last draft that loaded
    }
    dirty_ = true;
    draft_edited_ = true;
    due_at_ = now_seconds + kDebounceSeconds;
    follow_draft_scheduled_index();  // the edit may have changed the draft's id
}

void Workspace::new_draft(Kind kind, Origin origin, double now_seconds) {
    nlohmann::ordered_json doc = {{"format", "reachlens.campaign/1"},
                                  {"id", "draft"},
                                  {"kind", kind_name(kind)},
                                  {"origin", origin_name(origin)},
                                  {"content", {{"text", ""}, {"attachments", nlohmann::ordered_json::array()}}}};
    std::string error;
    if (!set_campaign_json(doc.dump(), "draft", &error)) {
        draft_error_ = error;
        return;
    }
    draft_edited_ = true;
    due_at_ = now_seconds;
}

nlohmann::ordered_json Workspace::draft_document() const {
    if (!draft_) return nullptr;
    nlohmann::ordered_json doc = draft_doc_;
    if (!doc.is_object()) return nullptr;
    if (!doc["content"].is_object()) doc["content"] = nlohmann::ordered_json::object();
    if (doc["content"].contains("text") || !draft_->content.text.empty()) doc["content"]["text"] = draft_->content.text;
    return doc;
}

void Workspace::add_campaign_file(std::string name, std::string text) {
    CampaignFile f;
    f.name = std::move(name);
    f.text = std::move(text);
    try {
        Campaign c = load_campaign(f.text, f.name);
        f.id = c.id;
        f.kind = c.kind;
        f.origin = c.origin;
    } catch (const std::exception& e) {
        remember_error(e);
        f.error = e.what();
    }
    files_.push_back(std::move(f));
}

bool Workspace::select_campaign_file(int index, std::string* error) {
    if (index < 0 || index >= static_cast<int>(files_.size())) {
        if (error) *error = "no campaign file #" + std::to_string(index);
        return false;
    }
    if (!set_campaign_json(files_[index].text, files_[index].name, error)) return false;
    selected_file_ = index;
    draft_edited_ = true;  // picked in the UI (the page's start-up pick happens before any host listens)
    return true;
}

bool Workspace::start_job() {
    const double t0 = now_ms();
    dirty_ = false;
    if (reuse_result()) return true;
    job_ = session_->start(*draft_);  // the job plays its own copy of the draft
    job_draft_ = *draft_;
    job_compute_ms_ = now_ms() - t0;
    return false;
}

// An edit of the content, or of the send time within the same windows, recomputes nothing
// of the simulation (PreviewSession::reuse); it still counts as a recompute.
bool Workspace::reuse_result() {
    if (!result_ || !result_draft_) return false;
    const double t0 = now_ms();
    std::optional<PreviewResult> reused = session_->reuse(*result_draft_, *result_, *draft_);
    if (!reused) return false;
    cancel_job();
    result_ = std::move(reused);
    result_draft_ = *draft_;
    job_compute_ms_ = now_ms() - t0;
    publish_result();
    return true;
}

void Workspace::finish_job() {
    const double t0 = now_ms();
    result_ = job_.finish();
    result_draft_ = std::move(job_draft_);
    job_draft_.reset();
    job_compute_ms_ += now_ms() - t0;
    publish_result();
}

void Workspace::publish_result() {
    last_recompute_ms_ = job_compute_ms_;
    ++recompute_count_;
    if (draft_edited_) {
        draft_edited_ = false;
        if (on_draft_edited) on_draft_edited();
    }
    if (on_recomputed) on_recomputed();
}

bool Workspace::recompute() {
    if (dirty_ && session_ && draft_ && start_job()) return true;  // a newer edit replaces a running job
    if (!job_.valid()) return false;
    finish_job();
    return true;
}

bool Workspace::recompute_if_due(double now_seconds) {
    if (dirty_ && now_seconds >= due_at_ && session_ && draft_ && start_job()) return true;
    if (!job_.valid()) return false;
    // Slices of customers until the frame's budget is spent.
    constexpr uint32_t kSliceCustomers = 8192;
    const double t0 = now_ms();
    bool done = false;
    while (!(done = job_.step(kSliceCustomers)) && now_ms() - t0 < kSliceMilliseconds) {}
    job_compute_ms_ += now_ms() - t0;
    if (!done) return false;
    finish_job();
    return true;
}

double Workspace::seconds_until_due(double now_seconds) const {
    if (job_.valid()) return 0;
    if (!dirty_) return -1;
    return due_at_ > now_seconds ? due_at_ - now_seconds : 0;
}

nlohmann::ordered_json Workspace::summary_json() {
    recompute();
    if (!data_ || !result_) return nullptr;
    return rl::summary_json(*data_, *result_);
}

std::string format_date(Time t, int tz_offset_minutes) {
    LocalDate d = local_date(t, tz_offset_minutes);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(d.year), d.month, d.day);
    return buf;
}

std::string format_date_time(Time t, int tz_offset_minutes) {
    const int64_t secs = t - local_day_start(local_day_number(t, tz_offset_minutes), tz_offset_minutes);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s %02d:%02d", format_date(t, tz_offset_minutes).c_str(), static_cast<int>(secs / 3600),
                  static_cast<int>(secs / 60 % 60));
    return buf;
}

// ================================================================ insight accessors
const QuotaCalendar* Workspace::quota_calendar() {
    settle();
    if (!session_ || !draft_ || !result_) return nullptr;
    if (!quota_calendar_ || quota_calendar_recompute_ != recompute_count_) {
        quota_calendar_ = rl::quota_calendar(*session_, *draft_, *result_);
        quota_calendar_recompute_ = recompute_count_;
    }
    return &*quota_calendar_;
}

const QuotaCalendar* Workspace::quota_calendar_for_month(int64_t year, int month) {
    const QuotaCalendar* own = quota_calendar();
    if (!own || (own->year == year && own->month == month)) return own;
    if (month < 1 || month > 12) return nullptr;
    if (!month_calendar_ || month_calendar_recompute_ != recompute_count_ || month_calendar_->year != year ||
        month_calendar_->month != month) {
        const Time noon_of_first = local_day_start(day_of_date(year, month, 1), data_->enterprise.tz_offset_minutes) + 43200;
        month_calendar_ = rl::quota_calendar(*session_, *draft_, *result_, noon_of_first);
        month_calendar_recompute_ = recompute_count_;
    }
    return &*month_calendar_;
}

std::optional<PreviewResult> Workspace::preview_scheduled(size_t index) const {
    if (!data_ || index >= data_->scheduled.size()) return std::nullopt;
    return rl::preview_scheduled(*data_, rules_, index);
}

}  // namespace rl::model
