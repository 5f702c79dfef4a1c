#pragma once
// The contract's closed sets of JSON keys (docs/contract.md sections 1.2, 1.3 and 4), one
// table per enumeration, key <-> enum. The loaders read by them, the summary, the request
// bodies and the rules document write by them, and the UI lists and labels by them, so a
// key is spelled in one place. Each table is in its enum's order (checked below), so an
// enum's value is also its row.
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/model/campaign.h"
#include "core/model/rules.h"
#include "core/time/time_windows.h"

namespace rl {

template <class Enum>
struct EnumKey {
    Enum value;
    std::string_view key;
};

inline constexpr EnumKey<Kind> kKindKeys[] = {
    {Kind::Moment, "moment"},
    {Kind::MassSend, "mass_send"},
    {Kind::GroupSend, "group_send"},
};
inline constexpr EnumKey<Origin> kOriginKeys[] = {
    {Origin::Enterprise, "enterprise"},
    {Origin::Employee, "employee"},
};
inline constexpr EnumKey<ExprOp> kExprOpKeys[] = {
    {ExprOp::All, "all"},
    {ExprOp::Any, "any"},
    {ExprOp::Not, "not"},
    {ExprOp::TagsAny, "tags_any"},
    {ExprOp::TagsAll, "tags_all"},
    {ExprOp::TagsNone, "tags_none"},
    {ExprOp::TagFilter, "tag_filter"},
    {ExprOp::Owner, "owner"},
    {ExprOp::Department, "department"},
    {ExprOp::Gender, "gender"},
    {ExprOp::AddedWithinDays, "added_within_days"},
    {ExprOp::Attr, "attr"},
    {ExprOp::Received, "received"},
    {ExprOp::NotInterestedActive, "not_interested_active"},
    {ExprOp::Customers, "customers"},
};
inline constexpr EnumKey<AttrOp> kAttrOpKeys[] = {
    {AttrOp::Eq, "eq"},         {AttrOp::Ne, "ne"},
    {AttrOp::Gt, "gt"},         {AttrOp::Gte, "gte"},
    {AttrOp::Lt, "lt"},         {AttrOp::Lte, "lte"},
    {AttrOp::In, "in"},         {AttrOp::Contains, "contains"},
    {AttrOp::Exists, "exists"}, {AttrOp::WithinDays, "within_days"},
};
inline constexpr EnumKey<ReceivedKind> kReceivedKindKeys[] = {
    {ReceivedKind::Moment, "moment"},
    {ReceivedKind::MassSend, "mass_send"},
    {ReceivedKind::Any, "any"},
};
inline constexpr EnumKey<Attachment::Type> kAttachmentTypeKeys[] = {
    {Attachment::Type::Image, "image"}, {Attachment::Type::Video, "video"},
    {Attachment::Type::Link, "link"},   {Attachment::Type::MiniProgram, "miniprogram"},
    {Attachment::Type::File, "file"},
};
inline constexpr EnumKey<Window> kWindowKeys[] = {
    {Window::Day, "day"},
    {Window::Week, "week"},
    {Window::Month, "month"},
    {Window::RollingDays, "rolling_days"},
};
inline constexpr EnumKey<MultiSender> kMultiSenderKeys[] = {
    {MultiSender::Each, "each"},
    {MultiSender::FirstAdded, "first_added"},
    {MultiSender::LastChat, "last_chat"},
};

// The key of `value` ("?" for a value outside the table).
template <class Enum, size_t N>
constexpr std::string_view key_of(const EnumKey<Enum> (&table)[N], Enum value) {
    for (const EnumKey<Enum>& row : table)
        if (row.value == value) return row.key;
    return "?";
}

// The enum value spelled `key`, if the table has it.
template <class Enum, size_t N>
constexpr std::optional<Enum> enum_of(const EnumKey<Enum> (&table)[N], std::string_view key) {
    for (const EnumKey<Enum>& row : table)
        if (row.key == key) return row.value;
    return std::nullopt;
}

template <class Enum, size_t N>
constexpr bool in_enum_order(const EnumKey<Enum> (&table)[N]) {
    for (size_t i = 0; i < N; ++i)
        if (static_cast<size_t>(table[i].value) != i) return false;
    return true;
}
static_assert(in_enum_order(kKindKeys) && in_enum_order(kOriginKeys) && in_enum_order(kExprOpKeys) &&
              in_enum_order(kAttrOpKeys) && in_enum_order(kReceivedKindKeys) && in_enum_order(kAttachmentTypeKeys) &&
              in_enum_order(kWindowKeys) && in_enum_order(kMultiSenderKeys));

}  // namespace rl
