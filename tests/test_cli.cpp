// The native CLI (src/cli/main.cpp): invalid input gives exit status 2, one stderr line
// `error: <file>: <JSON pointer>: <what>` and nothing on stdout; a valid preview prints
// the summary. The binary is $REACHLENS_CLI, else `reachlens` next to this test binary
// (the build makes both). The CLI is native only: under node (wasm) this file is empty.
#ifndef __EMSCRIPTEN__
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.h"

namespace fs = std::filesystem;
using th::json;

namespace {

fs::path find_cli() {
    if (const char* env = std::getenv("REACHLENS_CLI"); env && *env) return env;
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    fs::path candidate = self.parent_path() / "reachlens";
    return fs::exists(candidate) ? candidate : fs::path{};
}

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("reachlens-cli-test-" + std::to_string(::getpid()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Result {
    int status = -1;
    std::string out, err;
};

Result run_cli(const fs::path& cli, const std::string& args, const TempDir& dir) {
    const fs::path out = dir.path / "stdout.txt", err = dir.path / "stderr.txt";
    const std::string command = "'" + cli.string() + "' " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
    int raw = std::system(command.c_str());
    Result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = read(out);
    r.err = read(err);
    return r;
}

json small_dataset() {
    const th::Time t = th::local_time(2024, 3, 5, 10, 0, 0);
    json d = th::tenant(t);
    d["employees"] = json::array({th::employee("a")});
    d["customers"] = {th::customer("k1", {th::relation("a", 1)}), th::customer("k2", {th::relation("a", 2)})};
    return d;
}

}  // namespace

TEST_CASE("CLI: invalid input exits 2 with exactly one 'error: <file>: <pointer>: ' line and no stdout", "[cli]") {
    const fs::path cli = find_cli();
    INFO("reachlens CLI binary next to the tests, or $REACHLENS_CLI");
    REQUIRE_FALSE(cli.empty());
    TempDir dir;
    const fs::path dataset = dir.path / "dataset.json", campaign = dir.path / "campaign.json";
    write(campaign, th::campaign("c", "mass_send", "enterprise").dump());

    SECTION("wrong type in the dataset") {
        json d = small_dataset();
        d["customers"][1]["gender"] = 7777;
        std::string text = d.dump();
        text.replace(text.find("7777"), 4, "1.0");
        write(dataset, text);
        Result r = run_cli(cli, "preview --dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "'", dir);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        const std::string prefix = "error: " + dataset.string() + ": /customers/1/gender: ";
        CHECK(r.err.rfind(prefix, 0) == 0);
        CHECK(r.err.size() > prefix.size() + 1);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.err.back() == '\n');
    }
    SECTION("duplicate external_userid") {
        json d = small_dataset();
        d["customers"][1]["external_userid"] = "k1";
        write(dataset, d.dump());
        Result r = run_cli(cli, "preview --dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "'", dir);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("error: " + dataset.string() + ": /customers/1", 0) == 0);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    SECTION("an invalid campaign is named by its own file") {
        write(dataset, small_dataset().dump());
        json c = th::campaign("c", "mass_send", "enterprise");
        c["audience"] = {{"filter", json::object()}};
        write(campaign, c.dump());
        Result r = run_cli(cli, "payload --dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "'", dir);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("error: " + campaign.string() + ": /audience/filter: ", 0) == 0);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}

TEST_CASE("CLI: a golden example previews to its expected summary and verdict file", "[cli][golden]") {
    const fs::path cli = find_cli();
    INFO("reachlens CLI binary next to the tests, or $REACHLENS_CLI");
    REQUIRE_FALSE(cli.empty());
    TempDir dir;
    const fs::path root = REACHLENS_EXAMPLES_DIR;
    fs::path example;
    for (const auto& e : fs::directory_iterator(root))
        if (e.is_directory() && e.path().filename().string().rfind("case-", 0) == 0 && (example.empty() || e.path() < example))
            example = e.path();
    REQUIRE(!example.empty());
    INFO(example.string());
    std::string args = "preview --dataset '" + (example / "dataset.json").string() + "' --campaign '" +
                       (example / "campaign.json").string() + "'";
    if (fs::exists(example / "rules.json")) args += " --rules '" + (example / "rules.json").string() + "'";
    args += " --verdicts '" + (dir.path / "verdicts.csv").string() + "'";
    Result r = run_cli(cli, args, dir);
    REQUIRE(r.status == 0);
    json got = json::parse(r.out);
    json expected = json::parse(read(example / "expected-summary.json"));
    for (json* s : {&got, &expected}) {
        s->erase("warnings");
        std::vector<std::string> codes;
        for (auto& e : (*s)["errors"]) codes.push_back(e["code"].get<std::string>());
        std::sort(codes.begin(), codes.end());
        (*s)["errors"] = codes;
    }
    CHECK(got == expected);
    CHECK(read(dir.path / "verdicts.csv") == read(example / "expected-verdicts.csv"));
}

TEST_CASE("CLI: preview --payload writes the request bodies the payload command prints", "[cli]") {
    const fs::path cli = find_cli();
    INFO("reachlens CLI binary next to the tests, or $REACHLENS_CLI");
    REQUIRE_FALSE(cli.empty());
    TempDir dir;
    const fs::path dataset = dir.path / "dataset.json", campaign = dir.path / "campaign.json";
    write(dataset, small_dataset().dump());
    json c = th::campaign("c", "mass_send", "enterprise");
    c["content"] = {{"text", "hello"}};
    write(campaign, c.dump());
    const std::string inputs = "--dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "'";
    Result preview = run_cli(cli, "preview " + inputs + " --payload '" + (dir.path / "requests.json").string() + "'", dir);
    REQUIRE(preview.status == 0);
    const std::string written = read(dir.path / "requests.json");
    Result payload = run_cli(cli, "payload " + inputs, dir);
    REQUIRE(payload.status == 0);
    CHECK(written == payload.out);
    json requests = json::parse(written);
    REQUIRE(requests.size() == 1);
    CHECK(requests[0]["api"] == "externalcontact/add_msg_template");
    CHECK(requests[0]["body"]["external_userid"] == json::array({"k1", "k2"}));
}

#endif  // __EMSCRIPTEN__

#ifndef __EMSCRIPTEN__
TEST_CASE("CLI: reconcile and explore print their formats; bad results exit 2 naming the response and row",
          "[cli][reconcile][explore]") {
    const fs::path cli = find_cli();
    REQUIRE_FALSE(cli.empty());
    TempDir dir;
    const fs::path dataset = dir.path / "dataset.json", campaign = dir.path / "campaign.json",
                   results = dir.path / "results.json";
    write(dataset, small_dataset().dump());
    write(campaign, th::campaign("c", "mass_send", "enterprise").dump());
    json rows = json::array();
    rows.push_back({{"external_userid", "k1"}, {"userid", "a"}, {"status", 1}});
    rows.push_back({{"external_userid", "k2"}, {"userid", "a"}, {"status", 3}});
    json doc = {{"format", "reachlens.results/1"},
                {"campaign_id", "c"},
                {"responses", json::array({{{"api", "externalcontact/get_groupmsg_send_result"},
                                            {"request", {{"msgid", "m"}, {"userid", "a"}}},
                                            {"body", {{"errcode", 0}, {"detail_list", rows}}}}})}};
    const std::string args =
        "--dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "' --results '" + results.string() + "'";
    SECTION("reconcile") {
        write(results, doc.dump());
        Result r = run_cli(cli, "reconcile " + args, dir);
        REQUIRE(r.status == 0);
        json out = json::parse(r.out);
        CHECK(out["format"] == "reachlens.reconcile/1");
        CHECK(out["matrix"]["reached"]["delivered"] == 1);
        CHECK(out["matrix"]["reached"]["failed_quota"] == 1);
        CHECK(out["accuracy"] == 0.5);
        CHECK(out["rules_fit"][0]["setting"] == "given");
    }
    SECTION("a WeCom error body and a malformed row") {
        doc["responses"][0]["body"]["errcode"] = 40003;
        write(results, doc.dump());
        Result r = run_cli(cli, "reconcile " + args, dir);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("error: " + results.string() + ": /responses/0: ", 0) == 0);
        doc["responses"][0]["body"]["errcode"] = 0;
        doc["responses"][0]["body"]["detail_list"][1]["status"] = "sent";
        write(results, doc.dump());
        r = run_cli(cli, "reconcile " + args, dir);
        CHECK(r.status == 2);
        CHECK(r.err.rfind("error: " + results.string() + ": /responses/0/body/detail_list/1/status: ", 0) == 0);
    }
    SECTION("explore: every day equals the preview with that send time") {
        Result r = run_cli(
            cli, "explore --dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "' --days 3 --time 21:30",
            dir);
        REQUIRE(r.status == 0);
        json out = json::parse(r.out);
        CHECK(out["format"] == "reachlens.explore/1");
        CHECK(out["time_of_day"] == "21:30");
        REQUIRE(out["days"].size() == 3);
        for (const json& day : out["days"]) {
            json c = th::campaign("c", "mass_send", "enterprise", day["send_time"].get<th::Time>());
            write(campaign, c.dump());
            Result p = run_cli(cli, "preview --dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "'", dir);
            REQUIRE(p.status == 0);
            json summary = json::parse(p.out);
            CHECK(day["reached"] == summary["reached"]);
            CHECK(day["audience"] == summary["audience"]);
            CHECK(day["blocked"] == summary["blocked"]);
        }
        Result bad =
            run_cli(cli, "explore --dataset '" + dataset.string() + "' --campaign '" + campaign.string() + "' --time 25:00", dir);
        CHECK(bad.status == 2);
        CHECK(bad.err.find("--time") != std::string::npos);
    }
}
#endif
