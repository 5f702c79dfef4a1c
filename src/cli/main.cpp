// reachlens: the native command around the preview engine.
//   reachlens preview  --dataset D --campaign C [--rules R | --preset NAME] [--scheduled S.json] [--shard i/N]
//                      [--verdicts OUT.csv] [--payload OUT.json]
//   reachlens payload  --dataset D --campaign C [--rules R | --preset NAME] [--scheduled S.json]
//   reachlens snapshot --dataset D --out T.rlsnap
//   reachlens merge    PART.json...
//   reachlens reconcile --dataset D --campaign C [--rules R | --preset NAME] [--scheduled S.json] --results F
//                       [--scheduled-id ID]   (the id the accepted campaign has among the scheduled ones)
//   reachlens explore  --dataset D --campaign C [--rules R | --preset NAME] [--days N] [--time HH:MM]
//   reachlens generate --customers N --seed S --out DIR
// D is a reachlens.dataset/1 JSON document or a binary snapshot (docs/snapshot.md).
// Invalid input: exit status 2 and one line `error: <file>: <JSON pointer>: <what>` on stderr.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "platform/mapped_file.h"
#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "tools/generator.h"
#include "tools/results_synth.h"
#include "core/read/input_error.h"
#include "core/read/input_limits.h"
#include "core/explore/explore.h"
#include "core/output/payload.h"
#include "core/output/report.h"
#include "core/reconcile/reconcile.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"
#include "core/read/snapshot.h"

namespace {

constexpr int kExitInvalidInput = 2;
constexpr int kExitFailure = 1;

const char* const kUsage =
    "usage:\n"
    "  reachlens preview  --dataset D --campaign C [--rules R | --preset NAME] [--scheduled S.json] [--shard i/N]\n"
    "                     [--verdicts OUT.csv] [--payload OUT.json]\n"
    "  reachlens payload  --dataset D --campaign C [--rules R | --preset NAME] [--scheduled S.json]\n"
    "  reachlens snapshot --dataset D --out T.rlsnap\n"
    "  reachlens merge    PART.json...       (partial summaries of preview --shard, into the whole)\n"
    "  reachlens reconcile --dataset D --campaign C [--rules R | --preset NAME] [--scheduled S.json] --results F\n"
    "                      [--scheduled-id ID]\n"
    "  reachlens explore  --dataset D --campaign C [--rules R | --preset NAME] [--days N] [--time HH:MM]\n"
    "  reachlens generate --customers N --seed S --out DIR\n"
    "D: a reachlens.dataset/1 JSON file or a snapshot written by `reachlens snapshot`.\n"
    "--scheduled: a JSON array that replaces the dataset's scheduled campaigns.\n"
    "--shard i/N: only customers of shard i (0-based) of N; the summary gets \"shard\" for merge.\n";

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// --name value pairs; every flag takes a value.
std::map<std::string, std::string> parse_flags(int argc, char** argv, const std::vector<std::string>& allowed) {
    std::map<std::string, std::string> flags;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument \"" + arg + "\"");
        std::string name = arg.substr(2), value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        } else {
            if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
            value = argv[++i];
        }
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) throw UsageError("unknown option --" + name);
        if (flags.count(name)) throw UsageError("--" + name + " given twice");
        flags[name] = value;
    }
    return flags;
}

std::string required(const std::map<std::string, std::string>& flags, const char* name) {
    auto it = flags.find(name);
    if (it == flags.end()) throw UsageError(std::string("--") + name + " is required");
    return it->second;
}

struct Inputs {
    rl::Dataset data;
    rl::Campaign campaign;
    rl::Rules rules;
};

Inputs load_inputs(const std::map<std::string, std::string>& flags) {
    std::string dataset_path = required(flags, "dataset");
    std::string campaign_path = required(flags, "campaign");
    if (flags.count("rules") && flags.count("preset")) throw UsageError("give --rules or --preset, not both");
    Inputs in;
    if (auto it = flags.find("rules"); it != flags.end()) {
        rl::MappedFile f(it->second, rl::limits::kRulesMaxBytes);
        in.rules = rl::load_rules(f.text(), it->second);
    } else {
        std::string preset = flags.count("preset") ? flags.at("preset") : "wecom-2020";
        try {
            in.rules = rl::preset_rules(preset);
        } catch (const std::invalid_argument& e) { throw UsageError(e.what()); }
    }
    {
        rl::MappedFile f(campaign_path, rl::limits::kCampaignMaxBytes);
        in.campaign = rl::load_campaign(f.text(), campaign_path);
    }
    in.data = rl::load_dataset_file(dataset_path);
    if (auto it = flags.find("scheduled"); it != flags.end()) {
        rl::MappedFile f(it->second);
        rl::replace_scheduled(in.data, f.text(), it->second);
    }
    // Refused before simulating: the draft would make this check (and, once scheduled,
    // every later one) replay more than the limit allows.
    rl::check_timeline_work(in.data, in.campaign, campaign_path);
    return in;
}

// Output files of one run: each is written to "<path>.tmp-<pid>" first and renamed over
// <path> only when every output of the run was written, so a failing run (an unwritable
// --payload) leaves no output of it behind, and never a half-written file.
class Outputs {
public:
    ~Outputs() {
        for (const auto& f : files_) std::remove(f.tmp.c_str());
    }
    void add(const std::string& path, const std::string& text) {
        std::string tmp = path + ".tmp-" + std::to_string(::getpid());
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + path);
        files_.push_back({path, tmp});
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) throw std::runtime_error("cannot write " + path);
    }
    void commit() {
        for (const auto& f : files_)
            if (std::rename(f.tmp.c_str(), f.path.c_str()) != 0)
                throw std::runtime_error("cannot write " + f.path + ": " + std::strerror(errno));
        files_.clear();
    }

private:
    struct File {
        std::string path, tmp;
    };
    std::vector<File> files_;
};

// "i/N" with 0 <= i < N.
std::pair<uint32_t, uint32_t> parse_shard(const std::string& s) {
    const size_t slash = s.find('/');
    auto number = [&](const std::string& part) -> int64_t {
        if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos) return -1;
        return std::stoll(part);
    };
    const int64_t i = slash == std::string::npos ? -1 : number(s.substr(0, slash));
    const int64_t n = slash == std::string::npos ? -1 : number(s.substr(slash + 1));
    if (i < 0 || n < 1 || i >= n) throw UsageError("--shard needs i/N with 0 <= i < N, got \"" + s + "\"");
    return {static_cast<uint32_t>(i), static_cast<uint32_t>(n)};
}

int cmd_preview(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"dataset", "campaign", "rules", "preset", "scheduled", "shard", "verdicts", "payload"});
    std::optional<std::pair<uint32_t, uint32_t>> shard;
    if (auto it = flags.find("shard"); it != flags.end()) shard = parse_shard(it->second);
    if (shard && flags.count("payload")) throw UsageError("--payload needs the whole audience: not with --shard");
    Inputs in = load_inputs(flags);
    // Groups span customer ranges: a shard's group counts would be added N times by merge.
    if (shard && in.campaign.kind == rl::Kind::GroupSend)
        throw UsageError("--shard splits customers: a group send is previewed whole");
    rl::PreviewSession session(in.data, in.rules);
    if (shard) {
        auto [begin, end] = rl::shard_range(in.data.customer_count(), shard->first, shard->second);
        session.set_customer_range(begin, end);
    }
    rl::PreviewResult result = session.preview(in.campaign);
    nlohmann::ordered_json summary_doc = rl::summary_json(in.data, result);
    if (shard) summary_doc["shard"] = {{"index", shard->first}, {"count", shard->second}};
    std::string summary = summary_doc.dump(2) + "\n";
    Outputs outputs;
    if (auto it = flags.find("verdicts"); it != flags.end()) outputs.add(it->second, rl::verdicts_csv(in.data, result));
    // The request bodies of the same run: a server checking a submission needs both.
    if (auto it = flags.find("payload"); it != flags.end())
        outputs.add(it->second, rl::wecom_requests(in.data, in.campaign, result).dump(2) + "\n");
    outputs.commit();
    std::fwrite(summary.data(), 1, summary.size(), stdout);
    return 0;
}

int cmd_payload(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"dataset", "campaign", "rules", "preset", "scheduled"});
    Inputs in = load_inputs(flags);
    rl::PreviewResult result = rl::run_preview(in.data, in.campaign, in.rules);
    std::string text = rl::wecom_requests(in.data, in.campaign, result).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int cmd_reconcile(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"dataset", "campaign", "rules", "preset", "scheduled", "results", "scheduled-id"});
    const std::string results_path = required(flags, "results");
    Inputs in = load_inputs(flags);
    rl::MappedFile f(results_path);
    rl::Results results = rl::load_results(f.text(), results_path, in.data);
    rl::Reconciliation r =
        rl::reconcile(in.data, in.campaign, in.rules, results, flags.count("scheduled-id") ? flags["scheduled-id"] : "");
    for (const rl::Issue& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.message.c_str());
    std::string text = rl::reconcile_json(in.data, r).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int64_t parse_int(const std::string& flag, const std::string& s);

// "HH:MM", 00:00 to 23:59 -> minutes after midnight.
int parse_time_of_day(const std::string& s) {
    int h = -1, m = -1;
    char tail = 0;
    if (s.size() != 5 || std::sscanf(s.c_str(), "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        throw UsageError("--time needs a local time of day HH:MM (00:00 to 23:59), got \"" + s + "\"");
    return h * 60 + m;
}

int cmd_explore(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"dataset", "campaign", "rules", "preset", "scheduled", "days", "time"});
    rl::ExploreOptions options;
    if (auto it = flags.find("days"); it != flags.end()) {
        int64_t days = parse_int("days", it->second);
        if (days < 1 || days > 366) throw UsageError("--days must be between 1 and 366");
        options.days = static_cast<int>(days);
    }
    if (auto it = flags.find("time"); it != flags.end()) options.minute_of_day = parse_time_of_day(it->second);
    Inputs in = load_inputs(flags);
    rl::PreviewSession session(in.data, in.rules);
    std::string text = rl::explore_json(rl::explore(session, in.campaign, options)).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int64_t parse_int(const std::string& flag, const std::string& s) {
    try {
        size_t used = 0;
        long long v = std::stoll(s, &used);
        if (used != s.size()) throw std::invalid_argument(s);
        return v;
    } catch (const std::exception&) { throw UsageError("--" + flag + " needs a whole number, got \"" + s + "\""); }
}

int cmd_snapshot(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"dataset", "out"});
    const std::string dataset_path = required(flags, "dataset"), out_path = required(flags, "out");
    rl::Dataset data = rl::load_dataset_file(dataset_path);
    // Written beside the target and renamed: a reader never sees half a snapshot.
    const std::string tmp = out_path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp);
        rl::write_snapshot(data, out);
        out.close();
        if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), out_path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot write " + out_path);
    }
    std::fprintf(stderr, "wrote %s: %u customers, %zu relations, %zu deliveries\n", out_path.c_str(), data.customer_count(),
                 data.relations.size(), data.deliveries.size());
    return 0;
}

int cmd_merge(int argc, char** argv) {
    std::vector<std::pair<std::string, nlohmann::ordered_json>> parts;
    for (int i = 2; i < argc; ++i) {
        const std::string path = argv[i];
        if (path.rfind("--", 0) == 0) throw UsageError("merge takes partial summary files only, got \"" + path + "\"");
        rl::MappedFile f(path);
        try {
            parts.emplace_back(path, nlohmann::ordered_json::parse(f.text()));
        } catch (const nlohmann::json::parse_error& e) {
            throw rl::InputError(path, "", std::string("invalid JSON: ") + e.what());
        }
    }
    if (parts.empty()) throw UsageError("merge needs the partial summaries of every shard");
    std::string text = rl::merge_summaries(parts).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int cmd_generate(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"customers", "seed", "out"});
    rl::GenerateOptions options;
    options.customers = parse_int("customers", required(flags, "customers"));
    options.seed = static_cast<uint64_t>(parse_int("seed", required(flags, "seed")));
    options.out_dir = required(flags, "out");
    if (options.customers < 1) throw UsageError("--customers must be at least 1");
    rl::GenerateReport report = rl::generate_tenant(options);
    std::fprintf(stderr,
                 "wrote %s: %lld customers, %lld employees, %lld relations, %lld deliveries, %lld not-interested events, "
                 "%lld groups with %lld members and %lld group deliveries, %.1f MB\n",
                 report.dataset_path.c_str(), (long long)report.customers, (long long)report.employees,
                 (long long)report.relations, (long long)report.deliveries, (long long)report.not_interested,
                 (long long)report.groups, (long long)report.group_members, (long long)report.group_deliveries,
                 report.bytes_written / 1e6);
    for (const std::string& p : report.campaign_paths) std::printf("%s\n", p.c_str());
    // What WeCom answers after each demo campaign: the tenant's real mass-send setting is 7 a
    // week, which the default preset does not say, so the reconciliation has something to find.
    const std::string real_rules = "wecom-2025/mass_send_7_a_week";
    for (rl::RulesCandidate& c : rl::rules_fit_candidates(rl::preset_rules("wecom-2020")))
        if (c.rules.name == real_rules) {
            auto written =
                rl::write_demo_results(report.dataset_path, report.campaign_paths,
                                       (std::filesystem::path(options.out_dir) / "results").string(), c.rules, options.seed);
            std::fprintf(stderr, "wrote %zu results files (as WeCom answers them, real rules %s)\n", written.size(),
                         real_rules.c_str());
        }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? kExitInvalidInput : 0;
    }
    std::string command = argv[1];
    try {
        if (command == "preview") return cmd_preview(argc, argv);
        if (command == "payload") return cmd_payload(argc, argv);
        if (command == "explore") return cmd_explore(argc, argv);
        if (command == "reconcile") return cmd_reconcile(argc, argv);
        if (command == "generate") return cmd_generate(argc, argv);
        if (command == "snapshot") return cmd_snapshot(argc, argv);
        if (command == "merge") return cmd_merge(argc, argv);
        throw UsageError("unknown command \"" + command + "\"");
    } catch (const rl::InputError& e) {
        std::fprintf(stderr, "error: %s\n", rl::one_line(e.file() + ": " + e.pointer() + ": " + e.problem()).c_str());
        return kExitInvalidInput;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "error: %s (see reachlens --help)\n", rl::one_line(e.what()).c_str());
        return kExitInvalidInput;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "error: out of memory\n");
        return kExitFailure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", rl::one_line(e.what()).c_str());
        return kExitFailure;
    }
}
