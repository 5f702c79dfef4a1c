#include "core/read/input_limits.h"

#include <algorithm>
#include <cstdio>

#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/read/json_reader.h"

namespace rl {

Time read_time(JsonReader& in) {
    Time t = in.read_int();
    if (t < limits::kMinTime || t > limits::kMaxTime)
        in.fail("time " + std::to_string(t) + " is outside the supported range " + std::to_string(limits::kMinTime) +
                    " (year 1) to " + std::to_string(limits::kMaxTime) + " (year 9999)",
                "input.time_out_of_range", {param_text("value", std::to_string(t))});
    return t;
}

int64_t read_non_negative(JsonReader& in) {
    int64_t v = in.read_int();
    if (v < 0) in.fail("must not be negative, got " + std::to_string(v), "input.negative", {param_number("value", v)});
    return v;
}

void check_string_size(const JsonReader& in, size_t bytes) {
    if (bytes > limits::kStringMaxBytes)
        in.fail("string of " + std::to_string(bytes) + " bytes is over the limit of " + std::to_string(limits::kStringMaxBytes) +
                    " bytes",
                "input.string_too_long",
                {param_bytes("actual", static_cast<int64_t>(bytes)),
                 param_bytes("limit", static_cast<int64_t>(limits::kStringMaxBytes))});
}

std::string one_line(std::string_view text) {
    std::string out;
    out.reserve(std::min(text.size(), limits::kErrorLineMaxBytes) + 8);
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char ch = static_cast<unsigned char>(text[i]);
        if (out.size() >= limits::kErrorLineMaxBytes) {
            // Never split a UTF-8 sequence: drop the last (maybe partial) multibyte character.
            while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
            if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
            out += "\xE2\x80\xA6";  // "…"
            break;
        }
        if (ch == '\n') out += "\\n";
        else if (ch == '\r') out += "\\r";
        else if (ch == '\t') out += "\\t";
        else if (ch < 0x20 || ch == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04X", ch);
            out += buf;
        } else out.push_back(static_cast<char>(ch));
    }
    return out;
}

size_t campaign_work(const Campaign& c) { return 1 + c.expression_nodes + c.list_items; }

void check_timeline_work(const Dataset& data, const Campaign& draft, const std::string& draft_source) {
    size_t work = campaign_work(draft);
    for (const Campaign& s : data.scheduled) work += campaign_work(s);
    if (work > limits::kTimelineMaxWork)
        throw InputError(draft_source, draft.kind == Kind::Moment ? "/audience/tag_list" : "/audience/filter",
                         "the scheduled campaigns and this draft add up to " + std::to_string(work) +
                             " units of work (1 per campaign, 1 per expression node, 1 per list item), over the limit of " +
                             std::to_string(limits::kTimelineMaxWork) + " per check",
                         "input.draft_work_limit",
                         {param_number("actual", static_cast<int64_t>(work)),
                          param_number("limit", static_cast<int64_t>(limits::kTimelineMaxWork))});
}

}  // namespace rl
