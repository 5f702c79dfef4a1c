#include "core/insight/insight.h"

#include <algorithm>

#include "core/audience/audience.h"

namespace rl {

std::vector<CustomerEvent> explain_customer(PreviewSession& session, const Campaign& draft, uint32_t customer) {
    const Dataset& data = session.data();
    std::vector<CustomerEvent> out;
    if (customer >= data.customer_count()) return out;
    for (uint32_t i = data.delivery_begin[customer]; i < data.delivery_begin[customer + 1]; ++i) {
        const PastDelivery& d = data.deliveries[i];
        CustomerEvent e;
        e.source = CustomerEvent::Source::Past;
        if (data.delivery_campaign[i] < data.past_campaigns.size())
            e.campaign_id = data.past_campaigns[data.delivery_campaign[i]].id;
        e.kind = d.kind();
        e.origin = d.origin();
        e.time = d.time;
        e.employee = d.employee;
        out.push_back(std::move(e));
    }
    for (const PlayedCampaign& p : session.trace_customer(draft, customer)) {
        if (p.verdict == kNotInAudience) continue;
        for (const PlayedPair& pair : p.pairs) {
            CustomerEvent e;
            e.source = p.draft ? CustomerEvent::Source::Draft : CustomerEvent::Source::Scheduled;
            e.campaign_id = p.campaign->id;
            e.kind = p.campaign->kind;
            e.origin = p.campaign->origin;
            e.time = p.t;
            e.employee = pair.employee;
            e.verdict = pair.reason;
            if (!p.draft) e.scheduled_index = static_cast<int>(p.campaign - data.scheduled.data());
            out.push_back(std::move(e));
        }
    }
    // The dataset's deliveries come first at equal times (they are on the ledger before the
    // timeline starts); the timeline is already in its order.
    std::stable_sort(out.begin(), out.end(), [](const CustomerEvent& a, const CustomerEvent& b) { return a.time < b.time; });
    return out;
}

std::vector<RelationExplanation> explain_relations(PreviewSession& session, const Campaign& draft, uint32_t customer) {
    const Dataset& data = session.data();
    const Rules& rules = session.rules();
    std::vector<RelationExplanation> out;
    if (customer >= data.customer_count()) return out;
    const std::vector<CustomerEvent> events = explain_customer(session, draft, customer);
    const Time t = std::max(draft.send_time.value_or(data.now), data.now);
    std::vector<UnknownId> unknown;
    const BoundCampaign bound = bind_campaign(data, draft, t, unknown);
    // The draft's pairs, in pair order (relation order), with their place on the timeline.
    std::vector<size_t> draft_pairs;
    for (size_t i = 0; i < events.size(); ++i)
        if (events[i].source == CustomerEvent::Source::Draft && events[i].employee != kNone) draft_pairs.push_back(i);
    const bool in_audience = draft.kind != Kind::GroupSend &&
                             std::any_of(events.begin(), events.end(),
                                         [](const CustomerEvent& e) { return e.source == CustomerEvent::Source::Draft; });
    const MultiSender multi = draft.kind == Kind::Moment ? rules.moment_multi_sender : rules.mass_send_multi_sender;
    std::vector<uint8_t> pair_used(draft_pairs.size(), 0);
    for (uint32_t i = data.relation_begin[customer]; i < data.relation_begin[customer + 1]; ++i) {
        const Relation& rel = data.relations[i];
        RelationExplanation x;
        x.relation = i;
        x.employee = rel.employee;
        const bool selected =
            std::binary_search(bound.senders.begin(), bound.senders.end(), rel.employee,
                               [&](uint32_t a, uint32_t b) { return data.employees[a].userid < data.employees[b].userid; });
        x.state = !selected      ? RelationExplanation::State::NotSelected
                  : !in_audience ? RelationExplanation::State::NotInAudience
                                 : RelationExplanation::State::Tried;
        // Two relations with one employee are two pairs: the k-th relation takes the k-th pair.
        size_t event = events.size();
        if (in_audience && selected)
            for (size_t k = 0; k < draft_pairs.size(); ++k)
                if (!pair_used[k] && events[draft_pairs[k]].employee == rel.employee) {
                    pair_used[k] = 1;
                    event = draft_pairs[k];
                    break;
                }
        if (event == events.size()) {
            if (x.state == RelationExplanation::State::Tried) x.state = RelationExplanation::State::NotInAudience;
            out.push_back(std::move(x));
            continue;
        }
        x.state = RelationExplanation::State::Tried;
        x.verdict = events[event].verdict;
        const Employee& emp = data.employees[rel.employee];
        if (x.verdict == kSenderInactive)
            x.detail = !emp.active ? RelationExplanation::Detail::Resigned : RelationExplanation::Detail::MomentsDisabled;
        else if (x.verdict == kDuplicate)
            x.detail = multi == MultiSender::LastChat ? RelationExplanation::Detail::NotLastChat
                                                      : RelationExplanation::Detail::NotFirstAdded;
        else if (x.verdict == kNotInterested) {
            // The latest event of this sender that is still hiding its posts at t.
            for (uint32_t n = data.not_interested_begin[customer]; n < data.not_interested_begin[customer + 1]; ++n) {
                const NotInterested& ev = data.not_interested[n];
                const Time until = ev.time + rules.not_interested_hours * 3600;
                if (ev.employee == rel.employee && ev.time <= t && t < until)
                    x.not_interested_until = std::max(x.not_interested_until, until);
            }
        } else if (x.verdict >= kQuotaReasonBase) {
            const size_t q = x.verdict - kQuotaReasonBase;
            const Quota& quota = q < rules.quotas.size() ? rules.quotas[q] : rules.policies.at(q - rules.quotas.size());
            const int tz = data.enterprise.tz_offset_minutes;
            x.quota_limit = quota.count_is_days_in_month ? days_in_local_month(t, tz) : quota.count;
            const TimeRange window = window_range(quota.window, t, tz, quota.days);
            // The ledger as the pair saw it: the dataset's deliveries, and the simulated ones
            // on the timeline before it.
            for (size_t k = 0; k < events.size(); ++k) {
                const CustomerEvent& e = events[k];
                if (k >= event && e.source != CustomerEvent::Source::Past) continue;
                if (e.verdict != kReached || !window.contains(e.time) || !quota.matches(e.kind, e.origin)) continue;
                if (quota.per_sender && e.employee != rel.employee) continue;
                x.quota_used.push_back({e.source, e.campaign_id, e.time, e.employee});
            }
        }
        out.push_back(std::move(x));
    }
    return out;
}

CustomerEmployeesLookup::CustomerEmployeesLookup(const Dataset& data, const PreviewResult& result)
    : data_(data), selected_(data.employees.size(), 0) {
    for (const SenderStats& s : result.senders)
        if (s.employee < selected_.size()) selected_[s.employee] = 1;
}

void CustomerEmployeesLookup::of(uint32_t customer, CustomerEmployees& out) const {
    out.pair_senders.clear();
    out.other_employees.clear();
    if (customer >= data_.customer_count()) return;
    auto add_once = [](std::vector<uint32_t>& list, uint32_t employee) {
        if (std::find(list.begin(), list.end(), employee) == list.end()) list.push_back(employee);
    };
    for (uint32_t i = data_.relation_begin[customer]; i < data_.relation_begin[customer + 1]; ++i) {
        const Relation& rel = data_.relations[i];
        if (selected_[rel.employee]) add_once(out.pair_senders, rel.employee);
        else if (!rel.deleted) add_once(out.other_employees, rel.employee);
    }
}

namespace {

// A quota or policy laid on the calendar grid: its windows at the end of each day of the month.
struct CalendarCheck {
    uint8_t combos = 0;  // bit kind | origin << 2: which deliveries it counts
    bool per_sender = false;
    int64_t limit = 0;
    std::vector<uint32_t> window_begin, window_end;  // per day of the month: grid cells [begin, end)
};

}  // namespace

QuotaCalendar quota_calendar(PreviewSession& session, const Campaign& draft, const PreviewResult& result,
                             std::optional<Time> month_of) {
    const Dataset& data = session.data();
    const Rules& rules = session.rules();
    const int tz = data.enterprise.tz_offset_minutes;
    QuotaCalendar cal;
    const Time anchor = month_of.value_or(result.send_time);
    const LocalDate send = local_date(anchor, tz);
    cal.year = send.year;
    cal.month = send.month;
    cal.days = days_in_month(send.year, send.month);
    // Local day numbers (days since 1970-01-01 local): `first` is day 1 of the month.
    const int64_t send_day = local_day_number(anchor, tz);
    const int64_t first = send_day - (send.day - 1);
    const int64_t last = first + cal.days - 1;
    cal.first_weekday = weekday_of_day(first);

    // Each check's window at the last second of each day: what a further delivery at the end
    // of that day would be checked against. Every window is made of whole local days.
    std::vector<CalendarCheck> checks;
    std::vector<std::pair<int64_t, int64_t>> day_windows;  // (first day, last day) per check and day, before the grid exists
    constexpr int64_t kLookbackMax = 800;  // days; older deliveries share the grid's first cell
    int64_t grid_first = first;
    // A group send's calendar holds the checks that apply to group sends (per group, contract
    // 8.1) over its audience groups; a customer campaign's every check over its customers.
    const bool group_send = draft.kind == Kind::GroupSend;
    auto add = [&](const Quota& q, const char* prefix) {
        if (group_send && !q.per_group) return;
        cal.labels.push_back(prefix + q.id);
        cal.applies.push_back(q.matches(draft.kind, draft.origin));
        CalendarCheck c;
        for (int k = 0; k < 3; ++k)
            for (int o = 0; o < 2; ++o)
                if (q.matches(Kind(k), Origin(o))) c.combos |= uint8_t(1u << (k | o << 2));
        c.per_sender = q.per_sender;
        c.limit = q.count_is_days_in_month ? cal.days : q.count;
        cal.limits.push_back(c.limit);
        for (int64_t day = first; day <= last; ++day) {
            const Time end_of_day = local_day_start(day + 1, tz) - 1;
            const TimeRange r = window_range(q.window, end_of_day, tz, q.days);
            if (r.begin >= r.end) {
                day_windows.push_back({1, 0});
                continue;
            }  // empty
            int64_t b = r.begin == INT64_MIN ? INT64_MIN : local_day_number(r.begin, tz);
            const int64_t e = local_day_number(r.end - 1, tz);
            if (b < first - kLookbackMax) b = INT64_MIN;
            else grid_first = std::min(grid_first, b);
            day_windows.push_back({b, e});
        }
        checks.push_back(std::move(c));
    };
    for (const Quota& q : rules.quotas) add(q, "quota:");
    for (const Quota& q : rules.policies) add(q, "policy:");
    // Grid cell 0 holds every delivery before grid_first; cell i the local day grid_first + i - 1.
    const int64_t grid_base = grid_first - 1;
    for (size_t i = 0; i < checks.size(); ++i) {
        CalendarCheck& c = checks[i];
        for (int d = 0; d < cal.days; ++d) {
            auto [b, e] = day_windows[i * static_cast<size_t>(cal.days) + static_cast<size_t>(d)];
            if (b > e) {
                c.window_begin.push_back(0);
                c.window_end.push_back(0);
                continue;
            }
            c.window_begin.push_back(b == INT64_MIN ? 0 : static_cast<uint32_t>(b - grid_base));
            // The ledger as it stands at the end of that day: later deliveries of the window do not count yet.
            c.window_end.push_back(static_cast<uint32_t>(std::min(e, first + d) - grid_base + 1));
        }
    }
    cal.use.assign(checks.size(), std::vector<QuotaDayUse>(cal.days));
    const uint32_t month_cell = static_cast<uint32_t>(first - grid_base);
    bool has_per_sender_without_headroom = false;
    for (const CalendarCheck& c : checks) has_per_sender_without_headroom |= c.per_sender && c.limit <= 0;

    // The senders that could deliver the draft: a per-sender check leaves a customer no
    // headroom when every live relation with such a sender is full.
    std::vector<uint8_t> draft_sender(data.employees.size(), 0);
    for (const SenderStats& s : result.senders) draft_sender[s.employee] = 1;

    // Deliveries before the grid matter only to windows reaching further back than the grid.
    bool keep_older = false;
    for (const CalendarCheck& c : checks)
        for (int d = 0; d < cal.days; ++d) keep_older |= c.window_begin[d] == 0 && c.window_end[d] > 0;

    const Time grid_start_time = local_day_start(grid_base + 1, tz);
    struct Item {
        uint32_t cell;
        uint32_t employee;
        uint8_t combo;
    };
    std::vector<Item> items;
    std::vector<uint32_t> senders;
    int64_t audience = 0, audience_with_senders = 0;  // for checks that leave no headroom at all
    // One audience unit's ledger (a customer's, or a group's for a group send) on the grid.
    auto lay_out_list = [&](auto list) {
        // The list is in time order: skip what lies before the grid at once.
        auto it = keep_older ? list.begin()
                             : std::lower_bound(list.begin(), list.end(), grid_start_time,
                                                [](const auto& d, Time t) { return d.time < t; });
        for (; it != list.end(); ++it) {
            const auto& d = *it;
            const int64_t day = local_day_number(d.time, tz);
            if (day > last || (day <= grid_base && !keep_older)) continue;
            const uint8_t combo = uint8_t(uint32_t(d.kind()) | uint32_t(d.origin()) << 2);
            items.push_back({day <= grid_base ? 0u : static_cast<uint32_t>(day - grid_base), uint32_t(d.employee), combo});
        }
    };
    auto lay_out = [&](std::span<const PastDelivery> base, std::span<const Delivery> simulated) {
        items.clear();
        lay_out_list(base);
        lay_out_list(simulated);
    };
    // Per-group checks count every group delivery of the group, whoever the owner was.
    auto count_unit = [&](auto&& live_senders) {
        ++audience;
        for (size_t q = 0; q < checks.size(); ++q) {
            const CalendarCheck& check = checks[q];
            std::vector<QuotaDayUse>& use = cal.use[q];
            int64_t total = 0;
            for (const Item& it : items)
                if (check.combos >> it.combo & 1) {
                    ++total;
                    if (it.cell >= month_cell) ++use[it.cell - month_cell].deliveries;
                }
            if (check.limit <= 0 || total < check.limit) continue;  // never full here (or counted below)
            // Few deliveries per unit: count each day's window directly.
            auto in_window = [&](int d, uint32_t employee) {
                int64_t n = 0;
                for (const Item& it : items)
                    n += (check.combos >> it.combo & 1) && (employee == kNone || it.employee == employee) &&
                         it.cell >= check.window_begin[d] && it.cell < check.window_end[d];
                return n;
            };
            if (!check.per_sender) {
                for (int d = 0; d < cal.days; ++d) use[d].customers_full += in_window(d, kNone) >= check.limit;
                continue;
            }
            // Per sender: no headroom when every live relation with a sender of the draft is full.
            const std::vector<uint32_t>& list = live_senders();
            if (list.empty()) continue;
            for (int d = 0; d < cal.days; ++d) {
                bool all_full = true;
                for (uint32_t e : list)
                    if (in_window(d, e) < check.limit) {
                        all_full = false;
                        break;
                    }
                use[d].customers_full += all_full;
            }
        }
    };
    if (group_send) {
        const std::vector<uint32_t> no_senders;
        session.for_each_audience_group_ledger(
            draft, result, [&](uint32_t, std::span<const PastDelivery> base, std::span<const Delivery> simulated) {
                lay_out(base, simulated);
                count_unit([&]() -> const std::vector<uint32_t>& { return no_senders; });
            });
    } else {
        session.for_each_audience_ledger(
            draft, result, [&](uint32_t c, std::span<const PastDelivery> base, std::span<const Delivery> simulated) {
                lay_out(base, simulated);
                bool senders_known = false;
                auto live_senders = [&]() -> const std::vector<uint32_t>& {
                    if (!senders_known) {
                        senders.clear();
                        for (uint32_t i = data.relation_begin[c]; i < data.relation_begin[c + 1]; ++i) {
                            const uint32_t hot = data.relation_sender[i];
                            if (!(hot & Dataset::kRelationDeleted) && draft_sender[hot]) senders.push_back(hot);
                        }
                        senders_known = true;
                    }
                    return senders;
                };
                if (has_per_sender_without_headroom) audience_with_senders += !live_senders().empty();
                count_unit(live_senders);
            });
    }
    for (size_t q = 0; q < checks.size(); ++q)
        if (checks[q].limit <= 0)
            for (QuotaDayUse& u : cal.use[q]) u.customers_full = checks[q].per_sender ? audience_with_senders : audience;
    return cal;
}

PreviewResult preview_scheduled(const Dataset& data, const Rules& rules, size_t index) {
    PreviewSession session(data, rules, index);
    return session.preview(data.scheduled.at(index));
}

}  // namespace rl
