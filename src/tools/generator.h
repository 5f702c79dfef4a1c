#pragma once
// Deterministic synthetic WeCom tenant for the demo and the benchmarks: a Chinese retail
// brand with stores, employees, tags, customers, customer groups, 90 days of delivery history
// (group sends too) that respects the platform quotas, not-interested events, scheduled
// campaigns and a few draft campaigns.
// Same options -> byte-identical files on every machine (own PRNG, integer arithmetic only).
#include <cstdint>
#include <string>
#include <vector>

namespace rl {

struct GenerateOptions {
    int64_t customers = 10000;
    uint64_t seed = 1;
    std::string out_dir;  // created if missing (std::filesystem::create_directories)
    int tag_count = 300;  // total tags across the tag groups
    int history_days = 90;  // days of deliveries and not-interested events before `now`
    int scheduled_campaigns = 5;
};

struct GenerateReport {
    std::string dataset_path;
    std::vector<std::string> campaign_paths;
    int64_t bytes_written = 0;
    int64_t employees = 0, customers = 0, relations = 0, deliveries = 0, not_interested = 0;
    int64_t groups = 0, group_members = 0, group_deliveries = 0;  // customer groups (客户群)
};

// Writes out_dir/dataset.json and out_dir/campaigns/*.json. Throws std::runtime_error with a
// clear message on I/O failure, std::invalid_argument on unusable options.
GenerateReport generate_tenant(const GenerateOptions& options);

}  // namespace rl
