#include "core/insight.h"

#include <algorithm>

namespace rl {

std::vector<CustomerEvent> explain_customer(PreviewSession& session, const Campaign& draft, uint32_t customer) {
    const Dataset& data = session.data();
    std::vector<CustomerEvent> out;
    if (customer >= data.customer_count()) return out;
    for (uint32_t i = data.delivery_begin[customer]; i < data.delivery_begin[customer + 1]; ++i) {
        const Delivery& d = data.deliveries[i];
        CustomerEvent e;
        e.source = CustomerEvent::Source::Past;
        if (d.campaign() < data.past_campaigns.size()) e.campaign_id = data.past_campaigns[d.campaign()].id;
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

namespace {

// A quota or policy laid on the calendar grid: its windows at the end of each day of the month.
struct CalendarCheck {
    uint8_t combos = 0;          // bit kind | origin << 1: which deliveries it counts
    bool per_sender = false;
    int64_t limit = 0;
    std::vector<uint32_t> window_begin, window_end;  // per day of the month: grid cells [begin, end)
};

}  // namespace

QuotaCalendar quota_calendar(PreviewSession& session, const Campaign& draft, const PreviewResult& result) {
    const Dataset& data = session.data();
    const Rules& rules = session.rules();
    const int tz = data.enterprise.tz_offset_minutes;
    const int64_t offset = int64_t(tz) * 60;
    QuotaCalendar cal;
    const LocalDate send = local_date(result.send_time, tz);
    cal.year = send.year;
    cal.month = send.month;
    cal.days = days_in_month(send.year, send.month);
    // Local day numbers (days since 1970-01-01 local): `first` is day 1 of the month.
    const int64_t send_day = floor_div(result.send_time + offset, 86400);
    const int64_t first = send_day - (send.day - 1);
    const int64_t last = first + cal.days - 1;
    cal.first_weekday = static_cast<int>(((first + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday

    // Each check's window at the last second of each day: what a further delivery at the end
    // of that day would be checked against. Every window is made of whole local days.
    std::vector<CalendarCheck> checks;
    std::vector<std::pair<int64_t, int64_t>> day_windows;  // (first day, last day) per check and day, before the grid exists
    constexpr int64_t kLookbackMax = 800;  // days; older deliveries share the grid's first cell
    int64_t grid_first = first;
    auto add = [&](const Quota& q, const char* prefix) {
        cal.labels.push_back(prefix + q.id);
        CalendarCheck c;
        for (int k = 0; k < 2; ++k)
            for (int o = 0; o < 2; ++o)
                if (q.matches(Kind(k), Origin(o))) c.combos |= uint8_t(1u << (k | o << 1));
        c.per_sender = q.per_sender;
        c.limit = q.count_is_days_in_month ? cal.days : q.count;
        cal.limits.push_back(c.limit);
        for (int64_t day = first; day <= last; ++day) {
            const Time end_of_day = (day + 1) * 86400 - offset - 1;
            const TimeRange r = window_range(q.window, end_of_day, tz, q.days);
            if (r.begin >= r.end) { day_windows.push_back({1, 0}); continue; }  // empty
            int64_t b = r.begin == INT64_MIN ? INT64_MIN : floor_div(r.begin + offset, 86400);
            const int64_t e = floor_div(r.end - 1 + offset, 86400);
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
    const uint32_t cells = static_cast<uint32_t>(last - grid_base + 1);
    for (size_t i = 0; i < checks.size(); ++i) {
        CalendarCheck& c = checks[i];
        for (int d = 0; d < cal.days; ++d) {
            auto [b, e] = day_windows[i * cal.days + d];
            if (b > e) { c.window_begin.push_back(0); c.window_end.push_back(0); continue; }
            c.window_begin.push_back(b == INT64_MIN ? 0 : static_cast<uint32_t>(b - grid_base));
            // The ledger as it stands at the end of that day: later deliveries of the window do not count yet.
            c.window_end.push_back(static_cast<uint32_t>(std::min(e, first + d) - grid_base + 1));
        }
    }
    cal.use.assign(checks.size(), std::vector<QuotaDayUse>(cal.days));
    const uint32_t month_cell = static_cast<uint32_t>(first - grid_base);

    // The senders that could deliver the draft: a per-sender check leaves a customer no
    // headroom when every live relation with such a sender is full.
    std::vector<uint8_t> draft_sender(data.employees.size(), 0);
    for (const SenderStats& s : result.senders) draft_sender[s.employee] = 1;

    struct Item { uint32_t cell; uint32_t employee; uint8_t combo; };
    std::vector<Item> items;
    std::vector<int64_t> prefix(cells + 1);
    std::vector<uint8_t> all_full(cal.days);
    std::vector<uint32_t> senders;
    session.for_each_audience_ledger(draft, result, [&](uint32_t c, std::span<const Delivery> base, std::span<const Delivery> simulated) {
        items.clear();
        uint8_t present = 0;
        for (auto list : {base, simulated})
            for (const Delivery& d : list) {
                const int64_t day = floor_div(d.time + offset, 86400);
                if (day > last) continue;
                const uint8_t combo = uint8_t(uint32_t(d.kind()) | uint32_t(d.origin()) << 1);
                items.push_back({day <= grid_base ? 0u : static_cast<uint32_t>(day - grid_base), d.employee, combo});
                present |= uint8_t(1u << combo);
            }
        senders.clear();
        for (uint32_t i = data.relation_begin[c]; i < data.relation_begin[c + 1]; ++i) {
            const uint32_t hot = data.relation_sender[i];
            if (!(hot & Dataset::kRelationDeleted) && draft_sender[hot]) senders.push_back(hot);
        }
        for (size_t q = 0; q < checks.size(); ++q) {
            const CalendarCheck& check = checks[q];
            std::vector<QuotaDayUse>& use = cal.use[q];
            if (check.limit <= 0) {  // no headroom ever
                if (!check.per_sender || !senders.empty())
                    for (QuotaDayUse& u : use) ++u.customers_full;
            }
            if (!(present & check.combos)) continue;
            // Cells of this check's deliveries, all senders.
            std::fill(prefix.begin(), prefix.end(), 0);
            int64_t total = 0;
            for (const Item& it : items)
                if (check.combos >> it.combo & 1) { ++prefix[it.cell + 1]; ++total; }
            for (int d = 0; d < cal.days; ++d) use[d].deliveries += prefix[month_cell + d + 1];
            if (check.limit <= 0 || total < check.limit) continue;  // never full
            if (!check.per_sender) {
                for (uint32_t i = 0; i < cells; ++i) prefix[i + 1] += prefix[i];
                for (int d = 0; d < cal.days; ++d)
                    use[d].customers_full += prefix[check.window_end[d]] - prefix[check.window_begin[d]] >= check.limit;
                continue;
            }
            if (senders.empty()) continue;
            std::fill(all_full.begin(), all_full.end(), 1);
            for (uint32_t e : senders) {
                std::fill(prefix.begin(), prefix.end(), 0);
                for (const Item& it : items)
                    if ((check.combos >> it.combo & 1) && it.employee == e) ++prefix[it.cell + 1];
                for (uint32_t i = 0; i < cells; ++i) prefix[i + 1] += prefix[i];
                for (int d = 0; d < cal.days; ++d)
                    all_full[d] &= prefix[check.window_end[d]] - prefix[check.window_begin[d]] >= check.limit;
            }
            for (int d = 0; d < cal.days; ++d) use[d].customers_full += all_full[d];
        }
    });
    return cal;
}

PreviewResult preview_scheduled(const Dataset& data, const Rules& rules, size_t index) {
    PreviewSession session(data, rules, index);
    return session.preview(data.scheduled.at(index));
}

}  // namespace rl
