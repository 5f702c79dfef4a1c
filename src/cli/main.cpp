// reachlens: the native command around the preview engine.
//   reachlens preview  --dataset D --campaign C [--rules R | --preset NAME] [--verdicts OUT.csv] [--payload OUT.json]
//   reachlens payload  --dataset D --campaign C [--rules R | --preset NAME]
//   reachlens generate --customers N --seed S --out DIR
// Invalid input: exit status 2 and one line `error: <file>: <JSON pointer>: <what>` on stderr.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/mapped_file.h"
#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "tools/generator.h"
#include "core/read/input_error.h"
#include "core/output/payload.h"
#include "core/output/report.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"

namespace {

constexpr int kExitInvalidInput = 2;
constexpr int kExitFailure = 1;

const char* const kUsage =
    "usage:\n"
    "  reachlens preview  --dataset D --campaign C [--rules R | --preset NAME] [--verdicts OUT.csv] [--payload OUT.json]\n"
    "  reachlens payload  --dataset D --campaign C [--rules R | --preset NAME]\n"
    "  reachlens generate --customers N --seed S --out DIR\n";

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
        rl::MappedFile f(it->second);
        in.rules = rl::load_rules(f.text(), it->second);
    } else {
        std::string preset = flags.count("preset") ? flags.at("preset") : "wecom-2020";
        try {
            in.rules = rl::preset_rules(preset);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    }
    {
        rl::MappedFile f(campaign_path);
        in.campaign = rl::load_campaign(f.text(), campaign_path);
    }
    rl::MappedFile f(dataset_path);
    in.data = rl::load_dataset(f.text(), dataset_path);
    return in;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

int cmd_preview(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"dataset", "campaign", "rules", "preset", "verdicts", "payload"});
    Inputs in = load_inputs(flags);
    rl::PreviewResult result = rl::run_preview(in.data, in.campaign, in.rules);
    std::string summary = rl::summary_json(in.data, result).dump(2) + "\n";
    if (auto it = flags.find("verdicts"); it != flags.end()) write_file(it->second, rl::verdicts_csv(in.data, result));
    // The request bodies of the same run: a server checking a submission needs both.
    if (auto it = flags.find("payload"); it != flags.end())
        write_file(it->second, rl::wecom_requests(in.data, in.campaign, result).dump(2) + "\n");
    std::fwrite(summary.data(), 1, summary.size(), stdout);
    return 0;
}

int cmd_payload(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"dataset", "campaign", "rules", "preset"});
    Inputs in = load_inputs(flags);
    rl::PreviewResult result = rl::run_preview(in.data, in.campaign, in.rules);
    std::string text = rl::wecom_requests(in.data, in.campaign, result).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}

int64_t parse_int(const std::string& flag, const std::string& s) {
    try {
        size_t used = 0;
        long long v = std::stoll(s, &used);
        if (used != s.size()) throw std::invalid_argument(s);
        return v;
    } catch (const std::exception&) {
        throw UsageError("--" + flag + " needs a whole number, got \"" + s + "\"");
    }
}

int cmd_generate(int argc, char** argv) {
    auto flags = parse_flags(argc, argv, {"customers", "seed", "out"});
    rl::GenerateOptions options;
    options.customers = parse_int("customers", required(flags, "customers"));
    options.seed = static_cast<uint64_t>(parse_int("seed", required(flags, "seed")));
    options.out_dir = required(flags, "out");
    if (options.customers < 1) throw UsageError("--customers must be at least 1");
    rl::GenerateReport report = rl::generate_tenant(options);
    std::fprintf(stderr, "wrote %s: %lld customers, %lld employees, %lld relations, %lld deliveries, %lld not-interested events, "
                 "%lld groups with %lld members and %lld group deliveries, %.1f MB\n",
                 report.dataset_path.c_str(), (long long)report.customers, (long long)report.employees,
                 (long long)report.relations, (long long)report.deliveries, (long long)report.not_interested,
                 (long long)report.groups, (long long)report.group_members, (long long)report.group_deliveries,
                 report.bytes_written / 1e6);
    for (const std::string& p : report.campaign_paths) std::printf("%s\n", p.c_str());
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
        if (command == "generate") return cmd_generate(argc, argv);
        throw UsageError("unknown command \"" + command + "\"");
    } catch (const rl::InputError& e) {
        std::fprintf(stderr, "error: %s: %s: %s\n", e.file().c_str(), e.pointer().c_str(), e.problem().c_str());
        return kExitInvalidInput;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "error: %s (see reachlens --help)\n", e.what());
        return kExitInvalidInput;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "error: out of memory\n");
        return kExitFailure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return kExitFailure;
    }
}
