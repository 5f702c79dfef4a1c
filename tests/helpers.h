#pragma once
// Shared helpers for the contract tests: small tenants assembled as JSON in the test,
// a preview runner, and readers for the summary and the verdict CSV.
//
// Times are written as local wall-clock dates through local_time(), which is computed
// here independently of the engine (Howard Hinnant's days_from_civil), so a test states
// "one second before local midnight" and the engine must agree.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/campaign.h"
#include "core/checks/campaign_checks.h"
#include "core/model/dataset.h"
#include "core/read/input_error.h"
#include "core/output/payload.h"
#include "core/output/report.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"
#include "core/time/time_windows.h"

namespace th {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using Time = int64_t;

constexpr int64_t kDay = 86400;
constexpr int64_t kHour = 3600;

// Days since 1970-01-01 of a proleptic Gregorian date.
inline int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// Unix seconds of a local wall-clock time at a fixed UTC offset (minutes).
inline Time local_time(int64_t y, int mo, int d, int h = 0, int mi = 0, int s = 0, int tz = 480) {
    return days_from_civil(y, mo, d) * kDay + h * kHour + mi * 60 + s - int64_t(tz) * 60;
}

// ------------------------------------------------------------------ dataset parts

inline json employee(const std::string& userid, std::vector<int64_t> departments = {1}, bool active = true,
                     bool moments_enabled = true) {
    return {{"userid", userid},
            {"name", "name of " + userid},
            {"department", departments},
            {"status", active ? "active" : "resigned"},
            {"moments_enabled", moments_enabled}};
}

inline json relation(const std::string& userid, Time createtime, std::vector<std::string> tags = {}, bool deleted = false,
                     std::optional<Time> last_chat_time = std::nullopt) {
    json r = {{"userid", userid}, {"createtime", createtime}, {"tag_id", tags}, {"state", ""}, {"deleted", deleted}};
    if (last_chat_time) r["last_chat_time"] = *last_chat_time;
    return r;
}

// List parameters that always hold a JSON array (follow_user here, quotas and policies in
// rules_doc) are std::vector<json>, not json: with a `json` parameter, `{relation(...)}` is a
// one-element array under g++ but a copy of the element (an object) under clang.
inline json customer(const std::string& external_userid, std::vector<json> follow_user = {}, json attributes = json::object(),
                     int gender = 0) {
    return {{"external_userid", external_userid},
            {"name", "customer " + external_userid},
            {"gender", gender},
            {"attributes", std::move(attributes)},
            {"follow_user", json(std::move(follow_user))}};
}

inline json delivery(const std::string& external_userid, const std::string& userid, Time time,
                     const std::string& kind = "mass_send", const std::string& origin = "enterprise",
                     const std::string& campaign_id = "past") {
    return {{"campaign_id", campaign_id},         {"kind", kind},     {"origin", origin},
            {"external_userid", external_userid}, {"userid", userid}, {"time", time}};
}

inline json not_interested(const std::string& external_userid, const std::string& userid, Time time) {
    return {{"external_userid", external_userid}, {"userid", userid}, {"time", time}};
}

inline json department(int64_t id, int64_t parentid, const std::string& name = "dept") {
    return {{"id", id}, {"name", name}, {"parentid", parentid}};
}

// A tenant with one root department (id 1), one tag group with tags t1..t4 and no people.
inline json tenant(Time now, int tz_offset_minutes = 480) {
    json tags = json::array();
    for (const char* t : {"t1", "t2", "t3", "t4"}) tags.push_back({{"id", t}, {"name", std::string("tag ") + t}});
    return {{"format", "reachlens.dataset/1"},
            {"enterprise",
             {{"corp_name", "Test Corp"}, {"industry", "retail"}, {"verified", true}, {"tz_offset_minutes", tz_offset_minutes}}},
            {"now", now},
            {"departments", json::array({department(1, 0, "HQ")})},
            {"employees", json::array()},
            {"tag_groups", json::array({{{"group_id", "g1"}, {"group_name", "Group"}, {"tags", tags}}})},
            {"customers", json::array()},
            {"deliveries", json::array()},
            {"not_interested", json::array()},
            {"scheduled", json::array()}};
}

// ------------------------------------------------------------------ campaigns

inline json campaign(const std::string& id, const std::string& kind, const std::string& origin,
                     std::optional<Time> send_time = std::nullopt, std::vector<std::string> user_list = {}) {
    json c = {{"format", "reachlens.campaign/1"},
              {"id", id},
              {"kind", kind},
              {"origin", origin},
              {"senders", {{"user_list", user_list}, {"department_list", json::array()}}},
              {"content", {{"text", "hello"}}}};
    if (send_time) c["send_time"] = *send_time;
    return c;
}

// A scheduled campaign as it sits in the dataset (no `format`).
inline json scheduled(const std::string& id, const std::string& kind, const std::string& origin, Time send_time,
                      std::vector<std::string> user_list = {}) {
    json c = campaign(id, kind, origin, send_time, std::move(user_list));
    c.erase("format");
    return c;
}

inline json with_filter(json c, json filter) {
    c["audience"] = {{"filter", std::move(filter)}};
    return c;
}

// ------------------------------------------------------------------ rules

inline json quota(const std::string& id, const std::string& kind, const std::string& origin, json count,
                  const std::string& window, const std::string& per = "customer", std::optional<int64_t> days = std::nullopt) {
    json q = {{"id", id}, {"kind", kind}, {"origin", origin}, {"count", std::move(count)}, {"window", window}, {"per", per}};
    if (days) q["days"] = *days;
    return q;
}

inline json rules_doc(std::vector<json> quotas, const std::string& moment_multi = "first_added",
                      const std::string& mass_send_multi = "each", int64_t not_interested_hours = 168,
                      std::vector<json> policies = {}) {
    return {{"format", "reachlens.rules/1"},
            {"name", "test"},
            {"quotas", json(std::move(quotas))},
            {"policies", json(std::move(policies))},
            {"not_interested_hours", not_interested_hours},
            {"multi_sender", {{"moment", moment_multi}, {"mass_send", mass_send_multi}}},
            {"moments_excluded_industries", {"tobacco_alcohol", "finance", "pharma", "government"}},
            {"moments_require_verified", true}};
}

// A whole file's bytes (a fixture, a generated tenant).
inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline rl::Rules rules(const json& doc) { return rl::load_rules(doc.dump(), "rules.json"); }
inline rl::Dataset dataset(const json& doc) { return rl::load_dataset(doc.dump(), "dataset.json"); }
inline rl::Campaign load(const json& doc) { return rl::load_campaign(doc.dump(), "campaign.json"); }

// ------------------------------------------------------------------ results

struct Row {
    std::string verdict, reason, via;
};

// Splits the verdict CSV (RFC 4180 quoting) into rows of fields.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        any = true;
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') quoted = false;
            else field.push_back(c);
        } else if (c == '"') quoted = true;
        else if (c == ',') {
            row.push_back(field);
            field.clear();
        } else if (c == '\n') {
            row.push_back(field);
            field.clear();
            rows.push_back(row);
            row.clear();
            any = false;
        } else field.push_back(c);
    }
    if (any) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

struct Run {
    rl::Dataset data;
    rl::Campaign draft;
    rl::PreviewResult result;
    ojson summary;
    std::string csv;
    std::map<std::string, Row> rows;  // by external_userid

    // "reached via a;b", "blocked <reason>" or "not in audience".
    std::string outcome(const std::string& external_userid) const {
        auto it = rows.find(external_userid);
        if (it == rows.end()) return "not in audience";
        if (it->second.verdict == "reached") return "reached via " + it->second.via;
        return it->second.verdict + " " + it->second.reason;
    }
    std::set<std::string> audience() const {
        std::set<std::string> out;
        for (auto& [id, row] : rows) out.insert(id);
        return out;
    }
    std::set<std::string> reached() const {
        std::set<std::string> out;
        for (auto& [id, row] : rows)
            if (row.verdict == "reached") out.insert(id);
        return out;
    }
    std::vector<std::string> error_codes() const {
        std::vector<std::string> out;
        for (const auto& e : summary["errors"]) out.push_back(e["code"].get<std::string>());
        return out;
    }
    bool has_error(const std::string& code) const {
        for (const auto& c : error_codes())
            if (c == code) return true;
        return false;
    }
    // summary.blocked (or a sender's) as a plain map.
    static std::map<std::string, int64_t> as_map(const ojson& o) {
        std::map<std::string, int64_t> out;
        for (auto it = o.begin(); it != o.end(); ++it) out[it.key()] = it.value().get<int64_t>();
        return out;
    }
    std::map<std::string, int64_t> blocked() const { return as_map(summary["blocked"]); }
    const ojson* sender(const std::string& userid) const {
        for (const auto& s : summary["senders"])
            if (s["userid"] == userid) return &s;
        return nullptr;
    }
    std::vector<std::string> sender_ids() const {
        std::vector<std::string> out;
        for (const auto& s : summary["senders"]) out.push_back(s["userid"].get<std::string>());
        return out;
    }
    std::map<std::string, int64_t> sender_blocked(const std::string& userid) const {
        const ojson* s = sender(userid);
        REQUIRE(s != nullptr);
        return as_map((*s)["blocked"]);
    }
    int64_t sender_field(const std::string& userid, const char* field) const {
        const ojson* s = sender(userid);
        REQUIRE(s != nullptr);
        return (*s)[field].get<int64_t>();
    }
    int64_t count(const char* field) const { return summary[field].get<int64_t>(); }
};

inline void fill(Run& run) {
    run.summary = rl::summary_json(run.data, run.result);
    run.csv = rl::verdicts_csv(run.data, run.result);
    auto rows = parse_csv(run.csv);
    REQUIRE(!rows.empty());
    REQUIRE(rows[0] == std::vector<std::string>{"external_userid", "verdict", "reason", "via"});
    for (size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == 4);
        run.rows[rows[i][0]] = Row{rows[i][1], rows[i][2], rows[i][3]};
    }
}

inline Run run(const json& dataset_doc, const json& campaign_doc, const rl::Rules& r) {
    Run out{dataset(dataset_doc), load(campaign_doc), {}, {}, {}, {}};
    out.result = rl::run_preview(out.data, out.draft, r);
    fill(out);
    return out;
}

inline Run run(const json& dataset_doc, const json& campaign_doc, const json& rules_json) {
    return run(dataset_doc, campaign_doc, rules(rules_json));
}

inline Run run(const json& dataset_doc, const json& campaign_doc, const char* preset = "wecom-2020") {
    return run(dataset_doc, campaign_doc, rl::preset_rules(preset));
}

// The invariants of contract section 6, checked on any summary.
inline void check_summary_invariants(const ojson& s) {
    int64_t blocked = 0;
    for (const auto& [reason, n] : Run::as_map(s["blocked"])) {
        CHECK(n > 0);  // zero counts are left out
        blocked += n;
    }
    CHECK(s["reached"].get<int64_t>() + blocked == s["audience"].get<int64_t>());
    CHECK(s["deliveries"].get<int64_t>() >= s["reached"].get<int64_t>());
    int64_t sender_deliveries = 0;
    std::string previous;
    bool first = true;
    for (const auto& sender : s["senders"]) {
        const std::string userid = sender["userid"].get<std::string>();
        if (!first) CHECK(previous < userid);  // sorted by userid bytewise, no repeats
        first = false;
        previous = userid;
        int64_t pairs_blocked = 0;
        for (const auto& [reason, n] : Run::as_map(sender["blocked"])) {
            CHECK(n > 0);
            pairs_blocked += n;
        }
        INFO("sender " << userid);
        CHECK(sender["pairs"].get<int64_t>() == sender["deliveries"].get<int64_t>() + pairs_blocked);
        sender_deliveries += sender["deliveries"].get<int64_t>();
    }
    CHECK(sender_deliveries == s["deliveries"].get<int64_t>());
}

// Catches the InputError of `f` and returns it; fails the test when nothing is thrown.
template <class F>
std::optional<rl::InputError> input_error(F&& f) {
    try {
        f();
    } catch (const rl::InputError& e) { return e; } catch (const std::exception& e) {
        FAIL_CHECK("expected rl::InputError, got another exception: " << e.what());
        return std::nullopt;
    }
    FAIL_CHECK("expected rl::InputError, nothing was thrown");
    return std::nullopt;
}

inline std::string set_text(const std::set<std::string>& s) {
    std::string out = "{";
    for (const auto& x : s) out += (out.size() > 1 ? "," : "") + x;
    return out + "}";
}

}  // namespace th
