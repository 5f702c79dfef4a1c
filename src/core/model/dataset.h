#pragma once
// A loaded tenant (contract 1.1), laid out for a million customers: interned ids,
// per-customer rows in flat arrays indexed through offset tables (CSR), no JSON tree.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/campaign.h"
#include "core/model/contract_keys.h"
#include "core/model/string_pool.h"
#include "core/time/time_windows.h"

namespace rl {

struct Enterprise {
    std::string corp_name;
    std::string industry;
    bool verified = false;
    int tz_offset_minutes = 480;
};

struct Department {
    int64_t id = 0;
    std::string name;
    int64_t parentid = 0;
    uint32_t parent = kNone;  // index, kNone for a root
    std::vector<uint32_t> children;
};

struct Employee {
    std::string userid;
    std::string name;
    std::vector<uint32_t> departments;  // indices
    bool active = true;
    bool moments_enabled = false;
};

struct Tag {
    std::string id;
    std::string name;
    uint32_t group = 0;
};

struct TagGroup {
    std::string group_id;
    std::string name;
    std::vector<uint32_t> tags;
};

// One follow_user entry. Kept per customer in pair order: (createtime, userid bytewise, input order).
struct Relation {
    Time createtime = 0;
    Time last_chat_time = 0;
    uint32_t employee = 0;
    uint32_t tags_begin = 0;  // into Dataset::relation_tags
    uint16_t tag_count = 0;
    bool deleted = false;
    bool has_last_chat = false;
    uint32_t state = kNone;  // into Dataset::strings
};

// A customer attribute value: number, string (interned in Dataset::strings) or bool.
struct AttrValue {
    Scalar::Type type = Scalar::Type::Number;
    bool boolean = false;
    uint32_t text = kNone;  // into Dataset::strings
    double number = 0;
};

// One attribute over all customers, read column by column by the audience filter:
// dense (a slot per customer) when at least one customer in eight has it, else sparse.
class AttrColumn {
public:
    enum Slot : uint8_t { kMissing = 0, kNumber = 1, kString = 2, kBool = 3 };
    // False when customer c does not have the attribute.
    bool get(uint32_t c, AttrValue& out) const {
        size_t i = c;
        if (!dense_) {
            auto it = std::lower_bound(customers_.begin(), customers_.end(), c);
            if (it == customers_.end() || *it != c) return false;
            i = static_cast<size_t>(it - customers_.begin());
        }
        const uint8_t slot = slots_[i];
        if (slot == kMissing) return false;
        out = value_at(slot, i);
        return true;
    }
    void append(uint32_t c, const AttrValue& v);  // customers in increasing order
    void finish(uint32_t customer_count);  // choose dense or sparse, and narrow cells when exact
    size_t memory_bytes() const {
        return slots_.capacity() + cells_.capacity() * sizeof(Cell) + narrow_.capacity() * 4 + customers_.capacity() * 4;
    }

private:
    friend struct SnapshotCodec;
    union Cell {
        double number;
        uint32_t text;
        bool boolean;
    };
    AttrValue value_at(uint8_t slot, size_t i) const {
        AttrValue out;
        out.type = slot == kNumber ? Scalar::Type::Number : slot == kString ? Scalar::Type::String : Scalar::Type::Bool;
        if (narrow_.empty()) {
            const Cell& cell = cells_[i];
            out.number = slot == kNumber ? cell.number : 0;
            out.text = slot == kString ? cell.text : kNone;
            out.boolean = slot == kBool && cell.boolean;
        } else {
            const uint32_t v = narrow_[i];
            out.number = slot == kNumber ? double(static_cast<int32_t>(v)) : 0;
            out.text = slot == kString ? v : kNone;
            out.boolean = slot == kBool && v != 0;
        }
        return out;
    }
    // Cells in 4 bytes instead of 8 when every number of the column is a 32-bit integer (a
    // count, an age, a level): at 10M customers, 40 MB less per such column.
    void narrow_if_exact();
    bool dense_ = false;
    std::vector<uint8_t> slots_;
    std::vector<Cell> cells_;  // empty when narrow_ holds the cells
    std::vector<uint32_t> narrow_;  // number: int32 bits; string: index; bool: 0/1
    std::vector<uint32_t> customers_;  // sparse: which customer each slot belongs to
};

// How people should see one customer attribute: the optional dataset field `attribute_meta`
// (docs/attribute-meta.md). Display only: no rule of the contract reads it, and the values
// customers hold are not checked against it.
struct AttributeMeta {
    enum class Type : uint8_t { Number, String, Enum, Timestamp, Bool };
    struct Choice {
        Scalar value;  // a string or a number
        std::string name, name_en;  // empty: show the value itself
    };
    std::string key;  // the attribute's name in customers[].attributes
    std::string name, name_en;  // name is required (the Chinese display name)
    std::string unit;
    Type type = Type::String;
    std::vector<Choice> values;  // Enum: the allowed values, in the order given
};
inline constexpr EnumKey<AttributeMeta::Type> kAttributeMetaTypeKeys[] = {
    {AttributeMeta::Type::Number, "number"},       {AttributeMeta::Type::String, "string"}, {AttributeMeta::Type::Enum, "enum"},
    {AttributeMeta::Type::Timestamp, "timestamp"}, {AttributeMeta::Type::Bool, "bool"},
};
static_assert(in_enum_order(kAttributeMetaTypeKeys));

// A ledger entry: a display or receipt that uses quota. 16 bytes: there are millions.
// Customer ledgers hold moments and mass sends; group ledgers (GroupChats) group sends.
struct Delivery {
    Time time = 0;
    uint32_t employee = 0;
    uint32_t packed = 0;  // campaign << 3 | origin << 2 | kind

    static Delivery make(Time time, uint32_t employee, uint32_t campaign, Kind kind, Origin origin) {
        return {time, employee, (campaign << 3) | (uint32_t(origin) << 2) | uint32_t(kind)};
    }
    Kind kind() const { return Kind(packed & 3); }
    Origin origin() const { return Origin((packed >> 2) & 1); }
    // Into Dataset::past_campaigns, or kSimulatedCampaign + timeline position.
    uint32_t campaign() const { return packed >> 3; }
};
constexpr uint32_t kSimulatedCampaign = 1u << 28;

// A delivery of the dataset's own ledgers (a customer's or a group's history), in 8 bytes:
// at 10M customers there are ~71M of them. The time keeps the whole of [kMinTime, kMaxTime]
// in 40 signed bits, the employee 21 bits (the loaders refuse a tenant with more employees),
// origin and kind the last 3, so quota counting reads one word. The past campaign is kept
// beside the ledger (CampaignColumn): only the customer's history and the snapshot writer
// read it. The simulation's own deliveries are `Delivery`s; both read alike (time, employee,
// kind(), origin()), so a scan over base and simulated deliveries is written once.
struct PastDelivery {
    static constexpr uint32_t kMaxEmployees = 1u << 21;
    int64_t time : 40;
    uint64_t employee : 21;
    uint64_t kind_origin : 3;  // origin << 2 | kind, as Delivery::packed & 7

    // `employee` must be below kMaxEmployees and `time` within [kMinTime, kMaxTime].
    static PastDelivery make(Time time, uint32_t employee, Kind kind, Origin origin) {
        PastDelivery d;
        d.time = time;
        d.employee = employee;
        d.kind_origin = (uint32_t(origin) << 2) | uint32_t(kind);
        return d;
    }
    Kind kind() const { return Kind(kind_origin & 3); }
    Origin origin() const { return Origin((kind_origin >> 2) & 1); }
};
static_assert(sizeof(PastDelivery) == 8);

// The past campaign (index into Dataset::past_campaigns) of each delivery of a ledger: 2
// bytes each while the tenant has at most 65,536 past campaigns, 3 up to 16,777,216 (a 10M
// tenant has ~890k: every employee's own moments are campaigns), else 4.
class CampaignColumn {
public:
    void assign(size_t deliveries, size_t campaign_count) {
        low_.clear();
        high_.clear();
        wide_.clear();
        if (campaign_count > (1u << 24)) wide_.assign(deliveries, 0);
        else {
            low_.assign(deliveries, 0);
            if (campaign_count > (1u << 16)) high_.assign(deliveries, 0);
        }
    }
    void set(size_t i, uint32_t campaign) {
        if (!wide_.empty()) {
            wide_[i] = campaign;
            return;
        }
        low_[i] = static_cast<uint16_t>(campaign);
        if (!high_.empty()) high_[i] = static_cast<uint8_t>(campaign >> 16);
    }
    uint32_t operator[](size_t i) const {
        if (!wide_.empty()) return wide_[i];
        return high_.empty() ? low_[i] : uint32_t(low_[i]) | uint32_t(high_[i]) << 16;
    }
    size_t memory_bytes() const { return low_.capacity() * 2 + high_.capacity() + wide_.capacity() * 4; }

private:
    std::vector<uint16_t> low_;
    std::vector<uint8_t> high_;  // bits 16-23, when there are more than 65,536 campaigns
    std::vector<uint32_t> wide_;  // instead of both, past 16,777,216 campaigns
};

struct NotInterested {
    Time time = 0;
    uint32_t employee = 0;
};

// Deliveries of the dataset grouped by campaign_id, for the calendar.
struct PastCampaign {
    std::string id;
    Kind kind = Kind::Moment;
    Origin origin = Origin::Enterprise;
    Time first_time = 0, last_time = 0;
    int64_t deliveries = 0;
    int64_t customers_matched = 0;  // deliveries to known customers (groups, for group sends)
};

// Customer groups (客户群, contract 8.1), column by column: 100k groups with 20M members
// stay a few flat arrays. A group's members are kept as the customers the simulation
// counts (type-2 members that are known customers, one entry per customer with their
// earliest join_time), sorted by join_time, so "joined by t" is a prefix.
struct GroupChats {
    enum Status : uint8_t { kNormal = 0, kOwnerResigned = 1, kTransferring = 2, kTransferred = 3 };
    Interner ids;  // chat_id -> group index (input order)
    StringPool names;
    std::vector<uint32_t> owner;  // employee index
    std::vector<uint8_t> status;
    std::vector<Time> create_time;
    std::vector<uint32_t> member_count;  // members as listed: employees, strangers, customers
    std::vector<uint32_t> member_begin;  // size groups+1, into member_customer / member_join
    std::vector<uint32_t> member_customer;  // customer index
    std::vector<Time> member_join;
    std::vector<uint32_t> by_chat_id;  // group indices sorted by chat_id bytewise
    // Per customer, how many groups they are a member of; and the latest join_time of any
    // member. A send into most groups counts its readers from these, minus the groups it
    // does not reach, when every member has joined by its send time.
    std::vector<uint32_t> customer_group_count;
    Time latest_join = INT64_MIN;
    std::vector<uint32_t> delivery_begin;  // size groups+1: the dataset's group deliveries, per group in time order
    std::vector<PastDelivery> deliveries;
    CampaignColumn delivery_campaign;  // parallel to deliveries
    int64_t unmatched_deliveries = 0;  // group deliveries naming no known chat_id

    uint32_t size() const { return ids.size(); }
    std::string_view chat_id(uint32_t g) const { return ids[g]; }
    // An owner can post into the group only when the group is not waiting for a new owner.
    bool owner_can_post(uint32_t g) const { return status[g] != kOwnerResigned && status[g] != kTransferring; }
    // The group's customers who joined at or before t.
    std::span<const uint32_t> customers_joined_by(uint32_t g, Time t) const {
        const Time* b = member_join.data() + member_begin[g];
        const Time* e = member_join.data() + member_begin[g + 1];
        const Time* cut = (e == b || e[-1] <= t) ? e : std::upper_bound(b, e, t);
        return {member_customer.data() + member_begin[g], static_cast<size_t>(cut - b)};
    }
    std::span<const PastDelivery> ledger(uint32_t g) const {
        return {deliveries.data() + delivery_begin[g], delivery_begin[g + 1] - delivery_begin[g]};
    }
    size_t memory_bytes() const;
    // Fills by_chat_id, customer_group_count and latest_join from the columns above.
    void index(uint32_t customer_count);
};

struct Dataset {
    Enterprise enterprise;
    Time now = 0;
    std::vector<Department> departments;
    std::vector<Employee> employees;
    std::vector<Tag> tags;
    std::vector<TagGroup> tag_groups;
    std::vector<Campaign> scheduled;  // as written; bound when simulated
    std::string scheduled_json = "[]";  // the same, as the JSON array it was read from (for the snapshot)
    // The index in `scheduled` of the campaign with this id (ids are unique), or nullopt.
    std::optional<size_t> find_scheduled(std::string_view id) const {
        for (size_t i = 0; i < scheduled.size(); ++i)
            if (scheduled[i].id == id) return i;
        return std::nullopt;
    }

    Interner employee_index;  // userid -> employee index
    Interner tag_index;  // tag id -> tag index
    std::vector<std::pair<int64_t, uint32_t>> department_index;  // sorted (id, index)

    // Customers, column by column.
    Interner customer_ids;  // external_userid -> customer index (input order)
    StringPool customer_names;
    std::vector<uint8_t> gender;
    std::vector<uint32_t> relation_begin;  // size customers+1, into relations
    std::vector<Relation> relations;
    // The simulation's hot path reads only who and whether deleted: employee | kRelationDeleted,
    // parallel to `relations` (4 bytes instead of a 32-byte record).
    std::vector<uint32_t> relation_sender;
    static constexpr uint32_t kRelationDeleted = 0x80000000u;
    std::vector<uint32_t> relation_tags;
    std::vector<uint32_t> tag_begin;  // size customers+1: sorted unique tags of live relations
    std::vector<uint32_t> customer_tags;
    Interner attribute_names;
    std::vector<AttrColumn> attributes;  // by attribute name id
    Interner strings;  // attribute string values, relation states
    std::vector<AttributeMeta> attribute_meta;  // in input order; empty when the dataset has none
    std::string attribute_meta_json;  // the same as written ("" when absent), for the snapshot
    const AttributeMeta* find_attribute_meta(std::string_view key) const {
        for (const AttributeMeta& m : attribute_meta)
            if (m.key == key) return &m;
        return nullptr;
    }
    std::vector<uint32_t> delivery_begin;  // size customers+1, into deliveries
    std::vector<PastDelivery> deliveries;  // per customer, in time order
    CampaignColumn delivery_campaign;  // parallel to deliveries
    std::vector<uint32_t> not_interested_begin;
    std::vector<NotInterested> not_interested;
    std::vector<uint32_t> by_external_userid;  // customer indices sorted by external_userid bytewise

    GroupChats groups;

    std::vector<PastCampaign> past_campaigns;
    int64_t unmatched_deliveries = 0;  // deliveries naming no known customer
    int64_t unmatched_not_interested = 0;
    int64_t total_deliveries = 0;
    int64_t total_not_interested = 0;
    Time earliest_time = 0, latest_time = 0;  // over deliveries, events and relations

    uint32_t customer_count() const { return customer_ids.size(); }
    std::string_view external_userid(uint32_t c) const { return customer_ids[c]; }
    uint32_t find_department(int64_t id) const;
    // The model's bytes by part (the columns' capacities; `bench` prints them), and their sum.
    struct MemoryPart {
        const char* name;
        size_t bytes;
    };
    std::vector<MemoryPart> memory_parts() const;
    size_t memory_bytes() const;
};

// Reads and validates a dataset: a reachlens.dataset/1 JSON document, or a binary snapshot
// (core/snapshot.h, told apart by its magic). Throws InputError naming the file and the
// JSON pointer (or the snapshot section).
Dataset load_dataset(std::string_view json_text, const std::string& source);
// The same for a JSON document, telling `progress(bytes_read, bytes_total)` about every
// `every_bytes` read (the dataset worker's progress bar, src/worker).
using ReadProgress = std::function<void(size_t bytes_read, size_t bytes_total)>;
Dataset load_dataset(std::string_view json_text, const std::string& source, const ReadProgress& progress, size_t every_bytes);

class JsonReader;
// The `scheduled` array (ids unique); the JSON and snapshot loaders share it.
std::vector<Campaign> read_scheduled_campaigns(JsonReader& in);
// Replaces the tenant's scheduled campaigns with `json_array` (a dataset's `scheduled`
// array), checked as strictly as in a dataset; `data` is unchanged when it throws.
void replace_scheduled(Dataset& data, std::string_view json_array, const std::string& source);
// The `attribute_meta` object (docs/attribute-meta.md); the JSON and snapshot loaders share it.
std::vector<AttributeMeta> read_attribute_meta(JsonReader& in);
// Throws when a scheduled campaign names an employee, department or tag the tenant lacks.
void check_scheduled_names(const Dataset& d, const std::string& source);
// From each department's `parent`: `children` and `department_index`. Returns a department
// on a cycle of parents (then nothing is built), or kNone.
uint32_t index_departments(Dataset& d);

}  // namespace rl
