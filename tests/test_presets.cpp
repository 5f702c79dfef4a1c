// The rules presets shipped with the project (contract 1.3, presets table): quotas in
// order, multi-sender policies, not-interested hours, excluded industries, verification,
// and the content limits that differ between presets.
#include <algorithm>

#include "helpers.h"

using th::json;

namespace {

struct Q {
    std::string id;
    std::optional<rl::Kind> kind;
    std::optional<rl::Origin> origin;
    int64_t count;
    bool days_in_month;
    rl::Window window;
    bool per_sender;
};

void check_quotas(const rl::Rules& r, const std::vector<Q>& expected) {
    // Contract 8.1 (v1.1): every preset gains group_send_any_month after its other quotas.
    REQUIRE(r.quotas.size() == expected.size() + 1);
    const rl::Quota& group = r.quotas.back();
    CHECK(group.id == "group_send_any_month");
    CHECK(group.kind == rl::Kind::GroupSend);
    CHECK(!group.origin);
    CHECK(group.count_is_days_in_month);
    CHECK(group.window == rl::Window::Month);
    CHECK(group.per_group);
    CHECK(!group.per_sender);
    for (size_t i = 0; i < expected.size(); ++i) {
        const rl::Quota& q = r.quotas[i];
        const Q& e = expected[i];
        INFO("quota " << i << " " << e.id);
        CHECK(q.id == e.id);
        CHECK(q.kind == e.kind);
        CHECK(q.origin == e.origin);
        CHECK(q.count_is_days_in_month == e.days_in_month);
        if (!e.days_in_month) CHECK(q.count == e.count);
        CHECK(q.window == e.window);
        CHECK(q.per_sender == e.per_sender);
    }
}

void check_common(const rl::Rules& r) {
    CHECK(r.policies.empty());
    CHECK(r.not_interested_hours == 168);
    auto industries = r.moments_excluded_industries;
    std::sort(industries.begin(), industries.end());
    CHECK(industries == std::vector<std::string>{"finance", "government", "pharma", "tobacco_alcohol"});
    CHECK(r.moments_require_verified);
    CHECK(r.moment_limits.text_max_chars == 2000);
    CHECK(r.moment_limits.image_max_count == 9);
    CHECK(r.moment_limits.video_max_count == 1);
    CHECK(r.moment_limits.link_max_count == 1);
    CHECK(r.moment_limits.image_max_bytes == 10485760);
    CHECK(r.moment_limits.image_max_pixels == 1555200);
    CHECK(r.moment_limits.video_max_bytes == 10485760);
    CHECK(r.moment_limits.link_title_max_bytes == 64);
    CHECK(r.mass_send_limits.text_max_bytes == 4000);
    CHECK(r.mass_send_limits.attachments_max_count == 9);
    CHECK(r.mass_send_limits.image_max_bytes == 10485760);
    CHECK(r.mass_send_limits.video_max_bytes == 10485760);
    CHECK(r.mass_send_limits.file_max_bytes == 20971520);
    CHECK(r.mass_send_limits.link_title_max_bytes == 128);
    CHECK(r.mass_send_limits.link_desc_max_bytes == 512);
    CHECK(r.mass_send_limits.link_url_max_bytes == 2048);
    CHECK(r.mass_send_limits.miniprogram_title_max_bytes == 64);
}

const Q kMomentEmployeeDay{"moment_employee_day", rl::Kind::Moment, rl::Origin::Employee, 1, false, rl::Window::Day, false};
const Q kMomentEnterpriseMonth{
    "moment_enterprise_month", rl::Kind::Moment, rl::Origin::Enterprise, 4, false, rl::Window::Month, false};

}  // namespace

TEST_CASE("presets: wecom-2020, wecom-2021 and wecom-2025 as the contract lists them", "[presets][rules]") {
    auto names = rl::preset_names();
    for (const char* n : {"wecom-2020", "wecom-2021", "wecom-2025"})
        CHECK(std::find(names.begin(), names.end(), n) != names.end());
    CHECK_THROWS_AS(rl::preset_rules("wecom-1999"), std::invalid_argument);

    SECTION("wecom-2020") {
        rl::Rules r = rl::preset_rules("wecom-2020");
        check_quotas(
            r, {kMomentEmployeeDay,
                kMomentEnterpriseMonth,
                {"mass_send_enterprise_month", rl::Kind::MassSend, rl::Origin::Enterprise, 4, false, rl::Window::Month, false},
                {"mass_send_employee_day", rl::Kind::MassSend, rl::Origin::Employee, 1, false, rl::Window::Day, true}});
        CHECK(r.moment_multi_sender == rl::MultiSender::FirstAdded);
        CHECK(r.mass_send_multi_sender == rl::MultiSender::Each);
        CHECK(r.moment_limits.video_max_seconds == 15);
        check_common(r);
    }
    SECTION("wecom-2021") {
        rl::Rules r = rl::preset_rules("wecom-2021");
        check_quotas(r, {kMomentEmployeeDay,
                         kMomentEnterpriseMonth,
                         {"mass_send_any_day", rl::Kind::MassSend, std::nullopt, 1, false, rl::Window::Day, false}});
        CHECK(r.moment_multi_sender == rl::MultiSender::FirstAdded);
        CHECK(r.mass_send_multi_sender == rl::MultiSender::Each);
        CHECK(r.moment_limits.video_max_seconds == 30);
        check_common(r);
    }
    SECTION("wecom-2025") {
        rl::Rules r = rl::preset_rules("wecom-2025");
        check_quotas(r, {kMomentEmployeeDay,
                         kMomentEnterpriseMonth,
                         {"mass_send_any_month", rl::Kind::MassSend, std::nullopt, 0, true, rl::Window::Month, false}});
        CHECK(r.moment_multi_sender == rl::MultiSender::FirstAdded);
        CHECK(r.mass_send_multi_sender == rl::MultiSender::LastChat);
        CHECK(r.moment_limits.video_max_seconds == 30);
        check_common(r);
    }
}

TEST_CASE("rules profile: content limits left out take the wecom-2020 values", "[presets][rules]") {
    rl::Rules r = th::rules(th::rules_doc(json::array()));  // no "content" at all
    check_common(r);
    CHECK(r.moment_limits.video_max_seconds == 15);
    json partial = th::rules_doc(json::array());
    partial["content"] = {{"mass_send", {{"file_max_bytes", 5}}}};
    rl::Rules p = th::rules(partial);
    CHECK(p.mass_send_limits.file_max_bytes == 5);
    CHECK(p.mass_send_limits.image_max_bytes == 10485760);
    CHECK(p.moment_limits.video_max_seconds == 15);
}
