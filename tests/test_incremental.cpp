// Incremental recompute (PreviewSession::reuse, and the audience selected clause by clause):
// over random edit sequences on a generated tenant, what an edit gets from the last result
// equals a full recompute on a session of its own, field by field, verdict by verdict.
#include <algorithm>
#include <filesystem>
#include <random>

#include "core/output/report.h"
#include "core/simulation/simulation.h"
#include "generated_tenant.h"
#include "helpers.h"

namespace fs = std::filesystem;

namespace {

void check_same(const rl::Dataset& data, const rl::PreviewResult& got, const rl::PreviewResult& full) {
    CHECK(rl::summary_json(data, got).dump() == rl::summary_json(data, full).dump());
    CHECK(rl::verdicts_csv(data, got) == rl::verdicts_csv(data, full));
    CHECK(got.verdict == full.verdict);
    CHECK(got.via_begin == full.via_begin);
    CHECK(got.via == full.via);
    CHECK(got.send_time == full.send_time);
    CHECK(got.submittable == full.submittable);
    REQUIRE(got.errors.size() == full.errors.size());
    for (size_t i = 0; i < got.errors.size(); ++i) CHECK(got.errors[i].code == full.errors[i].code);
    REQUIRE(got.warnings.size() == full.warnings.size());
    for (size_t i = 0; i < got.warnings.size(); ++i) CHECK(got.warnings[i].code == full.warnings[i].code);
}

rl::Expr tags_clause(rl::ExprOp op, const std::string& tag) {
    rl::Expr e;
    e.op = op;
    e.ids.push_back({tag, "/audience/filter"});
    return e;
}

}  // namespace

TEST_CASE("incremental: random edit sequences give exactly a full recompute", "[incremental]") {
    const fs::path dir = th::generated_dir();
    const rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    const rl::Rules rules = rl::preset_rules("wecom-2025");
    std::vector<rl::Campaign> starts;
    for (const auto& entry : fs::directory_iterator(dir / "campaigns")) {
        rl::Campaign c = rl::load_campaign(th::read_text(entry.path()), entry.path().string());
        if (c.kind != rl::Kind::GroupSend) starts.push_back(std::move(c));
    }
    std::sort(starts.begin(), starts.end(), [](const rl::Campaign& a, const rl::Campaign& b) { return a.id < b.id; });
    REQUIRE(starts.size() >= 4);

    rl::PreviewSession session(data, rules);  // the incremental side
    rl::PreviewSession full(data, rules);  // full recomputes only
    int reused_content = 0, content_edits = 0, reused_time = 0, recomputed_time = 0, reused_audience = 0;
    for (uint32_t seed : {1u, 2u, 3u}) {
        std::mt19937 rng(seed);
        auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
        rl::Campaign draft = starts[pick(starts.size())];
        rl::PreviewResult last = session.preview(draft);
        for (int step = 0; step < 120; ++step) {
            rl::Campaign edited = draft;
            const int kind = static_cast<int>(pick(7));
            if (kind == 0 || kind == 1) {  // content: text, emoji and rare hanzi
                edited.content.text += pick(2) ? "💄👍🏻" : "𠀾龘";
                if (pick(3) == 0) edited.content.text.clear();
            } else if (kind == 2) {  // send time by minutes or hours (often the same windows)
                edited.send_time = *draft.send_time + static_cast<rl::Time>(pick(2) ? pick(120) * 60 : pick(48) * 3600) -
                                   (pick(2) ? 24 * 3600 : 0);
            } else if (kind == 3) {  // send time by days
                edited.send_time = *draft.send_time + static_cast<rl::Time>(pick(21)) * 86400 - 10 * 86400;
            } else if (kind == 4) {  // the audience
                const std::string tag = data.tags[pick(data.tags.size())].id;
                if (edited.kind == rl::Kind::Moment) {
                    if (!edited.tag_list.empty() && pick(2)) edited.tag_list.pop_back();
                    else edited.tag_list.push_back({tag, "/audience/tag_list"});
                } else if (edited.filter && edited.filter->op == rl::ExprOp::All && !edited.filter->children.empty() && pick(2)) {
                    edited.filter->children.pop_back();
                } else {
                    rl::Expr all;
                    all.op = rl::ExprOp::All;
                    if (edited.filter) all.children.push_back(*edited.filter);
                    all.children.push_back(tags_clause(pick(2) ? rl::ExprOp::TagsAny : rl::ExprOp::TagsNone, tag));
                    edited.filter = all;
                }
            } else if (kind == 5) {  // the senders
                const std::string userid = data.employees[pick(data.employees.size())].userid;
                if (!edited.sender_users.empty() && pick(2)) edited.sender_users.pop_back();
                else edited.sender_users.push_back({userid, "/senders/user_list"});
            } else {  // another draft
                edited = starts[pick(starts.size())];
            }
            INFO("seed " << seed << ", step " << step << ", edit " << kind << ", draft " << edited.id);
            std::optional<rl::PreviewResult> reused = session.reuse(draft, last, edited);
            const bool content_only = kind <= 1;
            content_edits += content_only;
            reused_content += content_only && reused;
            if (kind == 2) (reused ? reused_time : recomputed_time) += 1;
            // An audience edit alone replays only the customers whose membership changed
            // (when they are few).
            if (kind == 4) reused_audience += reused.has_value();
            if (content_only) CHECK(reused.has_value());  // the simulation cannot see the content
            rl::PreviewResult got = reused ? std::move(*reused) : session.preview(edited);
            check_same(data, got, full.preview(edited));
            draft = std::move(edited);
            last = std::move(got);
        }
    }
    CHECK(reused_content == content_edits);
    CHECK(reused_audience > 10);
    // Both happen: small moves that stay in the windows, and moves that cross one.
    CHECK(reused_time > 0);
    CHECK(recomputed_time > 0);
}

TEST_CASE("incremental: a send time in another month recomputes; new wording reuses the result", "[incremental]") {
    const fs::path dir = th::generated_dir();
    const rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    rl::Campaign draft;
    for (const auto& entry : fs::directory_iterator(dir / "campaigns")) {
        rl::Campaign c = rl::load_campaign(th::read_text(entry.path()), entry.path().string());
        if (c.kind == rl::Kind::Moment) draft = c;
    }
    rl::PreviewSession a(data, rl::preset_rules("wecom-2025"));
    rl::PreviewSession b(data, rl::preset_rules("wecom-2025"));
    const rl::PreviewResult before = a.preview(draft);
    // A send time far away: another month, other windows.
    rl::Campaign later = draft;
    later.send_time = *draft.send_time + 40 * 86400;
    CHECK_FALSE(a.reuse(draft, before, later).has_value());
    // The content: reused, equal to the full preview.
    rl::Campaign reworded = draft;
    reworded.content.text = "双12 🎉";
    std::optional<rl::PreviewResult> r = a.reuse(draft, before, reworded);
    REQUIRE(r.has_value());
    check_same(data, *r, b.preview(reworded));
}

TEST_CASE("incremental: an audience edit replays the customers whose membership changed", "[incremental]") {
    const fs::path dir = th::generated_dir();
    const rl::Dataset data = rl::load_dataset(th::read_text(dir / "dataset.json"), "dataset.json");
    const rl::Rules rules = rl::preset_rules("wecom-2025");
    rl::PreviewSession session(data, rules), full(data, rules);
    rl::Campaign moment, mass;
    for (const auto& entry : fs::directory_iterator(dir / "campaigns")) {
        rl::Campaign c = rl::load_campaign(th::read_text(entry.path()), entry.path().string());
        if (c.kind == rl::Kind::Moment && c.tag_list.empty() && c.origin == rl::Origin::Enterprise) moment = c;
        if (c.kind == rl::Kind::MassSend && c.filter) mass = c;
    }
    REQUIRE(!moment.id.empty());
    REQUIRE(!mass.id.empty());
    // Tags that few customers hold (an edit that moves most customers is simulated again).
    const rl::TagCustomers by_tag = rl::index_tag_customers(data);
    std::vector<uint32_t> rare;
    for (uint32_t tag = 0; tag < data.tags.size(); ++tag)
        if (by_tag.of(tag).size() >= 5) rare.push_back(tag);
    std::sort(rare.begin(), rare.end(), [&](uint32_t a, uint32_t b) { return by_tag.of(a).size() < by_tag.of(b).size(); });
    REQUIRE(rare.size() >= 3);
    auto tag_ref = [&](size_t i) { return rl::IdRef{data.tags[rare[i]].id, "/audience/tag_list/" + std::to_string(i)}; };
    // A moment to two tags narrowed to one, then widened to three, then to two again.
    rl::Campaign two_tags = moment;
    two_tags.tag_list = {tag_ref(0), tag_ref(1)};
    rl::Campaign one_tag = two_tags;
    one_tag.tag_list.pop_back();
    rl::Campaign three_tags = two_tags;
    three_tags.tag_list.push_back(tag_ref(2));
    rl::Campaign last = two_tags;
    rl::PreviewResult last_result = session.preview(two_tags);
    for (const rl::Campaign* next : {&one_tag, &three_tags, &two_tags}) {
        std::optional<rl::PreviewResult> r = session.reuse(last, last_result, *next);
        REQUIRE(r.has_value());
        const rl::PreviewResult expected = full.preview(*next);
        check_same(data, *r, expected);
        CHECK(r->audience != last_result.audience);  // the edit changed who is in the audience
        last = *next;
        last_result = std::move(*r);
    }
    // A mass send's filter: customers with a rare tag excluded, then a clause removed (kept
    // from the last result when few customers change), then the filter as it was.
    rl::Campaign excluded = mass;
    REQUIRE(excluded.filter->op == rl::ExprOp::All);
    REQUIRE(excluded.filter->children.size() >= 2);
    excluded.filter->children.push_back(tags_clause(rl::ExprOp::TagsNone, data.tags[rare[0]].id));
    rl::Campaign wider = mass;
    wider.filter->children.erase(wider.filter->children.begin());
    last = mass;
    last_result = session.preview(mass);
    int reused = 0;
    for (const rl::Campaign* next : {&excluded, &mass, &wider, &mass}) {
        std::optional<rl::PreviewResult> r = session.reuse(last, last_result, *next);
        if (next == &excluded) REQUIRE(r.has_value());
        reused += r.has_value();
        if (!r) r = session.preview(*next);
        check_same(data, *r, full.preview(*next));
        last = *next;
        last_result = std::move(*r);
    }
    CHECK(reused >= 2);
    // An unknown tag is an error of the new draft, as in a full preview.
    rl::Campaign ghost = one_tag;
    ghost.tag_list.push_back({"no-such-tag", "/audience/tag_list/1"});
    std::optional<rl::PreviewResult> r = session.reuse(one_tag, session.preview(one_tag), ghost);
    REQUIRE(r.has_value());
    check_same(data, *r, full.preview(ghost));
    CHECK_FALSE(r->submittable);
    // Most customers leaving the audience (everyone narrowed to two tags): simulated again.
    CHECK_FALSE(session.reuse(moment, session.preview(moment), two_tags).has_value());
}
