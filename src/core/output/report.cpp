#include "core/output/report.h"

#include <map>

#include "core/read/input_error.h"

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

// Labels, not codes, are the keys: two quotas may share an id (contract 1.3).
nlohmann::ordered_json blocked_by_label(const std::vector<std::string>& labels,
                                        const std::vector<std::pair<uint16_t, int64_t>>& counts) {
    std::map<std::string, int64_t> merged;
    for (auto [code, n] : counts) merged[labels.at(code)] += n;
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (auto& [label, n] : merged)
        if (n != 0) o[label] = n;
    return o;
}

nlohmann::ordered_json summary_json(const Dataset& data, const PreviewResult& r) {
    using json = nlohmann::ordered_json;
    auto issues = [](const std::vector<Issue>& list) {
        json a = json::array();
        for (const Issue& i : list) a.push_back({{"code", i.code}, {"message", i.message}});
        return a;
    };
    auto blocked_map = [&](const std::vector<std::pair<uint16_t, int64_t>>& counts) {
        return blocked_by_label(r.reason_labels, counts);
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
        impact.push_back(
            {{"campaign_id", e.campaign_id}, {"reached_before", e.reached_before}, {"reached_after", e.reached_after}});
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

namespace {

using ojson = nlohmann::ordered_json;

// `into` += `part` for an object of label -> count; keys end up sorted as summary_json writes them.
ojson add_counts(const ojson& a, const ojson& b) {
    std::map<std::string, int64_t> sum;
    for (const ojson* o : {&a, &b})
        for (auto it = o->begin(); it != o->end(); ++it) sum[it.key()] += it.value().get<int64_t>();
    ojson out = ojson::object();
    for (auto& [label, n] : sum) out[label] = n;
    return out;
}

}  // namespace

nlohmann::ordered_json merge_summaries(const std::vector<std::pair<std::string, nlohmann::ordered_json>>& parts) {
    if (parts.empty()) throw InputError("merge", "", "no partial summaries given", "merge.no_parts", {});
    std::vector<const ojson*> by_index;
    int64_t count = -1;
    for (const auto& file_part : parts) {
        // Named references, not a structured binding: clang 14 (Emscripten 3.1.6) cannot capture one.
        const std::string& file = file_part.first;
        const ojson& part = file_part.second;
        auto need = [&](const char* key, bool ok) {
            if (!ok)
                throw InputError(file, std::string("/") + key,
                                 "missing or of the wrong type (not a partial summary of reachlens preview --shard)",
                                 "merge.not_partial", {param_text("field", key)});
        };
        need("format", part.is_object() && part.contains("format") && part["format"] == "reachlens.preview/1");
        need("shard", part.contains("shard") && part["shard"].is_object() && part["shard"].contains("index") &&
                          part["shard"]["index"].is_number_integer() && part["shard"].contains("count") &&
                          part["shard"]["count"].is_number_integer());
        const int64_t index = part["shard"]["index"], n = part["shard"]["count"];
        if (count == -1) {
            count = n;
            by_index.assign(static_cast<size_t>(std::max<int64_t>(n, 0)), nullptr);
        }
        if (n != count || index < 0 || index >= count)
            throw InputError(file, "/shard",
                             "shard " + std::to_string(index) + "/" + std::to_string(n) + " does not belong to a run of " +
                                 std::to_string(count) + " shards",
                             "merge.other_run",
                             {param_number("index", index), param_number("shards", n), param_number("count", count)});
        if (by_index[index])
            throw InputError(file, "/shard/index", "shard " + std::to_string(index) + " is given twice", "merge.shard_twice",
                             {param_number("index", index)});
        by_index[index] = &part;
        for (const char* key : {"audience", "reached", "deliveries"})
            need(key, part.contains(key) && part[key].is_number_integer());
        for (const char* key : {"blocked"}) need(key, part.contains(key) && part[key].is_object());
        for (const char* key : {"senders", "impact"}) need(key, part.contains(key) && part[key].is_array());
    }
    for (int64_t i = 0; i < count; ++i)
        if (!by_index[i])
            throw InputError("merge", "", "shard " + std::to_string(i) + " of " + std::to_string(count) + " is missing",
                             "merge.shard_missing", {param_number("index", i), param_number("count", count)});

    ojson out = *by_index[0];
    out.erase("shard");
    const std::string& first_file = parts.front().first;
    for (int64_t i = 1; i < count; ++i) {
        const ojson& p = *by_index[i];
        const std::string file = [&] {
            for (const auto& [f, j] : parts)
                if (&j == &p) return f;
            return first_file;
        }();
        for (const char* key : {"campaign_id", "send_time", "submittable", "errors", "warnings"})
            if (p.value(key, ojson()) != out.value(key, ojson()))
                throw InputError(file, std::string("/") + key, "differs from shard 0's: the shards are not of one preview",
                                 "merge.differs", {param_text("field", key)});
        for (const char* key : {"audience", "reached", "deliveries"}) out[key] = out[key].get<int64_t>() + p[key].get<int64_t>();
        out["blocked"] = add_counts(out["blocked"], p["blocked"]);
        ojson& senders = out["senders"];
        const ojson& ps = p["senders"];
        if (ps.size() != senders.size())
            throw InputError(file, "/senders", "lists other senders than shard 0", "merge.other_senders", {});
        for (size_t s = 0; s < senders.size(); ++s) {
            if (ps[s].value("userid", ojson()) != senders[s].value("userid", ojson()))
                throw InputError(file, "/senders/" + std::to_string(s), "lists other senders than shard 0", "merge.other_senders",
                                 {});
            for (const char* key : {"pairs", "deliveries"})
                senders[s][key] = senders[s][key].get<int64_t>() + ps[s][key].get<int64_t>();
            senders[s]["blocked"] = add_counts(senders[s]["blocked"], ps[s]["blocked"]);
        }
        ojson& impact = out["impact"];
        const ojson& pi = p["impact"];
        if (pi.size() != impact.size())
            throw InputError(file, "/impact", "lists other scheduled campaigns than shard 0", "merge.other_scheduled", {});
        for (size_t k = 0; k < impact.size(); ++k) {
            if (pi[k].value("campaign_id", ojson()) != impact[k].value("campaign_id", ojson()))
                throw InputError(file, "/impact/" + std::to_string(k), "lists other scheduled campaigns than shard 0",
                                 "merge.other_scheduled", {});
            for (const char* key : {"reached_before", "reached_after"})
                impact[k][key] = impact[k][key].get<int64_t>() + pi[k][key].get<int64_t>();
        }
    }
    return out;
}

}  // namespace rl
