// Reads campaigns and audience expressions (contract 1.2 and 4) with strict types.
#include <string>

#include "core/model/campaign.h"
#include "core/model/contract_keys.h"
#include "core/read/json_reader.h"

namespace rl {

Kind read_kind(JsonReader& in) { return in.read_key(kKindKeys); }
Origin read_origin(JsonReader& in) { return in.read_key(kOriginKeys); }

namespace {

std::vector<IdRef> read_string_ids(JsonReader& in) {
    std::vector<IdRef> out;
    in.begin_array();
    while (in.next_element()) {
        std::string ptr = in.pointer();
        out.push_back({in.read_string_copy(), std::move(ptr)});
    }
    return out;
}

std::vector<IntIdRef> read_int_ids(JsonReader& in) {
    std::vector<IntIdRef> out;
    in.begin_array();
    while (in.next_element()) {
        std::string ptr = in.pointer();
        out.push_back({in.read_int(), std::move(ptr)});
    }
    return out;
}

// A JSON value read before we know what it must be (attr `value` may precede `op`).
struct LooseValue {
    bool present = false;
    bool is_array = false;
    bool scalar_ok = false;           // a number, string or bool
    bool array_of_scalars = false;
    Scalar scalar;
    std::vector<Scalar> items;
    std::string pointer;
    std::string bad_item_pointer;     // first array element that is not a scalar
};

bool read_scalar(JsonReader& in, Scalar& out) {
    switch (in.peek()) {
        case JsonType::Number: out.type = Scalar::Type::Number; out.number = in.read_number(); return true;
        case JsonType::String: out.type = Scalar::Type::String; out.text = in.read_string_copy(); return true;
        case JsonType::Bool: out.type = Scalar::Type::Bool; out.boolean = in.read_bool(); return true;
        default: return false;
    }
}

LooseValue read_loose_value(JsonReader& in) {
    LooseValue v;
    v.present = true;
    v.pointer = in.pointer();
    if (in.peek() == JsonType::Array) {
        v.is_array = true;
        v.array_of_scalars = true;
        in.begin_array();
        while (in.next_element()) {
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
        } else if (key == "within_days") { e.number = in.read_int(); has_days = true; }
        else if (key == "min") { e.min = in.read_int(); has_min = true; }
        else in.skip_value();
    }
    if (!has_kind) in.fail_missing(at, "kind");
    if (!has_days) in.fail_missing(at, "within_days");
    if (!has_min) in.fail_missing(at, "min");
}

}  // namespace

Expr read_expression(JsonReader& in) {
    Expr e;
    e.pointer = in.pointer();
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
        if (key == "value") { value = read_loose_value(in); continue; }
        if (!operator_key(key, op)) { in.skip_value(); continue; }
        if (++operators > 1)
            in.fail("an expression node takes exactly one operator, found \"" + first_operator + "\" and \"" + std::string(key) + "\"");
        first_operator = std::string(key);
        e.op = op;
        switch (op) {
            case ExprOp::All:
            case ExprOp::Any:
                in.begin_array();
                while (in.next_element()) e.children.push_back(read_expression(in));
                break;
            case ExprOp::Not: e.children.push_back(read_expression(in)); break;
            case ExprOp::TagsAny: case ExprOp::TagsAll: case ExprOp::TagsNone:
            case ExprOp::Owner: case ExprOp::Customers:
                e.ids = read_string_ids(in);
                break;
            case ExprOp::TagFilter:
                in.begin_array();
                while (in.next_element()) e.groups.push_back(read_string_ids(in));
                break;
            case ExprOp::Department: e.departments = read_int_ids(in); break;
            case ExprOp::Gender: e.number = in.read_int(); break;
            case ExprOp::AddedWithinDays: e.number = in.read_int(); break;
            case ExprOp::Attr: e.attr = in.read_string_copy(); break;
            case ExprOp::Received: read_received(in, e); break;
            case ExprOp::NotInterestedActive: e.flag = in.read_bool(); break;
        }
    }
    // The node is closed: pointers below name its fields.
    if (operators == 0)
        throw InputError(in.source(), e.pointer, "an expression node needs one operator (all, any, not, tags_any, tags_all, tags_none, tag_filter, owner, department, gender, added_within_days, attr, received, not_interested_active, customers)");
    if (e.op == ExprOp::Attr) {
        if (!has_op) in.fail_missing(e.pointer, "op");
        AttrOp op = e.attr_op;
        if (op == AttrOp::Exists) return e;
        if (!value.present) in.fail_missing(e.pointer, "value");
        e.has_value = true;
        if (op == AttrOp::In) {
            if (!value.is_array) throw InputError(in.source(), value.pointer, "op \"in\" needs an array of numbers, strings or booleans");
            if (!value.array_of_scalars) throw InputError(in.source(), value.bad_item_pointer, "expected a number, string or boolean");
            e.values = std::move(value.items);
        } else if (op == AttrOp::WithinDays) {
            if (!value.scalar_ok || value.scalar.type != Scalar::Type::Number)
                throw InputError(in.source(), value.pointer, "op \"within_days\" needs a number of days");
            e.value = std::move(value.scalar);
        } else {
            if (!value.scalar_ok) throw InputError(in.source(), value.pointer, "expected a number, string or boolean");
            e.value = std::move(value.scalar);
        }
    }
    return e;
}

namespace {

Attachment read_attachment_body(JsonReader& in, Attachment::Type type) {
    Attachment a;
    a.type = type;
    in.begin_object();
    std::string_view key;
    while (in.next_key(key)) {
        using T = Attachment::Type;
        bool has_name = type == T::Image || type == T::Video || type == T::File;
        bool has_bytes = has_name;
        if (has_name && key == "name") a.name = in.read_string_copy();
        else if (has_bytes && key == "bytes") a.bytes = in.read_int();
        else if (type == T::Image && key == "width") a.width = in.read_int();
        else if (type == T::Image && key == "height") a.height = in.read_int();
        else if (type == T::Video && key == "seconds") a.seconds = in.read_number();
        else if ((type == T::Link || type == T::MiniProgram) && key == "title") a.title = in.read_string_copy();
        else if (type == T::Link && key == "url") a.url = in.read_string_copy();
        else if (type == T::Link && key == "desc") a.desc = in.read_string_copy();
        else if (type == T::Link && key == "picurl") a.picurl = in.read_string_copy();
        else if (type == T::MiniProgram && key == "appid") a.appid = in.read_string_copy();
        else if (type == T::MiniProgram && key == "page") a.page = in.read_string_copy();
        else if (type == T::MiniProgram && key == "pic_media_id") a.media_id = in.read_string_copy();
        else if (type != T::Link && type != T::MiniProgram && key == "media_id") a.media_id = in.read_string_copy();
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
                in.fail("unknown msgtype \"" + std::string(s) + "\" (expected image, video, link, miniprogram or file)");
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
                         attachment_type_name(*msgtype) + "\" object");
}

Content read_content(JsonReader& in) {
    Content c;
    in.begin_object();
    std::string_view key;
    while (in.next_key(key)) {
        if (key == "text") c.text = in.read_string_copy();
        else if (key == "attachments") {
            in.begin_array();
            while (in.next_element()) c.attachments.push_back(read_attachment(in));
        } else in.skip_value();
    }
    return c;
}

}  // namespace

Campaign read_campaign(JsonReader& in, bool scheduled) {
    Campaign c;
    c.pointer = in.pointer();
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
        } else if (key == "id") { c.id = in.read_string_copy(); has_id = true; }
        else if (key == "kind") { c.kind = read_kind(in); has_kind = true; }
        else if (key == "origin") { c.origin = read_origin(in); has_origin = true; }
        else if (key == "send_time") c.send_time = in.read_int();
        else if (key == "senders") {
            in.begin_object();
            std::string_view k2;
            while (in.next_key(k2)) {
                if (k2 == "user_list") c.sender_users = read_string_ids(in);
                else if (k2 == "department_list") c.sender_departments = read_int_ids(in);
                else in.skip_value();
            }
        } else if (key == "audience") {
            in.begin_object();
            std::string_view k2;
            while (in.next_key(k2)) {
                if (k2 == "tag_list") { tag_list = read_string_ids(in); saw_tag_list = true; }
                else if (k2 == "filter") { filter = read_expression(in); saw_filter = true; }
                else if (k2 == "chat_list") chat_list = read_string_ids(in);
                else in.skip_value();
            }
        } else if (key == "content") c.content = read_content(in);
        else in.skip_value();
    }
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
    JsonReader in(json_text, source);
    Campaign c = read_campaign(in, false);
    in.expect_end();
    return c;
}

}  // namespace rl
