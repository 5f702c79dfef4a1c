#include "core/simulation/simulation.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace rl {

namespace {

// A quota or policy resolved for one campaign at its send time.
struct ActiveCheck {
    const uint8_t* base_counts = nullptr;  // per customer; null for per-sender checks
    TimeRange range;
    int64_t count = 0;
    std::optional<Kind> kind;
    std::optional<Origin> origin;
    bool per_sender = false;
    uint16_t code = 0;
};

struct PairOutcome {
    uint32_t employee;
    uint16_t reason;  // kReached when delivered
};

// Customer verdict precedence (5.4): quotas, then policies (in order), not_interested, not_friend, sender_inactive.
uint32_t reason_rank(uint16_t code) {
    if (code >= kQuotaReasonBase) return code - kQuotaReasonBase;
    switch (code) {
        case kNotInterested: return 1000000;
        case kNotFriend: return 1000001;
        case kSenderInactive: return 1000002;
        default: return 2000000;  // duplicate never decides
    }
}

std::span<const PastDelivery> base_ledger(const Dataset& d, uint32_t c) {
    return {d.deliveries.data() + d.delivery_begin[c], d.delivery_begin[c + 1] - d.delivery_begin[c]};
}

// Whether the check blocks the pair; when it does not, lowers `slack` to how many more
// matching deliveries it would still let through.
bool check_blocks(const ActiveCheck& q, uint32_t c, uint32_t employee, std::span<const PastDelivery> base,
                  const std::vector<Delivery>& extra, int64_t& slack) {
    if (q.count <= 0) return true;
    int64_t n = 0;
    if (q.base_counts && (q.base_counts[c] < 255 || q.count <= 255)) {
        n = q.base_counts[c];
        if (n >= q.count) return true;
        base = {};  // counted already
    }
    auto scan = [&](const auto* it, const auto* end) {  // PastDelivery (base) or Delivery (extra)
        for (; it != end; ++it) {
            if (!q.range.contains(it->time)) continue;
            if (q.kind && *q.kind != it->kind()) continue;
            if (q.origin && *q.origin != it->origin()) continue;
            if (q.per_sender && it->employee != employee) continue;
            if (++n >= q.count) return true;
        }
        return false;
    };
    if (scan(base.data(), base.data() + base.size()) || scan(extra.data(), extra.data() + extra.size())) return true;
    slack = std::min(slack, q.count - n);
    return false;
}

}  // namespace

// Per employee, for one campaign: not a sender, or a sender that passes or fails check 1. A
// byte each, so the table of 15k employees stays in the first-level cache of the pair loop.
enum SenderState : uint8_t { kNotSender = 0, kSenderCanSend = 1, kSenderCannotSend = 2 };

struct SimulatedCampaign {
    const Campaign* campaign = nullptr;
    BoundCampaign bound;
    std::vector<uint8_t> sender_state;  // per employee: SenderState
    Kind kind = Kind::MassSend;
    Origin origin = Origin::Enterprise;
    Time t = 0;
    uint32_t ledger_tag = 0;  // Delivery::campaign() of what it appends
    MultiSender multi = MultiSender::Each;
    std::vector<ActiveCheck> checks;  // quotas then policies, in order
    int64_t not_interested_hours = 168;

    // Would a delivery (kind, origin, time) in the ledger change this campaign's quota and
    // policy checks, or its audience (through `received`)?
    bool checks_see(Kind kind, Origin origin, Time time) const {
        for (const ActiveCheck& q : checks)
            if ((!q.kind || *q.kind == kind) && (!q.origin || *q.origin == origin) && q.range.contains(time)) return true;
        return false;
    }
    bool audience_sees(Kind kind, Time time) const {
        for (const ReceivedWindow& r : received)
            if ((r.kind == ReceivedKind::Any || (r.kind == ReceivedKind::Moment) == (kind == Kind::Moment)) &&
                r.range.contains(time))
                return true;
        return false;
    }
    struct ReceivedWindow {
        ReceivedKind kind;
        TimeRange range;
    };
    std::vector<ReceivedWindow> received;  // `received` nodes of the audience: it reads the ledger
    std::vector<uint8_t> addresses;  // a scheduled group send: per group, whether in its audience
};

namespace {

void collect_received(const BoundExpr& e, Time t, std::vector<SimulatedCampaign::ReceivedWindow>& out) {
    if (e.op == ExprOp::Received) out.push_back({e.received_kind, window_range(Window::RollingDays, t, 0, e.number)});
    for (const BoundExpr& child : e.children) collect_received(child, t, out);
}

// A customer's answer to a scheduled campaign in the run without the draft, plus whether
// its audience membership could change with the ledger (a `received` node decides it).
// Reached: the smallest headroom its checks left the customer's deliveries, saturating at
// kMaxSlack: that many more deliveries on the ledger before it cannot change its answer.
enum BaselineState : uint8_t {
    kOut = 0,
    kBlocked = 1,
    kReachedState = 2,
    kStateMask = 3,
    kAudienceReadsLedger = 4,
    kSlackShift = 3
};
constexpr int64_t kMaxSlack = 31;

SimulatedCampaign prepare(const Dataset& data, const Rules& rules, const Campaign& campaign, Time t, uint32_t ledger_tag,
                          std::vector<UnknownId>& unknown, const std::vector<uint32_t>* employees_by_userid) {
    SimulatedCampaign s;
    s.campaign = &campaign;
    s.kind = campaign.kind;
    s.origin = campaign.origin;
    s.t = t;
    s.ledger_tag = ledger_tag;
    s.bound = bind_campaign(data, campaign, t, unknown, employees_by_userid);
    s.sender_state.assign(data.employees.size(), kNotSender);
    for (uint32_t e : s.bound.senders) {
        const Employee& emp = data.employees[e];
        const bool can_send = emp.active && (campaign.kind != Kind::Moment || emp.moments_enabled);
        s.sender_state[e] = can_send ? kSenderCanSend : kSenderCannotSend;
    }
    s.multi = campaign.kind == Kind::Moment ? rules.moment_multi_sender : rules.mass_send_multi_sender;
    s.not_interested_hours = rules.not_interested_hours;
    const int tz = data.enterprise.tz_offset_minutes;
    auto add = [&](const std::vector<Quota>& list, uint16_t base) {
        for (size_t i = 0; i < list.size(); ++i) {
            const Quota& q = list[i];
            if (!q.matches(s.kind, s.origin)) continue;
            ActiveCheck a;
            a.range = window_range(q.window, t, tz, q.days);
            a.count = q.count_is_days_in_month ? days_in_local_month(t, tz) : q.count;
            a.kind = q.kind;
            a.origin = q.origin;
            a.per_sender = q.per_sender;
            a.code = static_cast<uint16_t>(base + i);
            s.checks.push_back(a);
        }
    };
    if (s.bound.has_filter) collect_received(s.bound.filter, t, s.received);
    add(rules.quotas, kQuotaReasonBase);
    add(rules.policies, static_cast<uint16_t>(kQuotaReasonBase + rules.quotas.size()));
    return s;
}

// How play() decides a mass send's filter: evaluated as written; with the `received` clauses
// first (a replay after the ledger changed: they decide most often); or already found true.
enum class FilterOrder : uint8_t { AsWritten, LedgerFirst, InAudience };

// Appends a delivery to a ledger field by field: one built aside and copied in stalled each
// append (its 16 bytes were read back as one before its two stores had landed).
void append_delivery(std::vector<Delivery>& ledger, Time t, uint32_t employee, uint32_t campaign, Kind kind, Origin origin) {
    const Delivery made = Delivery::make(t, employee, campaign, kind, origin);
    Delivery& d = ledger.emplace_back();
    d.time = made.time;
    d.employee = made.employee;
    d.packed = made.packed;
}

// Takes no pairs (the baseline and replays only need the verdict).
struct NoPairs {
    void operator()(uint32_t, uint16_t) const {}
};

// Checks 1-6 for customer c's pairs, in pair order, once the audience is decided. `pemp` and
// `preason` hold room for the customer's relations. Calls `on_pair(employee, reason)` for
// each pair, in pair order, when c is in the audience.
template <class OnPair>
uint16_t play_pairs(const Dataset& data, const SimulatedCampaign& s, uint32_t c, std::span<const PastDelivery> base,
                    std::vector<Delivery>& extra, OnPair& on_pair, int64_t* min_slack, uint32_t* pemp, uint16_t* preason) {
    const uint32_t rel_begin = data.relation_begin[c];
    const uint32_t rel_count = data.relation_begin[c + 1] - rel_begin;
    const uint8_t* sender = s.sender_state.data();
    const bool moment = s.kind == Kind::Moment;
    // Pairs in pair order (relations are stored that way) with checks 1-2, in one pass.
    uint32_t n = 0;
    int64_t best_chat = 0;
    uint32_t picked = kNone, live = 0;
    const uint32_t* hot = data.relation_sender.data() + rel_begin;
    for (uint32_t i = 0; i < rel_count; ++i) {
        const uint32_t employee = hot[i] & ~Dataset::kRelationDeleted;
        const uint8_t state = sender[employee];
        if (state == kNotSender) continue;
        uint16_t reason = kReached;  // "still in the running"
        if (state == kSenderCannotSend) reason = kSenderInactive;
        else if (hot[i] & Dataset::kRelationDeleted) reason = kNotFriend;
        else {
            ++live;
            if (s.multi == MultiSender::FirstAdded && picked == kNone) picked = n;
            if (s.multi == MultiSender::LastChat) {
                const Relation& r = data.relations[rel_begin + i];
                int64_t chat = r.has_last_chat ? r.last_chat_time : INT64_MIN;
                if (picked == kNone || chat > best_chat) {
                    picked = n;
                    best_chat = chat;
                }
            }
        }
        pemp[n] = employee;
        preason[n] = reason;
        ++n;
    }

    // A moment's audience: the customers with a pair, and a listed tag when there is a list.
    if (moment) {
        if (n == 0) return kNotInAudience;
        if (s.bound.tag_list_given) {
            bool any = false;
            for (uint32_t tag : s.bound.tag_list)
                if (customer_has_tag(data, c, tag)) {
                    any = true;
                    break;
                }
            if (!any) return kNotInAudience;
        }
    }
    if (n == 0) return kNoRelation;  // mass sends only: a moment's audience always has a pair
    if (s.multi != MultiSender::Each && live > 0)
        for (uint32_t p = 0; p < n; ++p)
            if (preason[p] == kReached && p != picked) preason[p] = kDuplicate;

    // Checks 3-6 for the picked pairs, in pair order.
    const bool may_be_not_interested =
        moment && data.not_interested_begin[c] != data.not_interested_begin[c + 1] && s.not_interested_hours > 0;
    bool reached = false;
    for (uint32_t p = 0; p < n; ++p) {
        if (preason[p] != kReached) continue;
        const uint32_t employee = pemp[p];
        if (may_be_not_interested && not_interested_active(data, c, employee, s.t, s.not_interested_hours)) {
            preason[p] = kNotInterested;
            continue;
        }
        uint16_t blocked = kReached;
        int64_t slack = INT64_MAX;
        for (const ActiveCheck& q : s.checks)
            if (check_blocks(q, c, employee, base, extra, slack)) {
                blocked = q.code;
                break;
            }
        preason[p] = blocked;
        if (blocked == kReached) {
            if (min_slack) *min_slack = std::min(*min_slack, slack);
            append_delivery(extra, s.t, employee, s.ledger_tag, s.kind, s.origin);
            reached = true;
        }
    }
    for (uint32_t p = 0; p < n; ++p) on_pair(pemp[p], preason[p]);
    if (reached) return kReached;
    uint16_t verdict = kDuplicate;
    for (uint32_t p = 0; p < n; ++p)
        if (preason[p] != kDuplicate && reason_rank(preason[p]) < reason_rank(verdict)) verdict = preason[p];
    return verdict;
}

// play_pairs for a customer with more relations than fit on the stack (rare).
template <class OnPair>
[[gnu::noinline]] uint16_t play_many_pairs(const Dataset& data, const SimulatedCampaign& s, uint32_t c,
                                           std::span<const PastDelivery> base, std::vector<Delivery>& extra, OnPair& on_pair,
                                           int64_t* min_slack) {
    const uint32_t rel_count = data.relation_begin[c + 1] - data.relation_begin[c];
    std::vector<uint32_t> employee(rel_count);
    std::vector<uint16_t> reason(rel_count);
    return play_pairs(data, s, c, base, extra, on_pair, min_slack, employee.data(), reason.data());
}

// Plays one campaign for one customer on that customer's ledger (base + extra), appending
// what it delivers to `extra`. Returns the customer's verdict; calls `on_pair` for each pair
// (see play_pairs). `min_slack`, when given, is lowered to the smallest headroom any check
// left a delivered pair.
template <class OnPair = NoPairs>
uint16_t play(const Dataset& data, const SimulatedCampaign& s, uint32_t c, std::span<const PastDelivery> base,
              std::vector<Delivery>& extra, OnPair&& on_pair = OnPair{}, int64_t* min_slack = nullptr,
              FilterOrder filter_order = FilterOrder::AsWritten) {
    // A mass send's audience is its filter (5.2): decide it before looking at pairs.
    if (s.kind != Kind::Moment && s.bound.has_filter && filter_order != FilterOrder::InAudience) {
        CustomerContext ctx{c, s.t, base, std::span<const Delivery>(extra.data(), extra.size()), s.not_interested_hours};
        const bool in = filter_order == FilterOrder::LedgerFirst ? evaluate_ledger_first(data, s.bound.filter, ctx)
                                                                 : evaluate(data, s.bound.filter, ctx);
        if (!in) return kNotInAudience;
    }
    constexpr uint32_t kMaxInline = 32;
    if (data.relation_begin[c + 1] - data.relation_begin[c] > kMaxInline)
        return play_many_pairs(data, s, c, base, extra, on_pair, min_slack);
    uint32_t employee[kMaxInline];
    uint16_t reason[kMaxInline];
    return play_pairs(data, s, c, base, extra, on_pair, min_slack, employee, reason);
}

// Plays one group send for one group (8.2) on the group's ledger (the dataset's group
// deliveries plus `extra`), appending its delivery to `extra`. Returns kReached or the reason.
uint16_t play_group(const Dataset& data, const SimulatedCampaign& s, uint32_t g, std::vector<Delivery>& extra) {
    const GroupChats& groups = data.groups;
    const uint32_t owner = groups.owner[g];
    if (s.sender_state[owner] != kSenderCanSend || !groups.owner_can_post(g)) return kSenderInactive;
    int64_t slack = INT64_MAX;
    for (const ActiveCheck& q : s.checks)
        if (check_blocks(q, g, owner, groups.ledger(g), extra, slack)) return q.code;
    extra.push_back(Delivery::make(s.t, owner, s.ledger_tag, s.kind, s.origin));
    return kReached;
}

// Per employee one row of pair counts by outcome: delivered, then each reason, codes packed
// without the gap below kQuotaReasonBase. One increment per pair into a row that stays in
// cache (thousands of senders x the full code range did not).
constexpr uint16_t kFirstUnusedCode = kNotInterested + 1;
size_t outcome_column(uint16_t code) { return code < kQuotaReasonBase ? code : code - (kQuotaReasonBase - kFirstUnusedCode); }

// The senders' rows of the result from the per-employee outcome counts, in sender order.
template <class Count>
std::vector<SenderStats> sender_stats(const SimulatedCampaign& s, const Count* counts, size_t row_width, size_t reason_count) {
    std::vector<SenderStats> out;
    out.reserve(s.bound.senders.size());
    for (uint32_t employee : s.bound.senders) {
        SenderStats st;
        st.employee = employee;
        const Count* row = counts + size_t(employee) * row_width;
        st.deliveries = int64_t(row[outcome_column(kReached)]);
        st.pairs = st.deliveries;
        for (size_t r = 1; r < reason_count; ++r) {
            if (r >= kFirstUnusedCode && r < kQuotaReasonBase) continue;
            if (int64_t b = int64_t(row[outcome_column(static_cast<uint16_t>(r))])) {
                st.blocked.push_back({static_cast<uint16_t>(r), b});
                st.pairs += b;
            }
        }
        st.requires_confirmation = s.origin == Origin::Enterprise;
        out.push_back(std::move(st));
    }
    return out;
}

// Equal audiences and senders as written (JSON pointers aside): the simulation reads nothing else
// of a draft but its kind, origin and send time.
bool same_ids(const std::vector<IdRef>& a, const std::vector<IdRef>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const IdRef& x, const IdRef& y) { return x.id == y.id; });
}
bool same_scalar(const Scalar& a, const Scalar& b) {
    return a.type == b.type && a.number == b.number && a.text == b.text && a.boolean == b.boolean;
}
bool same_expr(const Expr& a, const Expr& b) {
    return a.op == b.op && a.number == b.number && a.min == b.min && a.received_kind == b.received_kind && a.flag == b.flag &&
           a.attr == b.attr && a.attr_op == b.attr_op && a.has_value == b.has_value && same_scalar(a.value, b.value) &&
           same_ids(a.ids, b.ids) &&
           std::equal(a.values.begin(), a.values.end(), b.values.begin(), b.values.end(), same_scalar) &&
           std::equal(a.departments.begin(), a.departments.end(), b.departments.begin(), b.departments.end(),
                      [](const IntIdRef& x, const IntIdRef& y) { return x.id == y.id; }) &&
           std::equal(a.groups.begin(), a.groups.end(), b.groups.begin(), b.groups.end(), same_ids) &&
           std::equal(a.children.begin(), a.children.end(), b.children.begin(), b.children.end(), same_expr);
}
bool same_senders(const Campaign& a, const Campaign& b) {
    return a.id == b.id && a.kind == b.kind && a.origin == b.origin && same_ids(a.sender_users, b.sender_users) &&
           std::equal(a.sender_departments.begin(), a.sender_departments.end(), b.sender_departments.begin(),
                      b.sender_departments.end(), [](const IntIdRef& x, const IntIdRef& y) { return x.id == y.id; });
}
bool same_audience(const Campaign& a, const Campaign& b) {
    return same_ids(a.tag_list, b.tag_list) && a.filter.has_value() == b.filter.has_value() &&
           (!a.filter || same_expr(*a.filter, *b.filter)) && same_ids(a.chat_list, b.chat_list);
}
}  // namespace

const LedgerEventIndex& PreviewSession::ledger_events() {
    uint32_t unbounded = UINT32_MAX;
    build_ledger_events(unbounded);
    return *ledger_events_;
}

std::optional<PreviewResult> PreviewSession::reuse(const Campaign& previous_draft, const PreviewResult& previous,
                                                   const Campaign& draft) {
    if (!same_senders(previous_draft, draft) || previous.campaign_id != draft.id) return std::nullopt;
    ensure_baseline();
    const Time t = effective_send_time(draft);
    if (previous.send_time != effective_send_time(previous_draft)) return std::nullopt;  // not previous_draft's preview
    std::vector<UnknownId> unknown;
    const uint32_t draft_tag = kSimulatedCampaign + static_cast<uint32_t>(timeline_.size());
    SimulatedCampaign now = prepare(data_, rules_, draft, t, draft_tag, unknown, &employee_order());
    if (!same_audience(previous_draft, draft)) {
        if (t != previous.send_time || draft.kind == Kind::GroupSend || previous.verdict.size() != data_.customer_count())
            return std::nullopt;
        std::optional<PreviewResult> out = reselect_audience(previous_draft, previous, now);
        if (out) describe(*out, draft, now.bound, unknown);
        return out;
    }
    if (t != previous.send_time && !SameWindowsTest(data_, rules_, draft, [this]() -> const LedgerEventIndex& {
                                        return ledger_events();
                                    }).same(previous.send_time, t))
        return std::nullopt;
    PreviewResult out = previous;
    out.send_time = t;
    describe(out, draft, now.bound, unknown);
    return out;
}

void PreviewSession::evict_counts() {
    // Erasing moves the entries but not their buffers, so the pointers held by the timeline
    // stay valid.
    // The least recently asked for go first: a window the next draft asked for again
    // (ask_windows, then start) stays counted however old.
    constexpr size_t kRecentCounts = 8;
    size_t unpinned = std::count_if(count_cache_.begin(), count_cache_.end(), [](const CountCache& e) { return !e.pinned; });
    for (; unpinned > kRecentCounts; --unpinned) {
        auto oldest = count_cache_.end();
        for (auto it = count_cache_.begin(); it != count_cache_.end(); ++it)
            if (!it->pinned && (oldest == count_cache_.end() || it->last_asked < oldest->last_asked)) oldest = it;
        count_cache_.erase(oldest);
    }
}

CustomerBits PreviewSession::select_audience(const SimulatedCampaign& s, uint32_t position, uint32_t begin, uint32_t end) {
    if (s.kind == Kind::Moment) return customers_with_any_tag(data_, &tag_customers(), s.bound.tag_list, begin, end);
    return select_customers(data_, &tag_customers(), s.bound.filter, begin, end, s.t, s.not_interested_hours, [&](uint32_t c) {
        return CustomerContext{c, s.t, base_ledger(data_, c), scheduled_before(c, position), s.not_interested_hours};
    });
}

std::optional<PreviewResult> PreviewSession::reselect_audience(const Campaign& previous_draft, const PreviewResult& previous,
                                                               SimulatedCampaign& s) {
    // Customers are independent: a customer whose membership stays plays exactly as before.
    // One whose membership changed is played with the draft as it was, and its share (audience,
    // verdict, pairs by sender, deliveries, later campaigns' reach) taken out, then with the
    // draft as it is, and its new share put in.
    std::vector<UnknownId> ignored;
    SimulatedCampaign old_s = prepare(data_, rules_, previous_draft, s.t, s.ledger_tag, ignored, &employee_order());
    evict_counts();
    attach_base_counts(s, false);
    attach_base_counts(old_s, false);
    fill_counts();
    const uint32_t position = draft_position(s.t);
    const uint32_t begin = range_begin(), end = range_end();
    const bool moment = s.kind == Kind::Moment;
    // Who may be in each audience: a moment's tag list (it also needs a pair, which play()
    // decides: the senders are the same), a mass send's filter.
    auto candidates = [&](const SimulatedCampaign& x) {
        const bool selects = moment ? x.bound.tag_list_given : x.bound.has_filter;
        if (selects) return select_audience(x, position, begin, end);
        CustomerBits all{begin, std::vector<uint64_t>((size_t(end - begin) + 63) / 64, ~uint64_t(0))};
        if (((end - begin) & 63) != 0) all.words.back() = (uint64_t(1) << ((end - begin) & 63)) - 1;
        return all;
    };
    const CustomerBits now_in = candidates(s);
    CustomerBits was_in;
    if (moment) {
        was_in = candidates(old_s);
    } else {  // a mass send's audience is its filter: the previous verdicts say who was in
        was_in = {begin, std::vector<uint64_t>(now_in.words.size(), 0)};
        for (uint32_t c = begin; c < end; ++c)
            if (previous.verdict[c] != kNotInAudience) was_in.words[(c - begin) >> 6] |= uint64_t(1) << ((c - begin) & 63);
    }

    // Each changed customer is played up to twice, here, in one go: past an eighth of the
    // customers a sliced preview (PreviewJob) is the cheaper and smoother way.
    size_t changed = 0;
    for (size_t w = 0; w < now_in.words.size(); ++w)
        changed += static_cast<size_t>(std::popcount(now_in.words[w] ^ was_in.words[w]));
    if (changed * 8 > size_t(end - begin)) return std::nullopt;

    PreviewResult out = previous;
    const size_t row_width = kFirstUnusedCode + rules_.quotas.size() + rules_.policies.size();
    const size_t reason_count = kQuotaReasonBase + rules_.quotas.size() + rules_.policies.size();
    std::vector<int64_t> counts(data_.employees.size() * row_width, 0);
    for (const SenderStats& st : previous.senders) {
        int64_t* row = counts.data() + size_t(st.employee) * row_width;
        row[outcome_column(kReached)] = st.deliveries;
        for (const auto& [code, n] : st.blocked) row[outcome_column(code)] = n;
    }
    std::vector<int64_t> after_delta(timeline_.size(), 0), customer_delta(timeline_.size(), 0);
    std::vector<uint8_t> checks_see, audience_sees;
    draft_visibility(s.kind, s.origin, s.t, position, checks_see, audience_sees);
    std::vector<Delivery> extra;
    // The new delivering employees of the customers played anew, ascending by customer.
    std::vector<std::pair<uint32_t, uint32_t>> changed_via;  // (customer, via_new offset)
    std::vector<uint32_t> via_new;
    auto account = [&](const SimulatedCampaign& x, uint32_t c, int64_t sign) {
        const auto prefix = scheduled_before(c, position);
        extra.assign(prefix.begin(), prefix.end());
        const size_t before = extra.size();
        auto on_pair = [&](uint32_t employee, uint16_t reason) {
            counts[size_t(employee) * row_width + outcome_column(reason)] += sign;
            if (sign > 0 && reason == kReached) via_new.push_back(employee);
        };
        const uint16_t v = play(data_, x, c, base_ledger(data_, c), extra, on_pair, nullptr, FilterOrder::InAudience);
        if (v == kNotInAudience) return v;
        out.audience += sign;
        if (v != kReached) {
            out.blocked_customers[v] += sign;
            return v;
        }
        out.reached += sign;
        const int64_t delivered = static_cast<int64_t>(extra.size() - before);
        out.deliveries += sign * delivered;
        if (draft_may_change_later(c, position, delivered, checks_see, audience_sees)) {
            std::fill(customer_delta.begin(), customer_delta.end(), 0);
            replay_after(c, position, prefix.data() + prefix.size(), extra, checks_see, audience_sees, &customer_delta);
            for (size_t k = 0; k < after_delta.size(); ++k) after_delta[k] += sign * customer_delta[k];
        }
        return v;
    };
    for (size_t w = 0; w < now_in.words.size(); ++w)
        for (uint64_t m = now_in.words[w] ^ was_in.words[w]; m != 0; m &= m - 1) {
            const uint32_t c = begin + static_cast<uint32_t>(w * 64 + std::countr_zero(m));
            const bool now = (now_in.words[w] >> std::countr_zero(m)) & 1;
            if (previous.verdict[c] != kNotInAudience) account(old_s, c, -1);
            changed_via.push_back({c, static_cast<uint32_t>(via_new.size())});
            out.verdict[c] = now ? account(s, c, +1) : uint16_t(kNotInAudience);
        }
    for (size_t k = 0; k < after_delta.size(); ++k) out.impact[impact_slot_[k]].reached_after += after_delta[k];
    out.senders = sender_stats(s, counts.data(), row_width, reason_count);

    // The delivering employees again, customer by customer: as before, but for those played anew.
    out.via.clear();
    size_t next_changed = 0;
    for (uint32_t c = 0; c < data_.customer_count(); ++c) {
        out.via_begin[c] = static_cast<uint32_t>(out.via.size());
        if (next_changed < changed_via.size() && changed_via[next_changed].first == c) {
            const uint32_t from = changed_via[next_changed].second;
            const uint32_t to = next_changed + 1 < changed_via.size() ? changed_via[next_changed + 1].second
                                                                      : static_cast<uint32_t>(via_new.size());
            out.via.insert(out.via.end(), via_new.begin() + from, via_new.begin() + to);
            ++next_changed;
        } else {
            out.via.insert(out.via.end(), previous.via.begin() + previous.via_begin[c],
                           previous.via.begin() + previous.via_begin[c + 1]);
        }
    }
    out.via_begin[data_.customer_count()] = static_cast<uint32_t>(out.via.size());
    return out;
}

PreviewSession::PreviewSession(const Dataset& data, Rules rules, size_t skip_scheduled)
    : data_(data), rules_(std::move(rules)), skip_scheduled_(skip_scheduled) {}
PreviewSession::~PreviewSession() = default;

void PreviewSession::set_rules(Rules rules) {
    rules_ = std::move(rules);
    baseline_ready_ = baseline_begun_ = false;
    count_cache_.clear();
}

void PreviewSession::set_customer_range(uint32_t begin, uint32_t end) {
    range_begin_ = begin;
    range_end_ = end;
    baseline_ready_ = baseline_begun_ = false;
    count_cache_.clear();
}

std::pair<uint32_t, uint32_t> shard_range(uint32_t customers, uint32_t index, uint32_t count) {
    auto at = [&](uint32_t i) { return static_cast<uint32_t>(uint64_t(customers) * i / count); };
    return {at(index), at(index + 1)};
}

const uint8_t* PreviewSession::base_counts(TimeRange range, std::optional<Kind> kind, std::optional<Origin> origin, bool pin) {
    for (CountCache& e : count_cache_)
        if (e.range.begin == range.begin && e.range.end == range.end && e.kind == kind && e.origin == origin) {
            e.pinned |= pin;
            e.last_asked = ++counts_asked_;
            return e.counts.data();
        }
    // Counted by fill_counts, with every other window asked for meanwhile; the buffer (and
    // the pointer returned) stays where it is when the cache grows or entries are erased.
    count_cache_.push_back({range, kind, origin, pin, 0, ++counts_asked_, std::vector<uint8_t>(data_.customer_count(), 0)});
    return count_cache_.back().counts.data();
}

void PreviewSession::fill_counts() {
    uint32_t unbounded = UINT32_MAX;
    fill_counts(unbounded);
}

bool PreviewSession::fill_counts(uint32_t& customers) {
    // Up to 8 windows per pass over every ledger: the deliveries (110 MB at 1M customers) are
    // read once for them all instead of once per window. Windows asked for at different
    // times may be counted up to different customers: a pass takes those at the same point.
    constexpr size_t kPerPass = 8;
    const uint32_t stop = range_end();
    while (customers > 0) {
        CountCache* first_todo = nullptr;
        for (CountCache& e : count_cache_)
            if (e.counted_to < stop) {
                first_todo = &e;
                break;
            }
        if (!first_todo) return true;
        const uint32_t counted_to = first_todo->counted_to;
        std::vector<CountCache*> todo;
        for (CountCache& e : count_cache_)
            if (e.counted_to == counted_to && todo.size() < kPerPass) todo.push_back(&e);
        const uint32_t from = std::max(counted_to, range_begin());
        const uint32_t to = customers >= stop - from ? stop : from + customers;
        const size_t m = todo.size();
        Time begin[kPerPass], end[kPerPass];
        uint32_t matches[kPerPass];  // bit (origin << 2 | kind): a delivery of that kind and origin counts
        uint8_t* out[kPerPass];
        for (size_t i = 0; i < m; ++i) {
            const CountCache& e = *todo[i];
            begin[i] = e.range.begin;
            end[i] = e.range.end;
            matches[i] = 0;
            for (uint32_t bits = 0; bits < 8; ++bits)
                if ((!e.kind || uint32_t(*e.kind) == (bits & 3)) && (!e.origin || uint32_t(*e.origin) == bits >> 2))
                    matches[i] |= 1u << bits;
            out[i] = todo[i]->counts.data();
        }
        for (uint32_t c = from; c < to; ++c) {
            unsigned count[kPerPass] = {};
            for (const PastDelivery& d : base_ledger(data_, c)) {
                const uint32_t bits = d.kind_origin;
                for (size_t i = 0; i < m; ++i)
                    count[i] += unsigned(d.time >= begin[i]) & unsigned(d.time < end[i]) & (matches[i] >> bits);
            }
            for (size_t i = 0; i < m; ++i) out[i][c] = static_cast<uint8_t>(std::min(count[i], 255u));
        }
        for (size_t i = 0; i < m; ++i) todo[i]->counted_to = to;
        customers_visited_ += to - from;
        customers -= to - from;
    }
    for (const CountCache& e : count_cache_)
        if (e.counted_to < stop) return false;
    return true;
}

void PreviewSession::ask_windows(const Campaign& draft) {
    std::vector<UnknownId> unknown;
    SimulatedCampaign s =
        prepare(data_, rules_, draft, effective_send_time(draft), kSimulatedCampaign, unknown, &employee_order());
    evict_counts();
    attach_base_counts(s, false);  // start(draft) finds these windows counted
    asked_tag_customers_ = draft.kind == Kind::Moment ? s.bound.tag_list_given : s.bound.has_filter;
}

bool PreviewSession::count_windows(uint32_t& customers) {
    if (!fill_counts(customers)) return false;
    if (!asked_tag_customers_) return true;
    const uint32_t budget = customers;
    const bool done = tag_customers_builder_.step(data_, tag_customers_, customers);
    customers_visited_ += budget - customers;
    return done;
}

bool PreviewSession::build_ledger_events(uint32_t& customers) {
    if (!ledger_events_) ledger_events_ = std::make_unique<LedgerEventIndex>();
    const uint32_t budget = customers;
    const bool done = ledger_events_->build(data_, customers);
    customers_visited_ += budget - customers;
    return done;
}

void PreviewSession::attach_base_counts(SimulatedCampaign& s, bool pin) {
    if (s.kind == Kind::GroupSend) return;  // its checks read group ledgers, a few entries each
    for (ActiveCheck& q : s.checks)
        if (!q.per_sender && q.count > 0) q.base_counts = base_counts(q.range, q.kind, q.origin, pin);
    if (s.bound.has_filter) attach_received_counts(s.bound.filter, s.t, pin);
}

void PreviewSession::attach_received_counts(BoundExpr& e, Time t, bool pin) {
    if (e.op == ExprOp::Received && e.number > 0) {
        std::optional<Kind> kind;
        if (e.received_kind == ReceivedKind::Moment) kind = Kind::Moment;
        if (e.received_kind == ReceivedKind::MassSend) kind = Kind::MassSend;
        e.base_counts = base_counts(window_range(Window::RollingDays, t, 0, e.number), kind, std::nullopt, pin);
    }
    for (BoundExpr& child : e.children) attach_received_counts(child, t, pin);
}

void PreviewSession::ensure_baseline() {
    uint32_t unbounded = UINT32_MAX;
    build_baseline(unbounded);
}

bool PreviewSession::build_baseline(uint32_t& customers) {
    if (baseline_ready_) return true;
    if (!baseline_begun_) begin_baseline();
    // The scheduled campaigns' ledger counts first: every customer's play reads them.
    if (!fill_counts(customers)) return false;
    std::vector<Delivery> extra;
    const uint32_t end = range_end();
    const size_t K = timeline_.size();
    const uint32_t stop = customers >= end - baseline_next_ ? end : baseline_next_ + customers;
    for (uint32_t c = baseline_next_; c < stop; ++c) {
        sched_begin_[c] = static_cast<uint32_t>(sched_deliveries_.size());
        if (timeline_.empty()) continue;
        extra.clear();
        auto base = base_ledger(data_, c);
        for (size_t k = 0; k < timeline_.size(); ++k) {
            const SimulatedCampaign& sk = timeline_[k];
            uint8_t reads_ledger = 0;
            if (!sk.received.empty()) {
                CustomerContext ctx{c, sk.t, base, std::span<const Delivery>(extra.data(), extra.size()),
                                    sk.not_interested_hours};
                reads_ledger = depends_on_ledger(data_, sk.bound.filter, ctx) ? kAudienceReadsLedger : 0;
            }
            int64_t slack = kMaxSlack;
            uint16_t v = play(data_, sk, c, base, extra, NoPairs{}, &slack);
            baseline_state_[size_t(c) * K + k] =
                static_cast<uint8_t>((v == kReached         ? int64_t(kReachedState) | slack << kSlackShift
                                      : v == kNotInAudience ? int64_t(kOut)
                                                            : int64_t(kBlocked)) |
                                     reads_ledger);
            if (v == kReached) ++baseline_impact_[impact_slot_[k]].reached_before;
        }
        sched_deliveries_.insert(sched_deliveries_.end(), extra.begin(), extra.end());
    }
    customers_visited_ += stop - baseline_next_;
    customers -= stop - baseline_next_;
    baseline_next_ = stop;
    if (baseline_next_ < end) return false;
    std::fill(sched_begin_.begin() + end, sched_begin_.end(), static_cast<uint32_t>(sched_deliveries_.size()));
    for (ImpactEntry& e : baseline_impact_) e.reached_after = e.reached_before;
    baseline_begun_ = false;
    baseline_ready_ = true;
    return true;
}

void PreviewSession::begin_baseline() {
    timeline_.clear();
    baseline_warnings_.clear();
    baseline_impact_.clear();
    std::vector<const Campaign*> order;
    for (const Campaign& c : data_.scheduled) {
        if (size_t(&c - data_.scheduled.data()) == skip_scheduled_) continue;
        if (*c.send_time < data_.now) {
            baseline_warnings_.push_back({"scheduled.past",
                                          "scheduled campaign '" + c.id + "' has send_time before now; not simulated",
                                          "",
                                          {param_text("id", c.id)}});
            continue;
        }
        order.push_back(&c);
    }
    std::sort(order.begin(), order.end(), [](const Campaign* a, const Campaign* b) {
        if (*a->send_time != *b->send_time) return *a->send_time < *b->send_time;
        return a->id < b->id;
    });
    impact_slot_.clear();
    group_timeline_.clear();
    group_impact_slot_.clear();
    for (size_t k = 0; k < order.size(); ++k) {
        std::vector<UnknownId> unknown;  // none: the loader checked scheduled campaigns
        const bool group = order[k]->kind == Kind::GroupSend;
        auto& line = group ? group_timeline_ : timeline_;
        (group ? group_impact_slot_ : impact_slot_).push_back(static_cast<uint32_t>(k));
        line.push_back(prepare(data_, rules_, *order[k], *order[k]->send_time,
                               kSimulatedCampaign + static_cast<uint32_t>(line.size()), unknown, &employee_order()));
        attach_base_counts(line.back(), true);
        baseline_impact_.push_back({order[k]->id, *order[k]->send_time, 0, 0});
    }
    ensure_group_baseline();
    const uint32_t n = data_.customer_count();
    baseline_state_.assign(size_t(n) * timeline_.size(), kOut);
    sched_begin_.assign(n + 1, 0);
    sched_deliveries_.clear();
    baseline_next_ = range_begin();
    baseline_begun_ = true;
}

void PreviewSession::ensure_group_baseline() {
    const GroupChats& groups = data_.groups;
    const uint32_t n = groups.size();
    group_sched_begin_.assign(n + 1, 0);
    group_sched_deliveries_.clear();
    if (group_timeline_.empty()) return;
    // Which groups each scheduled group send addresses: one byte per group and campaign.
    for (SimulatedCampaign& sk : group_timeline_) {
        sk.addresses.assign(n, 0);
        for (uint32_t g : sk.bound.groups) sk.addresses[g] = 1;
    }
    std::vector<Delivery> extra;
    // Groups span customer ranges: of a set of shards, only the first counts their reach,
    // so merged shard summaries count each group once.
    const bool counts_groups = range_begin() == 0;
    for (uint32_t g = 0; g < n; ++g) {
        group_sched_begin_[g] = static_cast<uint32_t>(group_sched_deliveries_.size());
        extra.clear();
        for (size_t k = 0; k < group_timeline_.size(); ++k)
            if (group_timeline_[k].addresses[g] && play_group(data_, group_timeline_[k], g, extra) == kReached && counts_groups)
                ++baseline_impact_[group_impact_slot_[k]].reached_before;
        group_sched_deliveries_.insert(group_sched_deliveries_.end(), extra.begin(), extra.end());
    }
    group_sched_begin_[n] = static_cast<uint32_t>(group_sched_deliveries_.size());
}

uint32_t PreviewSession::draft_position(Time t) const {
    // The draft runs after every scheduled campaign at or before its time.
    return static_cast<uint32_t>(
        std::upper_bound(timeline_.begin(), timeline_.end(), t, [](Time v, const SimulatedCampaign& s) { return v < s.t; }) -
        timeline_.begin());
}

void PreviewSession::draft_visibility(Kind kind, Origin origin, Time t, uint32_t position, std::vector<uint8_t>& checks_see,
                                      std::vector<uint8_t>& audience_sees) const {
    checks_see.assign(timeline_.size(), 0);
    audience_sees.assign(timeline_.size(), 0);
    for (size_t k = position; k < timeline_.size(); ++k) {
        checks_see[k] = timeline_[k].checks_see(kind, origin, t);
        audience_sees[k] = timeline_[k].audience_sees(kind, t);
    }
}

void PreviewSession::prefetch_customer(const SimulatedCampaign& s, uint32_t c) const {
    __builtin_prefetch(data_.relation_begin.data() + c);
    __builtin_prefetch(data_.delivery_begin.data() + c);
    __builtin_prefetch(data_.not_interested_begin.data() + c);
    __builtin_prefetch(sched_begin_.data() + c);
    __builtin_prefetch(baseline_state_.data() + size_t(c) * timeline_.size());
    for (const ActiveCheck& q : s.checks)
        if (q.base_counts) __builtin_prefetch(q.base_counts + c);
}

void PreviewSession::prefetch_customer_rows(uint32_t c) const {
    const uint32_t r = data_.relation_begin[c];
    __builtin_prefetch(data_.relation_sender.data() + r);
    __builtin_prefetch(data_.relations.data() + r);
    __builtin_prefetch(sched_deliveries_.data() + sched_begin_[c]);
}

bool PreviewSession::draft_may_change_later(uint32_t c, uint32_t position, int64_t draft_deliveries,
                                            const std::vector<uint8_t>& checks_see,
                                            const std::vector<uint8_t>& audience_sees) const {
    // replay_after's test for a campaign that answers as without the draft, before any
    // other campaign has changed: when every later campaign passes it, nothing changes.
    const size_t K = timeline_.size();
    const uint8_t* state_row = baseline_state_.data() + size_t(c) * K;
    for (size_t k = position; k < K; ++k) {
        const uint8_t state = state_row[k];
        if ((state & kAudienceReadsLedger) && audience_sees[k]) return true;
        if (!checks_see[k]) continue;
        const uint8_t was = state & kStateMask;
        if (was == kReachedState && (state >> kSlackShift) <= draft_deliveries) return true;
    }
    return false;
}

void PreviewSession::replay_after(uint32_t c, uint32_t position, const Delivery* cursor, std::vector<Delivery>& extra,
                                  const std::vector<uint8_t>& checks_see, const std::vector<uint8_t>& audience_sees,
                                  std::vector<int64_t>* after_delta) const {
    // The draft changed this customer's ledger. A later campaign reads the ledger only
    // through its checks and its audience's `received` windows, so it answers as without
    // the draft unless one of them sees a change: the draft's deliveries, or a replayed
    // campaign that now delivers differently. When every change it sees only adds
    // deliveries and its audience stays, more on the ledger can only block more: a customer
    // it blocked stays blocked, and one it reached stays reached the same way when each of
    // its checks had more headroom than the added deliveries can take.
    struct Change {
        Kind kind;
        Origin origin;
        Time t;
        bool adds_only;  // the campaign now delivers everything it did, and more
        int64_t added;
    };
    Change changes_inline[8];
    std::vector<Change> changes_big;
    size_t change_count = 0;
    auto change_at = [&](size_t i) -> Change& { return i < 8 ? changes_inline[i] : changes_big[i - 8]; };

    auto base = base_ledger(data_, c);
    const Delivery* sched_end = sched_deliveries_.data() + sched_begin_[c + 1];
    const uint8_t* state_row = baseline_state_.data() + size_t(c) * timeline_.size();
    int64_t draft_deliveries = 0;
    for (const Delivery* d = extra.data() + extra.size();
         d != extra.data() && (d - 1)->campaign() == kSimulatedCampaign + timeline_.size(); --d)
        ++draft_deliveries;
    for (size_t k = position; k < timeline_.size(); ++k) {
        const uint32_t tag = kSimulatedCampaign + static_cast<uint32_t>(k);
        const Delivery* kb = cursor;
        while (cursor != sched_end && cursor->campaign() == tag) ++cursor;
        const SimulatedCampaign& sk = timeline_[k];
        const uint8_t was = state_row[k] & kStateMask;
        const bool reads_ledger = state_row[k] & kAudienceReadsLedger;
        bool see_checks = checks_see[k], see_audience = reads_ledger && audience_sees[k], adds_only = true;
        int64_t added = see_checks ? draft_deliveries : 0;
        for (size_t i = 0; i < change_count; ++i) {
            const Change& ch = change_at(i);
            const bool checks = sk.checks_see(ch.kind, ch.origin, ch.t);
            const bool audience = reads_ledger && sk.audience_sees(ch.kind, ch.t);
            if (!checks && !audience) continue;
            see_checks |= checks;
            see_audience |= audience;
            adds_only &= ch.adds_only;
            added += ch.added;
        }
        const bool same = !see_audience && (!see_checks || was == kOut ||
                                            (adds_only && (was == kBlocked || (state_row[k] >> kSlackShift) > added)));
        if (same) {
            extra.insert(extra.end(), kb, cursor);  // same answer as without the draft
            continue;
        }
        const size_t from = extra.size();
        const bool now_reached = play(data_, sk, c, base, extra, NoPairs{}, nullptr, FilterOrder::LedgerFirst) == kReached;
        if (after_delta) (*after_delta)[k] += int64_t(now_reached) - int64_t(was == kReachedState);
        auto same_employee = [](const Delivery& a, const Delivery& b) { return a.employee == b.employee; };
        const Delivery* now_begin = extra.data() + from;
        const Delivery* now_end = extra.data() + extra.size();
        if (std::equal(now_begin, now_end, kb, cursor, same_employee)) continue;
        Change ch{sk.kind, sk.origin, sk.t, true, (now_end - now_begin) - (cursor - kb)};
        for (const Delivery* o = kb; o != cursor && ch.adds_only; ++o)
            ch.adds_only = std::any_of(now_begin, now_end, [&](const Delivery& d) { return d.employee == o->employee; });
        if (change_count >= 8) changes_big.push_back(ch);
        else changes_inline[change_count] = ch;
        ++change_count;
    }
}

std::vector<PlayedCampaign> PreviewSession::trace_customer(const Campaign& draft, uint32_t c) {
    ensure_baseline();
    const Time t = std::max(draft.send_time.value_or(data_.now), data_.now);
    const uint32_t position = draft_position(t);
    std::vector<UnknownId> unknown;
    // No per-customer counts attached: for one customer the checks read its ledger directly.
    SimulatedCampaign s = prepare(data_, rules_, draft, t, kSimulatedCampaign + static_cast<uint32_t>(timeline_.size()), unknown,
                                  &employee_order());
    auto base = base_ledger(data_, c);
    std::vector<Delivery> extra;
    std::vector<PairOutcome> pairs;
    std::vector<PlayedCampaign> out;
    auto play_one = [&](const SimulatedCampaign& sc, bool is_draft) {
        pairs.clear();
        PlayedCampaign p;
        p.campaign = sc.campaign;
        p.draft = is_draft;
        p.t = sc.t;
        p.verdict = play(data_, sc, c, base, extra, [&](uint32_t employee, uint16_t reason) {
            pairs.push_back({employee, reason});
        });
        if (p.verdict == kNoRelation) p.pairs.push_back({kNone, kNoRelation});
        for (const PairOutcome& o : pairs) p.pairs.push_back({o.employee, o.reason});
        out.push_back(std::move(p));
    };
    for (uint32_t k = 0; k <= timeline_.size(); ++k) {
        if (k == position && draft.kind != Kind::GroupSend)
            play_one(s, true);  // a group send reaches customers through groups only
        if (k < timeline_.size()) play_one(timeline_[k], false);
    }
    return out;
}

void PreviewSession::for_each_audience_ledger(const Campaign& draft, const PreviewResult& result, const LedgerVisitor& visit) {
    ensure_baseline();
    const Time t = result.send_time;
    const uint32_t position = draft_position(t);
    const uint32_t draft_tag = kSimulatedCampaign + static_cast<uint32_t>(timeline_.size());
    std::vector<uint8_t> checks_see, audience_sees;
    draft_visibility(draft.kind, draft.origin, t, position, checks_see, audience_sees);
    std::vector<Delivery> extra;
    const uint32_t n = data_.customer_count();
    for (uint32_t c = 0; c < n && c < result.verdict.size(); ++c) {
        const uint16_t v = result.verdict[c];
        if (v == kNotInAudience) continue;
        auto base = base_ledger(data_, c);
        const Delivery* sched = sched_deliveries_.data() + sched_begin_[c];
        const Delivery* sched_end = sched_deliveries_.data() + sched_begin_[c + 1];
        if (v != kReached) {  // the draft changed nothing for this customer
            visit(c, base, std::span<const Delivery>(sched, sched_end));
            continue;
        }
        const auto prefix = scheduled_before(c, position);
        const Delivery* prefix_end = prefix.data() + prefix.size();
        extra.assign(prefix.begin(), prefix.end());
        for (uint32_t i = result.via_begin[c]; i < result.via_begin[c + 1]; ++i)
            extra.push_back(Delivery::make(t, result.via[i], draft_tag, draft.kind, draft.origin));
        replay_after(c, position, prefix_end, extra, checks_see, audience_sees, nullptr);
        visit(c, base, std::span<const Delivery>(extra.data(), extra.size()));
    }
}

void PreviewSession::for_each_audience_group_ledger(const Campaign& draft, const PreviewResult& result,
                                                    const GroupLedgerVisitor& visit) {
    ensure_baseline();
    const GroupChats& groups = data_.groups;
    const Time t = result.send_time;
    // As start_group_send: the draft after the scheduled group sends at or before t.
    const uint32_t position = static_cast<uint32_t>(std::upper_bound(group_timeline_.begin(), group_timeline_.end(), t,
                                                                     [](Time v, const SimulatedCampaign& c) { return v < c.t; }) -
                                                    group_timeline_.begin());
    const uint32_t draft_tag = kSimulatedCampaign + static_cast<uint32_t>(group_timeline_.size());
    std::vector<Delivery> extra;
    for (uint32_t g = 0; g < groups.size() && g < result.group_verdict.size(); ++g) {
        const uint16_t v = result.group_verdict[g];
        if (v == kNotInAudience) continue;
        const Delivery* sched = group_sched_deliveries_.data() + group_sched_begin_[g];
        const Delivery* sched_end = group_sched_deliveries_.data() + group_sched_begin_[g + 1];
        if (v != kReached) {  // the draft changed nothing for this group
            visit(g, groups.ledger(g), std::span<const Delivery>(sched, sched_end));
            continue;
        }
        const Delivery* prefix_end = sched;
        while (prefix_end != sched_end && prefix_end->campaign() - kSimulatedCampaign < position) ++prefix_end;
        extra.assign(sched, prefix_end);
        extra.push_back(Delivery::make(t, groups.owner[g], draft_tag, Kind::GroupSend, draft.origin));
        for (size_t k = position; k < group_timeline_.size(); ++k)
            if (group_timeline_[k].addresses[g]) play_group(data_, group_timeline_[k], g, extra);
        visit(g, groups.ledger(g), std::span<const Delivery>(extra.data(), extra.size()));
    }
}

struct PreviewJob::State {
    PreviewSession* session = nullptr;
    Campaign draft;  // a copy: the caller may edit its own meanwhile
    SimulatedCampaign s;
    PreviewResult out;
    uint32_t position = 0;
    size_t reason_count = 0, row_width = 0;
    std::vector<uint32_t> outcome_log;  // each pair's cell, counted in finish()
    std::vector<int64_t> after_delta;
    const std::vector<uint32_t>* impact_slot = nullptr;  // after_delta position -> impact index
    std::vector<uint8_t> checks_see, audience_sees;  // which later campaigns see the draft
    std::vector<Delivery> extra;
    uint32_t first = 0, next = 0, customers = 0;  // customers [first, customers), next to play
    bool group_send = false;  // steps count the readers of the reached groups
    // The draft's audience is a filter or a tag list: each step selects its slice's audience
    // column by column first and plays only those customers.
    bool select_audience = false;
    std::vector<uint32_t> members;  // a step's audience, ascending
    const uint8_t* may_be_in_audience = nullptr;  // 0: outside the audience (PreviewSession::start)
    std::vector<uint32_t> reads;  // group send: per customer, the reached groups they are in
};

PreviewJob::PreviewJob() = default;
PreviewJob::~PreviewJob() = default;
PreviewJob::PreviewJob(PreviewJob&&) noexcept = default;
PreviewJob& PreviewJob::operator=(PreviewJob&&) noexcept = default;

bool PreviewJob::done() const { return !state_ || state_->next >= state_->customers; }

double PreviewJob::progress() const {
    if (!state_ || state_->customers <= state_->first) return 1.0;
    return static_cast<double>(state_->next - state_->first) / static_cast<double>(state_->customers - state_->first);
}

void PreviewSession::describe(PreviewResult& out, const Campaign& draft, const BoundCampaign& bound,
                              std::vector<UnknownId>& unknown) const {
    out.errors = check_campaign(data_, draft, rules_, bound, unknown);
    out.submittable = out.errors.empty();
    out.warnings = baseline_warnings_;
    if (data_.unmatched_deliveries > 0)
        out.warnings.push_back(
            {"deliveries.unknown_customer",
             std::to_string(data_.unmatched_deliveries) + " deliveries name no known customer and count for nobody",
             "",
             {param_number("count", data_.unmatched_deliveries)}});
    if (data_.groups.unmatched_deliveries > 0)
        out.warnings.push_back({"deliveries.unknown_chat",
                                std::to_string(data_.groups.unmatched_deliveries) +
                                    " group deliveries name no known group chat and count for no group",
                                "",
                                {param_number("count", data_.groups.unmatched_deliveries)}});
    if (data_.unmatched_not_interested > 0)
        out.warnings.push_back({"not_interested.unknown_customer",
                                std::to_string(data_.unmatched_not_interested) + " not-interested events name no known customer",
                                "",
                                {param_number("count", data_.unmatched_not_interested)}});
}

PreviewJob PreviewSession::start(const Campaign& draft) { return start(draft, nullptr); }

PreviewJob PreviewSession::start(const Campaign& draft, const uint8_t* may_be_in_audience) {
    ensure_baseline();
    PreviewJob job;
    job.state_ = std::make_unique<PreviewJob::State>();
    PreviewJob::State& j = *job.state_;
    j.session = this;
    j.may_be_in_audience = may_be_in_audience;
    j.draft = draft;
    PreviewResult& out = j.out;
    const Time t = effective_send_time(j.draft);
    out.campaign_id = j.draft.id;
    out.send_time = t;
    out.kind = j.draft.kind;
    out.origin = j.draft.origin;

    j.position = draft_position(t);
    std::vector<UnknownId> unknown;
    const uint32_t draft_tag = kSimulatedCampaign + static_cast<uint32_t>(timeline_.size());
    j.s = prepare(data_, rules_, j.draft, t, draft_tag, unknown, &employee_order());
    evict_counts();
    attach_base_counts(j.s, false);
    fill_counts();
    describe(out, j.draft, j.s.bound, unknown);

    const size_t quota_count = rules_.quotas.size(), policy_count = rules_.policies.size();
    j.reason_count = kQuotaReasonBase + quota_count + policy_count;
    out.reason_labels.assign(j.reason_count, "");
    for (const EnumKey<ReasonCode>& reason : kReasonKeys) out.reason_labels[reason.value] = reason.key;
    for (size_t i = 0; i < quota_count; ++i) out.reason_labels[kQuotaReasonBase + i] = "quota:" + rules_.quotas[i].id;
    for (size_t i = 0; i < policy_count; ++i)
        out.reason_labels[kQuotaReasonBase + quota_count + i] = "policy:" + rules_.policies[i].id;
    out.blocked_customers.assign(j.reason_count, 0);

    j.row_width = kFirstUnusedCode + quota_count + policy_count;
    // Counted after the customer loop: increments into thousands of senders' rows,
    // interleaved with the loop's streaming reads, missed the cache on every pair.
    j.outcome_log.reserve(last_pair_count_);

    j.first = j.next = range_begin();
    j.customers = range_end();
    out.verdict.assign(data_.customer_count(), kNotInAudience);
    out.via_begin.assign(data_.customer_count() + 1, 0);
    out.impact = baseline_impact_;
    if (j.draft.kind == Kind::GroupSend) {
        start_group_send(j);
        return job;
    }
    j.impact_slot = &impact_slot_;
    j.after_delta.assign(timeline_.size(), 0);
    j.select_audience = j.draft.kind == Kind::Moment ? j.s.bound.tag_list_given : j.s.bound.has_filter;
    if (j.select_audience) tag_customers();
    draft_visibility(j.draft.kind, j.draft.origin, t, j.position, j.checks_see, j.audience_sees);
    return job;
}

// A group send is played group by group when it starts (8.2): groups are few next to
// customers, and each reads its own short ledger. The steps then count the customers who
// read it (members_reached, members_multi), a slice of customers at a time.
void PreviewSession::start_group_send(PreviewJob::State& j) {
    const GroupChats& groups = data_.groups;
    PreviewResult& out = j.out;
    SimulatedCampaign& s = j.s;
    const Time t = s.t;
    s.ledger_tag = kSimulatedCampaign + static_cast<uint32_t>(group_timeline_.size());
    const uint32_t position = static_cast<uint32_t>(std::upper_bound(group_timeline_.begin(), group_timeline_.end(), t,
                                                                     [](Time v, const SimulatedCampaign& c) { return v < c.t; }) -
                                                    group_timeline_.begin());
    j.group_send = true;
    j.impact_slot = &group_impact_slot_;
    j.after_delta.assign(group_timeline_.size(), 0);
    out.group_verdict.assign(groups.size(), kNotInAudience);
    std::vector<Delivery> extra;
    size_t reached_entries = 0;  // member entries of the reached groups
    for (uint32_t g : s.bound.groups) {
        const Delivery* sched = group_sched_deliveries_.data() + group_sched_begin_[g];
        const Delivery* sched_end = group_sched_deliveries_.data() + group_sched_begin_[g + 1];
        const Delivery* prefix_end = sched;
        while (prefix_end != sched_end && prefix_end->campaign() - kSimulatedCampaign < position) ++prefix_end;
        extra.assign(sched, prefix_end);
        const uint16_t v = play_group(data_, s, g, extra);
        out.group_verdict[g] = v;
        ++out.audience;
        j.outcome_log.push_back(static_cast<uint32_t>(groups.owner[g] * j.row_width + outcome_column(v)));
        if (v != kReached) {
            ++out.blocked_customers[v];
            continue;  // the group's ledger is as without the draft
        }
        ++out.reached;
        ++out.deliveries;
        reached_entries += groups.member_begin[g + 1] - groups.member_begin[g];
        // The scheduled group sends after the draft, replayed for this group on its new ledger.
        for (size_t k = position; k < group_timeline_.size(); ++k) {
            const SimulatedCampaign& sk = group_timeline_[k];
            if (!sk.addresses[g]) continue;
            const uint32_t tag = kSimulatedCampaign + static_cast<uint32_t>(k);
            const bool was = std::any_of(prefix_end, sched_end, [&](const Delivery& d) { return d.campaign() == tag; });
            const bool now = play_group(data_, sk, g, extra) == kReached;
            j.after_delta[k] += int64_t(now) - int64_t(was);
        }
    }
    count_group_readers(j, reached_entries);
}

// Per customer, in how many reached groups they read the send (PreviewJob::State::reads):
// counted over the reached groups, or, when those hold most memberships and every member
// had joined by t, as each customer's group count minus the groups not reached.
void PreviewSession::count_group_readers(PreviewJob::State& j, size_t reached_entries) const {
    const GroupChats& groups = data_.groups;
    const Time t = j.s.t;
    const std::vector<uint16_t>& verdict = j.out.group_verdict;
    const size_t total = groups.member_customer.size();
    const bool complement = t >= groups.latest_join && groups.customer_group_count.size() == data_.customer_count() &&
                            total - reached_entries < reached_entries;
    if (complement) {
        j.reads = groups.customer_group_count;
        uint32_t* reads = j.reads.data();
        for (uint32_t g = 0; g < groups.size(); ++g)
            if (verdict[g] != kReached)
                for (uint32_t i = groups.member_begin[g]; i < groups.member_begin[g + 1]; ++i) --reads[groups.member_customer[i]];
        return;
    }
    j.reads.assign(data_.customer_count(), 0);
    uint32_t* reads = j.reads.data();
    for (uint32_t g = 0; g < groups.size(); ++g)
        if (verdict[g] == kReached)
            for (uint32_t c : groups.customers_joined_by(g, t)) ++reads[c];
}

bool PreviewJob::step(uint32_t customers) {
    if (!state_) return true;
    State& j = *state_;
    PreviewSession& session = *j.session;
    const Dataset& data = session.data_;
    PreviewResult& out = j.out;
    const uint32_t end = customers >= j.customers - j.next ? j.customers : j.next + customers;
    session.customers_visited_ += end - j.next;
    if (j.group_send) {
        if (out.group_readers.empty()) out.group_readers.assign((size_t(j.customers) + 63) / 64 * 2, 0);
        uint64_t* readers = out.group_readers.data();
        for (uint32_t c = j.next; c < end; ++c) {
            const uint32_t n = j.reads[c];
            const uint64_t bit = uint64_t(n > 0) << (c & 63), multi = uint64_t(n > 1) << (c & 63);
            readers[(c >> 6) * 2] |= bit;
            readers[(c >> 6) * 2 + 1] |= multi;
            out.members_reached += n > 0;
            out.members_multi += n > 1;
        }
        j.next = end;
        return done();
    }
    CustomerBits audience;
    if (j.select_audience) audience = session.select_audience(j.s, j.position, j.next, end);
    uint32_t via_filled = j.next;  // via_begin is written up to here
    const FilterOrder filter_order = j.select_audience ? FilterOrder::InAudience : FilterOrder::AsWritten;
    auto play_customer = [&](uint32_t c) {
        for (; via_filled <= c; ++via_filled) out.via_begin[via_filled] = static_cast<uint32_t>(out.via.size());
        if (j.may_be_in_audience && !j.may_be_in_audience[c]) return;  // verdict stays kNotInAudience
        auto base = base_ledger(data, c);
        const auto prefix = session.scheduled_before(c, j.position);
        const Delivery* prefix_end = prefix.data() + prefix.size();
        if (prefix.empty()) j.extra.clear();
        else j.extra.assign(prefix.begin(), prefix.end());
        const size_t before = j.extra.size();
        // Each pair's outcome and the delivering employees (play reports pairs of its audience only).
        auto on_pair = [&](uint32_t employee, uint16_t reason) {
            if (reason == kReached) out.via.push_back(employee);
            j.outcome_log.push_back(static_cast<uint32_t>(employee * j.row_width + outcome_column(reason)));
        };
        const uint16_t v = play(data, j.s, c, base, j.extra, on_pair, nullptr, filter_order);
        out.verdict[c] = v;
        if (v == kNotInAudience) return;
        ++out.audience;
        if (v == kReached) {
            ++out.reached;
            const int64_t delivered = static_cast<int64_t>(j.extra.size() - before);
            out.deliveries += delivered;
            if (session.draft_may_change_later(c, j.position, delivered, j.checks_see, j.audience_sees))
                session.replay_after(c, j.position, prefix_end, j.extra, j.checks_see, j.audience_sees, &j.after_delta);
        } else {
            ++out.blocked_customers[v];
        }
    };
    if (j.select_audience) {
        // The audience is scattered over the customers: their rows are fetched from memory a
        // few customers ahead of playing them (the hardware sees no stride to prefetch).
        j.members.clear();
        for (size_t w = 0; w < audience.words.size(); ++w)
            for (uint64_t m = audience.words[w]; m != 0; m &= m - 1)
                j.members.push_back(audience.first + static_cast<uint32_t>(w * 64 + std::countr_zero(m)));
        constexpr size_t kAhead = 8;
        const size_t count = j.members.size();
        for (size_t i = 0; i < count; ++i) {
            if (i + kAhead < count) session.prefetch_customer(j.s, j.members[i + kAhead]);
            if (i + kAhead / 2 < count) session.prefetch_customer_rows(j.members[i + kAhead / 2]);
            play_customer(j.members[i]);
        }
    } else {
        for (uint32_t c = j.next; c < end; ++c) play_customer(c);
    }
    for (; via_filled < end; ++via_filled) out.via_begin[via_filled] = static_cast<uint32_t>(out.via.size());
    j.next = end;
    return done();
}

PreviewResult PreviewJob::finish() {
    while (!step(UINT32_MAX)) {}
    State& j = *state_;
    PreviewResult out = std::move(j.out);
    std::fill(out.via_begin.begin() + j.customers, out.via_begin.end(), static_cast<uint32_t>(out.via.size()));
    std::vector<uint32_t> outcome_counts(j.session->data_.employees.size() * j.row_width, 0);
    for (uint32_t cell : j.outcome_log) ++outcome_counts[cell];
    j.session->last_pair_count_ = j.outcome_log.size();
    for (size_t k = 0; k < j.after_delta.size(); ++k) out.impact[(*j.impact_slot)[k]].reached_after += j.after_delta[k];

    out.senders = sender_stats(j.s, outcome_counts.data(), j.row_width, j.reason_count);
    state_.reset();
    return out;
}

PreviewResult PreviewSession::preview(const Campaign& draft) { return start(draft).finish(); }

PreviewResult run_preview(const Dataset& data, const Campaign& draft, const Rules& rules) {
    PreviewSession session(data, rules);
    return session.preview(draft);
}

}  // namespace rl
