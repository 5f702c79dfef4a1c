#pragma once
// Contract section 7: WeCom's own answers after a send (reachlens.results/1) held against
// the preview, customer by customer (reachlens.reconcile/1), and which rules profile
// explains what happened best.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/campaign.h"
#include "core/checks/campaign_checks.h"
#include "core/model/dataset.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"
#include "core/model/string_pool.h"

namespace rl {

// What WeCom says happened to one audience customer (7.2), in precedence order.
enum class Actual : uint8_t { Delivered, FailedQuota, FailedNotFriend, NotExecuted, Hidden, Unknown };
constexpr size_t kActualCount = 6;
constexpr uint8_t kNoActual = 0xFF;  // not in the audience
const char* actual_name(Actual a);

// Results rows name customers as an index: below Dataset::customer_count() a known
// customer, from there on Results::unknown_customers (ids the dataset does not have).
struct SendResultRow {  // get_groupmsg_send_result detail_list[]
    uint32_t customer = 0;
    uint32_t sender = 0;  // into Results::userids
    uint8_t status = 0;  // 0 not sent, 1 sent, 2 not a friend, 3 quota
};
struct MomentTaskRow {  // get_moment_task task_list[]
    uint32_t sender = 0;
    uint8_t publish_status = 0;
};
struct MomentVisibleRow {  // get_moment_send_result customer_list[] (the request's userid)
    uint32_t customer = 0;
    uint32_t sender = 0;
};

struct Results {
    std::string source;
    std::string campaign_id;
    Interner userids;  // every userid the results name
    std::vector<uint32_t> employee_of;  // by userids: dataset employee index or kNone
    Interner unknown_customers;
    std::vector<SendResultRow> send_rows;
    std::vector<MomentTaskRow> tasks;
    std::vector<MomentVisibleRow> visible;
    int send_result_response = -1;  // first response of each api (for messages), -1 = none
    int moment_response = -1;
    bool has_moment_task = false;
    std::vector<Issue> warnings;
};

// Reads and checks a results document. Throws InputError naming the response and row
// (`/responses/3/body/detail_list/17`), a WeCom error body (`/responses/3`) included.
Results load_results(std::string_view json_text, const std::string& source, const Dataset& data);

struct SenderExecution {
    std::string userid;
    uint32_t employee = kNone;  // dataset index, kNone when the dataset does not know it
    int64_t tasks = 0;  // audience customers it was to send to
    int64_t executed = 0;
};

struct RulesFit {
    std::string rules;  // the profile's name
    std::string setting;  // "given", "preset", or the mass-send cap ("7_a_week", ...)
    int64_t agree = 0, disagree = 0;
    double accuracy = 1;
};

// A rules profile rules_fit tries: the given one, the shipped presets, and WeCom's three
// mass-send cap settings on the newest preset. A preset named like the given rules is
// left out: the given rules stand for it.
struct RulesCandidate {
    std::string setting;
    Rules rules;
};
std::vector<RulesCandidate> rules_fit_candidates(const Rules& given);

struct Reconciliation {
    std::string campaign_id;
    PreviewResult preview;  // under the given rules
    std::vector<uint8_t> actual;  // per customer: Actual, or kNoActual outside the audience
    std::vector<std::array<int64_t, kActualCount>> matrix;  // by preview verdict code
    int64_t agree = 0, disagree = 0;
    double accuracy = 1;
    int64_t outside_audience_rows = 0;  // rows about customers outside the audience
    int64_t outside_audience_customers = 0;  // distinct such customers
    std::vector<SenderExecution> senders;  // sorted by userid bytewise
    std::vector<RulesFit> rules_fit;  // best first; ties keep candidate order
    std::vector<Issue> warnings;
};

// Whether a prediction (a preview verdict code) agrees with an outcome (7.3); `counted`
// is false for outcomes left out of the accuracy (not_executed, unknown).
bool prediction_agrees(uint16_t verdict, Actual actual, bool& counted);

// The senders the preview picked for each audience customer of a moment (pairs past checks
// 1-2 and multi_sender, delivered or not): WeCom puts the customer in their tasks. By
// customer index; empty outside the audience.
std::vector<std::vector<uint32_t>> moment_picks(PreviewSession& session, const Campaign& campaign, const PreviewResult& preview);

// The results must be for `campaign` (same id, matching kind), else InputError. The
// campaign, once accepted, stands among the dataset's scheduled campaigns: under
// `scheduled_id` (a server renames a taken id, serve.py "<id>#<server id>"), else under its
// own id. That entry is left off the timeline, as preview_scheduled does, so the campaign
// is not played twice (once scheduled, once as the draft).
Reconciliation reconcile(const Dataset& data, const Campaign& campaign, const Rules& rules, const Results& results,
                         const std::string& scheduled_id = {});

nlohmann::ordered_json reconcile_json(const Dataset& data, const Reconciliation& r);

}  // namespace rl
