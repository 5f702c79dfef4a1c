#include "core/reconcile/reconcile.h"

#include <algorithm>
#include <map>

#include "core/read/input_error.h"
#include "core/read/json_reader.h"

namespace rl {

const char* actual_name(Actual a) {
    switch (a) {
        case Actual::Delivered: return "delivered";
        case Actual::FailedQuota: return "failed_quota";
        case Actual::FailedNotFriend: return "failed_not_friend";
        case Actual::NotExecuted: return "not_executed";
        case Actual::Hidden: return "hidden";
        case Actual::Unknown: return "unknown";
    }
    return "?";
}

namespace {

constexpr std::string_view kApiSendResult = "externalcontact/get_groupmsg_send_result";
constexpr std::string_view kApiMomentTask = "externalcontact/get_moment_task";
constexpr std::string_view kApiMomentSendResult = "externalcontact/get_moment_send_result";

// One row of a body's list, read before the response's `api` may be known (a response
// object's keys come in any order); checked against the api once the object is done.
// WeCom pages hold at most a few thousand rows, so one page's rows are cheap to keep.
struct LooseRow {
    std::string external_userid, userid;
    bool has_external_userid = false, has_userid = false;
    int64_t status = -1, publish_status = -1;
};

struct LooseBody {
    int64_t errcode = 0;
    std::string errmsg;
    bool has_detail_list = false, has_task_list = false, has_customer_list = false;
    std::vector<LooseRow> detail_list, task_list, customer_list;
};

void read_rows(JsonReader& in, std::vector<LooseRow>& rows) {
    in.begin_array();
    while (in.next_element()) {
        LooseRow row;
        in.begin_object();
        std::string_view key;
        while (in.next_key(key)) {
            if (key == "external_userid") {
                row.external_userid = in.read_string_copy();
                row.has_external_userid = true;
            } else if (key == "userid") {
                row.userid = in.read_string_copy();
                row.has_userid = true;
            } else if (key == "status") {
                row.status = in.read_int();
                if (row.status < 0 || row.status > 3)
                    in.fail("status must be 0 (not sent), 1 (sent), 2 (not a friend) or 3 (quota)", "results.bad_status",
                            {param_number("value", row.status)});
            } else if (key == "publish_status") {
                row.publish_status = in.read_int();
                if (row.publish_status < 0 || row.publish_status > 1)
                    in.fail("publish_status must be 0 (not published) or 1 (published)", "results.bad_publish_status",
                            {param_number("value", row.publish_status)});
            } else in.skip_value();
        }
        rows.push_back(std::move(row));
    }
}

void read_body(JsonReader& in, LooseBody& body) {
    in.begin_object();
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "errcode") body.errcode = in.read_int();
        else if (key == "errmsg") body.errmsg = in.read_string_copy();
        else if (key == "detail_list") {
            read_rows(in, body.detail_list);
            body.has_detail_list = true;
        } else if (key == "task_list") {
            read_rows(in, body.task_list);
            body.has_task_list = true;
        } else if (key == "customer_list") {
            read_rows(in, body.customer_list);
            body.has_customer_list = true;
        } else in.skip_value();
    }
}

class ResultsReader {
public:
    ResultsReader(const Dataset& data, Results& out) : data_(data), out_(out) {}

    void read_response(JsonReader& in, int index) {
        const std::string at = in.pointer();
        in.begin_object();
        std::string api, request_userid;
        bool has_api = false, has_body = false, has_request_userid = false;
        LooseBody body;
        std::string_view key;
        while (in.next_key(key)) {
            if (key == "api") {
                api = in.read_string_copy();
                has_api = true;
            } else if (key == "request") {
                in.begin_object();
                std::string_view k2;
                while (in.next_key(k2)) {
                    if (k2 == "userid") {
                        request_userid = in.read_string_copy();
                        has_request_userid = true;
                    } else in.skip_value();
                }
            } else if (key == "body") {
                read_body(in, body);
                has_body = true;
            } else in.skip_value();
        }
        if (!has_api) in.fail_missing(at, "api");
        if (!has_body) in.fail_missing(at, "body");
        if (body.errcode != 0)
            throw InputError(
                out_.source, at,
                "WeCom answered " + api + " with errcode " + std::to_string(body.errcode) +
                    (body.errmsg.empty() ? std::string() : " (" + body.errmsg + ")") +
                    ": the results are incomplete; fetch this page again",
                "results.wecom_error",
                {param_text("api", api), param_text("errcode", std::to_string(body.errcode)), param_text("errmsg", body.errmsg)});
        const std::string body_at = pointer_append(at, "body");
        auto list_at = [&](const char* list) { return pointer_append(body_at, list); };
        auto require_list = [&](bool present, const char* list) {
            if (!present) in.fail_missing(body_at, list);
        };
        auto require_field = [&](bool present, const char* list, size_t row, const char* field) {
            if (!present) in.fail_missing(pointer_append(list_at(list), row), field);
        };
        if (api == kApiSendResult) {
            require_list(body.has_detail_list, "detail_list");
            if (out_.send_result_response < 0) out_.send_result_response = index;
            for (size_t j = 0; j < body.detail_list.size(); ++j) {
                const LooseRow& row = body.detail_list[j];
                require_field(row.has_external_userid, "detail_list", j, "external_userid");
                require_field(row.has_userid, "detail_list", j, "userid");
                require_field(row.status >= 0, "detail_list", j, "status");
                out_.send_rows.push_back({customer(row.external_userid), sender(row.userid), static_cast<uint8_t>(row.status)});
            }
        } else if (api == kApiMomentTask) {
            require_list(body.has_task_list, "task_list");
            if (out_.moment_response < 0) out_.moment_response = index;
            out_.has_moment_task = true;
            for (size_t j = 0; j < body.task_list.size(); ++j) {
                const LooseRow& row = body.task_list[j];
                require_field(row.has_userid, "task_list", j, "userid");
                require_field(row.publish_status >= 0, "task_list", j, "publish_status");
                out_.tasks.push_back({sender(row.userid), static_cast<uint8_t>(row.publish_status)});
            }
        } else if (api == kApiMomentSendResult) {
            // Whose post the customers can see is in the request, not in the rows.
            if (!has_request_userid) in.fail_missing(pointer_append(at, "request"), "userid");
            require_list(body.has_customer_list, "customer_list");
            if (out_.moment_response < 0) out_.moment_response = index;
            const uint32_t who = sender(request_userid);
            for (size_t j = 0; j < body.customer_list.size(); ++j) {
                const LooseRow& row = body.customer_list[j];
                require_field(row.has_external_userid, "customer_list", j, "external_userid");
                out_.visible.push_back({customer(row.external_userid), who});
            }
        } else {
            out_.warnings.push_back({"results.unknown_api",
                                     at + ": api \"" + api + "\" is not one ReachLens reads; ignored",
                                     pointer_append(at, "api"),
                                     {param_text("api", api)}});
        }
    }

private:
    uint32_t customer(const std::string& external_userid) {
        uint32_t c = data_.customer_ids.find(external_userid);
        if (c != kNone) return c;
        return data_.customer_count() + out_.unknown_customers.intern(external_userid).first;
    }
    uint32_t sender(const std::string& userid) {
        auto [id, added] = out_.userids.intern(userid);
        if (added) out_.employee_of.push_back(data_.employee_index.find(userid));
        return id;
    }

    const Dataset& data_;
    Results& out_;
};

}  // namespace

Results load_results(std::string_view json_text, const std::string& source, const Dataset& data) {
    Results out;
    out.source = source;
    JsonReader in(json_text, source);
    ResultsReader reader(data, out);
    in.begin_object();
    bool has_format = false, has_campaign = false, has_responses = false;
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "format") {
            in.read_enum({"reachlens.results/1"});
            has_format = true;
        } else if (key == "campaign_id") {
            out.campaign_id = in.read_string_copy();
            has_campaign = true;
        } else if (key == "responses") {
            has_responses = true;
            in.begin_array();
            int index = 0;
            while (in.next_element()) reader.read_response(in, index++);
        } else in.skip_value();
    }
    if (!has_format) in.fail_missing("", "format");
    if (!has_campaign) in.fail_missing("", "campaign_id");
    if (!has_responses) in.fail_missing("", "responses");
    in.expect_end();
    return out;
}

bool prediction_agrees(uint16_t verdict, Actual actual, bool& counted) {
    counted = true;
    switch (actual) {
        case Actual::Delivered: return verdict == kReached;
        case Actual::FailedQuota: return verdict >= kQuotaReasonBase && verdict != kNotInAudience;
        case Actual::FailedNotFriend: return verdict == kNotFriend;
        case Actual::Hidden: return verdict != kReached;
        case Actual::NotExecuted:
        case Actual::Unknown: break;
    }
    counted = false;
    return false;
}

std::vector<RulesCandidate> rules_fit_candidates(const Rules& given) {
    std::vector<RulesCandidate> out;
    out.push_back({"given", given});
    // A preset of the given rules' name stands for them (so no line appears twice).
    for (const std::string& name : preset_names())
        if (name != given.name) out.push_back({"preset", preset_rules(name)});
    // WeCom's admin setting for mass sends (since the newest preset): days_in_month a month
    // (the preset itself), 7 a week, or 1 a day per customer.
    const Rules newest = preset_rules(preset_names().back());
    struct Cap {
        const char* setting;
        int64_t count;
        Window window;
        const char* id;
    };
    for (const Cap& cap :
         {Cap{"7_a_week", 7, Window::Week, "mass_send_any_week"}, Cap{"1_a_day", 1, Window::Day, "mass_send_any_day"}}) {
        RulesCandidate c{cap.setting, newest};
        for (Quota& q : c.rules.quotas) {
            if (q.kind != Kind::MassSend || !q.count_is_days_in_month) continue;
            q.count_is_days_in_month = false;
            q.count = cap.count;
            q.window = cap.window;
            q.id = cap.id;
        }
        c.rules.name = newest.name + "/mass_send_" + cap.setting;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::vector<uint32_t>> moment_picks(PreviewSession& session, const Campaign& campaign, const PreviewResult& preview) {
    const MultiSender multi = session.rules().moment_multi_sender;
    const uint32_t n = static_cast<uint32_t>(preview.verdict.size());
    std::vector<std::vector<uint32_t>> picks(n);
    for (uint32_t c = 0; c < n; ++c) {
        const uint16_t v = preview.verdict[c];
        if (v == kNotInAudience) continue;
        if (v == kReached && multi != MultiSender::Each) {  // the one picked pair delivered
            picks[c].assign(preview.via.begin() + preview.via_begin[c], preview.via.begin() + preview.via_begin[c + 1]);
            continue;
        }
        for (const PlayedCampaign& p : session.trace_customer(campaign, c)) {
            if (!p.draft) continue;
            for (const PlayedPair& pair : p.pairs)
                if (pair.employee != kNone && pair.reason != kSenderInactive && pair.reason != kNotFriend &&
                    pair.reason != kDuplicate)
                    picks[c].push_back(pair.employee);
        }
    }
    return picks;
}

Reconciliation reconcile(const Dataset& data, const Campaign& campaign, const Rules& rules, const Results& results,
                         const std::string& scheduled_id) {
    if (results.campaign_id != campaign.id)
        throw InputError(results.source, "/campaign_id",
                         "these results are for campaign \"" + results.campaign_id + "\", not \"" + campaign.id + "\"",
                         "results.other_campaign",
                         {param_text("results", results.campaign_id), param_text("campaign", campaign.id)});
    const bool moment = campaign.kind == Kind::Moment;
    if (moment && results.send_result_response >= 0)
        throw InputError(results.source, "/responses/" + std::to_string(results.send_result_response) + "/api",
                         "get_groupmsg_send_result answers a mass send, but campaign \"" + campaign.id + "\" is a moments post",
                         "results.mass_send_api_for_moment", {param_text("campaign", campaign.id)});
    if (!moment && results.moment_response >= 0)
        throw InputError(results.source, "/responses/" + std::to_string(results.moment_response) + "/api",
                         "the moments APIs answer a moments post, but campaign \"" + campaign.id + "\" is a mass send",
                         "results.moment_api_for_mass_send", {param_text("campaign", campaign.id)});

    Reconciliation r;
    r.campaign_id = campaign.id;
    r.warnings = results.warnings;
    const size_t skip =
        data.find_scheduled(scheduled_id.empty() ? campaign.id : scheduled_id).value_or(PreviewSession::kSkipNone);
    PreviewSession session(data, rules, skip);
    r.preview = session.preview(campaign);
    const PreviewResult& p = r.preview;
    const uint32_t n = data.customer_count();
    auto in_audience = [&](uint32_t c) { return c < n && p.verdict[c] != kNotInAudience; };

    // What the rows say per customer, as flags, and who was to send to whom.
    enum : uint8_t { kSent = 1, kQuotaFailed = 2, kNotFriendFailed = 4, kNotSent = 8, kVisible = 16 };
    std::vector<uint8_t> seen(n, 0);
    std::vector<uint8_t> outside(n + results.unknown_customers.size(), 0);
    const uint32_t userid_count = results.userids.size();
    std::vector<int64_t> tasks(userid_count, 0), executed(userid_count, 0);
    std::vector<uint8_t> has_task(userid_count, 0);
    auto note_outside = [&](uint32_t c) {
        ++r.outside_audience_rows;
        if (!outside[c]) {
            outside[c] = 1;
            ++r.outside_audience_customers;
        }
    };
    for (const SendResultRow& row : results.send_rows) {
        if (!in_audience(row.customer)) {
            note_outside(row.customer);
            continue;
        }
        static constexpr uint8_t kFlag[4] = {kNotSent, kSent, kNotFriendFailed, kQuotaFailed};
        seen[row.customer] |= kFlag[row.status];
        has_task[row.sender] = 1;
        ++tasks[row.sender];
        executed[row.sender] += row.status != 0;
    }
    for (const MomentVisibleRow& row : results.visible) {
        if (!in_audience(row.customer)) {
            note_outside(row.customer);
            continue;
        }
        seen[row.customer] |= kVisible;
    }

    // A moment: which picked senders did not publish (7.2 row 4), and their tasks.
    std::vector<std::vector<uint32_t>> picks;
    std::vector<int8_t> published_by_employee;  // -1 no task, 0 not published, 1 published
    if (moment) {
        picks = moment_picks(session, campaign, p);
        published_by_employee.assign(data.employees.size(), -1);
        for (const MomentTaskRow& t : results.tasks) {
            has_task[t.sender] = 1;
            const uint32_t e = results.employee_of[t.sender];
            if (e != kNone) published_by_employee[e] = std::max<int8_t>(published_by_employee[e], int8_t(t.publish_status));
        }
        std::vector<uint32_t> sender_of_employee(data.employees.size(), kNone);
        for (uint32_t u = 0; u < userid_count; ++u)
            if (results.employee_of[u] != kNone) sender_of_employee[results.employee_of[u]] = u;
        for (uint32_t c = 0; c < n; ++c)
            for (uint32_t e : picks[c]) {
                const uint32_t u = sender_of_employee[e];
                if (u == kNone || published_by_employee[e] < 0) continue;
                ++tasks[u];
                executed[u] += published_by_employee[e] == 1;
            }
    }

    r.actual.assign(n, kNoActual);
    r.matrix.assign(p.reason_labels.size(), {});
    for (uint32_t c = 0; c < n; ++c) {
        if (!in_audience(c)) continue;
        const uint8_t f = seen[c];
        bool not_published = false;
        if (moment)
            for (uint32_t e : picks[c]) not_published |= published_by_employee[e] == 0;
        Actual a = Actual::Unknown;
        if (f & (kSent | kVisible)) a = Actual::Delivered;
        else if (f & kQuotaFailed) a = Actual::FailedQuota;
        else if (f & kNotFriendFailed) a = Actual::FailedNotFriend;
        else if ((f & kNotSent) || not_published) a = Actual::NotExecuted;
        else if (moment && results.has_moment_task) a = Actual::Hidden;
        r.actual[c] = static_cast<uint8_t>(a);
        ++r.matrix[p.verdict[c]][static_cast<size_t>(a)];
    }

    auto score = [&](const PreviewResult& q, int64_t& agree, int64_t& disagree) {
        agree = disagree = 0;
        for (uint32_t c = 0; c < n; ++c) {
            if (r.actual[c] == kNoActual) continue;
            bool counted = false;
            const bool ok = prediction_agrees(q.verdict[c], static_cast<Actual>(r.actual[c]), counted);
            if (!counted) continue;
            (ok ? agree : disagree) += 1;
        }
        return agree + disagree == 0 ? 1.0 : double(agree) / double(agree + disagree);
    };
    r.accuracy = score(p, r.agree, r.disagree);

    for (uint32_t u = 0; u < userid_count; ++u) {
        if (!has_task[u]) continue;
        r.senders.push_back({std::string(results.userids[u]), results.employee_of[u], tasks[u], executed[u]});
    }
    std::sort(r.senders.begin(), r.senders.end(),
              [](const SenderExecution& a, const SenderExecution& b) { return a.userid < b.userid; });

    for (RulesCandidate& cand : rules_fit_candidates(rules)) {
        RulesFit fit;
        fit.rules = cand.rules.name.empty() ? cand.setting : cand.rules.name;
        fit.setting = cand.setting;
        if (cand.setting == "given") {
            fit.agree = r.agree;
            fit.disagree = r.disagree;
            fit.accuracy = r.accuracy;
        } else {
            PreviewSession other(data, std::move(cand.rules), skip);
            fit.accuracy = score(other.preview(campaign), fit.agree, fit.disagree);
        }
        r.rules_fit.push_back(std::move(fit));
    }
    std::stable_sort(r.rules_fit.begin(), r.rules_fit.end(),
                     [](const RulesFit& a, const RulesFit& b) { return a.accuracy > b.accuracy; });
    return r;
}

nlohmann::ordered_json reconcile_json(const Dataset& data, const Reconciliation& r) {
    using json = nlohmann::ordered_json;
    const PreviewResult& p = r.preview;
    // Labels, not codes, are the keys: two quotas may share an id (contract 1.3).
    std::map<std::string, std::array<int64_t, kActualCount>> rows;
    for (size_t code = 0; code < r.matrix.size(); ++code) {
        int64_t total = 0;
        for (int64_t v : r.matrix[code]) total += v;
        if (total == 0) continue;
        auto& row = rows[p.reason_label(static_cast<uint16_t>(code))];
        for (size_t a = 0; a < kActualCount; ++a) row[a] += r.matrix[code][a];
    }
    json matrix = json::object();
    for (const auto& [label, counts] : rows) {
        json row = json::object();
        for (size_t a = 0; a < kActualCount; ++a)
            if (counts[a]) row[actual_name(static_cast<Actual>(a))] = counts[a];
        matrix[label] = std::move(row);
    }
    json out;
    out["format"] = "reachlens.reconcile/1";
    out["campaign_id"] = r.campaign_id;
    out["audience"] = p.audience;
    out["matrix"] = std::move(matrix);
    out["agree"] = r.agree;
    out["disagree"] = r.disagree;
    out["accuracy"] = r.accuracy;
    out["outside_audience"] = r.outside_audience_rows;
    out["outside_audience_customers"] = r.outside_audience_customers;
    json senders = json::array();
    for (const SenderExecution& s : r.senders) {
        json e = {{"userid", s.userid}};
        if (s.employee != kNone) e["name"] = data.employees[s.employee].name;
        e["tasks"] = s.tasks;
        e["executed"] = s.executed;
        e["execution_rate"] = s.tasks == 0 ? 1.0 : double(s.executed) / double(s.tasks);
        senders.push_back(std::move(e));
    }
    out["senders"] = std::move(senders);
    json fit = json::array();
    for (const RulesFit& f : r.rules_fit)
        fit.push_back(
            {{"rules", f.rules}, {"setting", f.setting}, {"accuracy", f.accuracy}, {"agree", f.agree}, {"disagree", f.disagree}});
    out["rules_fit"] = std::move(fit);
    json warnings = json::array();
    for (const Issue& w : r.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
    out["warnings"] = std::move(warnings);
    return out;
}

}  // namespace rl
