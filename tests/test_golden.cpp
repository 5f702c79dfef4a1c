// Golden examples of the contract (tests/spec_examples): every case-* folder must give
// its expected summary and verdict CSV; every invalid-* folder must be refused.
// The folders are listed at run time, so new cases are picked up without a code change.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.h"

namespace fs = std::filesystem;
using th::json;
using th::ojson;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<fs::path> example_dirs(const std::string& prefix) {
    std::vector<fs::path> out;
    const fs::path root = REACHLENS_EXAMPLES_DIR;
    REQUIRE(fs::is_directory(root));
    for (const auto& entry : fs::directory_iterator(root))
        if (entry.is_directory() && entry.path().filename().string().rfind(prefix, 0) == 0) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

rl::Rules rules_for(const fs::path& dir) {
    if (fs::exists(dir / "rules.json")) return rl::load_rules(read_text(dir / "rules.json"), (dir / "rules.json").string());
    return rl::preset_rules("wecom-2020");
}

// The summary as compared: `warnings` dropped (their wording and presence are free) and
// `errors` reduced to the sorted list of codes (messages are free; the contract fixes no order).
json comparable(const ojson& summary) {
    json s = json::parse(summary.dump());
    s.erase("warnings");
    std::vector<std::string> codes;
    for (const auto& e : s["errors"]) codes.push_back(e["code"].get<std::string>());
    std::sort(codes.begin(), codes.end());
    s["errors"] = codes;
    return s;
}

}  // namespace

TEST_CASE("golden examples: each case-* folder gives exactly its expected summary and verdict CSV", "[golden]") {
    const auto dirs = example_dirs("case-");
    REQUIRE(!dirs.empty());
    for (const fs::path& dir : dirs) {
        DYNAMIC_SECTION(dir.filename().string()) {
            rl::Dataset data = rl::load_dataset(read_text(dir / "dataset.json"), (dir / "dataset.json").string());
            rl::Campaign draft = rl::load_campaign(read_text(dir / "campaign.json"), (dir / "campaign.json").string());
            rl::Rules rules = rules_for(dir);
            rl::PreviewResult result = rl::run_preview(data, draft, rules);

            const ojson summary = rl::summary_json(data, result);
            const json actual = comparable(summary);
            const json expected = comparable(ojson::parse(read_text(dir / "expected-summary.json")));
            INFO("actual summary:\n" << actual.dump(2));
            INFO("expected summary:\n" << expected.dump(2));
            // Field by field first, so a failure names what differs.
            for (auto it = expected.begin(); it != expected.end(); ++it) {
                INFO("field " << it.key());
                CHECK(actual.contains(it.key()));
                if (actual.contains(it.key())) CHECK(actual[it.key()].dump() == it.value().dump());
            }
            CHECK(actual == expected);
            // warnings are free in wording, but must be {code, message} objects.
            REQUIRE(summary["warnings"].is_array());
            for (const auto& w : summary["warnings"]) {
                CHECK(w.contains("code"));
                CHECK(w.contains("message"));
            }
            th::check_summary_invariants(summary);

            const std::string csv = rl::verdicts_csv(data, result);
            const std::string expected_csv = read_text(dir / "expected-verdicts.csv");
            CHECK(csv == expected_csv);
        }
    }
}

TEST_CASE("golden examples: each invalid-* folder is refused with an InputError", "[golden][invalid]") {
    const auto dirs = example_dirs("invalid-");
    REQUIRE(!dirs.empty());
    for (const fs::path& dir : dirs) {
        DYNAMIC_SECTION(dir.filename().string()) {
            std::string defect = fs::exists(dir / "expected-error.txt") ? read_text(dir / "expected-error.txt") : "";
            INFO("expected defect: " << defect);
            auto error = th::input_error([&] {
                // Every input the folder has is loaded; the defect is in one of them.
                if (fs::exists(dir / "rules.json")) rl::load_rules(read_text(dir / "rules.json"), "rules.json");
                if (fs::exists(dir / "campaign.json")) rl::load_campaign(read_text(dir / "campaign.json"), "campaign.json");
                if (fs::exists(dir / "dataset.json")) rl::load_dataset(read_text(dir / "dataset.json"), "dataset.json");
            });
            REQUIRE(error.has_value());
            CHECK(!error->file().empty());
            CHECK(!error->problem().empty());
        }
    }
}
