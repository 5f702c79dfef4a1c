// Campaign checks of contract section 3: every content limit at its edge (inclusive
// limits: exactly at the limit passes, one over fails), characters vs bytes, and the
// campaign-level errors (industry, verification, senders, unknown ids, send time, stray
// audience keys). Errors make the draft not submittable but the preview is still computed.
#include <algorithm>

#include "helpers.h"

using th::json;
using th::local_time;
using Type = rl::Attachment::Type;
using Codes = std::vector<std::string>;

namespace {

constexpr int64_t MB = 1048576;

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}

rl::Attachment image(int64_t bytes = 1000, int64_t w = 100, int64_t h = 100) {
    rl::Attachment a;
    a.type = Type::Image;
    a.name = "a.png";
    a.bytes = bytes;
    a.width = w;
    a.height = h;
    return a;
}
rl::Attachment video(double seconds = 10, int64_t bytes = 1000) {
    rl::Attachment a;
    a.type = Type::Video;
    a.name = "v.mp4";
    a.bytes = bytes;
    a.seconds = seconds;
    return a;
}
rl::Attachment weblink(std::string title = "title", std::string url = "https://example.com", std::string desc = "") {
    rl::Attachment a;
    a.type = Type::Link;
    a.title = std::move(title);
    a.url = std::move(url);
    a.desc = std::move(desc);
    return a;
}
rl::Attachment miniprogram(std::string title = "mp", std::string appid = "wx1", std::string page = "pages/i") {
    rl::Attachment a;
    a.type = Type::MiniProgram;
    a.title = std::move(title);
    a.appid = std::move(appid);
    a.page = std::move(page);
    return a;
}
rl::Attachment file(int64_t bytes = 1000) {
    rl::Attachment a;
    a.type = Type::File;
    a.name = "f.pdf";
    a.bytes = bytes;
    return a;
}

Codes codes(const std::string& text, std::vector<rl::Attachment> atts, rl::Kind kind, const rl::Rules& rules) {
    rl::Content c;
    c.text = text;
    c.attachments = std::move(atts);
    Codes out;
    for (const auto& i : rl::check_content(c, kind, rules)) {
        CHECK(!i.message.empty());
        out.push_back(i.code);
    }
    std::sort(out.begin(), out.end());
    return out;
}

const rl::Rules& w2020() {
    static const rl::Rules r = rl::preset_rules("wecom-2020");
    return r;
}
const rl::Rules& w2021() {
    static const rl::Rules r = rl::preset_rules("wecom-2021");
    return r;
}

Codes moment(const std::string& text, std::vector<rl::Attachment> atts = {}, const rl::Rules& r = w2020()) {
    return codes(text, std::move(atts), rl::Kind::Moment, r);
}
Codes mass(const std::string& text, std::vector<rl::Attachment> atts = {}, const rl::Rules& r = w2020()) {
    return codes(text, std::move(atts), rl::Kind::MassSend, r);
}

const Codes kNone{};

}  // namespace

TEST_CASE("content checks, moment: text is at most 2000 characters (code points, not bytes)", "[content][moment]") {
    CHECK(moment(repeat("a", 2000)) == kNone);
    CHECK(moment(repeat("a", 2001)) == Codes{"content.text_too_long"});
    CHECK(moment(repeat("中", 2000)) == kNone);  // 6000 bytes, 2000 characters
    CHECK(moment(repeat("中", 2001)) == Codes{"content.text_too_long"});
    CHECK(moment(repeat("😀", 2000)) == kNone);  // 4-byte characters
    CHECK(moment(repeat("😀", 2001)) == Codes{"content.text_too_long"});
    CHECK(moment(repeat("a中😀", 666) + "ab") == kNone);  // 2000 mixed
}

TEST_CASE("content checks, moment: empty content, whitespace-only text is not empty", "[content][moment]") {
    CHECK(moment("") == Codes{"content.empty"});
    CHECK(moment(" ") == kNone);
    CHECK(moment("\n\t") == kNone);
    CHECK(moment("", {image()}) == kNone);
    CHECK(mass("") == Codes{"content.empty"});
    CHECK(mass("  ") == kNone);
    CHECK(mass("", {file()}) == kNone);
}

TEST_CASE("content checks, moment: images, videos, links at their limits", "[content][moment]") {
    SECTION("at most 9 images") {
        CHECK(moment("x", std::vector<rl::Attachment>(9, image())) == kNone);
        CHECK(moment("x", std::vector<rl::Attachment>(10, image())) == Codes{"content.too_many_images"});
    }
    SECTION("image at most 10 MB and 1,555,200 pixels") {
        CHECK(moment("x", {image(10 * MB)}) == kNone);
        CHECK(moment("x", {image(10 * MB + 1)}) == Codes{"content.image_too_large"});
        CHECK(moment("x", {image(1000, 1440, 1080)}) == kNone);  // 1,555,200 exactly
        CHECK(moment("x", {image(1000, 1555201, 1)}) == Codes{"content.image_too_many_pixels"});
        CHECK(moment("x", {image(1000, 1441, 1080)}) == Codes{"content.image_too_many_pixels"});
        // one error per violated rule and attachment
        CHECK(moment("x", {image(10 * MB + 1, 2000, 2000), image(10 * MB + 1)}) ==
              Codes{"content.image_too_large", "content.image_too_large", "content.image_too_many_pixels"});
    }
    SECTION("one video, at most 15 s under wecom-2020 and 30 s under wecom-2021, at most 10 MB") {
        CHECK(moment("x", {video(15)}) == kNone);
        CHECK(moment("x", {video(15.001)}) == Codes{"content.video_too_long"});
        CHECK(moment("x", {video(16)}) == Codes{"content.video_too_long"});
        CHECK(moment("x", {video(30)}, w2021()) == kNone);
        CHECK(moment("x", {video(30.5)}, w2021()) == Codes{"content.video_too_long"});
        CHECK(moment("x", {video(10, 10 * MB)}) == kNone);
        CHECK(moment("x", {video(10, 10 * MB + 1)}) == Codes{"content.video_too_large"});
        CHECK(moment("x", {video(), video()}) == Codes{"content.too_many_videos"});
    }
    SECTION("one link, title at most 64 bytes, with a url") {
        CHECK(moment("x", {weblink(repeat("a", 64))}) == kNone);
        CHECK(moment("x", {weblink(repeat("a", 65))}) == Codes{"content.link_title_too_long"});
        CHECK(moment("x", {weblink(repeat("中", 21) + "a")}) == kNone);  // 64 bytes, 22 characters
        CHECK(moment("x", {weblink(repeat("中", 22))}) == Codes{"content.link_title_too_long"});  // 66 bytes
        CHECK(moment("x", {weblink("t", "")}) == Codes{"content.link_missing_url"});  // an empty string counts as missing
        CHECK(moment("x", {weblink(), weblink()}) == Codes{"content.too_many_links"});
    }
}

TEST_CASE("content checks, moment: one msgtype only, miniprogram and file unsupported", "[content][moment]") {
    CHECK(moment("x", {image(), video()}) == Codes{"content.mixed_attachments"});
    CHECK(moment("x", {image(), video(), weblink(), image()}) == Codes{"content.mixed_attachments"});  // once
    // the per-type counts are still checked
    std::vector<rl::Attachment> ten(10, image());
    ten.push_back(weblink());
    CHECK(moment("x", ten) == Codes{"content.mixed_attachments", "content.too_many_images"});
    CHECK(moment("x", {miniprogram()}) == Codes{"content.unsupported_attachment"});
    CHECK(moment("x", {miniprogram(), miniprogram()}) == Codes{"content.unsupported_attachment"});  // once per type
    CHECK(moment("x", {file()}) == Codes{"content.unsupported_attachment"});
    CHECK(moment("x", {miniprogram(), file()}) ==
          Codes{"content.mixed_attachments", "content.unsupported_attachment", "content.unsupported_attachment"});
}

TEST_CASE("content checks, mass send: text at most 4000 bytes (bytes, not characters)", "[content][mass_send]") {
    CHECK(mass(repeat("a", 4000)) == kNone);
    CHECK(mass(repeat("a", 4001)) == Codes{"content.text_too_long"});
    CHECK(mass(repeat("中", 1333) + "a") == kNone);  // 4000 bytes
    CHECK(mass(repeat("中", 1334)) == Codes{"content.text_too_long"});  // 4002 bytes, only 1334 characters
    CHECK(mass(repeat("😀", 1000)) == kNone);
    CHECK(mass(repeat("😀", 1000) + "a") == Codes{"content.text_too_long"});
}

TEST_CASE("content checks, mass send: attachments at their limits", "[content][mass_send]") {
    SECTION("at most 9 attachments of any mix") {
        std::vector<rl::Attachment> nine{image(), image(), video(), weblink(), weblink(), miniprogram(), file(), file(), image()};
        CHECK(mass("x", nine) == kNone);
        nine.push_back(file());
        CHECK(mass("x", nine) == Codes{"content.too_many_attachments"});
    }
    SECTION("image and video at most 10 MB, file at most 20 MB") {
        CHECK(mass("x", {image(10 * MB), video(100, 10 * MB), file(20 * MB)}) == kNone);
        CHECK(mass("x", {image(10 * MB + 1)}) == Codes{"content.image_too_large"});
        CHECK(mass("x", {video(100, 10 * MB + 1)}) == Codes{"content.video_too_large"});
        CHECK(mass("x", {file(20 * MB + 1)}) == Codes{"content.file_too_large"});
        CHECK(mass("x", {image(1000, 4000, 4000), video(300)}) == kNone);  // pixels and seconds are moment limits
    }
    SECTION("link: title 128 bytes, desc 512 bytes, url 2048 bytes and present") {
        CHECK(mass("x", {weblink(repeat("a", 128), "https://e.com", repeat("d", 512))}) == kNone);
        CHECK(mass("x", {weblink(repeat("a", 129))}) == Codes{"content.link_title_too_long"});
        CHECK(mass("x", {weblink(repeat("中", 43))}) == Codes{"content.link_title_too_long"});  // 129 bytes
        CHECK(mass("x", {weblink("t", "https://e.com", repeat("d", 513))}) == Codes{"content.link_desc_too_long"});
        const std::string url2048 = "https://e.com/" + repeat("p", 2048 - 14);
        REQUIRE(url2048.size() == 2048);
        CHECK(mass("x", {weblink("t", url2048)}) == kNone);
        CHECK(mass("x", {weblink("t", url2048 + "p")}) == Codes{"content.link_url_too_long"});
        CHECK(mass("x", {weblink("t", "")}) == Codes{"content.link_missing_url"});
    }
    SECTION("miniprogram: title 64 bytes, with appid and page") {
        CHECK(mass("x", {miniprogram(repeat("a", 64))}) == kNone);
        CHECK(mass("x", {miniprogram(repeat("a", 65))}) == Codes{"content.miniprogram_title_too_long"});
        CHECK(mass("x", {miniprogram("t", "", "pages/i")}) == Codes{"content.miniprogram_incomplete"});
        CHECK(mass("x", {miniprogram("t", "wx1", "")}) == Codes{"content.miniprogram_incomplete"});
        CHECK(mass("x", {miniprogram("t", "", "")}) == Codes{"content.miniprogram_incomplete"});  // one per attachment
    }
}

TEST_CASE("content checks: a custom rules profile overrides limits, keys left out keep the wecom-2020 value",
          "[content][rules]") {
    json doc = th::rules_doc(json::array());
    doc["content"] = {{"moment", {{"text_max_chars", 10}, {"video_max_seconds", 7.5}}}, {"mass_send", {{"text_max_bytes", 5}}}};
    rl::Rules r = th::rules(doc);
    CHECK(moment(repeat("中", 10), {}, r) == kNone);
    CHECK(moment(repeat("中", 11), {}, r) == Codes{"content.text_too_long"});
    CHECK(moment("x", {video(7.5)}, r) == kNone);
    CHECK(moment("x", {video(7.6)}, r) == Codes{"content.video_too_long"});
    CHECK(moment("x", std::vector<rl::Attachment>(9, image()), r) == kNone);  // image_max_count left out: 9
    CHECK(moment("x", std::vector<rl::Attachment>(10, image()), r) == Codes{"content.too_many_images"});
    CHECK(mass("abcde", {}, r) == kNone);
    CHECK(mass("abcdef", {}, r) == Codes{"content.text_too_long"});
    CHECK(mass("x", {file(20 * MB)}, r) == kNone);
}

// ------------------------------------------------------------------ campaign-level checks

namespace {

const th::Time t = local_time(2024, 3, 5, 10, 0, 0);

// Departments 1 > 2 > 3; a in 2, b in 3, c in 1.
json people() {
    json d = th::tenant(t);
    d["departments"] = {th::department(1, 0), th::department(2, 1), th::department(3, 2)};
    d["employees"] = {th::employee("a", {2}), th::employee("b", {3}), th::employee("c", {1})};
    d["customers"] = {th::customer("k1", {th::relation("a", 1, {"t1"})}), th::customer("k2", {th::relation("b", 1)})};
    return d;
}

json senders(json c, std::vector<std::string> users, std::vector<int64_t> departments) {
    c["senders"] = {{"user_list", users}, {"department_list", departments}};
    return c;
}

}  // namespace

TEST_CASE("campaign checks: moments closed to excluded industries and unverified enterprises", "[content][campaign_errors]") {
    for (const char* industry : {"tobacco_alcohol", "finance", "pharma", "government"}) {
        DYNAMIC_SECTION("industry " << industry) {
            json d = people();
            d["enterprise"]["industry"] = industry;
            auto m = th::run(d, th::campaign("m", "moment", "enterprise", t));
            CHECK(m.error_codes() == Codes{"industry.excluded"});
            CHECK(m.summary["submittable"] == false);
            CHECK(m.count("reached") == 2);  // still previewed
            auto s = th::run(d, th::campaign("s", "mass_send", "enterprise", t));
            CHECK(s.error_codes() == kNone);
        }
    }
    SECTION("retail, education and other are open") {
        for (const char* industry : {"retail", "education", "other"}) {
            json d = people();
            d["enterprise"]["industry"] = industry;
            CHECK(th::run(d, th::campaign("m", "moment", "enterprise", t)).error_codes() == kNone);
        }
    }
    SECTION("unverified enterprise") {
        json d = people();
        d["enterprise"]["verified"] = false;
        CHECK(th::run(d, th::campaign("m", "moment", "enterprise", t)).error_codes() == Codes{"enterprise.unverified"});
        CHECK(th::run(d, th::campaign("s", "mass_send", "enterprise", t)).error_codes() == kNone);
        json relaxed = th::rules_doc(json::array());
        relaxed["moments_require_verified"] = false;
        CHECK(th::run(d, th::campaign("m", "moment", "enterprise", t), relaxed).error_codes() == kNone);
    }
    SECTION("a custom excluded list replaces the preset's") {
        json d = people();
        d["enterprise"]["industry"] = "finance";
        json custom = th::rules_doc(json::array());
        custom["moments_excluded_industries"] = {"retail"};
        CHECK(th::run(d, th::campaign("m", "moment", "enterprise", t), custom).error_codes() == kNone);
    }
}

TEST_CASE("campaign checks: origin employee needs exactly one resolved sender", "[content][campaign_errors]") {
    json d = people();
    auto emp = [&](std::vector<std::string> users, std::vector<int64_t> deps) {
        return th::run(d, senders(th::campaign("p", "mass_send", "employee", t), users, deps)).error_codes();
    };
    CHECK(emp({"a"}, {}) == kNone);
    CHECK(emp({"a", "b"}, {}) == Codes{"senders.employee_origin_needs_one"});
    CHECK(emp({"a", "a"}, {}) == kNone);  // no duplicates
    CHECK(emp({"b"}, {3}) == kNone);  // b is department 3's only employee: still one
    CHECK(emp({}, {3}) == kNone);
    CHECK(emp({}, {2}) == Codes{"senders.employee_origin_needs_one"});  // a in 2, b in its sub-department 3
    CHECK(emp({}, {}) == Codes{"senders.employee_origin_needs_one"});  // everyone: 3 employees
    Codes ghost = emp({"ghost"}, {});
    std::sort(ghost.begin(), ghost.end());
    CHECK(ghost == Codes{"campaign.unknown_userid", "senders.employee_origin_needs_one"});
    // an enterprise campaign takes any number of senders
    CHECK(th::run(d, senders(th::campaign("e", "mass_send", "enterprise", t), {"a", "b"}, {})).error_codes() == kNone);
}

TEST_CASE("campaign checks: unknown userids, departments and tags, once per distinct id, match nothing",
          "[content][campaign_errors]") {
    json d = people();
    SECTION("senders") {
        auto r =
            th::run(d, senders(th::campaign("e", "mass_send", "enterprise", t), {"ghost", "a", "ghost", "ghost2"}, {99, 99}));
        Codes c = r.error_codes();
        CHECK(std::count(c.begin(), c.end(), "campaign.unknown_userid") == 2);
        CHECK(std::count(c.begin(), c.end(), "campaign.unknown_department") == 1);
        CHECK(r.sender_ids() == std::vector<std::string>{"a"});
        CHECK(r.outcome("k1") == "reached via a");
        CHECK(r.outcome("k2") == "blocked no_relation");
    }
    SECTION("user_list with only a ghost selects nobody") {
        auto r = th::run(d, senders(th::campaign("e", "mass_send", "enterprise", t), {"ghost"}, {}));
        CHECK(r.error_codes() == Codes{"campaign.unknown_userid"});
        CHECK(r.summary["senders"].empty());
        CHECK(r.count("reached") == 0);
        CHECK(r.blocked() == std::map<std::string, int64_t>{{"no_relation", 2}});
        auto m = th::run(d, senders(th::campaign("m", "moment", "enterprise", t), {"ghost"}, {}));
        CHECK(m.count("audience") == 0);
    }
    SECTION("moment tag_list") {
        json c = th::campaign("m", "moment", "enterprise", t);
        c["audience"] = {{"tag_list", {"ghost", "ghost"}}};
        auto r = th::run(d, c);
        CHECK(r.error_codes() == Codes{"campaign.unknown_tag"});
        CHECK(r.count("audience") == 0);  // a non-empty tag_list whose tags match nothing
        c["audience"] = {{"tag_list", {"ghost", "t1"}}};
        auto r2 = th::run(d, c);
        CHECK(r2.audience() == std::set<std::string>{"k1"});
    }
}

TEST_CASE("campaign checks: send_time before now is an error and the preview runs at now", "[content][campaign_errors]") {
    json d = people();
    auto past = th::run(d, th::campaign("e", "mass_send", "enterprise", t - 1));
    CHECK(past.error_codes() == Codes{"campaign.send_time_past"});
    CHECK(past.summary["send_time"] == t);
    CHECK(past.summary["submittable"] == false);
    auto at_now = th::run(d, th::campaign("e", "mass_send", "enterprise", t));
    CHECK(at_now.error_codes() == kNone);
    CHECK(at_now.summary["submittable"] == true);
    auto later = th::run(d, th::campaign("e", "mass_send", "enterprise", t + 86400));
    CHECK(later.summary["send_time"] == t + 86400);
}

TEST_CASE("campaign checks: a moment with filter / a mass send with tag_list is an error and the stray key is ignored",
          "[content][campaign_errors]") {
    json d = people();
    json m = th::campaign("m", "moment", "enterprise", t);
    m["audience"] = {{"filter", {{"customers", {"k1"}}}}};
    auto rm = th::run(d, m);
    CHECK(rm.error_codes() == Codes{"audience.filter_not_supported"});
    CHECK(rm.audience() == std::set<std::string>{"k1", "k2"});  // filter ignored
    json s = th::campaign("s", "mass_send", "enterprise", t);
    s["audience"] = {{"tag_list", {"t1"}}};
    auto rs = th::run(d, s);
    CHECK(rs.error_codes() == Codes{"audience.tag_list_not_supported"});
    CHECK(rs.audience() == std::set<std::string>{"k1", "k2"});  // tag_list ignored
}

TEST_CASE("campaign checks: content errors surface in the preview summary", "[content][campaign_errors]") {
    json d = people();
    json c = th::campaign("m", "moment", "enterprise", t);
    c["content"] = {{"text", ""}, {"attachments", {{{"msgtype", "file"}, {"file", {{"name", "f.pdf"}, {"bytes", 1}}}}}}};
    auto r = th::run(d, c);
    CHECK(r.error_codes() == Codes{"content.unsupported_attachment"});
    CHECK(r.summary["submittable"] == false);
    json empty = th::campaign("s", "mass_send", "enterprise", t);
    empty.erase("content");
    auto r2 = th::run(d, empty);  // missing content = empty
    CHECK(r2.error_codes() == Codes{"content.empty"});
    CHECK(r2.count("reached") == 2);
}
