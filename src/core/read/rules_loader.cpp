// Rules profile reader and the compiled-in presets (assets/rules/*.json).
#include "core/model/rules.h"

#include <array>
#include <optional>
#include <stdexcept>

#include "core/model/contract_keys.h"
#include "core/read/json_reader.h"
#include "core/read/presets_embedded.h"

namespace rl {

namespace {

// One of the table's keys or "any" (no value: the quota matches every value).
template <class Row, size_t N>
auto read_key_or_any(JsonReader& in, const Row (&table)[N]) {
    std::array<std::string_view, N + 1> names;
    for (size_t i = 0; i < N; ++i) names[i] = table[i].key;
    names[N] = "any";
    const size_t i = in.read_enum(names);
    return i < N ? std::optional(table[i].value) : std::nullopt;
}

[[noreturn]] void missing(JsonReader& in, const std::string& object_pointer, const char* field) {
    in.fail_missing(object_pointer, field);
}

Quota read_quota(JsonReader& in) {
    Quota q;
    std::string at = in.pointer();
    in.begin_object();
    bool has_id = false, has_kind = false, has_origin = false, has_count = false, has_window = false, has_per = false,
         has_days = false;
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "id") {
            q.id = in.read_string_copy();
            has_id = true;
        } else if (key == "kind") {
            q.kind = read_key_or_any(in, kKindKeys);
            has_kind = true;
        } else if (key == "origin") {
            q.origin = read_key_or_any(in, kOriginKeys);
            has_origin = true;
        } else if (key == "count") {
            if (in.peek() == JsonType::String) {
                std::string_view s = in.read_string();
                if (s != "days_in_month")
                    in.fail("expected an integer or \"days_in_month\", got \"" + std::string(s) + "\"", "input.quota_count",
                            {param_text("value", std::string(s))});
                q.count_is_days_in_month = true;
            } else if (in.peek() == JsonType::Number) {
                q.count = in.read_int();
            } else {
                in.fail_type("an integer or \"days_in_month\"");
            }
            has_count = true;
        } else if (key == "window") {
            q.window = in.read_key(kWindowKeys);
            has_window = true;
        } else if (key == "days") {
            q.days = in.read_int();
            has_days = true;
        } else if (key == "per") {
            const size_t per = in.read_enum({"customer", "customer_sender", "group"});
            q.per_sender = per == 1;
            q.per_group = per == 2;
            has_per = true;
        } else in.skip_value();
    }
    if (!has_id) missing(in, at, "id");
    if (!has_kind) missing(in, at, "kind");
    if (!has_origin) missing(in, at, "origin");
    if (!has_count) missing(in, at, "count");
    if (!has_window) missing(in, at, "window");
    if (!has_per) missing(in, at, "per");
    if (q.window == Window::RollingDays && !has_days) missing(in, at, "days");
    return q;
}

std::vector<Quota> read_quotas(JsonReader& in) {
    std::vector<Quota> out;
    in.begin_array();
    while (in.next_element()) out.push_back(read_quota(in));
    return out;
}

MultiSender read_multi_sender_value(JsonReader& in) { return in.read_key(kMultiSenderKeys); }

void read_moment_limits(JsonReader& in, MomentLimits& m) {
    in.begin_object();
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "text_max_chars") m.text_max_chars = in.read_int();
        else if (key == "image_max_count") m.image_max_count = in.read_int();
        else if (key == "video_max_count") m.video_max_count = in.read_int();
        else if (key == "link_max_count") m.link_max_count = in.read_int();
        else if (key == "image_max_bytes") m.image_max_bytes = in.read_int();
        else if (key == "image_max_pixels") m.image_max_pixels = in.read_int();
        else if (key == "video_max_bytes") m.video_max_bytes = in.read_int();
        else if (key == "video_max_seconds") m.video_max_seconds = in.read_number();
        else if (key == "link_title_max_bytes") m.link_title_max_bytes = in.read_int();
        else in.skip_value();
    }
}

void read_mass_send_limits(JsonReader& in, MassSendLimits& m) {
    in.begin_object();
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "text_max_bytes") m.text_max_bytes = in.read_int();
        else if (key == "attachments_max_count") m.attachments_max_count = in.read_int();
        else if (key == "image_max_bytes") m.image_max_bytes = in.read_int();
        else if (key == "video_max_bytes") m.video_max_bytes = in.read_int();
        else if (key == "file_max_bytes") m.file_max_bytes = in.read_int();
        else if (key == "link_title_max_bytes") m.link_title_max_bytes = in.read_int();
        else if (key == "link_desc_max_bytes") m.link_desc_max_bytes = in.read_int();
        else if (key == "link_url_max_bytes") m.link_url_max_bytes = in.read_int();
        else if (key == "miniprogram_title_max_bytes") m.miniprogram_title_max_bytes = in.read_int();
        else in.skip_value();
    }
}

}  // namespace

Rules load_rules(std::string_view json_text, const std::string& source) {
    JsonReader in(json_text, source);
    Rules r;
    in.begin_object();
    bool has_format = false, has_quotas = false, has_policies = false, has_hours = false, has_multi = false,
         has_industries = false, has_verified = false;
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "format") {
            in.read_enum({"reachlens.rules/1"});
            has_format = true;
        } else if (key == "name") r.name = in.read_string_copy();
        else if (key == "quotas") {
            r.quotas = read_quotas(in);
            has_quotas = true;
        } else if (key == "policies") {
            r.policies = read_quotas(in);
            has_policies = true;
        } else if (key == "not_interested_hours") {
            r.not_interested_hours = in.read_int();
            has_hours = true;
        } else if (key == "multi_sender") {
            std::string at = in.pointer();
            in.begin_object();
            bool has_moment = false, has_mass = false;
            std::string_view k2;
            while (in.next_key(k2)) {
                if (k2 == "moment") {
                    r.moment_multi_sender = read_multi_sender_value(in);
                    has_moment = true;
                } else if (k2 == "mass_send") {
                    r.mass_send_multi_sender = read_multi_sender_value(in);
                    has_mass = true;
                } else in.skip_value();
            }
            if (!has_moment) missing(in, at, "moment");
            if (!has_mass) missing(in, at, "mass_send");
            has_multi = true;
        } else if (key == "moments_excluded_industries") {
            in.begin_array();
            while (in.next_element()) r.moments_excluded_industries.push_back(in.read_string_copy());
            has_industries = true;
        } else if (key == "moments_require_verified") {
            r.moments_require_verified = in.read_bool();
            has_verified = true;
        } else if (key == "content") {
            in.begin_object();
            std::string_view k2;
            while (in.next_key(k2)) {
                if (k2 == "moment") read_moment_limits(in, r.moment_limits);
                else if (k2 == "mass_send") read_mass_send_limits(in, r.mass_send_limits);
                else in.skip_value();
            }
        } else in.skip_value();
    }
    in.expect_end();
    if (!has_format) missing(in, "", "format");
    if (!has_quotas) missing(in, "", "quotas");
    if (!has_policies) missing(in, "", "policies");
    if (!has_hours) missing(in, "", "not_interested_hours");
    if (!has_multi) missing(in, "", "multi_sender");
    if (!has_industries) missing(in, "", "moments_excluded_industries");
    if (!has_verified) missing(in, "", "moments_require_verified");
    return r;
}

Rules preset_rules(std::string_view name) {
    for (const auto& [preset, text] : embedded_rule_presets())
        if (preset == name) return load_rules(text, "assets/rules/" + std::string(preset) + ".json");
    std::string known;
    for (const auto& p : embedded_rule_presets()) known += (known.empty() ? "" : ", ") + std::string(p.first);
    throw std::invalid_argument("unknown rules preset \"" + std::string(name) + "\" (known: " + known + ")");
}

std::vector<std::string> preset_names() {
    std::vector<std::string> out;
    for (const auto& p : embedded_rule_presets()) out.emplace_back(p.first);
    return out;
}

}  // namespace rl
