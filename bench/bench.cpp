// Benchmark of the preview engine on generated tenants. Prints figures; asserts nothing.
//   bench                      10k, 100k and 1M customers (each in its own process)
//   bench --quick              10k and 100k only (what the test command runs)
//   bench --customers N        one size, in this process
// Tenants are generated once into build/bench-data/<N>/ and reused.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <time.h>

#include "platform/mapped_file.h"
#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "tools/generator.h"
#include "core/insight/insight.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// VmRSS / VmHWM of this process in MB (Linux).
double proc_status_mb(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::atof(line.c_str() + std::strlen(field)) / 1024.0;
    return -1;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path find_campaign(const fs::path& dir, const std::string& prefix) {
    std::vector<fs::path> files;
    for (auto& e : fs::directory_iterator(dir / "campaigns")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files)
        if (f.filename().string().rfind(prefix, 0) == 0) return f;
    return files.empty() ? fs::path() : files.front();
}

// CPU time of this process in ms: on a shared machine the wall clock also counts the
// time other processes hold the cores, so both are printed.
double cpu_ms() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
double last_cpu_median = 0;  // the CPU-time median of the last median_ms call

// Median of `runs` timings of f() (wall clock; the CPU-time median goes to last_cpu_median).
template <class F>
double median_ms(int runs, F&& f) {
    std::vector<double> t, cpu;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        const double c0 = cpu_ms();
        f();
        cpu.push_back(cpu_ms() - c0);
        t.push_back(ms_since(t0));
    }
    std::sort(t.begin(), t.end());
    std::sort(cpu.begin(), cpu.end());
    last_cpu_median = cpu[cpu.size() / 2];
    return t[t.size() / 2];
}

int bench_one(int64_t customers, const fs::path& root) {
    fs::path dir = root / std::to_string(customers);
    if (!fs::exists(dir / "dataset.json")) {
        auto t0 = Clock::now();
        rl::GenerateOptions o;
        o.customers = customers;
        o.seed = 42;
        o.out_dir = dir.string();
        rl::generate_tenant(o);
        std::printf("  generated %s in %.1f s\n", dir.c_str(), ms_since(t0) / 1000);
    }
    const std::string dataset_path = (dir / "dataset.json").string();
    const double mb = fs::file_size(dataset_path) / 1e6;

    auto t0 = Clock::now();
    rl::Dataset data;
    {
        rl::MappedFile file(dataset_path);
        data = rl::load_dataset(file.text(), dataset_path);
    }
    const double load_ms = ms_since(t0);
    const double rss_loaded = proc_status_mb("VmRSS:");

    rl::Rules rules = rl::preset_rules("wecom-2025");
    fs::path moment_path = find_campaign(dir, "01-");
    fs::path mass_path = find_campaign(dir, "03-");
    rl::Campaign moment = rl::load_campaign(read_text(moment_path), moment_path.string());
    rl::Campaign mass = rl::load_campaign(read_text(mass_path), mass_path.string());

    // Cold: the run without the draft (scheduled campaigns) plus the draft, as the CLI does.
    t0 = Clock::now();
    rl::PreviewSession session(data, rules);
    rl::PreviewResult first = session.preview(moment);
    const double cold_ms = ms_since(t0);
    // Warm: what an edit of the draft costs in the dashboard.
    int64_t reached_moment = 0, reached_mass = 0, audience_mass = 0;
    const double moment_ms = median_ms(5, [&] { reached_moment = session.preview(moment).reached; });
    const double moment_cpu = last_cpu_median;
    const double mass_ms = median_ms(5, [&] { auto r = session.preview(mass); reached_mass = r.reached; audience_mass = r.audience; });
    const double mass_cpu = last_cpu_median;
    // The dashboard's explanations, after a recompute: the quota calendar of the draft, and
    // one customer's timeline (the customer table's selection), averaged over 200 customers.
    rl::PreviewResult moment_result = session.preview(moment);
    rl::QuotaCalendar calendar;
    const double calendar_ms = median_ms(5, [&] { calendar = rl::quota_calendar(session, moment, moment_result); });
    const double calendar_cpu = last_cpu_median;
    rl::PreviewResult mass_result = session.preview(mass);
    const double calendar_mass_ms = median_ms(5, [&] { calendar = rl::quota_calendar(session, mass, mass_result); });
    const double calendar_mass_cpu = last_cpu_median;
    size_t events = 0;
    const uint32_t step = std::max<uint32_t>(1, data.customer_count() / 200);
    auto t_explain = Clock::now();
    int explained = 0;
    for (uint32_t c = 0; c < data.customer_count() && explained < 200; c += step, ++explained)
        events += rl::explain_customer(session, mass, c).size();
    const double explain_ms = ms_since(t_explain) / std::max(1, explained);
    const double peak = proc_status_mb("VmHWM:");

    std::printf("customers %lld: file %.1f MB, %zu relations, %zu deliveries, %zu scheduled\n",
                (long long)customers, mb, data.relations.size(), data.deliveries.size(), data.scheduled.size());
    std::printf("  load          %8.1f ms   %6.1f MB/s\n", load_ms, mb / (load_ms / 1000));
    std::printf("  memory        %8.1f MB resident after load (model %.1f MB), peak %.1f MB\n",
                rss_loaded, data.memory_bytes() / 1e6, peak);
    std::printf("  preview cold  %8.1f ms   (baseline of %zu scheduled campaigns + moment draft)\n", cold_ms, data.scheduled.size());
    std::printf("  preview warm  %8.1f ms   (cpu %.1f ms) moment %s: audience %lld, reached %lld\n", moment_ms, moment_cpu,
                moment_path.filename().c_str(), (long long)first.audience, (long long)reached_moment);
    std::printf("  preview warm  %8.1f ms   (cpu %.1f ms) mass send %s: audience %lld, reached %lld\n", mass_ms, mass_cpu,
                mass_path.filename().c_str(), (long long)audience_mass, (long long)reached_mass);
    std::printf("  quota calendar%8.1f ms   (cpu %.1f ms) moment draft, %zu quotas and policies, %d days\n", calendar_ms, calendar_cpu,
                calendar.labels.size(), calendar.days);
    std::printf("  quota calendar%8.1f ms   (cpu %.1f ms) mass send draft\n", calendar_mass_ms, calendar_mass_cpu);
    std::printf("  explain       %8.3f ms   one customer's timeline (mass send draft; %zu events over %d customers)\n",
                explain_ms, events, explained);
    std::fflush(stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path root = "build/bench-data";
    std::vector<int64_t> sizes = {10000, 100000, 1000000};
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--quick") sizes = {10000, 100000};
        else if (a == "--customers" && i + 1 < argc) return bench_one(std::atoll(argv[++i]), root);
        else if (a == "--data" && i + 1 < argc) root = argv[++i];
        else { std::fprintf(stderr, "usage: bench [--quick] [--customers N] [--data DIR]\n"); return 2; }
    }
    std::printf("ReachLens bench (one core, native, -O2); tenants in %s\n", root.c_str());
    std::fflush(stdout);  // before the child processes write to the same stream
    for (int64_t n : sizes) {
        // A process per size, so peak memory is that size's own.
        std::string cmd = "\"" + std::string(argv[0]) + "\" --data \"" + root.string() + "\" --customers " + std::to_string(n);
        if (std::system(cmd.c_str()) != 0) return 1;
    }
    return 0;
}
