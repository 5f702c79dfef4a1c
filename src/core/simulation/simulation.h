#pragma once
// The timeline simulation of contract section 5. Every rule reads one customer's own
// ledger only, so the simulation runs customer by customer: for each customer the
// scheduled campaigns and the draft are played in timeline order on a small local ledger.
// A PreviewSession keeps the run without the draft (it depends on dataset and rules
// only), so an edit of the draft recomputes the draft and, for the customers it
// reaches, the scheduled campaigns after it.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/audience/audience.h"
#include "core/model/campaign.h"
#include "core/model/contract_keys.h"
#include "core/checks/campaign_checks.h"
#include "core/model/dataset.h"
#include "core/model/rules.h"
#include "core/simulation/same_windows.h"

namespace rl {

// Why a pair or a customer is not delivered. Codes >= kQuotaReasonBase are
// `quota:<id>` for quota i (base + i) then `policy:<id>` (base + quotas + i).
enum ReasonCode : uint16_t {
    kReached = 0,
    kNoRelation = 1,
    kSenderInactive = 2,
    kNotFriend = 3,
    kDuplicate = 4,
    kNotInterested = 5,
    kQuotaReasonBase = 16,
    kNotInAudience = 0xFFFF,
};
// The fixed reasons' keys (contract 5.3-5.4); codes from kQuotaReasonBase are
// "quota:<id>" and "policy:<id>" (PreviewResult::reason_labels).
inline constexpr EnumKey<ReasonCode> kReasonKeys[] = {
    {kReached, "reached"},      {kNoRelation, "no_relation"}, {kSenderInactive, "sender_inactive"},
    {kNotFriend, "not_friend"}, {kDuplicate, "duplicate"},    {kNotInterested, "not_interested"},
};
static_assert(in_enum_order(kReasonKeys));

struct SenderStats {
    uint32_t employee = 0;
    int64_t pairs = 0;
    int64_t deliveries = 0;
    std::vector<std::pair<uint16_t, int64_t>> blocked;  // reason code -> pairs, codes ascending, no zeros
    bool requires_confirmation = false;
};

struct ImpactEntry {
    std::string campaign_id;
    Time send_time = 0;
    int64_t reached_before = 0;
    int64_t reached_after = 0;
};

struct PreviewResult {
    std::string campaign_id;
    Time send_time = 0;  // effective
    Kind kind = Kind::MassSend;
    Origin origin = Origin::Enterprise;
    bool submittable = true;
    std::vector<Issue> errors;
    std::vector<Issue> warnings;
    int64_t audience = 0, reached = 0, deliveries = 0;
    std::vector<int64_t> blocked_customers;  // by reason code
    std::vector<std::string> reason_labels;  // by reason code; empty for unused codes
    std::vector<SenderStats> senders;  // sorted by userid bytewise
    std::vector<ImpactEntry> impact;  // timeline order
    // Per customer (index order): verdict code (kReached, a reason, or kNotInAudience) and
    // the delivering employees in delivery order.
    std::vector<uint16_t> verdict;
    std::vector<uint32_t> via_begin;  // size customers + 1
    std::vector<uint32_t> via;
    // A group send (contract 8) counts groups: audience, reached, deliveries, blocked_customers
    // and senders are about groups, and `verdict` marks no customer (all kNotInAudience).
    std::vector<uint16_t> group_verdict;  // per group (index order), as `verdict`; group sends only
    int64_t members_reached = 0;  // customers in a reached group, joined by send_time
    int64_t members_multi = 0;  // of those, customers in two or more reached groups
    // Per customer, in reached groups at least once (word 2w) and twice or more (word 2w+1),
    // bit c % 64 of the pair for customer c: two bits a customer. Group sends only.
    std::vector<uint64_t> group_readers;
    // 0, 1, or 2 for "two or more": how many reached groups customer c reads the send in.
    int group_reads(uint32_t c) const {
        if (size_t(c >> 6) * 2 + 1 >= group_readers.size()) return 0;
        const uint64_t bit = uint64_t(1) << (c & 63);
        return (group_readers[(c >> 6) * 2 + 1] & bit) ? 2 : (group_readers[(c >> 6) * 2] & bit) ? 1 : 0;
    }
    bool is_group_send() const { return kind == Kind::GroupSend; }

    std::string reason_label(uint16_t code) const { return reason_labels.at(code); }
};

struct SimulatedCampaign;  // a bound, time-resolved campaign on the timeline

// One campaign of the timeline as played for one customer (explanations, not the hot path).
struct PlayedPair {
    uint32_t employee = kNone;  // kNone: the customer is in the audience but has no pair (kNoRelation)
    uint16_t reason = kReached;
};
struct PlayedCampaign {
    const Campaign* campaign = nullptr;  // the draft, or an element of Dataset::scheduled
    bool draft = false;
    Time t = 0;
    uint16_t verdict = kNotInAudience;  // as PreviewResult::verdict
    std::vector<PlayedPair> pairs;  // in pair order; empty when not in the audience
};

class PreviewSession;

// A preview computed a slice of customers at a time, so a caller with a frame to draw (the
// browser UI) never blocks on a million customers. Made by PreviewSession::start; at most
// one job per session is live: any other call on the session (preview, start, trace,
// rules) leaves an unfinished job invalid. Stepping to the end gives exactly preview().
class PreviewJob {
public:
    PreviewJob();
    ~PreviewJob();
    PreviewJob(PreviewJob&&) noexcept;
    PreviewJob& operator=(PreviewJob&&) noexcept;

    bool valid() const { return state_ != nullptr; }
    // Plays up to `customers` more customers; true when every customer is done.
    bool step(uint32_t customers);
    bool done() const;
    double progress() const;  // 0..1, by customers played
    // The result, once done() (the job is spent afterwards).
    PreviewResult finish();

private:
    friend class PreviewSession;
    struct State;
    std::unique_ptr<State> state_;
};

class PreviewSession {
public:
    static constexpr size_t kSkipNone = SIZE_MAX;
    // `skip_scheduled`: an index into Dataset::scheduled left off the timeline (to preview
    // that campaign as if it were the draft).
    PreviewSession(const Dataset& data, Rules rules, size_t skip_scheduled = kSkipNone);
    ~PreviewSession();
    PreviewSession(const PreviewSession&) = delete;
    PreviewSession& operator=(const PreviewSession&) = delete;

    const Rules& rules() const { return rules_; }
    void set_rules(Rules rules);  // drops the cached run without the draft
    // Simulates only customers [begin, end) (a shard, see shard_range): the others are
    // left out of every count and get kNotInAudience. Customers are independent, so the
    // counts of disjoint ranges add up to the whole (merge_summaries). Drops the cached run.
    void set_customer_range(uint32_t begin, uint32_t end);
    PreviewResult preview(const Campaign& draft);
    // The same, in steps (see PreviewJob). The job keeps its own copy of the draft.
    // `may_be_in_audience`, when given, marks (0) customers the caller knows are outside the
    // draft's audience at its send time (the explorer's time-free filter test): they are
    // skipped. Per customer index; it must outlive the job.
    PreviewJob start(const Campaign& draft);
    PreviewJob start(const Campaign& draft, const uint8_t* may_be_in_audience);
    // The scheduled campaigns that are simulated, in timeline order, with their reach without
    // the draft (customers, or groups for a group send).
    const std::vector<ImpactEntry>& baseline() {
        ensure_baseline();
        return baseline_impact_;
    }
    const Dataset& data() const { return data_; }
    // The same preparation start() does at once, for a caller that must not block (the
    // explorer): each call plays, counts or indexes up to `customers` customers and takes
    // them off it; true once done. build_baseline: the run without the draft (the scheduled
    // campaigns' ledger counts, then each customer's run). ask_windows names a draft (with
    // its send time) and count_windows then prepares what start(draft) needs besides the
    // baseline: the ledger counts it reads and, when it selects its audience, the customers
    // by tag. After both, start(draft) only binds the draft and sizes its result.
    bool build_baseline(uint32_t& customers);
    void ask_windows(const Campaign& draft);
    bool count_windows(uint32_t& customers);
    // The tenant's ledger events by time (ledger_events()), likewise.
    bool build_ledger_events(uint32_t& customers);
    // Customers played or counted so far by this session and its jobs: the work done, so a
    // test can check that stepped work stays bounded per step.
    uint64_t customers_visited() const { return customers_visited_; }

    // Incremental recompute: the preview of `draft` from `previous`, this session's preview of
    // `previous_draft` under the same rules and customer range, when the edit cannot change the
    // simulation: only the content changed, or only the send time, to one that plays the same
    // (SameWindowsTest); or only the audience, for fewer than an eighth of the customers
    // (those are played again). Errors and warnings are checked again. nullopt when the edit
    // needs the simulation (preview or start). Always equal to preview(draft).
    std::optional<PreviewResult> reuse(const Campaign& previous_draft, const PreviewResult& previous, const Campaign& draft);
    // The tenant's ledger events by time, for SameWindowsTest (built on first use, kept).
    const LedgerEventIndex& ledger_events();

    // Every campaign of the timeline with the draft in place, in timeline order, played for
    // one customer with its pairs. Replays the customer's whole timeline, so it answers
    // exactly what preview(draft) does for that customer without its shortcuts.
    std::vector<PlayedCampaign> trace_customer(const Campaign& draft, uint32_t customer);
    // For each customer of the draft's audience (result = preview(draft)), in index order:
    // the dataset's deliveries and the simulated ones (scheduled campaigns with the draft in
    // place, and the draft's own), each in timeline order.
    using LedgerVisitor =
        std::function<void(uint32_t customer, std::span<const PastDelivery> base, std::span<const Delivery> simulated)>;
    void for_each_audience_ledger(const Campaign& draft, const PreviewResult& result, const LedgerVisitor& visit);
    // The same for a group send (result = preview(draft) of a group send), per audience group
    // in index order: the dataset's group deliveries and the simulated ones with the draft in place.
    using GroupLedgerVisitor =
        std::function<void(uint32_t group, std::span<const PastDelivery> base, std::span<const Delivery> simulated)>;
    void for_each_audience_group_ledger(const Campaign& draft, const PreviewResult& result, const GroupLedgerVisitor& visit);

private:
    friend class PreviewJob;
    void ensure_baseline();
    void begin_baseline();  // binds the scheduled campaigns and plays the group sends; customers come after
    void ensure_group_baseline();
    uint32_t draft_position(Time t) const;
    Time effective_send_time(const Campaign& draft) const { return std::max(draft.send_time.value_or(data_.now), data_.now); }
    // Which customers of [begin, end) are in the audience of `s` (a moment with a tag list, or
    // a mass send with a filter) at timeline position `position`, column by column.
    CustomerBits select_audience(const SimulatedCampaign& s, uint32_t position, uint32_t begin, uint32_t end);
    // reuse() after an edit of the audience alone: `previous` with the customers whose
    // membership changed taken out (played as before) and put in (played anew); nullopt when
    // more than an eighth of the customers changed.
    std::optional<PreviewResult> reselect_audience(const Campaign& previous_draft, const PreviewResult& previous,
                                                   SimulatedCampaign& s);
    // Keeps the counts of a few recent send times; the baseline's stay.
    void evict_counts();
    // Errors and warnings of a preview of `draft`.
    void describe(PreviewResult& out, const Campaign& draft, const BoundCampaign& bound, std::vector<UnknownId>& unknown) const;
    // Employees sorted by userid, once per session (binding a campaign would sort its senders).
    const std::vector<uint32_t>& employee_order() {
        if (employee_order_.size() != data_.employees.size()) employee_order_ = employees_by_userid(data_);
        return employee_order_;
    }
    std::vector<uint32_t> employee_order_;
    // Customers by tag, built the first time an audience is selected by tags.
    const TagCustomers& tag_customers() {
        uint32_t unbounded = UINT32_MAX;
        tag_customers_builder_.step(data_, tag_customers_, unbounded);
        return tag_customers_;
    }
    TagCustomers tag_customers_;
    TagCustomersBuilder tag_customers_builder_;
    bool asked_tag_customers_ = false;  // ask_windows's draft selects its audience (by tags or a filter)
    // Customer c's deliveries from the scheduled campaigns before timeline position `position`
    // in the run without the draft.
    std::span<const Delivery> scheduled_before(uint32_t c, uint32_t position) const {
        const Delivery* sched = sched_deliveries_.data() + sched_begin_[c];
        const Delivery* sched_end = sched_deliveries_.data() + sched_begin_[c + 1];
        const Delivery* prefix_end = sched;
        while (prefix_end != sched_end && prefix_end->campaign() - kSimulatedCampaign < position) ++prefix_end;
        return {sched, static_cast<size_t>(prefix_end - sched)};
    }
    // Which later campaigns (from `position`) can see a delivery of the draft.
    void draft_visibility(Kind kind, Origin origin, Time t, uint32_t position, std::vector<uint8_t>& checks_see,
                          std::vector<uint8_t>& audience_sees) const;
    // Plays the scheduled campaigns from `position` for customer c whose ledger `extra`
    // holds the draft's deliveries, reusing the baseline answers where the draft cannot
    // change them. `cursor` starts at the customer's first baseline delivery from `position`.
    // Asks the memory for what playing customer c reads: its offsets, then (a few customers
    // later, once those arrived) its rows. Only a hint: it changes no result.
    void prefetch_customer(const SimulatedCampaign& s, uint32_t c) const;
    void prefetch_customer_rows(uint32_t c) const;
    // Whether a customer's `draft_deliveries` can change any later campaign's answer (else
    // replay_after would only copy the baseline).
    bool draft_may_change_later(uint32_t c, uint32_t position, int64_t draft_deliveries, const std::vector<uint8_t>& checks_see,
                                const std::vector<uint8_t>& audience_sees) const;
    void replay_after(uint32_t c, uint32_t position, const Delivery* cursor, std::vector<Delivery>& extra,
                      const std::vector<uint8_t>& checks_see, const std::vector<uint8_t>& audience_sees,
                      std::vector<int64_t>* after_delta) const;
    // Per customer, how many of the dataset's deliveries a per-customer check counts
    // (saturating at 255), so a check reads one byte instead of the customer's history.
    // The counts are there once fill_counts() has run.
    const uint8_t* base_counts(TimeRange range, std::optional<Kind> kind, std::optional<Origin> origin, bool pin);
    void fill_counts();
    bool fill_counts(uint32_t& customers);  // up to `customers` customers; true when every window is counted
    void attach_base_counts(SimulatedCampaign& s, bool pin);
    void attach_received_counts(BoundExpr& e, Time t, bool pin);
    struct CountCache {
        TimeRange range;
        std::optional<Kind> kind;
        std::optional<Origin> origin;
        bool pinned;  // used by the baseline: kept while the rules stay
        uint32_t counted_to;  // counted for customers before this one (fill_counts)
        uint64_t last_asked;  // counts_asked_ when base_counts last returned it
        std::vector<uint8_t> counts;
    };
    std::vector<CountCache> count_cache_;
    uint64_t counts_asked_ = 0;
    std::unique_ptr<LedgerEventIndex> ledger_events_;

    uint32_t range_begin() const { return std::min(range_begin_, range_end()); }
    uint32_t range_end() const { return std::min(range_end_, data_.customer_count()); }

    const Dataset& data_;
    Rules rules_;
    uint32_t range_begin_ = 0, range_end_ = UINT32_MAX;
    size_t skip_scheduled_ = kSkipNone;
    size_t last_pair_count_ = 0;  // pairs of the last preview: a capacity hint
    bool baseline_ready_ = false;
    bool baseline_begun_ = false;  // build_baseline is under way: customers before baseline_next_ are played
    uint32_t baseline_next_ = 0;
    uint64_t customers_visited_ = 0;
    std::vector<Issue> baseline_warnings_;
    std::vector<SimulatedCampaign> timeline_;  // simulated scheduled customer campaigns, in order
    std::vector<ImpactEntry> baseline_impact_;  // every simulated scheduled campaign, in timeline order
    std::vector<uint32_t> impact_slot_;  // timeline_ position -> baseline_impact_ index

    // Group sends (contract 8.2) read and write group ledgers only, which no customer
    // campaign reads, so they run on a timeline of their own, group by group.
    std::vector<SimulatedCampaign> group_timeline_;  // simulated scheduled group sends, in order
    std::vector<uint32_t> group_impact_slot_;  // group_timeline_ position -> baseline_impact_ index
    std::vector<uint32_t> group_sched_begin_;  // per group, into group_sched_deliveries_
    std::vector<Delivery> group_sched_deliveries_;  // in timeline order per group
    void start_group_send(PreviewJob::State& j);
    void count_group_readers(PreviewJob::State& j, size_t reached_entries) const;
    std::vector<uint8_t> baseline_state_;  // [customer * timeline size + pos]: out, blocked, reached
    std::vector<uint32_t> sched_begin_;  // per customer, into sched_deliveries_
    std::vector<Delivery> sched_deliveries_;  // in timeline order per customer
};

// One-shot convenience: a fresh session.
PreviewResult run_preview(const Dataset& data, const Campaign& draft, const Rules& rules);

// Shard `index` of `count` over `customers`: a contiguous range of customer indices, the
// ranges of shards 0..count-1 covering every customer once.
std::pair<uint32_t, uint32_t> shard_range(uint32_t customers, uint32_t index, uint32_t count);

}  // namespace rl
