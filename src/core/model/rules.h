#pragma once
// A rules profile (contract 1.3): platform quotas, the brand's policies, and limits.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model/campaign.h"
#include "core/time/time_windows.h"

namespace rl {

enum class MultiSender : uint8_t { Each, FirstAdded, LastChat };

struct Quota {
    std::string id;
    std::optional<Kind> kind;  // empty = any
    std::optional<Origin> origin;  // empty = any
    int64_t count = 0;
    bool count_is_days_in_month = false;
    Window window = Window::Day;
    int64_t days = 0;  // rolling_days
    bool per_sender = false;  // per customer_sender
    bool per_group = false;  // per group (contract 8.1)
    // Whether it applies to a campaign (counts a delivery) of this kind and origin. A
    // per-group quota is about group sends only, every other about customer sends only,
    // whatever its kind says (`any` included).
    bool matches(Kind k, Origin o) const {
        return (!kind || *kind == k) && (!origin || *origin == o) && per_group == (k == Kind::GroupSend);
    }
};

struct MomentLimits {
    int64_t text_max_chars = 2000, image_max_count = 9, video_max_count = 1, link_max_count = 1;
    int64_t image_max_bytes = 10485760, image_max_pixels = 1555200, video_max_bytes = 10485760;
    double video_max_seconds = 15;
    int64_t link_title_max_bytes = 64;
};

struct MassSendLimits {
    int64_t text_max_bytes = 4000, attachments_max_count = 9, image_max_bytes = 10485760;
    int64_t video_max_bytes = 10485760, file_max_bytes = 20971520, link_title_max_bytes = 128;
    int64_t link_desc_max_bytes = 512, link_url_max_bytes = 2048, miniprogram_title_max_bytes = 64;
};

struct Rules {
    std::string name;
    std::vector<Quota> quotas;
    std::vector<Quota> policies;
    int64_t not_interested_hours = 168;
    MultiSender moment_multi_sender = MultiSender::FirstAdded;
    MultiSender mass_send_multi_sender = MultiSender::Each;
    std::vector<std::string> moments_excluded_industries;
    bool moments_require_verified = true;
    MomentLimits moment_limits;
    MassSendLimits mass_send_limits;
};

Rules load_rules(std::string_view json_text, const std::string& source);
// The presets shipped under assets/rules/ (compiled in). Throws std::invalid_argument for an unknown name.
Rules preset_rules(std::string_view name);
std::vector<std::string> preset_names();
const char* multi_sender_name(MultiSender m);
const char* window_name(Window w);

}  // namespace rl
