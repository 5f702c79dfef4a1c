// What the page's dataset worker (src/worker, web/dataset-worker.js) relies on: a JSON
// dataset read with progress reports is the same tenant as one read without (the same
// snapshot bytes), and a refusal survives the trip to the page as JSON with its file,
// JSON pointer, code and parameters, so the UI words it as if the page had parsed it.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <unistd.h>

#include "core/read/snapshot.h"
#include "helpers.h"
#include "tools/generator.h"

namespace fs = std::filesystem;

namespace {

const std::string& generated_json() {
    static const std::string text = [] {
        const fs::path dir = fs::temp_directory_path() / ("reachlens-worker-test-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(std::random_device{}()));
        rl::GenerateOptions o;
        o.customers = 1500;
        o.seed = 5;
        o.out_dir = dir.string();
        rl::generate_tenant(o);
        std::string t = th::read_text((dir / "dataset.json").string());
        std::error_code ec;
        fs::remove_all(dir, ec);
        return t;
    }();
    return text;
}

}  // namespace

TEST_CASE("a dataset read with progress reports is the same tenant, reported in growing offsets", "[worker]") {
    const std::string& text = generated_json();
    std::vector<std::pair<size_t, size_t>> reports;
    const rl::Dataset with = rl::load_dataset(
        text, "dataset.json", [&](size_t read, size_t total) { reports.emplace_back(read, total); }, 64 * 1024);
    const rl::Dataset without = rl::load_dataset(text, "dataset.json");
    CHECK(rl::snapshot_bytes(with) == rl::snapshot_bytes(without));
    // About one report per 64 KB read (the text is several MB), in order, within the text.
    REQUIRE(reports.size() >= text.size() / (64 * 1024) / 2);
    for (size_t i = 0; i < reports.size(); ++i) {
        CHECK(reports[i].second == text.size());
        CHECK(reports[i].first <= text.size());
        if (i > 0) CHECK(reports[i].first >= reports[i - 1].first + 64 * 1024);
    }
}

TEST_CASE("a refused dataset's error as JSON and back keeps its place, code and parameters", "[worker]") {
    nlohmann::json doc = nlohmann::json::parse(generated_json());
    doc["customers"][3]["follow_user"][0]["tag_id"] = "t1";  // not an array
    const auto refused = th::input_error([&] { rl::load_dataset(doc.dump(), "租户 💄.json"); });
    REQUIRE(refused);
    REQUIRE(!refused->code().empty());
    REQUIRE(!refused->params().empty());

    // Through text, as postMessage carries it.
    const rl::InputError back = rl::input_error_from_json(nlohmann::json::parse(rl::input_error_json(*refused).dump()));
    CHECK(back.file() == "租户 💄.json");
    CHECK(back.pointer() == "/customers/3/follow_user/0/tag_id");
    CHECK(back.pointer() == refused->pointer());
    CHECK(back.problem() == refused->problem());
    CHECK(std::string(back.what()) == refused->what());
    CHECK(back.code() == refused->code());
    REQUIRE(back.params().size() == refused->params().size());
    for (size_t i = 0; i < back.params().size(); ++i) {
        CHECK(back.params()[i].name == refused->params()[i].name);
        CHECK(back.params()[i].value == refused->params()[i].value);
        CHECK(back.params()[i].format == refused->params()[i].format);
    }
}

TEST_CASE("every parameter format survives the trip; a malformed error is refused", "[worker]") {
    const rl::InputError e("d.json", "/a/0", "too long", "input.too_long",
                           {rl::param_text("id", "k1"), rl::param_term("unit", "chars"), rl::param_number("limit", 5),
                            rl::param_bytes("size", 2048), rl::param_time("at", 1700000000)});
    const rl::InputError back = rl::input_error_from_json(rl::input_error_json(e));
    REQUIRE(back.params().size() == 5);
    for (size_t i = 0; i < 5; ++i) CHECK(back.params()[i].format == e.params()[i].format);

    nlohmann::json bad = rl::input_error_json(e);
    bad["params"][1]["format"] = "colour";
    CHECK_THROWS_AS(rl::input_error_from_json(bad), std::invalid_argument);
    bad = rl::input_error_json(e);
    bad.erase("pointer");
    CHECK_THROWS_AS(rl::input_error_from_json(bad), std::invalid_argument);
    CHECK_THROWS_AS(rl::input_error_from_json(nlohmann::json::array()), std::invalid_argument);
}
