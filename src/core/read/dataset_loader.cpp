// Reads a reachlens.dataset/1 document straight into the columnar Dataset.
// Sections may come in any order, so references to employees, tags and departments
// are numbered at first sight and checked once the whole document is read.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "core/audience/audience.h"
#include "core/model/dataset.h"
#include "core/read/input_limits.h"
#include "core/read/json_reader.h"
#include "core/read/snapshot.h"

namespace rl {

uint32_t Dataset::find_department(int64_t id) const {
    auto it = std::lower_bound(department_index.begin(), department_index.end(), std::make_pair(id, uint32_t(0)));
    return (it != department_index.end() && it->first == id) ? it->second : kNone;
}

void AttrColumn::append(uint32_t c, const AttrValue& v) {
    Cell cell{};
    uint8_t slot = kMissing;
    switch (v.type) {
        case Scalar::Type::Number:
            slot = kNumber;
            cell.number = v.number;
            break;
        case Scalar::Type::String:
            slot = kString;
            cell.text = v.text;
            break;
        case Scalar::Type::Bool:
            slot = kBool;
            cell.boolean = v.boolean;
            break;
    }
    customers_.push_back(c);
    slots_.push_back(slot);
    cells_.push_back(cell);
}

void AttrColumn::finish(uint32_t customer_count) {
    dense_ = customers_.size() * 8 >= customer_count;
    if (dense_) {
        std::vector<uint8_t> slots(customer_count, kMissing);
        std::vector<Cell> cells(customer_count, Cell{});
        for (size_t i = 0; i < customers_.size(); ++i) {
            slots[customers_[i]] = slots_[i];
            cells[customers_[i]] = cells_[i];
        }
        slots_.swap(slots);
        cells_.swap(cells);
        customers_.clear();
    }
    slots_.shrink_to_fit();
    cells_.shrink_to_fit();
    customers_.shrink_to_fit();
    narrow_if_exact();
}

void AttrColumn::narrow_if_exact() {
    if (!narrow_.empty() || cells_.empty()) return;
    for (size_t i = 0; i < cells_.size(); ++i) {
        if (slots_[i] != kNumber) continue;
        const double x = cells_[i].number;
        // Not -0.0: it would come back as +0 (a difference no rule sees, but kept exact).
        if (!(x >= INT32_MIN && x <= INT32_MAX) || double(static_cast<int32_t>(x)) != x || (x == 0 && std::signbit(x))) return;
    }
    narrow_.resize(cells_.size());
    for (size_t i = 0; i < cells_.size(); ++i)
        narrow_[i] = slots_[i] == kNumber   ? static_cast<uint32_t>(static_cast<int32_t>(cells_[i].number))
                     : slots_[i] == kString ? cells_[i].text
                     : slots_[i] == kBool   ? uint32_t(cells_[i].boolean)
                                            : 0;
    std::vector<Cell>().swap(cells_);
}

size_t GroupChats::memory_bytes() const {
    auto v = [](const auto& vec) { return vec.capacity() * sizeof(vec[0]); };
    return ids.memory_bytes() + names.memory_bytes() + v(owner) + v(status) + v(create_time) + v(member_count) + v(member_begin) +
           v(member_customer) + v(member_join) + v(by_chat_id) + v(customer_group_count) + v(delivery_begin) + v(deliveries) +
           delivery_campaign.memory_bytes();
}

void GroupChats::index(uint32_t customer_count) {
    const uint32_t n = size();
    by_chat_id.resize(n);
    std::iota(by_chat_id.begin(), by_chat_id.end(), 0);
    std::sort(by_chat_id.begin(), by_chat_id.end(), [&](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
    customer_group_count.assign(customer_count, 0);
    for (uint32_t c : member_customer) ++customer_group_count[c];
    latest_join = INT64_MIN;
    for (uint32_t k = 0; k < n; ++k)  // each group's members are in join_time order
        if (member_begin[k + 1] > member_begin[k]) latest_join = std::max(latest_join, member_join[member_begin[k + 1] - 1]);
}

std::vector<Dataset::MemoryPart> Dataset::memory_parts() const {
    auto v = [](const auto& vec) { return vec.capacity() * sizeof(vec[0]); };
    size_t attribute_bytes = attribute_names.memory_bytes() + strings.memory_bytes();
    for (const AttrColumn& column : attributes) attribute_bytes += column.memory_bytes();
    size_t past_campaign_bytes = v(past_campaigns);  // plus each id's own bytes (some fit in the string itself)
    for (const PastCampaign& c : past_campaigns) past_campaign_bytes += c.id.size();
    return {
        {"customer ids", customer_ids.memory_bytes() + v(by_external_userid)},
        {"customer names", customer_names.memory_bytes()},
        {"gender", v(gender)},
        {"relations", v(relation_begin) + v(relations)},
        {"relation senders", v(relation_sender)},
        {"relation tags", v(relation_tags)},
        {"customer tags", v(tag_begin) + v(customer_tags)},
        {"attributes", attribute_bytes},
        {"deliveries", v(delivery_begin) + v(deliveries)},
        {"delivery campaigns", delivery_campaign.memory_bytes()},
        {"not interested", v(not_interested_begin) + v(not_interested)},
        {"groups", groups.memory_bytes()},
        {"past campaigns", past_campaign_bytes},
        {"employees and tags", employee_index.memory_bytes() + tag_index.memory_bytes() + v(employees) + v(tags)},
    };
}

size_t Dataset::memory_bytes() const {
    size_t total = 0;
    for (const MemoryPart& part : memory_parts()) total += part.bytes;
    return total;
}

namespace {

const char* const kIndustries[] = {"retail", "education", "tobacco_alcohol", "finance", "pharma", "government", "other"};

[[noreturn]] void missing(const JsonReader& in, const std::string& object_pointer, const char* field) {
    in.fail_missing(object_pointer, field);
}

// Ids numbered at first sight; `defined` once their own record is read.
struct Forward {
    std::vector<uint8_t> defined;
    std::unordered_map<uint32_t, std::string> first_reference;  // pointer, for ids not yet defined
    void grow(uint32_t n) {
        if (defined.size() < n) defined.resize(n, 0);
    }
    void reference(uint32_t id, const JsonReader& in) {
        grow(id + 1);
        if (!defined[id] && !first_reference.count(id)) first_reference.emplace(id, in.pointer());
    }
};

class DatasetLoader {
public:
    DatasetLoader(std::string_view text, const std::string& source) : in_(text, source), in_text_(text) {}
    DatasetLoader& on_progress(const ReadProgress& progress, size_t every_bytes) {
        in_.on_progress(progress, every_bytes);
        return *this;
    }

    Dataset load() {
        in_.begin_object();
        bool has_format = false, has_enterprise = false, has_now = false;
        std::string_view key;
        while (in_.next_key(key)) {
            if (key == "format") {
                in_.read_enum({"reachlens.dataset/1"});
                has_format = true;
            } else if (key == "enterprise") {
                read_enterprise();
                has_enterprise = true;
            } else if (key == "now") {
                d_.now = read_time(in_);
                has_now = true;
            } else if (key == "departments") read_departments();
            else if (key == "employees") read_employees();
            else if (key == "tag_groups") read_tag_groups();
            else if (key == "customers") read_customers();
            else if (key == "deliveries") read_deliveries();
            else if (key == "not_interested") read_not_interested();
            else if (key == "scheduled") read_scheduled();
            else if (key == "groupchats") read_groupchats();
            else if (key == "attribute_meta") {
                const size_t begin = in_.offset();
                d_.attribute_meta = read_attribute_meta(in_);
                d_.attribute_meta_json = std::string(in_text_.substr(begin, in_.offset() - begin));
            } else in_.skip_value();
        }
        in_.expect_end();
        if (!has_format) missing(in_, "", "format");
        if (!has_enterprise) missing(in_, "", "enterprise");
        if (!has_now) missing(in_, "", "now");
        finish();
        return std::move(d_);
    }

private:
    void read_enterprise() {
        std::string at = in_.pointer();
        in_.begin_object();
        bool has_name = false, has_industry = false, has_verified = false;
        std::string_view key;
        while (in_.next_key(key)) {
            if (key == "corp_name") {
                d_.enterprise.corp_name = in_.read_string_copy();
                has_name = true;
            } else if (key == "industry") {
                std::string_view s = in_.read_string();
                if (std::find(std::begin(kIndustries), std::end(kIndustries), s) == std::end(kIndustries))
                    in_.fail("unknown industry \"" + std::string(s) +
                                 "\" (expected retail, education, tobacco_alcohol, finance, pharma, government or other)",
                             "input.unknown_industry", {param_text("value", std::string(s))});
                d_.enterprise.industry = std::string(s);
                has_industry = true;
            } else if (key == "verified") {
                d_.enterprise.verified = in_.read_bool();
                has_verified = true;
            } else if (key == "tz_offset_minutes") {
                int64_t tz = in_.read_int();
                if (tz < -24 * 60 || tz > 24 * 60)
                    in_.fail("tz_offset_minutes must be between -1440 and 1440", "input.tz_out_of_range",
                             {param_text("value", std::to_string(tz))});
                d_.enterprise.tz_offset_minutes = static_cast<int>(tz);
            } else in_.skip_value();
        }
        if (!has_name) missing(in_, at, "corp_name");
        if (!has_industry) missing(in_, at, "industry");
        if (!has_verified) missing(in_, at, "verified");
    }

    // ---- departments: ids are integers, numbered at first sight
    uint32_t department_ref(int64_t id) {
        auto [it, added] = department_numbers_.emplace(id, static_cast<uint32_t>(d_.departments.size()));
        if (added) {
            d_.departments.emplace_back();
            d_.departments.back().id = id;
        }
        departments_.reference(it->second, in_);
        return it->second;
    }

    void read_departments() {
        in_.begin_array();
        while (in_.next_element()) {
            std::string at = in_.pointer();
            in_.begin_object();
            bool has_id = false, has_name = false, has_parent = false;
            int64_t id = 0, parentid = 0;
            std::string name, id_pointer, parent_pointer;
            std::string_view key;
            while (in_.next_key(key)) {
                if (key == "id") {
                    id_pointer = in_.pointer();
                    id = in_.read_int();
                    has_id = true;
                } else if (key == "name") {
                    name = in_.read_string_copy();
                    has_name = true;
                } else if (key == "parentid") {
                    parent_pointer = in_.pointer();
                    parentid = in_.read_int();
                    has_parent = true;
                } else in_.skip_value();
            }
            if (!has_id) missing(in_, at, "id");
            if (!has_name) missing(in_, at, "name");
            if (!has_parent) missing(in_, at, "parentid");
            auto [it, added] = department_numbers_.emplace(id, static_cast<uint32_t>(d_.departments.size()));
            if (added) d_.departments.emplace_back();
            uint32_t index = it->second;
            departments_.grow(index + 1);
            if (departments_.defined[index])
                throw InputError(in_.source(), id_pointer, "duplicate department id " + std::to_string(id), "input.duplicate_id",
                                 {param_term("what", "department"), param_text("id", std::to_string(id))});
            departments_.defined[index] = 1;
            departments_.first_reference.erase(index);
            Department& dep = d_.departments[index];
            dep.id = id;
            dep.name = std::move(name);
            dep.parentid = parentid;
            pending_parents_.push_back({index, parentid, parent_pointer});
        }
    }

    // ---- employees
    uint32_t employee_ref(std::string_view userid) {
        auto [e, added] = d_.employee_index.intern(userid);
        if (added) {
            d_.employees.emplace_back();
            d_.employees.back().userid = std::string(userid);
        }
        employees_.reference(e, in_);
        return e;
    }

    void read_employees() {
        in_.begin_array();
        while (in_.next_element()) {
            std::string at = in_.pointer();
            in_.begin_object();
            bool has_userid = false, has_name = false, has_dept = false, has_status = false, has_moments = false;
            Employee emp;
            std::string userid_pointer;
            std::string_view key;
            while (in_.next_key(key)) {
                if (key == "userid") {
                    userid_pointer = in_.pointer();
                    emp.userid = in_.read_string_copy();
                    has_userid = true;
                } else if (key == "name") {
                    emp.name = in_.read_string_copy();
                    has_name = true;
                } else if (key == "department") {
                    in_.begin_array();
                    while (in_.next_element()) emp.departments.push_back(department_ref(in_.read_int()));
                    has_dept = true;
                } else if (key == "status") {
                    emp.active = in_.read_enum({"active", "resigned"}) == 0;
                    has_status = true;
                } else if (key == "moments_enabled") {
                    emp.moments_enabled = in_.read_bool();
                    has_moments = true;
                } else in_.skip_value();
            }
            if (!has_userid) missing(in_, at, "userid");
            if (!has_name) missing(in_, at, "name");
            if (!has_dept) missing(in_, at, "department");
            if (!has_status) missing(in_, at, "status");
            if (!has_moments) missing(in_, at, "moments_enabled");
            auto [index, added] = d_.employee_index.intern(emp.userid);
            if (index >= PastDelivery::kMaxEmployees)  // a delivery keeps its employee in 21 bits
                throw InputError(
                    in_.source(), at,
                    "more than " + std::to_string(PastDelivery::kMaxEmployees) + " employees (the most a tenant holds)",
                    "input.too_many_employees", {param_number("limit", int64_t(PastDelivery::kMaxEmployees))});
            if (added) d_.employees.emplace_back();
            employees_.grow(index + 1);
            if (employees_.defined[index])
                throw InputError(in_.source(), userid_pointer, "duplicate userid \"" + emp.userid + "\"", "input.duplicate_id",
                                 {param_term("what", "employee"), param_text("id", emp.userid)});
            employees_.defined[index] = 1;
            employees_.first_reference.erase(index);
            d_.employees[index] = std::move(emp);
        }
    }

    // ---- tags
    uint32_t tag_ref(std::string_view id) {
        auto [t, added] = d_.tag_index.intern(id);
        if (added) {
            d_.tags.emplace_back();
            d_.tags.back().id = std::string(id);
        }
        tags_.reference(t, in_);
        return t;
    }

    void read_tag_groups() {
        in_.begin_array();
        while (in_.next_element()) {
            std::string at = in_.pointer();
            in_.begin_object();
            TagGroup group;
            uint32_t group_index = static_cast<uint32_t>(d_.tag_groups.size());
            bool has_id = false, has_name = false, has_tags = false;
            std::string_view key;
            while (in_.next_key(key)) {
                if (key == "group_id") {
                    group.group_id = in_.read_string_copy();
                    has_id = true;
                } else if (key == "group_name") {
                    group.name = in_.read_string_copy();
                    has_name = true;
                } else if (key == "tags") {
                    has_tags = true;
                    in_.begin_array();
                    while (in_.next_element()) {
                        std::string tag_at = in_.pointer();
                        in_.begin_object();
                        Tag tag;
                        bool has_tag_id = false, has_tag_name = false;
                        std::string id_pointer;
                        std::string_view k2;
                        while (in_.next_key(k2)) {
                            if (k2 == "id") {
                                id_pointer = in_.pointer();
                                tag.id = in_.read_string_copy();
                                has_tag_id = true;
                            } else if (k2 == "name") {
                                tag.name = in_.read_string_copy();
                                has_tag_name = true;
                            } else in_.skip_value();
                        }
                        if (!has_tag_id) missing(in_, tag_at, "id");
                        if (!has_tag_name) missing(in_, tag_at, "name");
                        auto [index, added] = d_.tag_index.intern(tag.id);
                        if (added) d_.tags.emplace_back();
                        tags_.grow(index + 1);
                        if (tags_.defined[index])
                            throw InputError(in_.source(), id_pointer, "duplicate tag id \"" + tag.id + "\"",
                                             "input.duplicate_id", {param_term("what", "tag"), param_text("id", tag.id)});
                        tags_.defined[index] = 1;
                        tags_.first_reference.erase(index);
                        tag.group = group_index;
                        d_.tags[index] = std::move(tag);
                        group.tags.push_back(index);
                    }
                } else in_.skip_value();
            }
            if (!has_id) missing(in_, at, "group_id");
            if (!has_name) missing(in_, at, "group_name");
            if (!has_tags) missing(in_, at, "tags");
            d_.tag_groups.push_back(std::move(group));
        }
    }

    // ---- customers
    struct PendingRelation {
        Relation r;
        uint32_t input_order;
        uint32_t tags_begin, tag_count;  // into relation_tags_scratch_
    };

    void read_relation(uint32_t input_order) {
        std::string_view key;
        std::string at;  // built only when a field is missing
        in_.begin_object();
        PendingRelation p{};
        p.input_order = input_order;
        p.tags_begin = static_cast<uint32_t>(relation_tags_scratch_.size());
        bool has_userid = false, has_createtime = false, has_tags = false, has_state = false, has_deleted = false;
        while (in_.next_key(key)) {
            if (key == "userid") {
                p.r.employee = employee_ref(in_.read_string());
                has_userid = true;
            } else if (key == "createtime") {
                p.r.createtime = read_time(in_);
                has_createtime = true;
            } else if (key == "tag_id") {
                in_.begin_array();
                while (in_.next_element()) relation_tags_scratch_.push_back(tag_ref(in_.read_string()));
                has_tags = true;
            } else if (key == "state") {
                p.r.state = d_.strings.intern(in_.read_string()).first;
                has_state = true;
            } else if (key == "deleted") {
                p.r.deleted = in_.read_bool();
                has_deleted = true;
            } else if (key == "last_chat_time") {
                p.r.last_chat_time = read_time(in_);
                p.r.has_last_chat = true;
            } else in_.skip_value();
        }
        p.tag_count = static_cast<uint32_t>(relation_tags_scratch_.size()) - p.tags_begin;
        if (!(has_userid && has_createtime && has_tags && has_state && has_deleted)) {
            at = in_.pointer();
            missing(in_, at,
                    !has_userid       ? "userid"
                    : !has_createtime ? "createtime"
                    : !has_tags       ? "tag_id"
                    : !has_state      ? "state"
                                      : "deleted");
        }
        note_time(p.r.createtime);
        relations_scratch_.push_back(p);
    }

    void read_attributes() {
        in_.begin_object();
        std::string_view key;
        while (in_.next_key(key)) {
            AttrValue v;
            const uint32_t name = d_.attribute_names.intern(key).first;
            switch (in_.peek()) {
                case JsonType::Number:
                    v.type = Scalar::Type::Number;
                    v.number = in_.read_number();
                    break;
                case JsonType::String:
                    v.type = Scalar::Type::String;
                    v.text = d_.strings.intern(in_.read_string()).first;
                    break;
                case JsonType::Bool:
                    v.type = Scalar::Type::Bool;
                    v.boolean = in_.read_bool();
                    break;
                default: in_.fail_type("a number, string or boolean (attribute value)");
            }
            attrs_scratch_.push_back({name, v});
        }
    }

    void read_customers() {
        in_.begin_array();
        uint32_t index = 0;
        d_.relation_begin.assign(1, 0);
        d_.tag_begin.assign(1, 0);
        std::vector<uint32_t> order, tags;
        while (in_.next_element()) {
            in_.begin_object();
            relations_scratch_.clear();
            relation_tags_scratch_.clear();
            attrs_scratch_.clear();
            bool has_id = false, has_name = false, has_gender = false, has_attributes = false, has_follow = false;
            std::string_view key;
            uint32_t customer = kNone;
            int64_t gender = 0;
            std::string_view name;
            std::string name_copy;
            while (in_.next_key(key)) {
                if (key == "external_userid") {
                    auto [c, added] = d_.customer_ids.intern(in_.read_string());
                    if (!added)
                        in_.fail("duplicate external_userid \"" + std::string(d_.customer_ids[c]) + "\"", "input.duplicate_id",
                                 {param_term("what", "customer"), param_text("id", std::string(d_.customer_ids[c]))});
                    customer = c;
                    has_id = true;
                } else if (key == "name") {
                    name_copy = in_.read_string();
                    has_name = true;
                } else if (key == "gender") {
                    gender = in_.read_int();
                    if (gender < 0 || gender > 2)
                        in_.fail("gender must be 0, 1 or 2, got " + std::to_string(gender), "input.not_allowed",
                                 {param_text("value", std::to_string(gender)), param_text("allowed", "0, 1, 2")});
                    has_gender = true;
                } else if (key == "attributes") {
                    read_attributes();
                    has_attributes = true;
                } else if (key == "follow_user") {
                    in_.begin_array();
                    uint32_t n = 0;
                    while (in_.next_element()) read_relation(n++);
                    has_follow = true;
                } else in_.skip_value();
            }
            (void)name;
            std::string at;
            if (!(has_id && has_name && has_gender && has_attributes && has_follow)) {
                at = in_.pointer();
                missing(in_, at,
                        !has_id           ? "external_userid"
                        : !has_name       ? "name"
                        : !has_gender     ? "gender"
                        : !has_attributes ? "attributes"
                                          : "follow_user");
            }
            (void)customer;  // equals `index`: customers are numbered in input order
            d_.customer_names.add(name_copy);
            d_.gender.push_back(static_cast<uint8_t>(gender));

            // Relations in pair order: (createtime, userid bytewise, input order).
            order.resize(relations_scratch_.size());
            std::iota(order.begin(), order.end(), 0);
            std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
                const PendingRelation& x = relations_scratch_[a];
                const PendingRelation& y = relations_scratch_[b];
                if (x.r.createtime != y.r.createtime) return x.r.createtime < y.r.createtime;
                if (x.r.employee != y.r.employee) {
                    int cmp = d_.employee_index[x.r.employee].compare(d_.employee_index[y.r.employee]);
                    if (cmp != 0) return cmp < 0;
                }
                return x.input_order < y.input_order;
            });
            tags.clear();
            for (uint32_t i : order) {
                PendingRelation& p = relations_scratch_[i];
                p.r.tags_begin = static_cast<uint32_t>(d_.relation_tags.size());
                p.r.tag_count = static_cast<uint16_t>(std::min<uint32_t>(p.tag_count, 0xFFFF));
                d_.relation_tags.insert(d_.relation_tags.end(), relation_tags_scratch_.begin() + p.tags_begin,
                                        relation_tags_scratch_.begin() + p.tags_begin + p.r.tag_count);
                if (!p.r.deleted)
                    tags.insert(tags.end(), relation_tags_scratch_.begin() + p.tags_begin,
                                relation_tags_scratch_.begin() + p.tags_begin + p.tag_count);
                d_.relations.push_back(p.r);
                d_.relation_sender.push_back(p.r.employee | (p.r.deleted ? Dataset::kRelationDeleted : 0));
            }
            d_.relation_begin.push_back(static_cast<uint32_t>(d_.relations.size()));
            std::sort(tags.begin(), tags.end());
            tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
            d_.customer_tags.insert(d_.customer_tags.end(), tags.begin(), tags.end());
            d_.tag_begin.push_back(static_cast<uint32_t>(d_.customer_tags.size()));
            if (d_.attributes.size() < d_.attribute_names.size()) d_.attributes.resize(d_.attribute_names.size());
            for (const auto& [name, value] : attrs_scratch_) d_.attributes[name].append(index, value);
            ++index;
        }
        customers_read_ = true;
        resolve_stashed_customers();
    }

    // ---- deliveries and not-interested events (customers may come later in the file)
    struct RawDelivery {
        uint32_t customer;
        Delivery d;
    };
    struct RawGroupDelivery {
        std::string chat_id;
        Delivery d;
    };
    struct StashedMember {
        uint32_t group;
        std::string external_userid;
        Time join;
    };
    struct RawEvent {
        uint32_t customer;
        NotInterested n;
    };

    uint32_t customer_ref(std::string_view external_userid, uint32_t stash_slot) {
        if (customers_read_) return d_.customer_ids.find(external_userid);
        stashed_customer_ids_.push_back({stash_slot, std::string(external_userid)});
        return kNone;
    }

    void note_time(Time t) {
        if (!time_seen_) {
            d_.earliest_time = d_.latest_time = t;
            time_seen_ = true;
        }
        d_.earliest_time = std::min(d_.earliest_time, t);
        d_.latest_time = std::max(d_.latest_time, t);
    }

    void read_deliveries() {
        in_.begin_array();
        while (in_.next_element()) {
            in_.begin_object();
            bool has_campaign = false, has_kind = false, has_origin = false, has_customer = false, has_userid = false,
                 has_time = false, has_chat = false;
            uint32_t campaign = 0, employee = 0, customer = kNone;
            Kind kind = Kind::Moment;
            Origin origin = Origin::Enterprise;
            Time time = 0;
            std::string chat_id, customer_pointer, chat_pointer;
            uint32_t slot = static_cast<uint32_t>(raw_deliveries_.size());
            std::string_view key;
            while (in_.next_key(key)) {
                if (key == "campaign_id") {
                    auto [id, added] = past_campaign_ids_.intern(in_.read_string());
                    if (added) {
                        d_.past_campaigns.emplace_back();
                        d_.past_campaigns.back().id = std::string(past_campaign_ids_[id]);
                    }
                    campaign = id;
                    has_campaign = true;
                } else if (key == "kind") {
                    kind = read_kind(in_);
                    has_kind = true;
                } else if (key == "origin") {
                    origin = read_origin(in_);
                    has_origin = true;
                } else if (key == "external_userid") {
                    customer_pointer = in_.pointer();
                    std::string_view id = in_.read_string();
                    if (!has_kind || kind != Kind::GroupSend) customer = customer_ref(id, slot);
                    has_customer = true;
                } else if (key == "chat_id") {
                    chat_pointer = in_.pointer();
                    chat_id = in_.read_string_copy();
                    has_chat = true;
                } else if (key == "userid") {
                    employee = employee_ref(in_.read_string());
                    has_userid = true;
                } else if (key == "time") {
                    time = read_time(in_);
                    has_time = true;
                } else in_.skip_value();
            }
            // Contract 8.1: a group delivery names a chat_id instead of an external_userid.
            const bool group = has_kind && kind == Kind::GroupSend;
            if (group && has_customer)
                throw InputError(in_.source(), customer_pointer, "a group_send delivery names a chat_id, not an external_userid",
                                 "input.delivery_wants_chat", {});
            if (has_kind && !group && has_chat)
                throw InputError(in_.source(), chat_pointer,
                                 std::string("a ") + kind_name(kind) + " delivery names an external_userid, not a chat_id",
                                 "input.delivery_wants_customer", {param_term("kind", kind_name(kind))});
            const bool has_recipient = group ? has_chat : has_customer;
            if (!(has_campaign && has_kind && has_origin && has_recipient && has_userid && has_time)) {
                std::string at = in_.pointer();
                missing(in_, at,
                        !has_campaign    ? "campaign_id"
                        : !has_kind      ? "kind"
                        : !has_origin    ? "origin"
                        : !has_recipient ? (group ? "chat_id" : "external_userid")
                        : !has_userid    ? "userid"
                                         : "time");
            }
            PastCampaign& pc = d_.past_campaigns[campaign];
            if (pc.deliveries == 0) {
                pc.kind = kind;
                pc.origin = origin;
                pc.first_time = pc.last_time = time;
            }
            pc.first_time = std::min(pc.first_time, time);
            pc.last_time = std::max(pc.last_time, time);
            ++pc.deliveries;
            note_time(time);
            const Delivery d = Delivery::make(time, employee, campaign, kind, origin);
            if (group) raw_group_deliveries_.push_back({std::move(chat_id), d});
            else raw_deliveries_.push_back({customer, d});
        }
    }

    void read_not_interested() {
        in_.begin_array();
        while (in_.next_element()) {
            in_.begin_object();
            bool has_customer = false, has_userid = false, has_time = false;
            RawEvent ev{kNone, {}};
            uint32_t slot = static_cast<uint32_t>(raw_events_.size()) | 0x80000000u;
            std::string_view key;
            while (in_.next_key(key)) {
                if (key == "external_userid") {
                    ev.customer = customer_ref(in_.read_string(), slot);
                    has_customer = true;
                } else if (key == "userid") {
                    ev.n.employee = employee_ref(in_.read_string());
                    has_userid = true;
                } else if (key == "time") {
                    ev.n.time = read_time(in_);
                    has_time = true;
                } else in_.skip_value();
            }
            if (!(has_customer && has_userid && has_time)) {
                std::string at = in_.pointer();
                missing(in_, at, !has_customer ? "external_userid" : !has_userid ? "userid" : "time");
            }
            note_time(ev.n.time);
            raw_events_.push_back(ev);
        }
    }

    void resolve_stashed_customers() {
        for (auto& [slot, id] : stashed_customer_ids_) {
            uint32_t c = d_.customer_ids.find(id);
            if (slot & 0x80000000u) raw_events_[slot & 0x7FFFFFFFu].customer = c;
            else raw_deliveries_[slot].customer = c;
        }
        stashed_customer_ids_.clear();
        stashed_customer_ids_.shrink_to_fit();
    }

    // ---- customer groups (contract 8.1)
    void read_groupchats() {
        in_.begin_array();
        GroupChats& g = d_.groups;
        if (g.member_begin.empty()) g.member_begin.push_back(0);
        std::vector<std::pair<uint32_t, Time>> members;  // (customer, join_time) of one group
        while (in_.next_element()) {
            std::string at = in_.pointer();
            in_.begin_object();
            bool has_id = false, has_name = false, has_owner = false, has_status = false, has_create = false, has_members = false;
            std::string chat_id, name, id_pointer;
            uint32_t owner = 0, listed = 0;
            int64_t status = 0;
            Time create_time = 0;
            const uint32_t group = g.size();
            members.clear();
            std::string_view key;
            while (in_.next_key(key)) {
                if (key == "chat_id") {
                    id_pointer = in_.pointer();
                    chat_id = in_.read_string_copy();
                    has_id = true;
                } else if (key == "name") {
                    name = in_.read_string_copy();
                    has_name = true;
                } else if (key == "owner") {
                    owner = employee_ref(in_.read_string());
                    has_owner = true;
                } else if (key == "status") {
                    status = in_.read_int();
                    if (status < 0 || status > 3)
                        in_.fail("status must be 0, 1, 2 or 3, got " + std::to_string(status), "input.not_allowed",
                                 {param_text("value", std::to_string(status)), param_text("allowed", "0, 1, 2, 3")});
                    has_status = true;
                } else if (key == "create_time") {
                    create_time = read_time(in_);
                    has_create = true;
                } else if (key == "members") {
                    in_.begin_array();
                    while (in_.next_element()) {
                        read_member(group, members);
                        ++listed;
                    }
                    has_members = true;
                } else in_.skip_value();
            }
            if (!(has_id && has_name && has_owner && has_status && has_create && has_members))
                missing(in_, at,
                        !has_id       ? "chat_id"
                        : !has_name   ? "name"
                        : !has_owner  ? "owner"
                        : !has_status ? "status"
                        : !has_create ? "create_time"
                                      : "members");
            if (!g.ids.intern(chat_id).second)
                throw InputError(in_.source(), id_pointer, "duplicate chat_id \"" + chat_id + "\"", "input.duplicate_id",
                                 {param_term("what", "chat"), param_text("id", chat_id)});
            g.names.add(name);
            g.owner.push_back(owner);
            g.status.push_back(static_cast<uint8_t>(status));
            g.create_time.push_back(create_time);
            g.member_count.push_back(listed);
            append_group_members(members);
            note_time(create_time);
        }
    }

    void read_member(uint32_t group, std::vector<std::pair<uint32_t, Time>>& members) {
        in_.begin_object();
        bool has_type = false, has_userid = false, has_external = false, has_join = false;
        int64_t type = 0;
        Time join = 0;
        std::string external_copy;
        std::string_view key;
        while (in_.next_key(key)) {
            if (key == "type") {
                type = in_.read_int();
                if (type != 1 && type != 2)
                    in_.fail("member type must be 1 (employee) or 2 (external contact), got " + std::to_string(type),
                             "input.not_allowed", {param_text("value", std::to_string(type)), param_text("allowed", "1, 2")});
                has_type = true;
            } else if (key == "userid") {
                employee_ref(in_.read_string());
                has_userid = true;
            } else if (key == "external_userid") {
                external_copy = in_.read_string();
                has_external = true;
            } else if (key == "join_time") {
                join = read_time(in_);
                has_join = true;
            } else in_.skip_value();
        }
        if (!has_type || !has_join || (type == 1 && !has_userid) || (type == 2 && !has_external)) {
            std::string at = in_.pointer();
            missing(in_, at,
                    !has_type                      ? "type"
                    : (type == 1 && !has_userid)   ? "userid"
                    : (type == 2 && !has_external) ? "external_userid"
                                                   : "join_time");
        }
        if (type != 2) return;
        // People in groups need not be customers: an unknown external_userid counts for nobody.
        if (customers_read_) {
            const uint32_t c = d_.customer_ids.find(external_copy);
            if (c != kNone) members.push_back({c, join});
        } else {
            stashed_members_.push_back({group, std::move(external_copy), join});
        }
    }

    // One entry per customer (the earliest join_time), sorted by join_time.
    void append_group_members(std::vector<std::pair<uint32_t, Time>>& members) {
        GroupChats& g = d_.groups;
        std::sort(members.begin(), members.end());
        members.erase(
            std::unique(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
            members.end());
        std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        for (const auto& [c, join] : members) {
            g.member_customer.push_back(c);
            g.member_join.push_back(join);
        }
        g.member_begin.push_back(static_cast<uint32_t>(g.member_customer.size()));
    }

    // Groups read before the customers: merge their customer members now.
    void resolve_stashed_members() {
        if (stashed_members_.empty()) return;
        GroupChats& g = d_.groups;
        std::vector<std::vector<std::pair<uint32_t, Time>>> per_group(g.size());
        for (uint32_t k = 0; k < g.size(); ++k)
            for (uint32_t i = g.member_begin[k]; i < g.member_begin[k + 1]; ++i)
                per_group[k].push_back({g.member_customer[i], g.member_join[i]});
        for (auto& m : stashed_members_) {
            const uint32_t c = d_.customer_ids.find(m.external_userid);
            if (c != kNone) per_group[m.group].push_back({c, m.join});
        }
        stashed_members_.clear();
        stashed_members_.shrink_to_fit();
        g.member_customer.clear();
        g.member_join.clear();
        g.member_begin.assign(1, 0);
        for (auto& members : per_group) append_group_members(members);
    }

    void build_group_ledger() {
        GroupChats& g = d_.groups;
        if (g.member_begin.empty()) g.member_begin.push_back(0);
        const uint32_t n = g.size();
        g.delivery_begin.assign(n + 1, 0);
        std::vector<uint32_t> group_of(raw_group_deliveries_.size());
        for (size_t i = 0; i < raw_group_deliveries_.size(); ++i) {
            const RawGroupDelivery& r = raw_group_deliveries_[i];
            group_of[i] = g.ids.find(r.chat_id);
            d_.total_deliveries += 1;
            if (group_of[i] == kNone) {
                ++g.unmatched_deliveries;
                continue;
            }
            ++g.delivery_begin[group_of[i] + 1];
            ++d_.past_campaigns[r.d.campaign()].customers_matched;
        }
        std::partial_sum(g.delivery_begin.begin(), g.delivery_begin.end(), g.delivery_begin.begin());
        std::vector<Delivery> ledger(g.delivery_begin[n]);
        std::vector<uint32_t> fill(g.delivery_begin.begin(), g.delivery_begin.end() - 1);
        for (size_t i = 0; i < raw_group_deliveries_.size(); ++i)
            if (group_of[i] != kNone) ledger[fill[group_of[i]]++] = raw_group_deliveries_[i].d;
        raw_group_deliveries_.clear();
        raw_group_deliveries_.shrink_to_fit();
        keep_ledger(ledger, g.delivery_begin, g.deliveries, g.delivery_campaign);
        g.index(d_.customer_count());
        g.member_customer.shrink_to_fit();
        g.member_join.shrink_to_fit();
        g.ids.shrink_to_fit();
        g.names.shrink_to_fit();
    }

    // ---- scheduled campaigns: read now, checked against the tenant at the end
    void read_scheduled() {
        in_.peek();
        const size_t start = in_.offset();
        d_.scheduled = read_scheduled_campaigns(in_);
        d_.scheduled_json = std::string(in_text_.substr(start, in_.offset() - start));
    }

    // ---- after the whole document
    // `what`: the contract word (employee, tag, department), also the catalogue's term.
    void check_defined(Forward& f, const char* what, auto name_of) {
        for (auto& [id, pointer] : f.first_reference)
            if (!f.defined[id])
                throw InputError(in_.source(), pointer, std::string("unknown ") + what + " " + name_of(id),
                                 "input.unknown_reference", {param_term("what", what), param_text("id", name_of(id))});
    }

    void finish() {
        if (!customers_read_) {
            d_.relation_begin.assign(1, 0);
            d_.tag_begin.assign(1, 0);
            customers_read_ = true;
            resolve_stashed_customers();
        }
        resolve_stashed_members();
        check_defined(employees_, "employee", [&](uint32_t e) { return "\"" + d_.employees[e].userid + "\""; });
        check_defined(tags_, "tag", [&](uint32_t t) { return "\"" + d_.tags[t].id + "\""; });
        // Department parents: every parentid other than 0 names a department.
        for (const auto& p : pending_parents_) {
            if (p.parentid == 0) continue;
            auto it = department_numbers_.find(p.parentid);
            if (it == department_numbers_.end() || !departments_.defined[it->second])
                throw InputError(in_.source(), p.pointer, "unknown department " + std::to_string(p.parentid),
                                 "input.unknown_reference",
                                 {param_term("what", "department"), param_text("id", std::to_string(p.parentid))});
            d_.departments[p.index].parent = it->second;
        }
        check_defined(departments_, "department", [&](uint32_t i) { return std::to_string(d_.departments[i].id); });
        if (uint32_t d = index_departments(d_); d != kNone) {
            auto it = std::find_if(pending_parents_.begin(), pending_parents_.end(), [&](const auto& p) { return p.index == d; });
            throw InputError(in_.source(), it != pending_parents_.end() ? it->pointer : "/departments",
                             "department " + std::to_string(d_.departments[d].id) + " is its own ancestor (a cycle of parentid)",
                             "input.department_cycle", {param_text("id", std::to_string(d_.departments[d].id))});
        }

        build_ledger();
        build_group_ledger();
        build_not_interested();
        // Vectors grew by doubling while reading; give the slack back.
        for (auto* v : {&d_.relation_begin, &d_.relation_tags, &d_.tag_begin, &d_.customer_tags}) v->shrink_to_fit();
        d_.relations.shrink_to_fit();
        d_.relation_sender.shrink_to_fit();
        for (AttrColumn& column : d_.attributes) column.finish(d_.customer_count());
        d_.gender.shrink_to_fit();
        d_.customer_ids.shrink_to_fit();
        d_.customer_names.shrink_to_fit();
        d_.strings.shrink_to_fit();

        const uint32_t n = d_.customer_count();
        d_.by_external_userid.resize(n);
        std::iota(d_.by_external_userid.begin(), d_.by_external_userid.end(), 0);
        std::sort(d_.by_external_userid.begin(), d_.by_external_userid.end(),
                  [&](uint32_t a, uint32_t b) { return d_.customer_ids[a] < d_.customer_ids[b]; });

        check_scheduled_names(d_, in_.source());
    }

    void build_ledger() {
        const uint32_t n = d_.customer_count();
        d_.delivery_begin.assign(n + 1, 0);
        d_.total_deliveries = static_cast<int64_t>(raw_deliveries_.size());
        for (const RawDelivery& r : raw_deliveries_) {
            if (r.customer == kNone) {
                ++d_.unmatched_deliveries;
                continue;
            }
            ++d_.delivery_begin[r.customer + 1];
            ++d_.past_campaigns[r.d.campaign()].customers_matched;
        }
        std::partial_sum(d_.delivery_begin.begin(), d_.delivery_begin.end(), d_.delivery_begin.begin());
        std::vector<Delivery> ledger(d_.delivery_begin[n]);
        std::vector<uint32_t> fill(d_.delivery_begin.begin(), d_.delivery_begin.end() - 1);
        for (const RawDelivery& r : raw_deliveries_)
            if (r.customer != kNone) ledger[fill[r.customer]++] = r.d;
        raw_deliveries_.clear();
        raw_deliveries_.shrink_to_fit();
        keep_ledger(ledger, d_.delivery_begin, d_.deliveries, d_.delivery_campaign);
    }

    // Sorts each row of `ledger` (rows by `begin`) by time, keeping input order among equal
    // times, and keeps it as PastDeliveries with their campaigns beside them.
    void keep_ledger(std::vector<Delivery>& ledger, const std::vector<uint32_t>& begin, std::vector<PastDelivery>& out,
                     CampaignColumn& campaigns) {
        for (size_t r = 0; r + 1 < begin.size(); ++r)
            std::stable_sort(ledger.begin() + begin[r], ledger.begin() + begin[r + 1],
                             [](const Delivery& a, const Delivery& b) { return a.time < b.time; });
        out.resize(ledger.size());
        campaigns.assign(ledger.size(), d_.past_campaigns.size());
        for (size_t i = 0; i < ledger.size(); ++i) {
            const Delivery& d = ledger[i];
            out[i] = PastDelivery::make(d.time, d.employee, d.kind(), d.origin());
            campaigns.set(i, d.campaign());
        }
    }

    void build_not_interested() {
        const uint32_t n = d_.customer_count();
        d_.not_interested_begin.assign(n + 1, 0);
        d_.total_not_interested = static_cast<int64_t>(raw_events_.size());
        for (const RawEvent& r : raw_events_) {
            if (r.customer == kNone) {
                ++d_.unmatched_not_interested;
                continue;
            }
            ++d_.not_interested_begin[r.customer + 1];
        }
        std::partial_sum(d_.not_interested_begin.begin(), d_.not_interested_begin.end(), d_.not_interested_begin.begin());
        d_.not_interested.resize(d_.not_interested_begin[n]);
        std::vector<uint32_t> fill(d_.not_interested_begin.begin(), d_.not_interested_begin.end() - 1);
        for (const RawEvent& r : raw_events_)
            if (r.customer != kNone) d_.not_interested[fill[r.customer]++] = r.n;
        raw_events_.clear();
        raw_events_.shrink_to_fit();
    }

    struct PendingParent {
        uint32_t index;
        int64_t parentid;
        std::string pointer;
    };

    JsonReader in_;
    std::string_view in_text_;
    Dataset d_;
    Forward employees_, tags_, departments_;
    std::unordered_map<int64_t, uint32_t> department_numbers_;
    std::vector<PendingParent> pending_parents_;
    std::vector<PendingRelation> relations_scratch_;
    std::vector<uint32_t> relation_tags_scratch_;
    std::vector<std::pair<uint32_t, AttrValue>> attrs_scratch_;  // (name, value) of one customer
    std::vector<RawDelivery> raw_deliveries_;
    std::vector<RawGroupDelivery> raw_group_deliveries_;
    std::vector<StashedMember> stashed_members_;
    std::vector<RawEvent> raw_events_;
    std::vector<std::pair<uint32_t, std::string>> stashed_customer_ids_;
    Interner past_campaign_ids_;
    bool customers_read_ = false;
    bool time_seen_ = false;
};

}  // namespace

std::vector<Campaign> read_scheduled_campaigns(JsonReader& in) {
    std::vector<Campaign> out;
    std::unordered_set<std::string> ids;
    size_t work = 0;
    in.begin_array();
    while (in.next_element()) {
        Campaign c = read_campaign(in, true);
        // Every check replays these: their total bounds what any later check costs.
        work += campaign_work(c);
        if (work > limits::kTimelineMaxWork)
            throw InputError(in.source(), c.pointer,
                             "the scheduled campaigns add up to more than " + std::to_string(limits::kTimelineMaxWork) +
                                 " units of work (1 per campaign, 1 per expression node, 1 per list item)",
                             "input.scheduled_work_limit",
                             {param_number("limit", static_cast<int64_t>(limits::kTimelineMaxWork))});
        if (!ids.insert(c.id).second)
            throw InputError(in.source(), pointer_append(c.pointer, "id"), "duplicate scheduled campaign id \"" + c.id + "\"",
                             "input.duplicate_id", {param_term("what", "scheduled_campaign"), param_text("id", c.id)});
        out.push_back(std::move(c));
    }
    return out;
}

namespace {

// One `values` element of an enum attribute: a string or number, or {value, name?, name_en?}.
AttributeMeta::Choice read_attribute_choice(JsonReader& in) {
    AttributeMeta::Choice choice;
    auto read_value = [&] {
        const JsonType t = in.peek();
        if (t == JsonType::String) {
            choice.value.type = Scalar::Type::String;
            choice.value.text = in.read_string_copy();
        } else if (t == JsonType::Number) {
            choice.value.type = Scalar::Type::Number;
            choice.value.number = in.read_number();
        } else in.fail_type("a string or a number (an allowed value)");
    };
    if (in.peek() != JsonType::Object) {
        read_value();
        return choice;
    }
    const std::string at = in.pointer();
    in.begin_object();
    bool has_value = false;
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "value") {
            read_value();
            has_value = true;
        } else if (key == "name") choice.name = in.read_string_copy();
        else if (key == "name_en") choice.name_en = in.read_string_copy();
        else in.skip_value();
    }
    if (!has_value) in.fail_missing(at, "value");
    return choice;
}

bool same_scalar(const Scalar& a, const Scalar& b) {
    return a.type == b.type && (a.type == Scalar::Type::String ? a.text == b.text : a.number == b.number);
}

}  // namespace

std::vector<AttributeMeta> read_attribute_meta(JsonReader& in) {
    std::vector<AttributeMeta> out;
    in.begin_object();
    std::string_view attr;
    while (in.next_key(attr)) {
        AttributeMeta m;
        m.key = std::string(attr);
        const std::string at = in.pointer();
        in.begin_object();
        bool has_name = false, has_type = false, has_values = false;
        std::string values_at;
        std::string_view key;
        while (in.next_key(key)) {
            if (key == "name") {
                m.name = in.read_string_copy();
                if (m.name.empty())
                    in.fail("the display name is empty", "input.attribute_meta.empty_name", {param_text("attribute", m.key)});
                has_name = true;
            } else if (key == "name_en") m.name_en = in.read_string_copy();
            else if (key == "unit") m.unit = in.read_string_copy();
            else if (key == "type") {
                m.type = in.read_key(kAttributeMetaTypeKeys);
                has_type = true;
            } else if (key == "values") {
                values_at = in.pointer();
                in.begin_array();
                while (in.next_element()) {
                    const std::string element_at = in.pointer();
                    AttributeMeta::Choice choice = read_attribute_choice(in);
                    for (const AttributeMeta::Choice& earlier : m.values)
                        if (same_scalar(earlier.value, choice.value))
                            throw InputError(in.source(), element_at, "this value is listed twice",
                                             "input.attribute_meta.duplicate_value", {param_text("attribute", m.key)});
                    m.values.push_back(std::move(choice));
                }
                has_values = true;
            } else in.skip_value();
        }
        if (!has_name) in.fail_missing(at, "name");
        if (!has_type) in.fail_missing(at, "type");
        if (m.type == AttributeMeta::Type::Enum && !has_values) in.fail_missing(at, "values");
        if (m.type == AttributeMeta::Type::Enum && m.values.empty())
            throw InputError(in.source(), values_at, "an enum attribute needs at least one allowed value",
                             "input.attribute_meta.no_values", {param_text("attribute", m.key)});
        if (m.type != AttributeMeta::Type::Enum && has_values)
            throw InputError(in.source(), values_at, "only an attribute of type \"enum\" lists allowed values",
                             "input.attribute_meta.values_not_enum", {param_text("attribute", m.key)});
        out.push_back(std::move(m));
    }
    return out;
}

void check_scheduled_names(const Dataset& d, const std::string& source) {
    // Scheduled campaigns must only name what the tenant has (contract 1.1).
    for (const Campaign& c : d.scheduled) {
        std::vector<UnknownId> unknown;
        bind_campaign(d, c, c.send_time.value_or(d.now), unknown);
        if (!unknown.empty()) {
            const UnknownId& u = unknown.front();
            std::string what = u.code == "campaign.unknown_userid"       ? "employee \"" + u.id + "\""
                               : u.code == "campaign.unknown_department" ? "department " + u.id
                               : u.code == "campaign.unknown_chat"       ? "group chat \"" + u.id + "\""
                                                                         : "tag \"" + u.id + "\"";
            const char* term = u.code == "campaign.unknown_userid"       ? "employee"
                               : u.code == "campaign.unknown_department" ? "department"
                               : u.code == "campaign.unknown_chat"       ? "chat"
                                                                         : "tag";
            throw InputError(source, u.pointer, "scheduled campaign \"" + c.id + "\" names an unknown " + what,
                             "input.scheduled_unknown_reference",
                             {param_text("campaign", c.id), param_term("what", term), param_text("id", u.id)});
        }
    }
}

void replace_scheduled(Dataset& data, std::string_view json_array, const std::string& source) {
    JsonReader in(json_array, source);
    std::vector<Campaign> campaigns = read_scheduled_campaigns(in);
    in.expect_end();
    std::swap(data.scheduled, campaigns);
    try {
        check_scheduled_names(data, source);
    } catch (...) {
        std::swap(data.scheduled, campaigns);
        throw;
    }
    data.scheduled_json = std::string(json_array);
}

uint32_t index_departments(Dataset& d) {
    std::vector<uint8_t> state(d.departments.size(), 0);  // 0 new, 1 on path, 2 done
    for (uint32_t start = 0; start < d.departments.size(); ++start) {
        std::vector<uint32_t> path;
        uint32_t i = start;
        while (i != kNone && state[i] == 0) {
            state[i] = 1;
            path.push_back(i);
            i = d.departments[i].parent;
        }
        if (i != kNone && state[i] == 1) return i;
        for (uint32_t p : path) state[p] = 2;
    }
    for (Department& dep : d.departments) dep.children.clear();
    for (uint32_t i = 0; i < d.departments.size(); ++i)
        if (d.departments[i].parent != kNone) d.departments[d.departments[i].parent].children.push_back(i);
    d.department_index.clear();
    for (uint32_t i = 0; i < d.departments.size(); ++i) d.department_index.push_back({d.departments[i].id, i});
    std::sort(d.department_index.begin(), d.department_index.end());
    return kNone;
}

Dataset load_dataset(std::string_view json_text, const std::string& source) {
    if (is_snapshot(json_text)) return read_snapshot(json_text, source);
    return DatasetLoader(json_text, source).load();
}

Dataset load_dataset(std::string_view json_text, const std::string& source, const ReadProgress& progress, size_t every_bytes) {
    return DatasetLoader(json_text, source).on_progress(progress, every_bytes).load();
}

}  // namespace rl
