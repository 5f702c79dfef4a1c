#include "core/output/report.h"

#include <map>

namespace rl {

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += "\"\"";
        else out.push_back(c);
    }
    out.push_back('"');
    return out;
}

nlohmann::ordered_json summary_json(const Dataset& data, const PreviewResult& r) {
    using json = nlohmann::ordered_json;
    auto issues = [](const std::vector<Issue>& list) {
        json a = json::array();
        for (const Issue& i : list) a.push_back({{"code", i.code}, {"message", i.message}});
        return a;
    };
    // Labels, not codes, are the keys: two quotas may share an id (contract 1.3).
    auto blocked_map = [&](const std::vector<std::pair<uint16_t, int64_t>>& counts) {
        std::map<std::string, int64_t> merged;
        for (auto [code, n] : counts) merged[r.reason_label(code)] += n;
        json o = json::object();
        for (auto& [label, n] : merged) if (n != 0) o[label] = n;
        return o;
    };
    std::vector<std::pair<uint16_t, int64_t>> customer_blocked;
    for (size_t code = 0; code < r.blocked_customers.size(); ++code)
        if (r.blocked_customers[code]) customer_blocked.push_back({static_cast<uint16_t>(code), r.blocked_customers[code]});

    json out;
    out["format"] = "reachlens.preview/1";
    out["campaign_id"] = r.campaign_id;
    out["send_time"] = r.send_time;
    out["submittable"] = r.submittable;
    out["errors"] = issues(r.errors);
    out["warnings"] = issues(r.warnings);
    out["audience"] = r.audience;
    out["reached"] = r.reached;
    out["deliveries"] = r.deliveries;
    out["blocked"] = blocked_map(customer_blocked);
    if (r.is_group_send()) {
        out["members_reached"] = r.members_reached;
        out["members_multi"] = r.members_multi;
    }
    json senders = json::array();
    for (const SenderStats& s : r.senders) {
        senders.push_back({{"userid", data.employees[s.employee].userid},
                           {"pairs", s.pairs},
                           {"deliveries", s.deliveries},
                           {"blocked", blocked_map(s.blocked)},
                           {"requires_confirmation", s.requires_confirmation}});
    }
    out["senders"] = std::move(senders);
    json impact = json::array();
    for (const ImpactEntry& e : r.impact)
        impact.push_back({{"campaign_id", e.campaign_id}, {"reached_before", e.reached_before}, {"reached_after", e.reached_after}});
    out["impact"] = std::move(impact);
    return out;
}

namespace {

// One verdict row: `id,reached,,via` or `id,blocked,reason,`.
void append_verdict_row(std::string& out, std::string_view id, uint16_t v, std::string_view via, const PreviewResult& r) {
    out += csv_field(id);
    if (v == kReached) {
        out += ",reached,,";
        out += csv_field(via);
    } else {
        out += ",blocked,";
        out += csv_field(r.reason_label(v));
        out.push_back(',');
    }
    out.push_back('\n');
}

// A group send's verdicts (8.3): one row per audience group, sorted by chat_id; via = the owner.
std::string group_verdicts_csv(const Dataset& data, const PreviewResult& r) {
    const GroupChats& groups = data.groups;
    std::string out = "chat_id,verdict,reason,via\n";
    for (uint32_t g : groups.by_chat_id)
        if (r.group_verdict[g] != kNotInAudience)
            append_verdict_row(out, groups.chat_id(g), r.group_verdict[g], data.employees[groups.owner[g]].userid, r);
    return out;
}

}  // namespace

std::string verdicts_csv(const Dataset& data, const PreviewResult& r) {
    if (r.is_group_send()) return group_verdicts_csv(data, r);
    std::string out = "external_userid,verdict,reason,via\n";
    std::string via;
    for (uint32_t c : data.by_external_userid) {
        const uint16_t v = r.verdict[c];
        if (v == kNotInAudience) continue;
        via.clear();
        for (uint32_t i = r.via_begin[c]; i < r.via_begin[c + 1]; ++i) {
            if (i != r.via_begin[c]) via.push_back(';');
            via += data.employees[r.via[i]].userid;
        }
        append_verdict_row(out, data.external_userid(c), v, via, r);
    }
    return out;
}

}  // namespace rl
