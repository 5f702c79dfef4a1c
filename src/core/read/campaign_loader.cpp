// Reads campaigns and audience expressions (contract 1.2 and 4) with strict types.
#include <string>

#include "core/model/campaign.h"
#include "core/model/contract_keys.h"
#include "core/read/input_limits.h"
#include "core/read/json_reader.h"

namespace rl {

Kind read_kind(JsonReader& in) { return in.read_key(kKindKeys); }
Origin read_origin(JsonReader& in) { return in.read_key(kOriginKeys); }

namespace {

// What one campaign has used of core/input_limits.h so far.
struct Budget {
    size_t nodes = 0;
    size_t items = 0;

    // Called before reading the `index`-th element of a list (at that element).
    void list_item(JsonReader& in, size_t index) {
        if (index >= limits::kListMaxItems)
            in.fail("a list holds at most " + std::to_string(limits::kListMaxItems) + " items", "input.list_too_long",
                    {param_number("limit", static_cast<int64_t>(limits::kListMaxItems))});
        if (++items > limits::kCampaignMaxListItems)
            in.fail("a campaign's lists hold at most " + std::to_string(limits::kCampaignMaxListItems) + " items in all",
                    "input.lists_too_long", {param_number("limit", static_cast<int64_t>(limits::kCampaignMaxListItems))});
    }
};

std::string read_text(JsonReader& in) {
    std::string_view s = in.read_string();
    check_string_size(in, s.size());
    return std::string(s);
}

std::vector<IdRef> read_string_ids(JsonReader& in, Budget& budget) {
    std::vector<IdRef> out;
    in.begin_array();
    while (in.next_element()) {
        budget.list_item(in, out.size());
        std::string ptr = in.pointer();
        out.push_back({read_text(in), std::move(ptr)});
    }
    return out;
}

std::vector<IntIdRef> read_int_ids(JsonReader& in, Budget& budget) {
    std::vector<IntIdRef> out;
    in.begin_array();
    while (in.next_element()) {
        budget.list_item(in, out.size());
        std::string ptr = in.pointer();
        out.push_back({in.read_int(), std::move(ptr)});
    }
    return out;
}

// A JSON value read before we know what it must be (attr `value` may precede `op`).
struct LooseValue {
    bool present = false;
    bool is_array = false;
    bool scalar_ok = false;  // a number, string or bool
    bool array_of_scalars = false;
    Scalar scalar;
    std::vector<Scalar> items;
    std::string pointer;
    std::string bad_item_pointer;  // first array element that is not a scalar
};

bool read_scalar(JsonReader& in, Scalar& out) {
    switch (in.peek()) {
        case JsonType::Number:
            out.type = Scalar::Type::Number;
            out.number = in.read_number();
            return true;
        case JsonType::String:
            out.type = Scalar::Type::String;
            out.text = read_text(in);
            return true;
        case JsonType::Bool:
            out.type = Scalar::Type::Bool;
            out.boolean = in.read_bool();
            return true;
        default: return false;
    }
}

LooseValue read_loose_value(JsonReader& in, Budget& budget) {
    LooseValue v;
    v.present = true;
    v.pointer = in.pointer();
    if (in.peek() == JsonType::Array) {
        v.is_array = true;
        v.array_of_scalars = true;
        in.begin_array();
        for (size_t index = 0; in.next_element(); ++index) {
            budget.list_item(in, index);
            Scalar s;
            if (!read_scalar(in, s)) {
                if (v.array_of_scalars) v.bad_item_pointer = in.pointer();
                v.array_of_scalars = false;
                in.skip_value();
            } else {
                v.items.push_back(std::move(s));
            }
        }
    } else if (read_scalar(in, v.scalar)) {
        v.scalar_ok = true;
    } else {
        in.skip_value();
    }
    return v;
}

AttrOp parse_attr_op(JsonReader& in) { return in.read_key(kAttrOpKeys); }

bool operator_key(std::string_view key, ExprOp& op) {
    const std::optional<ExprOp> found = enum_of(kExprOpKeys, key);
    if (found) op = *found;
    return found.has_value();
}

void read_received(JsonReader& in, Expr& e) {
    std::string at = in.pointer();
    in.begin_object();
    bool has_kind = false, has_days = false, has_min = false;
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "kind") {
            e.received_kind = in.read_key(kReceivedKindKeys);
            has_kind = true;
        } else if (key == "within_days") {
            e.number = in.read_int();
            has_days = true;
        } else if (key == "min") {
            e.min = in.read_int();
            has_min = true;
        } else in.skip_value();
    }
    if (!has_kind) in.fail_missing(at, "kind");
    if (!has_days) in.fail_missing(at, "within_days");
    if (!has_min) in.fail_missing(at, "min");
}

Expr read_expression(JsonReader& in, Budget& budget, size_t depth) {
    Expr e;
    e.pointer = in.pointer();
    if (++budget.nodes > limits::kExpressionMaxNodes)
        in.fail("an audience filter has at most " + std::to_string(limits::kExpressionMaxNodes) + " nodes",
                "input.expression_too_many_nodes", {param_number("limit", static_cast<int64_t>(limits::kExpressionMaxNodes))});
    if (depth > limits::kExpressionMaxDepth)
        in.fail("an audience filter nests at most " + std::to_string(limits::kExpressionMaxDepth) + " levels deep",
                "input.too_deep", {param_number("limit", static_cast<int64_t>(limits::kExpressionMaxDepth))});
    in.begin_object();
    int operators = 0;
    std::string first_operator;
    LooseValue value;
    bool has_op = false;
    std::string op_pointer;
    std::string_view key;
    while (in.next_key(key)) {
        ExprOp op;
        if (key == "op") {
            op_pointer = in.pointer();
            e.attr_op = parse_attr_op(in);
            has_op = true;
            continue;
        }
        if (key == "value") {
            value = read_loose_value(in, budget);
            continue;
        }
        if (!operator_key(key, op)) {
            in.skip_value();
            continue;
        }
        if (++operators > 1)
            in.fail("an expression node takes exactly one operator, found \"" + first_operator + "\" and \"" + std::string(key) +
                        "\"",
                    "input.expression_two_operators",
                    {param_text("first", first_operator), param_text("second", std::string(key))});
        first_operator = std::string(key);
        e.op = op;
        switch (op) {
            case ExprOp::All:
            case ExprOp::Any:
                in.begin_array();
                while (in.next_element()) e.children.push_back(read_expression(in, budget, depth + 1));
                break;
            case ExprOp::Not: e.children.push_back(read_expression(in, budget, depth + 1)); break;
            case ExprOp::TagsAny:
            case ExprOp::TagsAll:
            case ExprOp::TagsNone:
            case ExprOp::Owner:
            case ExprOp::Customers: e.ids = read_string_ids(in, budget); break;
            case ExprOp::TagFilter:
                in.begin_array();
                while (in.next_element()) {
                    budget.list_item(in, e.groups.size());
                    e.groups.push_back(read_string_ids(in, budget));
                }
                break;
            case ExprOp::Department: e.departments = read_int_ids(in, budget); break;
            case ExprOp::Gender: e.number = in.read_int(); break;
            case ExprOp::AddedWithinDays: e.number = in.read_int(); break;
            case ExprOp::Attr: e.attr = read_text(in); break;
            case ExprOp::Received: read_received(in, e); break;
            case ExprOp::NotInterestedActive: e.flag = in.read_bool(); break;
        }
    }
    // The node is closed: pointers below name its fields.
    if (operators == 0)
        throw InputError(in.source(), e.pointer,
                         "an expression node needs one operator (all, any, not, tags_any, tags_all, tags_none, tag_filter, "
                         "owner, department, gender, added_within_days, attr, received, not_interested_active, customers)",
                         "input.expression_no_operator", {});
    if (e.op == ExprOp::Attr) {
        if (!has_op) in.fail_missing(e.pointer, "op");
        AttrOp op = e.attr_op;
        if (op == AttrOp::Exists) return e;
        if (!value.present) in.fail_missing(e.pointer, "value");
        e.has_value = true;
        if (op == AttrOp::In) {
            if (!value.is_array)
                throw InputError(in.source(), value.pointer, "op \"in\" needs an array of numbers, strings or booleans",
                                 "input.attr_in_needs_array", {});
            if (!value.array_of_scalars)
                throw InputError(in.source(), value.bad_item_pointer, "expected a number, string or boolean",
                                 "input.attr_value_type", {});
            e.values = std::move(value.items);
        } else if (op == AttrOp::WithinDays) {
            if (!value.scalar_ok || value.scalar.type != Scalar::Type::Number)
                throw InputError(in.source(), value.pointer, "op \"within_days\" needs a number of days",
                                 "input.attr_within_days_number", {});
            e.value = std::move(value.scalar);
        } else {
            if (!value.scalar_ok)
                throw InputError(in.source(), value.pointer, "expected a number, string or boolean", "input.attr_value_type", {});
            e.value = std::move(value.scalar);
        }
    }
    return e;
}

Attachment read_attachment_body(JsonReader& in, Attachment::Type type) {
    Attachment a;
    a.type = type;
    in.begin_object();
    std::string_view key;
    while (in.next_key(key)) {
        using T = Attachment::Type;
        bool has_name = type == T::Image || type == T::Video || type == T::File;
        bool has_bytes = has_name;
        if (has_name && key == "name") a.name = read_text(in);
        else if (has_bytes && key == "bytes") a.bytes = read_non_negative(in);
        else if (type == T::Image && key == "width") a.width = read_non_negative(in);
        else if (type == T::Image && key == "height") a.height = read_non_negative(in);
        else if (type == T::Video && key == "seconds") {
            a.seconds = in.read_number();
            if (a.seconds < 0)
                in.fail("must not be negative", "input.negative", {param_number("value", std::to_string(a.seconds))});
        } else if ((type == T::Link || type == T::MiniProgram) && key == "title") a.title = read_text(in);
        else if (type == T::Link && key == "url") a.url = read_text(in);
        else if (type == T::Link && key == "desc") a.desc = read_text(in);
        else if (type == T::Link && key == "picurl") a.picurl = read_text(in);
        else if (type == T::MiniProgram && key == "appid") a.appid = read_text(in);
        else if (type == T::MiniProgram && key == "page") a.page = read_text(in);
        else if (type == T::MiniProgram && key == "pic_media_id") a.media_id = read_text(in);
        else if (type != T::Link && type != T::MiniProgram && key == "media_id") a.media_id = read_text(in);
        else if (has_name && key == "media") a.uploaded_media = read_text(in);
        else in.skip_value();
    }
    return a;
}

bool attachment_type(std::string_view s, Attachment::Type& t) {
    const std::optional<Attachment::Type> found = enum_of(kAttachmentTypeKeys, s);
    if (found) t = *found;
    return found.has_value();
}

Attachment read_attachment(JsonReader& in) {
    std::string at = in.pointer();
    in.begin_object();
    std::optional<Attachment::Type> msgtype;
    std::vector<Attachment> bodies;  // bodies seen before/after msgtype
    std::string_view key;
    while (in.next_key(key)) {
        Attachment::Type t;
        if (key == "msgtype") {
            std::string_view s = in.read_string();
            if (!attachment_type(s, t))
                in.fail("unknown msgtype \"" + std::string(s) + "\" (expected image, video, link, miniprogram or file)",
                        "input.unknown_msgtype", {param_text("value", std::string(s))});
            msgtype = t;
        } else if (attachment_type(key, t) && (!msgtype || *msgtype == t)) {
            bodies.push_back(read_attachment_body(in, t));
        } else {
            in.skip_value();
        }
    }
    if (!msgtype) in.fail_missing(at, "msgtype");
    for (Attachment& a : bodies)
        if (a.type == *msgtype) return std::move(a);
    throw InputError(in.source(), pointer_append(at, attachment_type_name(*msgtype)),
                     std::string("attachment of msgtype \"") + attachment_type_name(*msgtype) + "\" needs its \"" +
                         attachment_type_name(*msgtype) + "\" object",
                     "input.attachment_body_missing", {param_term("type", attachment_type_name(*msgtype))});
}

Content read_content(JsonReader& in) {
    Content c;
    in.begin_object();
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "text") c.text = read_text(in);
        else if (key == "attachments") {
            in.begin_array();
            while (in.next_element()) {
                if (c.attachments.size() >= limits::kAttachmentsMax)
                    in.fail("a campaign carries at most " + std::to_string(limits::kAttachmentsMax) + " attachments",
                            "input.too_many_attachments", {param_number("limit", static_cast<int64_t>(limits::kAttachmentsMax))});
                c.attachments.push_back(read_attachment(in));
            }
        } else in.skip_value();
    }
    return c;
}

}  // namespace

Expr read_expression(JsonReader& in) {
    Budget budget;
    return read_expression(in, budget, 1);
}

Campaign read_campaign(JsonReader& in, bool scheduled) {
    Campaign c;
    c.pointer = in.pointer();
    Budget budget;
    const size_t start = in.offset();
    in.begin_object();
    bool has_format = false, has_id = false, has_kind = false, has_origin = false;
    // The audience is read after the loop: which key is stray depends on `kind`.
    std::optional<Expr> filter;
    std::vector<IdRef> tag_list, chat_list;
    bool saw_filter = false, saw_tag_list = false;
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "format") {
            in.read_enum({"reachlens.campaign/1"});
            has_format = true;
        } else if (key == "id") {
            c.id = read_text(in);
            has_id = true;
        } else if (key == "kind") {
            c.kind = read_kind(in);
            has_kind = true;
        } else if (key == "origin") {
            c.origin = read_origin(in);
            has_origin = true;
        } else if (key == "send_time") c.send_time = read_time(in);
        else if (key == "senders") {
            in.begin_object();
            std::string_view k2;
            while (in.next_key(k2)) {
                if (k2 == "user_list") c.sender_users = read_string_ids(in, budget);
                else if (k2 == "department_list") c.sender_departments = read_int_ids(in, budget);
                else in.skip_value();
            }
        } else if (key == "audience") {
            in.begin_object();
            std::string_view k2;
            while (in.next_key(k2)) {
                if (k2 == "tag_list") {
                    tag_list = read_string_ids(in, budget);
                    saw_tag_list = true;
                } else if (k2 == "filter") {
                    filter = read_expression(in, budget, 1);
                    saw_filter = true;
                } else if (k2 == "chat_list") chat_list = read_string_ids(in, budget);
                else in.skip_value();
            }
        } else if (key == "content") c.content = read_content(in);
        else in.skip_value();
    }
    if (in.offset() - start > limits::kCampaignMaxBytes)
        throw InputError(in.source(), c.pointer,
                         "a campaign is at most " + std::to_string(limits::kCampaignMaxBytes) + " bytes of JSON, this one is " +
                             std::to_string(in.offset() - start),
                         "input.campaign_too_large",
                         {param_bytes("limit", static_cast<int64_t>(limits::kCampaignMaxBytes)),
                          param_bytes("actual", static_cast<int64_t>(in.offset() - start))});
    c.expression_nodes = budget.nodes;
    c.list_items = budget.items;
    auto require = [&](bool present, const char* field) {
        if (!present) in.fail_missing(c.pointer, field);
    };
    if (!scheduled) require(has_format, "format");
    require(has_id, "id");
    require(has_kind, "kind");
    require(has_origin, "origin");
    if (scheduled) require(c.send_time.has_value(), "send_time");
    if (c.kind == Kind::Moment) {
        c.tag_list = std::move(tag_list);
        c.stray_filter = saw_filter;  // ignored, reported as a campaign error
    } else if (c.kind == Kind::GroupSend) {
        c.chat_list = std::move(chat_list);
        c.stray_filter = saw_filter || saw_tag_list;  // contract 8.1: both are audience.filter_not_supported
    } else {
        c.filter = std::move(filter);
        c.stray_tag_list = saw_tag_list;
    }
    return c;
}

Campaign load_campaign(std::string_view json_text, const std::string& source) {
    // Refused before parsing: reading a 100 MB "campaign" is already too much work.
    if (json_text.size() > limits::kCampaignMaxBytes)
        throw InputError(source, "",
                         "a campaign is at most " + std::to_string(limits::kCampaignMaxBytes) + " bytes of JSON, this one is " +
                             std::to_string(json_text.size()),
                         "input.campaign_too_large",
                         {param_bytes("limit", static_cast<int64_t>(limits::kCampaignMaxBytes)),
                          param_bytes("actual", static_cast<int64_t>(json_text.size()))});
    JsonReader in(json_text, source);
    Campaign c = read_campaign(in, false);
    in.expect_end();
    return c;
}

}  // namespace rl
