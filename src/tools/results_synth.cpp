#include "tools/results_synth.h"

#include <map>
#include <string>

#include "core/reconcile/reconcile.h"

namespace rl {

namespace {

using json = nlohmann::ordered_json;

// `rows` split into pages of at most page_rows (one page when empty), each a response.
template <class MakeRow>
void add_pages(json& responses, const char* api, const json& request, const char* list, size_t count, size_t page_rows,
               MakeRow make_row) {
    size_t from = 0;
    int page = 0;
    do {
        const size_t to = std::min(count, from + page_rows);
        json rows = json::array();
        for (size_t i = from; i < to; ++i) rows.push_back(make_row(i));
        json body = {{"errcode", 0}, {"errmsg", "ok"}};
        body[list] = std::move(rows);
        body["next_cursor"] = to < count ? "page" + std::to_string(page + 1) : "";
        json req = request;
        if (page > 0) req["cursor"] = "page" + std::to_string(page);
        responses.push_back({{"api", api}, {"request", std::move(req)}, {"body", std::move(body)}});
        from = to;
        ++page;
    } while (from < count);
}

}  // namespace

json results_from_preview(PreviewSession& session, const Campaign& campaign, const PreviewResult& preview,
                          const ResultsDeviation& dev, size_t page_rows) {
    const Dataset& data = session.data();
    auto silent = [&](uint32_t e) { return e < dev.silent_employee.size() && dev.silent_employee[e]; };
    auto flipped = [&](uint32_t c) { return c < dev.flip_customer.size() && dev.flip_customer[c]; };
    if (page_rows == 0) page_rows = 1;
    json responses = json::array();
    if (campaign.kind == Kind::MassSend) {
        struct Row {
            uint32_t customer;
            int status;
        };
        std::map<std::string, std::vector<Row>> by_sender;  // userid bytewise
        for (uint32_t c : data.by_external_userid) {
            const uint16_t v = preview.verdict[c];
            if (v == kNotInAudience) continue;
            std::vector<std::pair<uint32_t, int>> rows;  // employee, status
            if (v == kReached) {
                for (uint32_t i = preview.via_begin[c]; i < preview.via_begin[c + 1]; ++i)
                    rows.push_back({preview.via[i], flipped(c) ? 3 : 1});
            } else {
                for (const PlayedCampaign& p : session.trace_customer(campaign, c)) {
                    if (!p.draft) continue;
                    for (const PlayedPair& pair : p.pairs) {
                        int status = pair.reason >= kQuotaReasonBase ? 3 : pair.reason == kNotFriend ? 2 : -1;
                        if (status < 0 || pair.employee == kNone) continue;
                        rows.push_back({pair.employee, flipped(c) ? 1 : status});
                    }
                }
            }
            for (auto [e, status] : rows) by_sender[data.employees[e].userid].push_back({c, silent(e) ? 0 : status});
        }
        for (const auto& sender : by_sender) {
            // Named references, not a structured binding: clang 14 (Emscripten) cannot capture one.
            const std::string& userid = sender.first;
            const auto& rows = sender.second;
            add_pages(responses, "externalcontact/get_groupmsg_send_result",
                      json{{"msgid", "msg_" + campaign.id}, {"userid", userid}}, "detail_list", rows.size(), page_rows,
                      [&](size_t i) {
                          json row = {{"external_userid", data.external_userid(rows[i].customer)},
                                      {"userid", userid},
                                      {"status", rows[i].status}};
                          if (rows[i].status == 1) row["send_time"] = preview.send_time;
                          return row;
                      });
        }
    } else {
        const std::vector<std::vector<uint32_t>> picks = moment_picks(session, campaign, preview);
        std::vector<uint8_t> has_task(data.employees.size(), 0);
        std::vector<std::vector<uint32_t>> visible(data.employees.size());
        for (uint32_t c : data.by_external_userid) {
            const uint16_t v = preview.verdict[c];
            if (v == kNotInAudience) continue;
            for (uint32_t e : picks[c]) has_task[e] = 1;
            const bool shown = (v == kReached) != flipped(c);
            if (!shown) continue;
            std::vector<uint32_t> by;
            if (v == kReached)
                by.assign(preview.via.begin() + preview.via_begin[c], preview.via.begin() + preview.via_begin[c + 1]);
            else if (!picks[c].empty()) by.push_back(picks[c].front());
            for (uint32_t e : by)
                if (!silent(e)) visible[e].push_back(c);
        }
        std::map<std::string, uint32_t> tasked;  // userid bytewise -> employee
        for (uint32_t e = 0; e < data.employees.size(); ++e)
            if (has_task[e]) tasked[data.employees[e].userid] = e;
        std::vector<uint32_t> order;
        for (const auto& [userid, e] : tasked) order.push_back(e);
        const std::string moment_id = "moment_" + campaign.id;
        add_pages(responses, "externalcontact/get_moment_task", json{{"moment_id", moment_id}}, "task_list", order.size(),
                  page_rows, [&](size_t i) {
                      return json{{"userid", data.employees[order[i]].userid}, {"publish_status", silent(order[i]) ? 0 : 1}};
                  });
        for (uint32_t e : order) {
            if (silent(e)) continue;
            const std::vector<uint32_t>& customers = visible[e];
            add_pages(responses, "externalcontact/get_moment_send_result",
                      json{{"moment_id", moment_id}, {"userid", data.employees[e].userid}}, "customer_list", customers.size(),
                      page_rows, [&](size_t i) {
                          return json{{"external_userid", data.external_userid(customers[i])}};
                      });
        }
    }
    return json{{"format", "reachlens.results/1"}, {"campaign_id", campaign.id}, {"responses", std::move(responses)}};
}

}  // namespace rl

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/model/dataset.h"

namespace rl {

namespace {

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// splitmix64: the generator's kind of deterministic, platform-independent choice.
uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

}  // namespace

std::vector<std::string> write_demo_results(const std::string& dataset_path, const std::vector<std::string>& campaign_paths,
                                            const std::string& results_dir, const Rules& real_rules, uint64_t seed) {
    namespace fs = std::filesystem;
    const Dataset data = load_dataset(read_whole(dataset_path), dataset_path);
    fs::create_directories(results_dir);
    PreviewSession session(data, real_rules);
    std::vector<std::string> written;
    uint64_t salt = mix(seed ^ 0x5EC0u);
    for (const std::string& path : campaign_paths) {
        const Campaign campaign = load_campaign(read_whole(path), path);
        // Contract 7 reconciles customer campaigns only: WeCom's group-send answers are not defined there.
        if (campaign.kind == Kind::GroupSend) continue;
        const PreviewResult preview = session.preview(campaign);
        ResultsDeviation dev;
        salt = mix(salt);
        dev.silent_employee.resize(data.employees.size());
        for (uint32_t e = 0; e < dev.silent_employee.size(); ++e) dev.silent_employee[e] = mix(salt ^ e) % 20 == 0;
        dev.flip_customer.resize(data.customer_count());
        for (uint32_t c = 0; c < dev.flip_customer.size(); ++c) dev.flip_customer[c] = mix(salt ^ (uint64_t(c) << 32)) % 70 == 0;
        const std::string text = results_from_preview(session, campaign, preview, dev).dump(1) + "\n";
        const std::string out = (fs::path(results_dir) / fs::path(path).filename()).string();
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        f.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!f) throw std::runtime_error("cannot write " + out);
        written.push_back(out);
    }
    return written;
}

}  // namespace rl
