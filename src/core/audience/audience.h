#pragma once
// Binding a campaign to a dataset (ids -> indices, the sender set) and evaluating
// its audience for one customer at a time (contract 4 and 5.2).
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/model/campaign.h"
#include "core/model/dataset.h"

namespace rl {

// An id of the draft that the dataset does not know (campaign.unknown_*).
struct UnknownId {
    std::string code;  // campaign.unknown_userid / _department / _tag / _chat
    std::string id;
    std::string pointer;
};

struct BoundExpr {
    ExprOp op = ExprOp::All;
    std::vector<BoundExpr> children;
    std::vector<uint32_t> list;  // sorted: tags, employees, customers
    std::vector<std::vector<uint32_t>> groups;  // tag_filter (sorted, unknown ids dropped)
    std::vector<uint8_t> employee_in;  // department: employee index -> in the subtrees
    bool has_unknown = false;  // tags_all with an unknown tag is false
    int64_t number = 0, min = 0;
    ReceivedKind received_kind = ReceivedKind::Any;
    const uint8_t* base_counts = nullptr;  // received: per customer, the dataset's deliveries it counts (saturating)
    bool flag = false;
    uint32_t attr = kNone;  // attribute name id
    AttrOp attr_op = AttrOp::Eq;
    Scalar value;
    uint32_t value_text = kNone;  // interned id of a string value
    std::vector<Scalar> values;
    std::vector<uint32_t> value_texts;
};

struct BoundCampaign {
    const Campaign* campaign = nullptr;
    Time send_time = 0;  // effective
    std::vector<uint32_t> senders;  // resolved set, sorted by userid bytewise
    std::vector<uint32_t> tag_list;  // moment audience, sorted, known tags
    bool tag_list_given = false;  // non-empty as written (ghosts included)
    bool has_filter = false;
    BoundExpr filter;
    // A group send's audience (8.2): the groups of the senders, within chat_list when it is
    // not empty, sorted by chat_id bytewise.
    std::vector<uint32_t> groups;
};

// Unknown ids are appended to `unknown` (one per distinct id and code, in order of
// appearance: senders, then the audience) and match nothing.
// `employees_by_userid`, when given, is every employee index sorted by userid bytewise
// (employees_by_userid()): the sender list is then read off it instead of sorted again.
BoundCampaign bind_campaign(const Dataset& data, const Campaign& campaign, Time send_time, std::vector<UnknownId>& unknown,
                            const std::vector<uint32_t>* employees_by_userid = nullptr);
std::vector<uint32_t> employees_by_userid(const Dataset& data);

// What an expression may read of one customer besides the dataset columns.
struct CustomerContext {
    uint32_t customer = 0;
    Time t = 0;
    std::span<const PastDelivery> ledger_base;  // the dataset's deliveries of the customer
    std::span<const Delivery> ledger_extra;  // simulated deliveries so far
    int64_t not_interested_hours = 168;
};

bool evaluate(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx);
// The same answer, reading the `received` clauses of each all/any first: when a ledger changed,
// they are what decides (and they read counts already at hand).
bool evaluate_ledger_first(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx);
// Whether the answer for this customer could change with the ledger: evaluates with every
// `received` node unknown (three-valued logic) and reports whether the result stays unknown.
bool depends_on_ledger(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx);
// Whether the customer can match at some send time and ledger: false when the nodes that
// read neither (tags, owners, departments, gender, attributes but `within_days`, customer
// lists) already rule the customer out. Evaluates with every node that reads the time or
// the ledger unknown.
bool may_match_at_any_time(const Dataset& data, const BoundExpr& e, uint32_t customer);
bool customer_has_tag(const Dataset& data, uint32_t customer, uint32_t tag);

// Customers of each tag, ascending (the transpose of Dataset::customer_tags): a tag clause
// over many customers reads its tags' customers instead of every customer's tags.
struct TagCustomers {
    std::vector<uint32_t> begin;  // size tags + 1
    std::vector<uint32_t> customers;
    std::span<const uint32_t> of(uint32_t tag) const { return {customers.data() + begin[tag], begin[tag + 1] - begin[tag]}; }
};
TagCustomers index_tag_customers(const Dataset& data);
// The same a slice of customers at a time, for a caller that must not block.
class TagCustomersBuilder {
public:
    // Indexes up to `customers` customers per call (two passes over them) and takes them off
    // it; true when `index` is complete.
    bool step(const Dataset& data, TagCustomers& index, uint32_t& customers);

private:
    bool filling_ = false;  // the second pass: customers into their tags' lists
    uint32_t next_ = 0;  // the next customer of the pass
    std::vector<uint32_t> fill_at_;  // per tag, where its next customer goes
};

// Customers [first, first + 64 * words.size()) as bits: bit i of word w is customer first + 64w + i.
struct CustomerBits {
    uint32_t first = 0;
    std::vector<uint64_t> words;
    bool has(uint32_t c) const { return (words[(c - first) >> 6] >> ((c - first) & 63)) & 1; }
};

// Which customers of [begin, end) an expression selects, the same answer as evaluate() for
// each, computed clause by clause over the customers still in question: tag clauses and
// customer lists read `tags` (when given) and the lists; every other clause is evaluated
// only for the customers that the clauses before it left undecided. `context(c)` is the
// customer's context with its ledger, asked for `received` clauses only (the others read t and
// not_interested_hours).
CustomerBits select_customers(const Dataset& data, const TagCustomers* tags, const BoundExpr& e, uint32_t begin, uint32_t end,
                              Time t, int64_t not_interested_hours,
                              const std::function<CustomerContext(uint32_t)>& ledger_context);
// The customers of [begin, end) with at least one of `tags` (sorted).
CustomerBits customers_with_any_tag(const Dataset& data, const TagCustomers* index, const std::vector<uint32_t>& tags,
                                    uint32_t begin, uint32_t end);
// How long a not-interested event stays active, in seconds: hours * 3600, capped far past any
// real time so that a huge `not_interested_hours` cannot overflow.
inline int64_t not_interested_span(int64_t hours) { return hours > (int64_t(1) << 40) ? (int64_t(1) << 52) : hours * 3600; }
// A not-interested event with time <= t < time + not_interested_span(hours); any employee when
// employee == kNone. None when hours <= 0.
bool not_interested_active(const Dataset& data, uint32_t customer, uint32_t employee, Time t, int64_t hours);

// How many customers hold each value of attribute `attr` (an id of Dataset::attribute_names):
// most customers first, ties by value (numbers, then strings bytewise, then bools). For
// the audience builder's list of values; `limit` keeps the most common ones only.
struct AttrValueCount {
    AttrValue value;
    int64_t customers = 0;
};
std::vector<AttrValueCount> attribute_value_counts(const Dataset& data, uint32_t attr, size_t limit = SIZE_MAX);

}  // namespace rl
