#pragma once
// On-demand explanations for the dashboard, computed by the engine so the UI applies no
// rule itself: one customer's timeline with the draft in place (the customer's-eye view),
// each quota's use per day around the send date (the heat map), and the preview of a
// scheduled campaign as if it were the draft (the campaign calendar).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"

namespace rl {

// One (campaign, employee) pair on a customer's timeline.
struct CustomerEvent {
    enum class Source : uint8_t { Past, Scheduled, Draft };
    Source source = Source::Past;
    std::string campaign_id;
    Kind kind = Kind::Moment;
    Origin origin = Origin::Enterprise;
    Time time = 0;
    uint32_t employee = kNone;  // the sender of the pair
    uint16_t verdict = kReached;  // kReached or a reason code (PreviewResult::reason_labels)
    int scheduled_index = -1;  // Source::Scheduled: index into Dataset::scheduled
};

// Everything on one customer's timeline with the draft in place, in time order: the
// dataset's deliveries (Past, all reached) and every pair of the scheduled campaigns and
// the draft that the customer is in the audience of, reached or with its reason.
// Agrees with session.preview(draft) for that customer: the draft's reached events are
// `via` in order, and when none is reached the customer's reason is the one of section 5.4
// over the draft's events. A mass send whose audience holds the customer but who has no
// relation with any selected sender gives one event with employee = kNone and verdict
// kNoRelation. Campaigns whose audience leaves the customer out give no event. At equal
// times: the dataset's deliveries first, then timeline order (the draft after scheduled
// campaigns at the same time). An out-of-range customer gives nothing.
std::vector<CustomerEvent> explain_customer(PreviewSession& session, const Campaign& draft, uint32_t customer);

// Why one relation (follow_user entry) of a customer was or was not tried by the draft,
// for the customer's view: every relation of the customer, not only the draft's pairs.
struct RelationExplanation {
    enum class State : uint8_t {
        NotSelected,  // the employee is not among the draft's resolved senders
        NotInAudience,  // a selected sender, but the draft's audience leaves the customer out (or a group send)
        Tried,  // a pair of the draft: `verdict` says what happened to it
    };
    // Which side of a fixed reason applies, so the view can say it in the marketer's words.
    enum class Detail : uint8_t {
        None,
        Resigned,  // sender_inactive: the employee has left
        MomentsDisabled,  // sender_inactive: a moment and the employee may not post moments
        NotFirstAdded,  // duplicate under multi_sender first_added
        NotLastChat,  // duplicate under multi_sender last_chat
    };
    // A ledger delivery that a blocking quota or policy counted (dataset or simulated).
    struct QuotaUse {
        CustomerEvent::Source source = CustomerEvent::Source::Past;
        std::string campaign_id;
        Time time = 0;
        uint32_t employee = kNone;
    };
    uint32_t relation = 0;  // index into Dataset::relations
    uint32_t employee = 0;
    State state = State::NotSelected;
    uint16_t verdict = kNotInAudience;  // Tried: kReached or the pair's reason code
    Detail detail = Detail::None;
    Time not_interested_until = 0;  // kNotInterested: when the rule stops hiding the sender's posts
    int64_t quota_limit = 0;  // a quota or policy reason: its count at the send time
    std::vector<QuotaUse> quota_used;  // the deliveries it counted, in ledger order
};

// One entry per relation of the customer, in the dataset's relation order, explaining the
// draft's outcome for that pair; Tried entries agree with trace_customer (and so with
// preview(draft)). Empty for an out-of-range customer.
std::vector<RelationExplanation> explain_relations(PreviewSession& session, const Campaign& draft, uint32_t customer);

// Whom a customer of a preview belongs to, from its relations (the marketer's export names
// these for a customer who is not reached): `pair_senders` are the selected senders the customer
// has a relation with (contract 5.3: each such relation is a pair the draft tried, deleted ones
// too), `other_employees` the employees of its live relations who are not selected senders.
// Each in relation order, each employee once. Not for a group send (it selects no customer).
struct CustomerEmployees {
    std::vector<uint32_t> pair_senders;
    std::vector<uint32_t> other_employees;
};
class CustomerEmployeesLookup {
public:
    // `result` = a preview of `data`: its `senders` are the draft's resolved senders.
    CustomerEmployeesLookup(const Dataset& data, const PreviewResult& result);
    // Reuses `out`'s storage. An out-of-range customer gives two empty lists.
    void of(uint32_t customer, CustomerEmployees& out) const;

private:
    const Dataset& data_;
    std::vector<uint8_t> selected_;  // by employee index
};

struct QuotaDayUse {
    int64_t deliveries = 0;  // deliveries counted by the quota that local day (audience customers)
    int64_t customers_full = 0;  // audience customers with no headroom left at the end of that day
};

struct QuotaCalendar {
    int64_t year = 0;
    int month = 0;  // 1..12, the local month of the draft's send time
    int days = 0;  // days in that month
    int first_weekday = 0;  // weekday of day 1, 0 = Monday
    std::vector<std::string> labels;  // quota:<id> for each quota, then policy:<id>
    std::vector<int64_t> limits;  // the count of each (days_in_month resolved for this month)
    std::vector<bool> applies;  // whether each counts the draft's own kind and origin (Quota::matches)
    std::vector<std::vector<QuotaDayUse>> use;  // [label][day - 1]
};

// Each quota's and policy's use, day by day through the local month of the draft's send
// time, over the draft's audience customers, counting the dataset's deliveries, the
// scheduled campaigns' simulated deliveries with the draft in place, and the draft's own.
// A group send's calendar (contract 8) holds only the per-group quotas and policies, over its
// audience groups and their group ledgers: `customers_full` then counts groups.
// `month_of`: a time in another local month to lay out instead (the send-date picker's
// month); the ledgers stay those of the preview, the draft at its own send time included.
QuotaCalendar quota_calendar(PreviewSession& session, const Campaign& draft, const PreviewResult& result,
                             std::optional<Time> month_of = std::nullopt);

// The preview of scheduled campaign `index` (Dataset::scheduled) as if it were the draft:
// the timeline without it, then it. Cold (builds its own baseline).
PreviewResult preview_scheduled(const Dataset& data, const Rules& rules, size_t index);

}  // namespace rl
