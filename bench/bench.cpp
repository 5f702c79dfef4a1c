// Benchmark of the preview engine on generated tenants. Prints figures; asserts nothing.
//   bench                      10k, 100k and 1M customers (each in its own process)
//   bench --quick              10k and 100k only (what the test command runs)
//   bench --customers N        one size, in this process (JSON, then its snapshot in a child process)
//   bench --data DIR           where tenants live (default build/bench-data; bench/run.sh uses /work-outside-the-repo)
//   bench --format snapshot    load the tenant's snapshot only (its peak memory is its own); `json` for JSON only
//   bench --customers N --profile moment|mass|cold [--runs R]   only that preview, R times (for perf
//                              record); prints each run's CPU time and the median
//   bench --customers N --profile explore   the send-time explorer from a fresh session, stepped as
//                              the page steps it; prints its longest steps (the page's longest tasks)
//   bench --groups G --customers N   a group send (contract 8) over G groups of 50-350 members
//                              (200 on average) drawn from N customers, built in memory
//   The full run adds 100k groups / 1M customers (20M memberships); --quick 10k / 100k.
// Tenants are generated once into <data>/<N>/ and reused; the snapshot (tenant.rlsnap) is written beside.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <time.h>

#include "platform/mapped_file.h"
#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "tools/generator.h"
#include "core/explore/explore.h"
#include "core/insight/insight.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"
#include "core/read/snapshot.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// VmRSS / VmHWM of this process in MB (Linux). Under node (the wasm build) there is no
// /proc: the engine's memory is the wasm heap, which only grows, so its size is the peak.
double proc_status_mb(const char* field) {
#ifdef __wasm__
    (void)field;
    return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0 / (1024.0 * 1024.0);
#endif
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

enum class Format { Both, Json, Snapshot };

// What loading the snapshot at `path` takes, estimated from its header and table of sections
// alone (as the page decides whether it can hold a tenant before reading it).
rl::SnapshotMemory snapshot_memory_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(64, '\0');
    in.read(head.data(), 64);
    uint32_t sections = 0;
    std::memcpy(&sections, head.data() + 32, 4);
    head.resize(64 + size_t(sections) * 64);
    in.read(head.data() + 64, std::streamsize(head.size() - 64));
    rl::SnapshotLoad load(rl::SnapshotLoad::kStreamed, path);
    load.feed(head.data(), head.size());
    return load.memory();
}

// A cached snapshot of this build's version (an older one is written again, not refused).
bool snapshot_is_current(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char header[12] = {};
    if (!in.read(header, sizeof header) || !rl::is_snapshot(std::string_view(header, sizeof header))) return false;
    uint32_t version = 0;
    std::memcpy(&version, header + 8, sizeof version);
    return version == rl::kSnapshotVersion;
}

// `--profile`: one kind of preview only, `runs` times, for a profiler (perf record).
struct Profile {
    std::string what;  // moment, mass or cold; empty: the whole bench
    int runs = 20;
};

int bench_one(int64_t customers, const fs::path& root, Format format, const char* self, const Profile& profile) {
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
    const std::string json_path = (dir / "dataset.json").string(), snapshot_path = (dir / "tenant.rlsnap").string();
    const bool snapshot = format == Format::Snapshot;
    const std::string dataset_path = snapshot ? snapshot_path : json_path;
    if (snapshot && !snapshot_is_current(snapshot_path)) {
        std::printf("  writing %s ...\n", snapshot_path.c_str());
        rl::MappedFile file(json_path);
        rl::Dataset d = rl::load_dataset(file.text(), json_path);
        std::ofstream out(snapshot_path + ".tmp", std::ios::binary);
        rl::write_snapshot(d, out);
        out.close();
        fs::rename(snapshot_path + ".tmp", snapshot_path);
        std::printf("  (the writing process's peak %.1f MB is not this run's: rerun for a clean one)\n",
                    proc_status_mb("VmHWM:"));
    }
    const double mb = fs::file_size(dataset_path) / 1e6;

    auto t0 = Clock::now();
    const double load_cpu0 = cpu_ms();
    rl::Dataset data = rl::load_dataset_file(dataset_path);
    const double load_ms = ms_since(t0);
    const double load_cpu = cpu_ms() - load_cpu0;
    const double rss_loaded = proc_status_mb("VmRSS:");
    const double peak_loaded = proc_status_mb("VmHWM:");

    rl::Rules rules = rl::preset_rules("wecom-2025");
    fs::path moment_path = find_campaign(dir, "01-");
    fs::path mass_path = find_campaign(dir, "03-");
    rl::Campaign moment = rl::load_campaign(read_text(moment_path), moment_path.string());
    rl::Campaign mass = rl::load_campaign(read_text(mass_path), mass_path.string());
    if (profile.what == "explore") {
        // The explorer as the page runs it: a fresh session (its baseline not built), then
        // steps of `kStepCustomers` customers; the longest steps and what they did.
        constexpr uint32_t kStepCustomers = 12000;
        double c0 = cpu_ms();
        const rl::TagCustomers tags = rl::index_tag_customers(data);
        const double tags_ms = cpu_ms() - c0;
        c0 = cpu_ms();
        const rl::LedgerEventIndex events(data);
        std::printf("  built once per session: customers by tag cpu %.1f ms (%zu entries), ledger events by time cpu %.1f ms\n",
                    tags_ms, tags.customers.size(), cpu_ms() - c0);
        for (int k = 0; k < 2; ++k) {
            const rl::Campaign& draft = k == 0 ? mass : moment;
            rl::PreviewSession explorer(data, rules);
            const double c0 = cpu_ms();
            rl::ExploreJob job(explorer, draft, rl::ExploreOptions{});
            struct Step {
                double ms;
                size_t index, bars_before;
            };
            std::vector<Step> steps;
            for (bool done = false; !done;) {
                const size_t bars = job.result().bars.size();
                const double s0 = cpu_ms();
                done = job.step(kStepCustomers);
                steps.push_back({cpu_ms() - s0, steps.size(), bars});
            }
            const double total = cpu_ms() - c0;
            std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.ms > b.ms; });
            std::printf("  explore %s: cpu %.1f ms in %zu steps of %u customers; longest steps:", k == 0 ? "mass send" : "moment",
                        total, steps.size(), kStepCustomers);
            for (size_t i = 0; i < std::min<size_t>(5, steps.size()); ++i)
                std::printf(" %.1f ms (step %zu, bar %zu)", steps[i].ms, steps[i].index, steps[i].bars_before);
            std::printf("\n");
        }
        return 0;
    }
    if (!profile.what.empty()) {
        std::vector<double> cpu;
        rl::PreviewSession warm(data, rules);
        int64_t reached = 0;
        for (int i = 0; i < profile.runs; ++i) {
            const double c0 = cpu_ms();
            if (profile.what == "cold") {
                rl::PreviewSession cold(data, rules);
                reached = cold.preview(moment).reached;
            } else {
                reached = warm.preview(profile.what == "mass" ? mass : moment).reached;
            }
            cpu.push_back(cpu_ms() - c0);
            std::printf("  %s run %d: cpu %.1f ms, reached %lld\n", profile.what.c_str(), i, cpu.back(), (long long)reached);
        }
        if (profile.what != "cold") cpu.erase(cpu.begin());  // the first builds the session's baseline
        std::sort(cpu.begin(), cpu.end());
        std::printf("  %s: median cpu %.1f ms over %zu runs\n", profile.what.c_str(), cpu[cpu.size() / 2], cpu.size());
        return 0;
    }

    // Cold: the run without the draft (scheduled campaigns) plus the draft, as the CLI does.
    t0 = Clock::now();
    const double cold_cpu0 = cpu_ms();
    rl::PreviewSession session(data, rules);
    rl::PreviewResult first = session.preview(moment);
    const double cold_ms = ms_since(t0), cold_cpu = cpu_ms() - cold_cpu0;
    // Warm: what an edit of the draft costs in the dashboard.
    int64_t reached_moment = 0, reached_mass = 0, audience_mass = 0;
    const double moment_ms = median_ms(5, [&] { reached_moment = session.preview(moment).reached; });
    const double moment_cpu = last_cpu_median;
    const double mass_ms = median_ms(5, [&] {
        auto r = session.preview(mass);
        reached_mass = r.reached;
        audience_mass = r.audience;
    });
    const double mass_cpu = last_cpu_median;
    // Incremental recompute (PreviewSession::reuse): an edit of the content, and a send time an
    // hour later in the same windows, read off the last result instead of simulating again.
    const rl::PreviewResult mass_last = session.preview(mass);
    rl::Campaign reworded = mass, hour_later = mass;
    reworded.content.text += " 🎁";
    hour_later.send_time = *mass.send_time + 3600;
    bool reused_content = false, reused_time = false;
    median_ms(5, [&] { reused_content = session.reuse(mass, mass_last, reworded).has_value(); });
    const double content_edit_cpu = last_cpu_median;
    median_ms(5, [&] { reused_time = session.reuse(mass, mass_last, hour_later).has_value(); });
    const double time_edit_cpu = last_cpu_median;
    // An audience edit: the mass send's filter without its last clause, from the last result
    // (the customers whose membership changed are played alone) and by a full preview.
    rl::Campaign widened = mass;
    if (widened.filter && !widened.filter->children.empty()) widened.filter->children.pop_back();
    int64_t widened_audience = 0;
    median_ms(5, [&] {
        auto r = session.reuse(mass, mass_last, widened);
        widened_audience = r ? r->audience : -1;
    });
    const double audience_edit_cpu = last_cpu_median;
    median_ms(5, [&] { widened_audience = session.preview(widened).audience; });
    const double audience_full_cpu = last_cpu_median;
    // The demo's customer-group send (07-): groups are few in a generated tenant.
    fs::path group_path = find_campaign(dir, "07-");
    rl::Campaign group_send = rl::load_campaign(read_text(group_path), group_path.string());
    int64_t reached_groups = 0, members_reached = 0;
    const double group_ms = median_ms(5, [&] {
        auto r = session.preview(group_send);
        reached_groups = r.reached;
        members_reached = r.members_reached;
    });
    const double group_cpu = last_cpu_median;
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
    // The send-time explorer: 30 candidate days, each an exact preview, on a session of its
    // own (as the dashboard runs it beside the live preview), stepped in 12,000-customer slices.
    double explore_ms[2], explore_cpu[2], explore_slice_max_ms[2];
    int explore_best[2];
    for (int k = 0; k < 2; ++k) {
        const rl::Campaign& draft = k == 0 ? mass : moment;
        rl::PreviewSession explorer(data, rules);
        explorer.baseline();  // the scheduled campaigns' run, shared by every candidate
        const auto c0 = std::clock();
        auto te = Clock::now();
        rl::ExploreJob job(explorer, draft, rl::ExploreOptions{});
        double slice_max = 0;
        for (bool done = false; !done;) {
            auto ts = Clock::now();
            done = job.step(12000);
            slice_max = std::max(slice_max, ms_since(ts));
        }
        explore_ms[k] = ms_since(te);
        explore_cpu[k] = 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC;
        explore_slice_max_ms[k] = slice_max;
        explore_best[k] = job.result().best;
    }
    const double peak = proc_status_mb("VmHWM:");

    std::printf("customers %lld from %s: file %.1f MB, %zu relations, %zu deliveries, %zu scheduled\n", (long long)customers,
                snapshot ? "the snapshot" : "JSON", mb, data.relations.size(), data.deliveries.size(), data.scheduled.size());
    std::printf("  load          %8.1f ms   (cpu %.1f ms) %6.1f MB/s   target: snapshot at 1M <= 300 ms\n", load_ms, load_cpu,
                mb / (load_ms / 1000));
    std::printf(
        "  memory        %8.1f MB resident after load (model %.1f MB), peak %.1f MB after load, %.1f MB at the end   target: 1M "
        "load peak <= 600 MB\n",
        rss_loaded, data.memory_bytes() / 1e6, peak_loaded, peak);
    std::printf("  model by part");
    for (const rl::Dataset::MemoryPart& part : data.memory_parts()) std::printf("  %s %.1f MB", part.name, part.bytes / 1e6);
    std::printf("\n");
    if (snapshot) {
        const rl::SnapshotMemory m = snapshot_memory_of(snapshot_path);
        std::printf("  estimated from the table of sections: model %.1f MB, streamed load peak %.1f MB\n", m.model / 1e6,
                    m.peak / 1e6);
    }
    std::printf(
        "  preview cold  %8.1f ms   (cpu %.1f ms) baseline of %zu scheduled campaigns + moment draft   target: 1M <= 60 ms\n",
        cold_ms, cold_cpu, data.scheduled.size());
    std::printf("  preview warm  %8.1f ms   (cpu %.1f ms) moment %s: audience %lld, reached %lld   target: 1M <= 20 ms\n",
                moment_ms, moment_cpu, moment_path.filename().c_str(), (long long)first.audience, (long long)reached_moment);
    std::printf("  preview warm  %8.1f ms   (cpu %.1f ms) mass send %s: audience %lld, reached %lld   target: 1M <= 10 ms\n",
                mass_ms, mass_cpu, mass_path.filename().c_str(), (long long)audience_mass, (long long)reached_mass);
    std::printf("  edit content  %8s      (cpu %.1f ms) mass send: %s\n", "", content_edit_cpu,
                reused_content ? "the last result reused, errors checked again" : "simulated again");
    std::printf("  edit time +1h %8s      (cpu %.1f ms) mass send: %s\n", "", time_edit_cpu,
                reused_time ? "same windows, the last result reused" : "other windows, simulated again");
    std::printf(
        "  edit audience %8s      (cpu %.1f ms) mass send without its last clause (audience %lld): the changed customers "
        "replayed; a full preview %.1f ms\n",
        "", audience_edit_cpu, (long long)widened_audience, audience_full_cpu);
    std::printf("  preview warm  %8.1f ms   (cpu %.1f ms) group send %s: %u groups, reached %lld, members reached %lld\n",
                group_ms, group_cpu, group_path.filename().c_str(), data.groups.size(), (long long)reached_groups,
                (long long)members_reached);
    std::printf("  quota calendar%8.1f ms   (cpu %.1f ms) moment draft, %zu quotas and policies, %d days\n", calendar_ms,
                calendar_cpu, calendar.labels.size(), calendar.days);
    std::printf("  quota calendar%8.1f ms   (cpu %.1f ms) mass send draft\n", calendar_mass_ms, calendar_mass_cpu);
    std::printf("  explain       %8.3f ms   one customer's timeline (mass send draft; %zu events over %d customers)\n",
                explain_ms, events, explained);
    for (int k = 0; k < 2; ++k)
        std::printf(
            "  explore 30 d  %8.1f ms   (cpu %.1f ms) %s draft, 30 exact previews; longest 12k-customer step %.1f ms; best day "
            "%d\n",
            explore_ms[k], explore_cpu[k], k == 0 ? "mass send" : "moment", explore_slice_max_ms[k], explore_best[k]);
    std::printf(
        "RESULT customers=%lld format=%s load_ms=%.1f load_cpu_ms=%.1f peak_mb=%.1f cold_ms=%.1f cold_cpu_ms=%.1f moment_ms=%.1f "
        "mass_ms=%.1f moment_reached=%lld mass_reached=%lld\n",
        (long long)customers, snapshot ? "snapshot" : "json", load_ms, load_cpu, peak_loaded, cold_ms, cold_cpu, moment_cpu,
        mass_cpu, (long long)reached_moment, (long long)reached_mass);
    std::fflush(stdout);
    if (format == Format::Both) {
        // The snapshot in a process of its own, so its peak memory is its own.
        const std::string cmd = "\"" + std::string(self) + "\" --data \"" + root.string() + "\" --format snapshot --customers " +
                                std::to_string(customers);
        if (std::system(cmd.c_str()) != 0) return 1;
    }
    return 0;
}

// A tenant of `customers` customers (no relations) and `groups` customer groups built
// straight into the columns (a JSON file of 20M memberships would be over a gigabyte): sizes
// 50-350, members drawn uniformly (so customers share groups), join times before now, 0-20
// group sends each this month, 1% of groups awaiting a new owner, two scheduled group sends.
rl::Dataset group_tenant(int64_t groups, int64_t customers) {
    rl::Dataset d;
    d.enterprise = {"bench", "retail", true, 480};
    const rl::Time now = 1795140000;  // 2026-11-20 10:00 China time
    d.now = now;
    d.departments.push_back({});
    d.departments[0].id = 1;
    d.department_index.push_back({1, 0});
    const uint32_t employees = 5000;
    for (uint32_t e = 0; e < employees; ++e) {
        rl::Employee emp;
        emp.userid = "emp" + std::to_string(e);
        emp.departments = {0};
        emp.active = e % 50 != 7;
        d.employee_index.intern(emp.userid);
        d.employees.push_back(std::move(emp));
    }
    char id[32];
    for (int64_t c = 0; c < customers; ++c) {
        std::snprintf(id, sizeof id, "wm%08lld", (long long)c);
        d.customer_ids.intern(id);
        d.customer_names.add("");
        d.gender.push_back(0);
    }
    for (auto* v : {&d.relation_begin, &d.tag_begin, &d.delivery_begin, &d.not_interested_begin}) v->assign(customers + 1, 0);
    rl::GroupChats& g = d.groups;
    g.member_begin.push_back(0);
    g.delivery_begin.push_back(0);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (int64_t k = 0; k < groups; ++k) {
        std::snprintf(id, sizeof id, "wr%08lld", (long long)k);
        g.ids.intern(id);
        g.names.add(id);
        g.owner.push_back(static_cast<uint32_t>(k % employees));
        g.status.push_back(k % 100 == 42 ? rl::GroupChats::kOwnerResigned : rl::GroupChats::kNormal);
        g.create_time.push_back(now - 400 * 86400);
        const uint32_t size = 50 + static_cast<uint32_t>(next() % 301);
        g.member_count.push_back(size);
        rl::Time join = now - 300 * 86400;
        for (uint32_t m = 0; m < size; ++m) {
            g.member_customer.push_back(static_cast<uint32_t>(next() % static_cast<uint64_t>(customers)));
            join += static_cast<rl::Time>(next() % 86400);
            g.member_join.push_back(join);
        }
        g.member_begin.push_back(static_cast<uint32_t>(g.member_customer.size()));
        const int sends = static_cast<int>(next() % 21);
        for (int s = 0; s < sends; ++s)
            g.deliveries.push_back(
                rl::PastDelivery::make(now - 19 * 86400 + s * 3600, g.owner.back(), rl::Kind::GroupSend, rl::Origin::Enterprise));
        g.delivery_begin.push_back(static_cast<uint32_t>(g.deliveries.size()));
    }
    g.member_customer.shrink_to_fit();
    g.member_join.shrink_to_fit();
    g.index(d.customer_count());
    g.delivery_campaign.assign(g.deliveries.size(), 1);  // every one of campaign 0, below
    d.past_campaigns.push_back({"past-group-sends", rl::Kind::GroupSend, rl::Origin::Enterprise, now - 19 * 86400, now, 0, 0});
    for (int s = 0; s < 2; ++s) {
        rl::Campaign c;
        c.id = "scheduled-group-" + std::to_string(s);
        c.kind = rl::Kind::GroupSend;
        c.send_time = now + (s + 1) * 86400;
        c.content.text = "scheduled";
        d.scheduled.push_back(std::move(c));
    }
    return d;
}

int bench_groups(int64_t groups, int64_t customers) {
    auto t0 = Clock::now();
    rl::Dataset data = group_tenant(groups, customers);
    const double build_ms = ms_since(t0);
    rl::Campaign draft;
    draft.id = "bench-group-send";
    draft.kind = rl::Kind::GroupSend;
    draft.send_time = data.now + 3600;
    draft.content.text = "社群专享";
    rl::Campaign some = draft;  // one owner's groups out of a list of 1000 chat ids
    for (int64_t k = 0; k < 1000; ++k)  // every 7th group, wrapping round when there are fewer than 7,000
        some.chat_list.push_back({std::string(data.groups.chat_id(static_cast<uint32_t>(k * 7 % groups))), ""});
    some.sender_users.push_back({data.employees[0].userid, ""});
    rl::Rules rules = rl::preset_rules("wecom-2025");

    t0 = Clock::now();
    const double cold_c0 = cpu_ms();
    rl::PreviewSession session(data, rules);
    rl::PreviewResult first = session.preview(draft);
    const double cold_ms = ms_since(t0), cold_cpu = cpu_ms() - cold_c0;
    rl::PreviewResult r;
    const double warm_ms = median_ms(5, [&] { r = session.preview(draft); });
    const double warm_cpu = last_cpu_median;
    rl::PreviewResult small;
    const double list_ms = median_ms(5, [&] { small = session.preview(some); });
    const double list_cpu = last_cpu_median;
    std::printf("groups %lld, members %zu, customers %lld (built in memory in %.0f ms; group columns %.1f MB)\n",
                (long long)groups, data.groups.member_customer.size(), (long long)customers, build_ms,
                data.groups.memory_bytes() / 1e6);
    std::printf("  group send cold %8.1f ms   (cpu %.1f ms) baseline of 2 scheduled group sends + the draft to every group\n",
                cold_ms, cold_cpu);
    std::printf(
        "  group send warm %8.1f ms   (cpu %.1f ms) every group: audience %lld, reached %lld, members reached %lld, more than "
        "once %lld\n",
        warm_ms, warm_cpu, (long long)r.audience, (long long)r.reached, (long long)r.members_reached, (long long)r.members_multi);
    std::printf("  group send warm %8.1f ms   (cpu %.1f ms) one owner, chat_list of 1000: audience %lld, reached %lld\n", list_ms,
                list_cpu, (long long)small.audience, (long long)small.reached);
    std::printf("  peak memory     %8.1f MB\n", proc_status_mb("VmHWM:"));
    std::fflush(stdout);
    return first.audience == r.audience ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    fs::path root = "build/bench-data";
    std::vector<int64_t> sizes = {10000, 100000, 1000000};
    std::vector<std::pair<int64_t, int64_t>> group_sizes = {{100000, 1000000}};  // (groups, customers)
    Format format = Format::Both;
    Profile profile;
    int64_t one = 0, groups = 0;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--quick") {
            sizes = {10000, 100000};
            group_sizes = {{10000, 100000}};
        } else if (a == "--customers" && i + 1 < argc) one = std::atoll(argv[++i]);
        else if (a == "--groups" && i + 1 < argc) groups = std::atoll(argv[++i]);
        else if (a == "--data" && i + 1 < argc) root = argv[++i];
        else if (a == "--profile" && i + 1 < argc) profile.what = argv[++i];
        else if (a == "--runs" && i + 1 < argc) profile.runs = std::max(2, std::atoi(argv[++i]));
        else if (a == "--format" && i + 1 < argc) {
            std::string f = argv[++i];
            format = f == "snapshot" ? Format::Snapshot : f == "json" ? Format::Json : Format::Both;
        } else {
            std::fprintf(stderr,
                         "usage: bench [--quick] [--customers N] [--groups G] [--data DIR] [--format json|snapshot] "
                         "[--profile moment|mass|cold|explore] [--runs R]\n");
            return 2;
        }
    }
    if (groups > 0 && one > 0) return bench_groups(groups, one);
    if (!profile.what.empty() && profile.what != "moment" && profile.what != "mass" && profile.what != "cold" &&
        profile.what != "explore") {
        std::fprintf(stderr, "bench: --profile takes moment, mass, cold or explore\n");
        return 2;
    }
    if (one > 0) return bench_one(one, root, format, argv[0], profile);
    std::printf("ReachLens bench (one core, native, -O2); tenants in %s\n", root.c_str());
    std::fflush(stdout);  // before the child processes write to the same stream
    for (int64_t n : sizes) {
        // A process per size, so peak memory is that size's own.
        std::string cmd = "\"" + std::string(argv[0]) + "\" --data \"" + root.string() + "\" --customers " + std::to_string(n);
        if (std::system(cmd.c_str()) != 0) return 1;
    }
    for (auto [g, n] : group_sizes) {
        std::string cmd = "\"" + std::string(argv[0]) + "\" --groups " + std::to_string(g) + " --customers " + std::to_string(n);
        if (std::system(cmd.c_str()) != 0) return 1;
    }
    return 0;
}
