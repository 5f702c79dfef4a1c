#pragma once
// Bounds on everything a client controls (issue 10): a campaign, its audience expression
// and the timeline of scheduled campaigns a check replays. A limit passed is an InputError
// naming the limit and the place (JSON pointer), raised while loading, before any
// simulation, so a refused input costs no more than reading it. The numbers are stated in
// docs/limits.md and docs/contract-readings.md; the server's tests submit a campaign at
// each limit and one past it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/time/time_windows.h"

namespace rl {

class JsonReader;
struct Campaign;
struct Dataset;

namespace limits {

// Times: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. Every time read (now, send_time,
// createtime, last_chat_time, deliveries, not-interested events, group create and join
// times) is in this range, so
// window arithmetic (t ± days·86400, t + hours·3600) never nears the int64 edges.
inline constexpr Time kMinTime = -62135596800;
inline constexpr Time kMaxTime = 253402300799;

inline constexpr size_t kCampaignMaxBytes = 1 << 20;  // a campaign document (the draft)
inline constexpr size_t kRulesMaxBytes = 1 << 20;  // a rules profile document
inline constexpr size_t kErrorLineMaxBytes = 2000;  // one error line (CLI, server)
inline constexpr size_t kStringMaxBytes = 64 * 1024;  // any string of a campaign
inline constexpr size_t kListMaxItems = 10000;  // one id list / `in` list / tag_filter
inline constexpr size_t kCampaignMaxListItems = 10000;  // all lists of one campaign together
inline constexpr size_t kExpressionMaxNodes = 1000;  // audience filter nodes
inline constexpr size_t kExpressionMaxDepth = 32;  // nesting of all / any / not
inline constexpr size_t kAttachmentsMax = 50;  // attachments of one campaign

// A check replays every scheduled campaign with the draft: its cost grows with their
// total work (1 per campaign + expression nodes + list items). Bounding the total bounds
// every later check, whatever was accepted before.
inline constexpr size_t kTimelineMaxWork = 50000;

}  // namespace limits

// Reads an integer time within [kMinTime, kMaxTime].
Time read_time(JsonReader& in);
// Reads a non-negative integer (sizes, dimensions).
int64_t read_non_negative(JsonReader& in);
// Throws when a string read at the reader's current value is over kStringMaxBytes.
void check_string_size(const JsonReader& in, size_t bytes);

// An input error as one line of at most kErrorLineMaxBytes: control characters (a "\n"
// inside a quoted value) escaped as \n, \t or \u00XX, and a longer line cut at a UTF-8
// character boundary with "…" appended.
std::string one_line(std::string_view text);

// The work a campaign adds to every check that replays it.
size_t campaign_work(const Campaign& c);
// Throws InputError when the dataset's scheduled campaigns and the draft together pass
// kTimelineMaxWork (pointer: the draft's audience, in `draft_source`).
void check_timeline_work(const Dataset& data, const Campaign& draft, const std::string& draft_source);

}  // namespace rl
