#pragma once
// Shared by the libFuzzer targets (fuzz/CMakeLists.txt): a small fixed tenant, rules and
// draft, so a target that fuzzes one input can still run the whole preview on it.
// Every InputError is an expected answer; anything else escaping (another exception, a
// crash, a sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/model/campaign.h"
#include "core/model/dataset.h"
#include "core/read/input_error.h"
#include "core/read/json_reader.h"
#include "core/output/report.h"
#include "core/model/rules.h"
#include "core/simulation/simulation.h"

namespace rl_fuzz {

// Two employees, three customers, history at the int64-safe edges of a normal tenant.
inline constexpr std::string_view kTenant = R"({
 "format":"reachlens.dataset/1",
 "enterprise":{"corp_name":"Fuzz","industry":"retail","verified":true,"tz_offset_minutes":480},
 "now":1767225600,
 "departments":[{"id":1,"name":"HQ","parentid":0},{"id":2,"name":"Shop","parentid":1}],
 "employees":[
  {"userid":"u1","name":"A","department":[1],"status":"active","moments_enabled":true},
  {"userid":"u2","name":"B","department":[2],"status":"active","moments_enabled":true}],
 "tag_groups":[{"group_id":"g1","group_name":"G","tags":[{"id":"t1","name":"T1"},{"id":"t2","name":"T2"}]}],
 "customers":[
  {"external_userid":"c1","name":"C1","gender":1,"attributes":{"vip":true,"spend":12.5,"city":"上海"},
   "follow_user":[{"userid":"u1","createtime":1767000000,"tag_id":["t1"],"state":"","deleted":false}]},
  {"external_userid":"c2","name":"C2","gender":2,"attributes":{},
   "follow_user":[{"userid":"u1","createtime":1760000000,"tag_id":["t2"],"state":"","deleted":false},
                  {"userid":"u2","createtime":1761000000,"tag_id":[],"state":"","deleted":false,"last_chat_time":1767000000}]},
  {"external_userid":"c3","name":"C3","gender":0,"attributes":{"spend":3},
   "follow_user":[{"userid":"u2","createtime":1700000000,"tag_id":["t1","t2"],"state":"","deleted":true}]}],
 "deliveries":[{"campaign_id":"p","kind":"mass_send","origin":"enterprise","external_userid":"c1","userid":"u1","time":1767100000}],
 "not_interested":[{"external_userid":"c2","userid":"u1","time":1767200000}],
 "scheduled":[{"id":"s1","kind":"moment","origin":"enterprise","send_time":1767300000,
   "senders":{"user_list":[],"department_list":[]},"audience":{"tag_list":["t1"]},"content":{"text":"hi"}}]
})";

inline constexpr std::string_view kDraft = R"({"format":"reachlens.campaign/1","id":"d","kind":"mass_send",
 "origin":"enterprise","send_time":1767230000,"audience":{"filter":{"any":[{"tags_any":["t1"]},{"attr":"spend","op":"gt","value":5}]}},
 "content":{"text":"hello"}})";

inline const rl::Dataset& tenant() {
    static const rl::Dataset data = rl::load_dataset(kTenant, "tenant.json");
    return data;
}

inline std::string_view as_text(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// The preview and its summary, as the CLI and the page compute them.
inline void preview(const rl::Dataset& data, const rl::Campaign& draft, const rl::Rules& rules) {
    rl::PreviewResult result = rl::run_preview(data, draft, rules);
    (void)rl::summary_json(data, result).dump();
}

}  // namespace rl_fuzz
