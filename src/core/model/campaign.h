#pragma once
// A campaign as written (contract 1.2): the draft or a scheduled one. Ids stay as text
// here; binding them to a dataset (audience.h) decides what is known.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time/time_windows.h"

namespace rl {

// GroupSend: a mass send into customer groups (客户群群发, contract 8).
enum class Kind : uint8_t { Moment = 0, MassSend = 1, GroupSend = 2 };
enum class Origin : uint8_t { Enterprise = 0, Employee = 1 };
const char* kind_name(Kind k);
const char* origin_name(Origin o);

// An id as written, with where it was written (for error messages).
struct IdRef {
    std::string id;
    std::string pointer;
};
struct IntIdRef {
    int64_t id = 0;
    std::string pointer;
};

enum class ExprOp : uint8_t {
    All,
    Any,
    Not,
    TagsAny,
    TagsAll,
    TagsNone,
    TagFilter,
    Owner,
    Department,
    Gender,
    AddedWithinDays,
    Attr,
    Received,
    NotInterestedActive,
    Customers
};
enum class AttrOp : uint8_t { Eq, Ne, Gt, Gte, Lt, Lte, In, Contains, Exists, WithinDays };
enum class ReceivedKind : uint8_t { Moment, MassSend, Any };

// A scalar from the input: number, string or bool.
struct Scalar {
    enum class Type : uint8_t { Number, String, Bool } type = Type::Number;
    double number = 0;
    std::string text;
    bool boolean = false;
};

struct Expr {
    ExprOp op = ExprOp::All;
    std::string pointer;  // where the node is
    std::vector<Expr> children;  // all / any / not (one child)
    std::vector<IdRef> ids;  // tags_*, owner, customers
    std::vector<IntIdRef> departments;  // department
    std::vector<std::vector<IdRef>> groups;  // tag_filter
    int64_t number = 0;  // gender, added_within_days, received.within_days
    int64_t min = 0;  // received.min
    ReceivedKind received_kind = ReceivedKind::Any;
    bool flag = false;  // not_interested_active
    std::string attr;  // attr name
    AttrOp attr_op = AttrOp::Eq;
    Scalar value;  // attr value (scalar ops)
    std::vector<Scalar> values;  // attr `in`
    bool has_value = false;
};

struct Attachment {
    enum class Type : uint8_t { Image, Video, Link, MiniProgram, File } type = Type::Image;
    std::string name;  // image, video, file
    int64_t bytes = 0;  // image, video, file
    int64_t width = 0, height = 0;  // image
    double seconds = 0;  // video
    std::string title, url, desc;  // link (title, url, desc), miniprogram (title)
    std::string appid, page;  // miniprogram
    std::string media_id;  // when the host already uploaded it (image/video/file; miniprogram cover)
    std::string uploaded_media;  // image/video/file: the id POST {apiBase}/media gave (docs/contract.md section 10)
    std::string picurl;  // link cover
};
const char* attachment_type_name(Attachment::Type t);

struct Content {
    std::string text;
    std::vector<Attachment> attachments;
};

struct Campaign {
    std::string id;
    Kind kind = Kind::MassSend;
    Origin origin = Origin::Enterprise;
    std::optional<Time> send_time;
    std::vector<IdRef> sender_users;
    std::vector<IntIdRef> sender_departments;
    std::vector<IdRef> tag_list;  // moment audience
    std::optional<Expr> filter;  // mass_send audience; absent = everyone
    std::vector<IdRef> chat_list;  // group_send audience; empty = every group of the senders
    bool stray_filter = false;  // a moment with `filter`, a group send with `filter` or `tag_list`
    bool stray_tag_list = false;  // a mass_send with `tag_list`
    Content content;
    std::string pointer;  // where the campaign object is
    // Its size as core/input_limits.h counts it (the work it adds to every check).
    size_t expression_nodes = 0;
    size_t list_items = 0;
};

class JsonReader;
// Reads one campaign object. `scheduled`: the dataset's form (no `format`; `id` and
// `send_time` required). Throws InputError.
Campaign read_campaign(JsonReader& in, bool scheduled);
Campaign load_campaign(std::string_view json_text, const std::string& source);
Expr read_expression(JsonReader& in);
Kind read_kind(JsonReader& in);
Origin read_origin(JsonReader& in);

}  // namespace rl
