// Field-level help for the composer: each content issue points at the field it concerns
// (so the UI can show it there), a send time typed in local time, and a rules profile
// written back to reachlens.rules/1 reading back to the same profile.
#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/checks/campaign_checks.h"
#include "core/draft/draft_fields.h"
#include "core/model/rules.h"

namespace {

using ojson = nlohmann::ordered_json;

rl::Campaign campaign_of(const ojson& doc) { return rl::load_campaign(doc.dump(), "test"); }

const rl::Issue* find_issue(const std::vector<rl::Issue>& issues, const std::string& code) {
    auto it = std::find_if(issues.begin(), issues.end(), [&](const rl::Issue& i) { return i.code == code; });
    return it == issues.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("content issues point at the attachment field they concern", "[content][fields]") {
    const rl::Rules rules = rl::preset_rules("wecom-2025");
    ojson doc = {{"format", "reachlens.campaign/1"},
                 {"id", "c"},
                 {"kind", "mass_send"},
                 {"origin", "enterprise"},
                 {"content", {{"text", std::string(4001, 'x')}, {"attachments", ojson::array()}}}};
    auto& atts = doc["content"]["attachments"];
    atts.push_back({{"msgtype", "file"}, {"file", {{"name", "ok.pdf"}, {"bytes", 10}}}});
    atts.push_back({{"msgtype", "link"}, {"link", {{"title", std::string(129, 't')}, {"url", "https://e.x"}}}});
    atts.push_back({{"msgtype", "miniprogram"}, {"miniprogram", {{"title", "mp"}, {"appid", "wx1"}, {"page", ""}}}});
    const rl::Campaign c = campaign_of(doc);
    const auto issues = rl::check_content(c.content, c.kind, rules);

    const rl::Issue* text = find_issue(issues, "content.text_too_long");
    REQUIRE(text);
    CHECK(text->pointer == "/content/text");
    const rl::Issue* title = find_issue(issues, "content.link_title_too_long");
    REQUIRE(title);
    CHECK(title->pointer == "/content/attachments/1/link/title");
    const rl::Issue* mp = find_issue(issues, "content.miniprogram_incomplete");
    REQUIRE(mp);
    CHECK(mp->pointer == "/content/attachments/2/miniprogram/page");
    // Every pointer names a place that exists in the document the marketer composed.
    for (const rl::Issue& i : issues) {
        INFO(i.code << " " << i.pointer);
        REQUIRE(!i.pointer.empty());
        CHECK(doc.contains(ojson::json_pointer(i.pointer)));
    }
}

TEST_CASE("moment count issues point at the attachment list", "[content][fields]") {
    const rl::Rules rules = rl::preset_rules("wecom-2025");
    ojson doc = {{"format", "reachlens.campaign/1"},
                 {"id", "c"},
                 {"kind", "moment"},
                 {"origin", "enterprise"},
                 {"content", {{"text", "hi"}, {"attachments", ojson::array()}}}};
    for (int i = 0; i < 2; ++i)
        doc["content"]["attachments"].push_back({{"msgtype", "link"}, {"link", {{"title", "t"}, {"url", "u"}}}});
    const rl::Campaign c = campaign_of(doc);
    const auto issues = rl::check_content(c.content, c.kind, rules);
    const rl::Issue* many = find_issue(issues, "content.too_many_links");
    REQUIRE(many);
    CHECK(many->pointer == "/content/attachments");
}

TEST_CASE("a send time typed in local time", "[fields][time]") {
    rl::Time t = 0;
    rl::LocalTimeError err;
    // China time (UTC+8): 2026-05-20 09:30 local is 01:30 UTC the same day.
    REQUIRE(rl::parse_local_date_time("2026-05-20", "09:30", 480, t, &err));
    const rl::LocalDate d = rl::local_date(t, 480);
    CHECK((d.year == 2026 && d.month == 5 && d.day == 20));
    CHECK(((t + 480 * 60) % 86400) == 9 * 3600 + 30 * 60);
    // Local midnight at UTC-3: the UTC date is the same, 03:00.
    REQUIRE(rl::parse_local_date_time(" 2024-02-29 ", "0:00", -180, t, &err));
    CHECK(t % 86400 == 3 * 3600);
    CHECK(rl::local_date(t, -180).day == 29);

    CHECK_FALSE(rl::parse_local_date_time("2025-02-29", "10:00", 480, t, &err));
    CHECK(err.field == "date");
    CHECK_FALSE(rl::parse_local_date_time("2025-13-01", "10:00", 480, t, &err));
    CHECK(err.field == "date");
    CHECK_FALSE(rl::parse_local_date_time("20250101", "10:00", 480, t, &err));
    CHECK(err.field == "date");
    CHECK_FALSE(rl::parse_local_date_time("2025-01-01", "24:00", 480, t, &err));
    CHECK(err.field == "time");
    CHECK_FALSE(rl::parse_local_date_time("2025-01-01", "9.30", 480, t, &err));
    CHECK(err.field == "time");
    CHECK_FALSE(err.message.empty());

    CHECK(rl::utc_offset_text(480) == "UTC+08:00");
    CHECK(rl::utc_offset_text(-210) == "UTC-03:30");
    CHECK(rl::utc_offset_text(0) == "UTC+00:00");
}

TEST_CASE("a rules profile written back reads back the same", "[fields][rules]") {
    for (const std::string& name : rl::preset_names()) {
        INFO(name);
        const rl::Rules r = rl::preset_rules(name);
        const ojson doc = rl::rules_document(r);
        const rl::Rules back = rl::load_rules(doc.dump(), "edited.json");
        CHECK(rl::rules_document(back) == doc);
        REQUIRE(back.quotas.size() == r.quotas.size());
        for (size_t i = 0; i < r.quotas.size(); ++i) {
            CHECK(back.quotas[i].id == r.quotas[i].id);
            CHECK(back.quotas[i].count == r.quotas[i].count);
            CHECK(back.quotas[i].count_is_days_in_month == r.quotas[i].count_is_days_in_month);
            CHECK(back.quotas[i].window == r.quotas[i].window);
            CHECK(back.quotas[i].per_sender == r.quotas[i].per_sender);
        }
        CHECK(back.moment_limits.video_max_seconds == r.moment_limits.video_max_seconds);
        CHECK(back.mass_send_multi_sender == r.mass_send_multi_sender);
    }
    // A policy with a rolling window and a per-sender count survives the trip.
    rl::Rules r = rl::preset_rules("wecom-2025");
    rl::Quota p;
    p.id = "brand_rolling";
    p.kind = rl::Kind::MassSend;
    p.count = 2;
    p.window = rl::Window::RollingDays;
    p.days = 10;
    p.per_sender = true;
    r.policies.push_back(p);
    const rl::Rules back = rl::load_rules(rl::rules_document(r).dump(), "edited.json");
    REQUIRE(back.policies.size() == 1);
    CHECK(back.policies[0].days == 10);
    CHECK(back.policies[0].per_sender);
    CHECK(back.policies[0].kind == rl::Kind::MassSend);
    CHECK_FALSE(back.policies[0].origin.has_value());
}
