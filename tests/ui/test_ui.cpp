// The UI layer's logic, natively (reachlens_ui_tests): what runs without a browser or a
// frame: formatting, texts in both languages, the panel list, and the data panel's load
// path through the application model.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "../helpers.h"
#include "core/draft/draft_fields.h"
#include "core/model/dataset.h"
#include "core/output/report.h"
#include "core/read/input_limits.h"
#include "core/read/snapshot.h"
#include "core/reconcile/reconcile.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/data_panel.h"
#include "ui/drafts.h"
#include "ui/i18n.h"
#include "ui/soft_wrap.h"
#include "ui/widgets.h"

namespace {

const std::string kExample = std::string(REACHLENS_SOURCE_DIR) + "/tests/spec_examples/case-201/";

}  // namespace

TEST_CASE("fmt: a long Chinese message comes back whole, never cut inside a character") {
    std::string message;
    for (int i = 0; i < 300; ++i) message += "触达";  // 1800 bytes of 3-byte characters
    const std::string out = rl::ui::fmt("%s：%d 位客户", message.c_str(), 12345);
    CHECK(out == message + "：12345 位客户");
    CHECK(rl::ui::fmt("%s", "") == "");
}

TEST_CASE("texts: both languages from one pair; engine reason codes through their table") {
    using namespace rl::ui;
    set_language(Lang::Zh);
    CHECK(std::string(tx("受众", "Audience")) == "受众");
    CHECK(std::string(reason_text("not_friend")) == "已删除好友");
    CHECK(std::string(reason_text("quota:moment_employee_day")) == "成员朋友圈每日额度");
    CHECK(std::string(reason_text("quota:brand_cap")) == "平台限额: brand_cap");  // a custom quota id
    set_language(Lang::En);
    CHECK(std::string(tx(text::campaign_none)) == "(no campaign selected)");
    CHECK(std::string(reason_text("not_friend")) == "Deleted the employee");
    CHECK(std::string(reason_text("policy:weekend")) == "Policy: weekend");
    CHECK(std::string(reason_text("some_new_code")) == "some_new_code");  // unknown: shown as is
    set_language(Lang::Zh);
}

TEST_CASE("panels: listed once, tab ids and state names unique, every tab drawable") {
    std::set<std::string> tabs, states;
    int left = 0, right = 0;
    for (const rl::ui::Panel& p : rl::ui::panels()) {
        if (p.tab_id) {
            CHECK(tabs.insert(p.tab_id).second);
            CHECK(p.draw != nullptr);
            CHECK(p.title_zh != nullptr);
            CHECK(p.title_en != nullptr);
            (p.place == rl::ui::PanelPlace::LeftTab ? left : right) += 1;
        }
        if (p.state_name) {
            CHECK(states.insert(p.state_name).second);
            CHECK(p.state_json != nullptr);
        }
    }
    CHECK(left == 4);
    CHECK(right == 8);  // with issue 13's send-time explorer and reconcile tabs
    CHECK(states == std::set<std::string>{"composer", "audience", "data", "drafts", "preview", "customer_view", "calendar",
                                          "media", "submit", "table", "send_time", "reconcile"});
    rl::ui::AppState s;
    CHECK_THROWS_AS(rl::ui::panel_state_json(s, "no_such_panel"), std::invalid_argument);
}

TEST_CASE("data panel: a read that fails keeps the tenant; a good one gets a draft") {
    rl::ui::AppState s;
    const std::string dataset = th::read_text(kExample + "dataset.json");

    rl::ui::data_read_started(s, "tenant.json", static_cast<double>(dataset.size()));
    CHECK(s.data_panel.busy);
    rl::ui::data_read_progress(s, dataset.size() / 2.0, 0);
    CHECK(s.data_panel.progress == Approx(0.5));
    std::string error;
    REQUIRE(rl::ui::data_read_finished(s, dataset.data(), static_cast<double>(dataset.size()), 1.0, &error));
    CHECK_FALSE(s.data_panel.busy);
    CHECK_FALSE(s.loading);
    CHECK(s.data_panel.loads == 1);
    CHECK(s.data_panel.last_loaded == "tenant.json");
    CHECK(s.ws.has_dataset());
    CHECK(s.ws.has_draft());  // a tenant loaded without a draft gets one
    const int64_t customers = s.ws.dataset_summary().customers;
    CHECK(customers > 0);

    const std::string broken = "{\"schema\": ";
    rl::ui::data_read_started(s, "broken.json", static_cast<double>(broken.size()));
    CHECK_FALSE(rl::ui::data_read_finished(s, broken.data(), static_cast<double>(broken.size()), 2.0, &error));
    CHECK(error.find("broken.json") != std::string::npos);  // the message names the file
    CHECK(s.dataset_error == error);
    CHECK(s.data_panel.error_seq == 1);
    CHECK(s.ws.has_dataset());  // the previous tenant stays
    CHECK(s.ws.dataset_summary().customers == customers);

    rl::ui::data_read_failed(s, "");  // cancelled: not an error
    CHECK(s.data_panel.error_seq == 1);
    rl::ui::data_read_failed(s, "network down");
    CHECK(s.dataset_error == "network down");
    CHECK(s.data_panel.error_seq == 2);
}

// ------------------------------------------------------------------ soft wrap of the text box
namespace {
// A stand-in for the font: ASCII 1 wide, everything else 2 (CJK, emoji), modifiers 0.
float test_advance(uint32_t c) {
    if (c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1F3FB && c <= 0x1F3FF)) return 0;
    return c < 0x80 ? 1.0f : 2.0f;
}
}  // namespace

TEST_CASE("soft wrap: lines break at the width, the text comes back byte for byte") {
    using namespace rl::ui::soft_wrap;
    const std::string text =
        "新品上市，限时优惠💄👍🏻 spring sale for members 𠀋 👨‍👩‍👧 end\n第二段";
    for (float width : {3.0f, 5.0f, 8.0f, 13.0f, 40.0f}) {
        const std::string shown = wrap(text, width, test_advance);
        CHECK(unwrap(shown) == text);
        // No visual line wider than the width, unless it is one unbreakable cluster.
        size_t start = 0;
        while (start <= shown.size()) {
            size_t end = shown.find('\n', start);
            if (end == std::string::npos) end = shown.size();
            std::string line = shown.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            CHECK(line.find('\r') == std::string::npos);
            start = end + 1;
        }
    }
    // Never between a skin tone and its emoji, nor inside a ZWJ family, nor before "，".
    const std::string shown = wrap("ab👍🏻cd👨‍👩‍👧ef，gh", 3.0f, test_advance);
    CHECK(shown.find("👍\r\n🏻") == std::string::npos);
    CHECK(shown.find("\u200D\r\n") == std::string::npos);
    CHECK(shown.find("\r\n\u200D") == std::string::npos);
    CHECK(shown.find("\r\n，") == std::string::npos);
    // A Latin word moves whole to the next line when it can.
    CHECK(wrap("aaa bbb", 5.0f, test_advance) == "aaa \r\nbbb");
    // A text with a '\r' of its own is shown as it is.
    CHECK(wrap("a\r\nb c d e f", 2.0f, test_advance) == "a\r\nb c d e f");
}

TEST_CASE("soft wrap: edits of the shown buffer mean edits of the text") {
    using namespace rl::ui::soft_wrap;
    int cursor = -1;
    // Typing at the end of a full line.
    CHECK(edited_text("ab\r\ncd", "ab\r\ncdx", 7, Key::Other, &cursor) == "abcdx");
    CHECK(cursor == 5);
    // Backspace at the start of a visual line removes the character before the break.
    CHECK(edited_text("ab\r\ncd", "ab\rcd", 3, Key::Backspace, &cursor) == "acd");
    CHECK(cursor == 1);
    // Delete at the end of a visual line removes the one after it.
    CHECK(edited_text("ab\r\ncd", "ab\rcd", 3, Key::Delete, &cursor) == "abd");
    CHECK(cursor == 2);
    // Delete between a character and the '\r': the orphaned '\n' stays soft.
    CHECK(edited_text("ab\r\ncd", "ab\ncd", 2, Key::Delete, &cursor) == "abd");
    // Typed between the two halves of a soft break: no newline appears.
    CHECK(edited_text("ab\r\ncd", "ab\rx\ncd", 4, Key::Other, &cursor) == "abxcd");
    // A hard newline typed stays; multi-byte characters are removed whole.
    CHECK(edited_text("新品\r\n上市", "新品\r\n\n上市", 9, Key::Other, &cursor) == "新品\n上市");
    CHECK(edited_text("新品\r\n上市", "新品\r上市", 7, Key::Backspace, &cursor) == "新上市");
    // Undo restoring an older layout: the old soft breaks still carry their '\r'.
    CHECK(edited_text("abc\r\nd", "ab\r\ncd", 0, Key::Other, &cursor) == "abcd");
    CHECK(to_shown("ab\r\ncd", 2) == 4);
    CHECK(to_text("ab\r\ncd", 4) == 2);
}

TEST_CASE("data panel: a snapshot loads a slice at a time; the tenant in use stays until it is whole or cancelled") {
    rl::ui::AppState s;
    const std::string first = th::read_text(kExample + "dataset.json");
    std::string error;
    rl::ui::data_read_started(s, "first.json", static_cast<double>(first.size()));
    REQUIRE(rl::ui::data_read_finished(s, first.data(), static_cast<double>(first.size()), 1.0, &error));
    const rl::Dataset* in_use = s.ws.dataset();
    const std::string source = s.ws.dataset_summary().source;

    const std::string snap = rl::snapshot_bytes(*in_use);
    // Cancelled after a few steps: nothing of the new load is used.
    rl::ui::data_read_started(s, "second.rlsnap", static_cast<double>(snap.size()));
    rl::ui::data_read_start(s, snap.data(), static_cast<double>(snap.size()));
    for (int i = 0; i < 3; ++i) REQUIRE(rl::ui::data_read_step(s, 0, 2.0, &error) == rl::ui::kDataLoading);
    CHECK(s.data_panel.busy);
    CHECK(s.data_panel.parse_progress > 0);
    CHECK(s.ws.dataset() == in_use);
    rl::ui::data_read_cancel(s);
    CHECK_FALSE(s.data_panel.busy);
    CHECK(s.dataset_error.empty());  // cancelled: not an error
    CHECK(s.ws.dataset() == in_use);
    CHECK(s.ws.dataset_summary().source == source);

    // Run to the end, a step per "frame": the old tenant until the last step, then the new.
    rl::ui::data_read_started(s, "second.rlsnap", static_cast<double>(snap.size()));
    rl::ui::data_read_start(s, snap.data(), static_cast<double>(snap.size()));
    int steps = 0;
    rl::ui::DataStep step;
    while ((step = rl::ui::data_read_step(s, 0, 3.0, &error)) == rl::ui::kDataLoading) {
        CHECK(s.ws.dataset() == in_use);
        ++steps;
    }
    REQUIRE(step == rl::ui::kDataLoaded);
    CHECK(steps > 3);
    CHECK(s.ws.dataset() != in_use);
    CHECK(s.ws.dataset_summary().source == "second.rlsnap");
    CHECK(s.data_panel.loads == 2);
    CHECK(rl::snapshot_bytes(*s.ws.dataset()) == snap);

    // A damaged one fails at its step with the section named; the tenant stays.
    std::string bad = snap;
    bad[bad.size() / 2] ^= 0x20;
    const rl::Dataset* current = s.ws.dataset();
    rl::ui::data_read_started(s, "bad.rlsnap", static_cast<double>(bad.size()));
    rl::ui::data_read_start(s, bad.data(), static_cast<double>(bad.size()));
    while ((step = rl::ui::data_read_step(s, 0, 4.0, &error)) == rl::ui::kDataLoading) {}
    CHECK(step == rl::ui::kDataFailed);
    CHECK(error.find("bad.rlsnap") != std::string::npos);
    CHECK(s.dataset_error == error);
    CHECK(s.ws.dataset() == current);
}

TEST_CASE("data panel: a JSON file through the dataset worker is one forward bar; a quiet load makes no draft and no toast") {
    rl::ui::AppState s;  // a page started without a tenant (and so without a draft)
    const std::string json = th::read_text(kExample + "dataset.json");
    std::string error;
    const std::string snap = rl::snapshot_bytes(rl::load_dataset(json, "tenant.json"));

    // The worker parses (its share of the bar), then the page streams the snapshot it made.
    rl::ui::data_read_started(s, "tenant.json", static_cast<double>(json.size()), /*quiet=*/true, /*draft_if_none=*/false);
    rl::ui::data_read_parsing(s);
    std::vector<double> bar;
    for (double f : {0.0, 0.3, 1.0}) {
        rl::ui::data_read_parse_progress(s, f);
        bar.push_back(s.data_panel.parse_progress);
    }
    rl::ui::data_stream_start(s);
    bar.push_back(s.data_panel.parse_progress);
    rl::ui::DataStep step = rl::ui::kDataNeedsBytes;
    for (size_t at = 0; at < snap.size() && step == rl::ui::kDataNeedsBytes; at += 64) {
        REQUIRE(rl::ui::data_stream_feed(s, snap.data() + at, static_cast<double>(std::min<size_t>(64, snap.size() - at)),
                                         &error) == rl::ui::kDataNeedsBytes);
        while ((step = rl::ui::data_read_step(s, 0, 2.0, &error)) == rl::ui::kDataLoading)
            bar.push_back(s.data_panel.parse_progress);
        if (step == rl::ui::kDataNeedsBytes) bar.push_back(s.data_panel.parse_progress);
    }
    if (step == rl::ui::kDataNeedsBytes) {
        REQUIRE(rl::ui::data_stream_end(s, &error) == rl::ui::kDataNeedsBytes);
        while ((step = rl::ui::data_read_step(s, 0, 2.0, &error)) == rl::ui::kDataLoading)
            bar.push_back(s.data_panel.parse_progress);
    }
    REQUIRE(step == rl::ui::kDataLoaded);
    CHECK(std::is_sorted(bar.begin(), bar.end()));
    CHECK(bar.front() == 0);
    CHECK(bar.back() > bar[2]);
    CHECK(s.ws.dataset_summary().source == "tenant.json");
    // Start-up's tenant: no success toast, and no draft made (the saved or first demo draft follows).
    CHECK(s.data_panel.loaded_at < 0);
    CHECK_FALSE(s.ws.has_draft());

    // The host's dataset into a page without a draft: no toast either, but a draft to show.
    {
        rl::ui::AppState host;
        rl::ui::data_read_started(host, "host.json", static_cast<double>(json.size()), /*quiet=*/true,
                                  /*draft_if_none=*/true);
        REQUIRE(rl::ui::data_read_finished(host, json.data(), static_cast<double>(json.size()), 4.0, &error));
        CHECK(host.data_panel.loaded_at < 0);
        CHECK(host.ws.has_draft());
    }

    // The marketer's own load of the same gives the page a draft and a toast.
    rl::ui::data_read_started(s, "again.json", static_cast<double>(json.size()));
    REQUIRE(rl::ui::data_read_finished(s, json.data(), static_cast<double>(json.size()), 5.0, &error));
    CHECK(s.data_panel.loaded_at == 5.0);
    CHECK(s.ws.has_draft());
}

TEST_CASE("catalogue: the page's and the server's errors by code, kinds with origins, in both languages") {
    using namespace rl::ui;
    using rl::Kind, rl::Origin;
    set_language(Lang::Zh);
    // The submit bridge's messages (web/submit.js) and a server's refusal, by code.
    CHECK(host_message_text("cannot reach http://127.0.0.1:8110/api/campaigns: Failed to fetch") ==
          "无法连接服务器 http://127.0.0.1:8110/api/campaigns");
    CHECK(host_message_text("HTTP 422 media_missing: attachment 2 (image \"a.png\") was not uploaded") ==
          "服务器拒绝了请求（HTTP 422）");  // no attachment index in a one-line message: the generic words
    CHECK(server_error_text(422, "media_missing", "attachment 2 ...", 1) ==
          "第 2 个附件的文件不在服务器上：请等待上传完成或重试上传");
    CHECK(server_error_text(418, "teapot", "I'm a teapot") == "服务器拒绝了请求（HTTP 418）");
    CHECK(host_message_text("browser storage refused the outbox: QuotaExceededError") ==
          "浏览器拒绝保存发件箱（存储空间已满或被禁用）");
    CHECK(kind_origin_text(Kind::MassSend, Origin::Enterprise) == "企业群发");
    CHECK(kind_origin_text(Kind::MassSend, Origin::Employee) == "成员群发");
    CHECK(kind_origin_text(Kind::Moment, Origin::Enterprise) == "企业朋友圈");
    CHECK(kind_origin_text(Kind::Moment, Origin::Employee) == "成员朋友圈");

    // web/data.js's report: worded by its code, the English kept for logs.
    AppState s;
    data_read_failed(s, R"({"code":"http","source":"https://x/t.json","message":"https://x/t.json: HTTP 404","status":404})");
    CHECK(s.dataset_error == "https://x/t.json: HTTP 404");
    CHECK(dataset_error_text(s) == "https://x/t.json：服务器返回 HTTP 404，没有数据");
    // A refused dataset of the engine's own (a duplicate userid) has a code too.
    std::string error;
    const std::string dataset = th::read_text(kExample + "dataset.json");
    auto doc = nlohmann::json::parse(dataset);
    doc["employees"].push_back(doc["employees"][0]);
    CHECK_FALSE(load_dataset(s, doc.dump(), "dup.json", &error));
    CHECK(error.find("duplicate userid") != std::string::npos);
    const std::string worded = dataset_error_text(s);
    CHECK(worded.find("成员") != std::string::npos);
    CHECK(worded.find("重复") != std::string::npos);
    CHECK(worded.find("duplicate") == std::string::npos);

    set_language(Lang::En);
    CHECK(kind_origin_text(Kind::MassSend, Origin::Employee) == "Employee mass send");
    CHECK(server_error_text(422, "media_missing", "", 0) ==
          "Attachment 1's file is not on the server: wait for its upload or retry it");
    set_language(Lang::Zh);
}

namespace {

// `text` reads as Chinese: it has hanzi, and once `place` (a JSON pointer the marketer can
// follow) is taken out, no two Latin words in a row (an English sentence) and no code.
void check_chinese(std::string text, const std::string& place = {}) {
    INFO(text);
    if (!place.empty())
        for (size_t at; (at = text.find(place)) != std::string::npos;) text.replace(at, place.size(), " ");
    CHECK(std::any_of(text.begin(), text.end(), [](char ch) {
        const auto b = static_cast<unsigned char>(ch);
        return b >= 0xE4 && b <= 0xE9;  // the lead byte of a CJK ideograph
    }));
    static const std::regex english("[A-Za-z]{2,}[ ,;]+[A-Za-z]{2,}");
    static const std::regex raw_code(R"(\b[a-z]+(_[a-z]+)+\b|\b(input|snapshot|merge|draft|results|content|campaign)\.[a-z_]+)");
    CHECK_FALSE(std::regex_search(text, english));
    CHECK_FALSE(std::regex_search(text, raw_code));
}

// The engine's refusal `f` throws: a code the catalogue words, in Chinese in the zh UI.
template <class F>
rl::InputError refusal(F&& f) {
    try {
        f();
    } catch (const rl::InputError& e) { return e; }
    FAIL("no refusal");
    throw;
}

void check_refusal(const rl::InputError& e, const std::string& code) {
    using namespace rl::ui;
    INFO(e.what());
    CHECK(e.code() == code);
    CHECK(has_message(e.code()));
    set_language(Lang::Zh);
    check_chinese(input_error_text(e), e.pointer());
    set_language(Lang::En);
    CHECK(input_error_text(e).find(e.file()) != std::string::npos);
    set_language(Lang::Zh);
}

}  // namespace

TEST_CASE("catalogue: every engine refusal has a code and reads as Chinese (snapshot, merge, limits, loaders, results)") {
    using json = nlohmann::json;
    const json tenant_doc = json::parse(th::read_text(kExample + "dataset.json"));
    const rl::Dataset data = rl::load_dataset(tenant_doc.dump(), "租户.json");

    SECTION("a snapshot truncated, padded, of another version, damaged or not a snapshot") {
        const std::string snap = rl::snapshot_bytes(data);
        auto read = [](const std::string& bytes) { return refusal([&] { rl::read_snapshot(bytes, "租户.rlsnap"); }); };
        check_refusal(read(snap.substr(0, 20)), "snapshot.truncated");
        check_refusal(read(snap + std::string(64, '\0')), "snapshot.truncated");
        check_refusal(read(std::string(snap.size(), 'x')), "snapshot.not_snapshot");
        std::string other = snap;
        other[8] = 9;  // the version
        const rl::InputError version = read(other);
        check_refusal(version, "snapshot.version");
        rl::ui::set_language(rl::ui::Lang::Zh);
        CHECK(rl::ui::input_error_text(version).find("版本 9") != std::string::npos);
        std::string flipped = snap;
        flipped[snap.size() / 2] = static_cast<char>(flipped[snap.size() / 2] ^ 0x5a);
        check_refusal(read(flipped), "snapshot.damaged");
    }
    SECTION("shards that do not merge (the CLI's merge)") {
        auto part = [](int index, int count) {
            return nlohmann::ordered_json{{"format", "reachlens.preview/1"},
                                          {"shard", {{"index", index}, {"count", count}}},
                                          {"audience", 1},
                                          {"reached", 1},
                                          {"deliveries", 1},
                                          {"blocked", nlohmann::ordered_json::object()},
                                          {"senders", nlohmann::ordered_json::array()},
                                          {"impact", nlohmann::ordered_json::array()}};
        };
        auto merge = [](std::vector<std::pair<std::string, nlohmann::ordered_json>> parts) {
            return refusal([&] { rl::merge_summaries(parts); });
        };
        check_refusal(merge({}), "merge.no_parts");
        check_refusal(merge({{"a.json", {{"format", "x"}}}}), "merge.not_partial");
        check_refusal(merge({{"a.json", part(0, 2)}}), "merge.shard_missing");
        check_refusal(merge({{"a.json", part(0, 2)}, {"b.json", part(0, 2)}}), "merge.shard_twice");
        check_refusal(merge({{"a.json", part(0, 2)}, {"b.json", part(1, 3)}}), "merge.other_run");
        auto other = part(1, 2);
        other["campaign_id"] = "another";
        check_refusal(merge({{"a.json", part(0, 2)}, {"b.json", other}}), "merge.differs");
        other = part(1, 2);
        other["senders"].push_back({{"userid", "u9"}});
        check_refusal(merge({{"a.json", part(0, 2)}, {"b.json", other}}), "merge.other_senders");
        other = part(1, 2);
        other["impact"].push_back({{"campaign_id", "s9"}});
        check_refusal(merge({{"a.json", part(0, 2)}, {"b.json", other}}), "merge.other_scheduled");
    }
    SECTION("a draft past the input limits") {
        const json base = json::parse(th::read_text(kExample + "campaign.json"));
        auto load = [](const json& doc) { return refusal([&] { rl::load_campaign(doc.dump(), "草稿.json"); }); };
        json c = base;
        c["send_time"] = int64_t(400000000000);
        check_refusal(load(c), "input.time_out_of_range");
        c = base;
        c["content"]["text"] = std::string(70 * 1024, 'a');
        check_refusal(load(c), "input.string_too_long");
        c = base;
        c["content"]["attachments"] = json::array({{{"msgtype", "image"}, {"image", {{"name", "a.jpg"}, {"bytes", -5}}}}});
        check_refusal(load(c), "input.negative");
        c["content"]["attachments"] = json::array({{{"msgtype", "gif"}}});
        check_refusal(load(c), "input.unknown_msgtype");
        c["content"]["attachments"] = json::array();
        for (int i = 0; i < 51; ++i)
            c["content"]["attachments"].push_back(
                {{"msgtype", "image"}, {"image", {{"name", "a.jpg"}, {"bytes", 10}, {"width", 1}, {"height", 1}}}});
        check_refusal(load(c), "input.too_many_attachments");
        c = base;
        c["senders"]["user_list"] = json::array();
        for (int i = 0; i < 10001; ++i) c["senders"]["user_list"].push_back("u" + std::to_string(i));
        check_refusal(load(c), "input.list_too_long");
        c = base;
        c["audience"] = {{"filter", {{"all", json::array()}, {"any", json::array()}}}};
        c.erase("tag_list");
        check_refusal(load(c), "input.expression_two_operators");
        rl::Campaign heavy = rl::load_campaign(base.dump(), "草稿.json");
        heavy.expression_nodes = 60000;
        check_refusal(refusal([&] { rl::check_timeline_work(data, heavy, "草稿.json"); }), "input.draft_work_limit");
    }
    SECTION("a dataset's enterprise, customers and a rules profile out of their sets") {
        auto load = [](const json& doc) { return refusal([&] { rl::load_dataset(doc.dump(), "租户.json"); }); };
        json d = tenant_doc;
        d["enterprise"]["industry"] = "mining";
        check_refusal(load(d), "input.unknown_industry");
        d = tenant_doc;
        d["enterprise"]["tz_offset_minutes"] = 5000;
        check_refusal(load(d), "input.tz_out_of_range");
        d = tenant_doc;
        d["customers"].push_back(d["customers"][0]);
        check_refusal(load(d), "input.duplicate_id");
        d = tenant_doc;
        d["customers"][0]["gender"] = 7;
        check_refusal(load(d), "input.not_allowed");
        json rules = json::parse(th::read_text(kExample + "rules.json"));
        rules["quotas"][0]["count"] = "weekly";
        check_refusal(refusal([&] { rl::load_rules(rules.dump(), "规则.json"); }), "input.quota_count");
    }
    SECTION("a results file that does not fit the campaign") {
        const rl::Campaign campaign = rl::load_campaign(th::read_text(kExample + "campaign.json"), "草稿.json");
        auto results = [&](const json& doc) {
            return refusal([&] {
                rl::Results r = rl::load_results(doc.dump(), "结果.json", data);
                rl::reconcile(data, campaign, rl::preset_rules("wecom-2025"), r, "");
            });
        };
        const std::string api =
            campaign.kind == rl::Kind::Moment ? "externalcontact/get_moment_task" : "externalcontact/get_groupmsg_send_result";
        const char* list = campaign.kind == rl::Kind::Moment ? "task_list" : "detail_list";
        json row = campaign.kind == rl::Kind::Moment ? json{{"userid", "u"}, {"publish_status", 5}}
                                                     : json{{"external_userid", "c"}, {"userid", "u"}, {"status", 9}};
        json doc = {
            {"format", "reachlens.results/1"},
            {"campaign_id", campaign.id},
            {"responses", json::array({{{"api", api}, {"request", json::object()}, {"body", {{"errcode", 0}, {list, {row}}}}}})}};
        check_refusal(results(doc), campaign.kind == rl::Kind::Moment ? "results.bad_publish_status" : "results.bad_status");
        doc["responses"][0]["body"] = {{"errcode", 45009}, {"errmsg", "api freq out of limit"}};
        check_refusal(results(doc), "results.wecom_error");
        doc["responses"] = json::array();
        doc["campaign_id"] = "someone-else";
        check_refusal(results(doc), "results.other_campaign");
    }
}

TEST_CASE("catalogue: a typed send time's mistakes in Chinese, by code") {
    using namespace rl::ui;
    set_language(Lang::Zh);
    const std::pair<const char*, const char*> typed[] = {{"2026/05/20", "09:30"},
                                                         {"2026-13-01", "09:30"},
                                                         {"2026-02-30", "09:30"},
                                                         {"2026-05-20", "9.30"},
                                                         {"2026-05-20", "24:00"}};
    std::set<std::string> codes;
    for (const auto& [date, clock] : typed) {
        rl::Time t = 0;
        rl::LocalTimeError err;
        REQUIRE_FALSE(rl::parse_local_date_time(date, clock, 480, t, &err));
        CHECK(has_message(err.code));
        codes.insert(err.code);
        check_chinese(message_text(err.code, err.params, err.message));
    }
    CHECK(codes.size() == std::size(typed));
    rl::Time t = 0;
    rl::LocalTimeError err;
    REQUIRE_FALSE(rl::parse_local_date_time("2026-02-30", "09:30", 480, t, &err));
    CHECK(message_text(err.code, err.params, err.message) == "这个月没有 30 日（只有 28 天）");
}

TEST_CASE("drafts: a refused action is worded when shown, so a language switch rewords it") {
    using namespace rl::ui;
    AppState s;
    const std::string dataset = th::read_text(kExample + "dataset.json");
    std::string load_error;
    REQUIRE(data_read_finished(s, dataset.data(), static_cast<double>(dataset.size()), 1.0, &load_error));
    // One saved draft that is not a campaign document the engine accepts.
    drafts_set_list(s, R"([{"id":"d-1","updated":1,"draft":{"format":"reachlens.campaign/1","id":"d-1","kind":"moment"}}])");
    REQUIRE(s.drafts.saved.size() == 1);

    set_language(Lang::Zh);
    StoredMessage missing;
    CHECK_FALSE(drafts_reopen(s, "no-such-draft", &missing));
    CHECK(message_text(missing).find("没有已保存的草稿") != std::string::npos);
    StoredMessage refused;
    CHECK_FALSE(drafts_reopen(s, "d-1", &refused));
    const std::string zh = message_text(refused);
    CHECK_FALSE(zh.empty());
    INFO(zh);
    CHECK(zh.find("缺少") != std::string::npos);  // the engine's refusal, in Chinese
    CHECK(zh.find("d-1") != std::string::npos);  // naming the draft

    set_language(Lang::En);
    CHECK(message_text(missing) == "no saved draft no-such-draft");
    const std::string en = message_text(refused);
    CHECK(en != zh);
    CHECK(message_text(s.drafts.saved[0].open_error) == en);  // the row shows the same, in English now
    set_language(Lang::Zh);
}
