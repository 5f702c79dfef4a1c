#include "core/audience/audience.h"

#include <algorithm>
#include <bit>
#include <unordered_map>
#include <unordered_set>

namespace rl {

namespace {

struct UnknownCollector {
    std::vector<UnknownId> users, departments, tags, chats;
    std::unordered_set<std::string> seen_users, seen_departments, seen_tags, seen_chats;
    void user(const IdRef& r) {
        if (seen_users.insert(r.id).second) users.push_back({"campaign.unknown_userid", r.id, r.pointer});
    }
    void department(const IntIdRef& r) {
        std::string id = std::to_string(r.id);
        if (seen_departments.insert(id).second) departments.push_back({"campaign.unknown_department", id, r.pointer});
    }
    void tag(const IdRef& r) {
        if (seen_tags.insert(r.id).second) tags.push_back({"campaign.unknown_tag", r.id, r.pointer});
    }
    void chat(const IdRef& r) {
        if (seen_chats.insert(r.id).second) chats.push_back({"campaign.unknown_chat", r.id, r.pointer});
    }
};

// Marks every employee in the given departments or their sub-departments.
void mark_department_employees(const Dataset& data, const std::vector<uint32_t>& roots, std::vector<uint8_t>& employee_in) {
    std::vector<uint8_t> in_tree(data.departments.size(), 0);
    std::vector<uint32_t> stack(roots.begin(), roots.end());
    while (!stack.empty()) {
        uint32_t d = stack.back();
        stack.pop_back();
        if (in_tree[d]) continue;
        in_tree[d] = 1;
        for (uint32_t child : data.departments[d].children) stack.push_back(child);
    }
    employee_in.assign(data.employees.size(), 0);
    for (uint32_t e = 0; e < data.employees.size(); ++e)
        for (uint32_t d : data.employees[e].departments)
            if (in_tree[d]) {
                employee_in[e] = 1;
                break;
            }
}

std::vector<uint32_t> resolve_tags(const Dataset& data, const std::vector<IdRef>& refs, UnknownCollector& unknown,
                                   bool& has_unknown) {
    std::vector<uint32_t> out;
    for (const IdRef& r : refs) {
        uint32_t t = data.tag_index.find(r.id);
        if (t == kNone) {
            unknown.tag(r);
            has_unknown = true;
        } else out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

BoundExpr bind_expr(const Dataset& data, const Expr& e, UnknownCollector& unknown) {
    BoundExpr b;
    b.op = e.op;
    b.number = e.number;
    b.min = e.min;
    b.received_kind = e.received_kind;
    b.flag = e.flag;
    switch (e.op) {
        case ExprOp::All:
        case ExprOp::Any:
        case ExprOp::Not:
            for (const Expr& c : e.children) b.children.push_back(bind_expr(data, c, unknown));
            break;
        case ExprOp::TagsAny:
        case ExprOp::TagsAll:
        case ExprOp::TagsNone: b.list = resolve_tags(data, e.ids, unknown, b.has_unknown); break;
        case ExprOp::TagFilter:
            for (const auto& g : e.groups) b.groups.push_back(resolve_tags(data, g, unknown, b.has_unknown));
            break;
        case ExprOp::Owner:
            for (const IdRef& r : e.ids) {
                uint32_t emp = data.employee_index.find(r.id);
                if (emp == kNone) unknown.user(r);
                else b.list.push_back(emp);
            }
            std::sort(b.list.begin(), b.list.end());
            break;
        case ExprOp::Department: {
            std::vector<uint32_t> roots;
            for (const IntIdRef& r : e.departments) {
                uint32_t d = data.find_department(r.id);
                if (d == kNone) unknown.department(r);
                else roots.push_back(d);
            }
            mark_department_employees(data, roots, b.employee_in);
            break;
        }
        case ExprOp::Customers:
            for (const IdRef& r : e.ids) {
                uint32_t c = data.customer_ids.find(r.id);
                if (c != kNone) b.list.push_back(c);  // an unknown external_userid matches nobody, no error
            }
            std::sort(b.list.begin(), b.list.end());
            break;
        case ExprOp::Attr:
            b.attr = data.attribute_names.find(e.attr);
            b.attr_op = e.attr_op;
            b.value = e.value;
            if (b.value.type == Scalar::Type::String) b.value_text = data.strings.find(b.value.text);
            b.values = e.values;
            for (const Scalar& s : b.values)
                b.value_texts.push_back(s.type == Scalar::Type::String ? data.strings.find(s.text) : kNone);
            break;
        default: break;
    }
    return b;
}

bool sorted_intersects(std::span<const uint32_t> a, const std::vector<uint32_t>& b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] == b[j]) return true;
        if (a[i] < b[j]) ++i;
        else ++j;
    }
    return false;
}

bool sorted_contains_all(std::span<const uint32_t> have, const std::vector<uint32_t>& need) {
    size_t i = 0;
    for (uint32_t x : need) {
        while (i < have.size() && have[i] < x) ++i;
        if (i == have.size() || have[i] != x) return false;
    }
    return true;
}

std::span<const uint32_t> tags_of(const Dataset& data, uint32_t c) {
    return {data.customer_tags.data() + data.tag_begin[c], data.tag_begin[c + 1] - data.tag_begin[c]};
}

std::span<const Relation> relations_of(const Dataset& data, uint32_t c) {
    return {data.relations.data() + data.relation_begin[c], data.relation_begin[c + 1] - data.relation_begin[c]};
}

// Equality of contract 4: same type and value; strings by bytes (via interned ids).
bool scalar_eq(const Dataset& data, const AttrValue& a, const Scalar& v, uint32_t v_text) {
    if (a.type != v.type) return false;
    switch (a.type) {
        case Scalar::Type::Number: return a.number == v.number;
        case Scalar::Type::String: return v_text != kNone && a.text == v_text;
        case Scalar::Type::Bool: return a.boolean == v.boolean;
    }
    (void)data;
    return false;
}

// -1, 0, 1 when comparable (both numbers or both strings); otherwise nullopt.
std::optional<int> scalar_compare(const Dataset& data, const AttrValue& a, const Scalar& v) {
    if (a.type == Scalar::Type::Number && v.type == Scalar::Type::Number)
        return a.number < v.number ? -1 : (a.number > v.number ? 1 : 0);
    if (a.type == Scalar::Type::String && v.type == Scalar::Type::String) {
        int r = data.strings[a.text].compare(v.text);  // std::string_view::compare is bytewise
        return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    return std::nullopt;
}

bool evaluate_attr(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx) {
    if (e.attr == kNone) return false;
    AttrValue a;
    if (!data.attributes[e.attr].get(ctx.customer, a)) return false;  // missing: every op false, `ne` included
    if (a.type == Scalar::Type::Number && e.value.type == Scalar::Type::Number) {  // the common case, without scalar_compare
        switch (e.attr_op) {
            case AttrOp::Gt: return a.number > e.value.number;
            case AttrOp::Gte: return a.number >= e.value.number;
            case AttrOp::Lt: return a.number < e.value.number;
            case AttrOp::Lte: return a.number <= e.value.number;
            default: break;
        }
    }
    switch (e.attr_op) {
        case AttrOp::Eq: return scalar_eq(data, a, e.value, e.value_text);
        case AttrOp::Ne: return !scalar_eq(data, a, e.value, e.value_text);
        case AttrOp::Gt: {
            auto r = scalar_compare(data, a, e.value);
            return r && *r > 0;
        }
        case AttrOp::Gte: {
            auto r = scalar_compare(data, a, e.value);
            return r && *r >= 0;
        }
        case AttrOp::Lt: {
            auto r = scalar_compare(data, a, e.value);
            return r && *r < 0;
        }
        case AttrOp::Lte: {
            auto r = scalar_compare(data, a, e.value);
            return r && *r <= 0;
        }
        case AttrOp::In:
            for (size_t i = 0; i < e.values.size(); ++i)
                if (scalar_eq(data, a, e.values[i], e.value_texts[i])) return true;
            return false;
        case AttrOp::Contains:
            return a.type == Scalar::Type::String && e.value.type == Scalar::Type::String &&
                   data.strings[a.text].find(e.value.text) != std::string_view::npos;
        case AttrOp::Exists: return true;
        case AttrOp::WithinDays: return a.type == Scalar::Type::Number && within_days(a.number, ctx.t, e.value.number);
    }
    return false;
}

int64_t count_received(const BoundExpr& e, const CustomerContext& ctx) {
    if (e.number <= 0) return 0;
    TimeRange r = window_range(Window::RollingDays, ctx.t, 0, e.number);
    int64_t n = 0;
    auto count = [&](auto list) {  // the dataset's deliveries (PastDelivery) or simulated ones (Delivery)
        for (const auto& d : list) {
            if (!r.contains(d.time)) continue;
            if (e.received_kind == ReceivedKind::Moment && d.kind() != Kind::Moment) continue;
            if (e.received_kind == ReceivedKind::MassSend && d.kind() != Kind::MassSend) continue;
            ++n;
        }
    };
    if (e.base_counts && e.base_counts[ctx.customer] < 255) n = e.base_counts[ctx.customer];
    else count(ctx.ledger_base);
    count(ctx.ledger_extra);
    return n;
}

// The groups owned by a selected sender, within `chat_list` when it names any, in chat_id order.
std::vector<uint32_t> bind_groups(const Dataset& data, const std::vector<IdRef>& chat_list, const std::vector<uint8_t>& selected,
                                  UnknownCollector& unknown) {
    const GroupChats& g = data.groups;
    std::vector<uint8_t> listed;
    if (!chat_list.empty()) {
        listed.assign(g.size(), 0);
        for (const IdRef& r : chat_list) {
            const uint32_t k = g.ids.find(r.id);
            if (k == kNone) unknown.chat(r);
            else listed[k] = 1;
        }
    }
    std::vector<uint32_t> out;
    for (uint32_t k : g.by_chat_id)
        if (selected[g.owner[k]] && (listed.empty() || listed[k])) out.push_back(k);
    return out;
}

}  // namespace

std::vector<uint32_t> employees_by_userid(const Dataset& data) {
    std::vector<uint32_t> order(data.employees.size());
    for (uint32_t e = 0; e < order.size(); ++e) order[e] = e;
    std::sort(order.begin(), order.end(),
              [&](uint32_t x, uint32_t y) { return data.employees[x].userid < data.employees[y].userid; });
    return order;
}

BoundCampaign bind_campaign(const Dataset& data, const Campaign& campaign, Time send_time, std::vector<UnknownId>& unknown_out,
                            const std::vector<uint32_t>* by_userid) {
    UnknownCollector unknown;
    BoundCampaign b;
    b.campaign = &campaign;
    b.send_time = send_time;
    std::vector<uint8_t> selected(data.employees.size(), 0);  // per employee
    if (campaign.sender_users.empty() && campaign.sender_departments.empty()) {
        std::fill(selected.begin(), selected.end(), 1);  // every employee
    } else {
        for (const IdRef& r : campaign.sender_users) {
            uint32_t e = data.employee_index.find(r.id);
            if (e == kNone) unknown.user(r);
            else selected[e] = 1;
        }
        std::vector<uint32_t> roots;
        for (const IntIdRef& r : campaign.sender_departments) {
            uint32_t d = data.find_department(r.id);
            if (d == kNone) unknown.department(r);
            else roots.push_back(d);
        }
        if (!roots.empty()) {
            std::vector<uint8_t> in_departments;
            mark_department_employees(data, roots, in_departments);
            for (size_t e = 0; e < in_departments.size(); ++e) selected[e] |= in_departments[e];
        }
    }
    if (by_userid && by_userid->size() == selected.size()) {
        for (uint32_t e : *by_userid)
            if (selected[e]) b.senders.push_back(e);
    } else {
        for (uint32_t e = 0; e < selected.size(); ++e)
            if (selected[e]) b.senders.push_back(e);
        std::sort(b.senders.begin(), b.senders.end(),
                  [&](uint32_t x, uint32_t y) { return data.employees[x].userid < data.employees[y].userid; });
    }

    if (campaign.kind == Kind::Moment) {
        bool has_unknown = false;
        b.tag_list = resolve_tags(data, campaign.tag_list, unknown, has_unknown);
        b.tag_list_given = !campaign.tag_list.empty();
    } else if (campaign.kind == Kind::GroupSend) {
        b.groups = bind_groups(data, campaign.chat_list, selected, unknown);
    } else if (campaign.filter) {
        b.has_filter = true;
        b.filter = bind_expr(data, *campaign.filter, unknown);
    }
    for (auto* list : {&unknown.users, &unknown.departments, &unknown.tags, &unknown.chats})
        for (UnknownId& u : *list) unknown_out.push_back(std::move(u));
    return b;
}

bool customer_has_tag(const Dataset& data, uint32_t customer, uint32_t tag) {
    auto tags = tags_of(data, customer);
    return std::binary_search(tags.begin(), tags.end(), tag);
}

bool not_interested_active(const Dataset& data, uint32_t customer, uint32_t employee, Time t, int64_t hours) {
    if (hours <= 0) return false;
    const int64_t span = not_interested_span(hours);
    for (uint32_t i = data.not_interested_begin[customer]; i < data.not_interested_begin[customer + 1]; ++i) {
        const NotInterested& n = data.not_interested[i];
        if (employee != kNone && n.employee != employee) continue;
        if (n.time <= t && t < n.time + span) return true;
    }
    return false;
}

bool evaluate(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx) {
    const uint32_t c = ctx.customer;
    switch (e.op) {
        case ExprOp::All:
            for (const BoundExpr& child : e.children)
                if (!evaluate(data, child, ctx)) return false;
            return true;
        case ExprOp::Any:
            for (const BoundExpr& child : e.children)
                if (evaluate(data, child, ctx)) return true;
            return false;
        case ExprOp::Not: return !evaluate(data, e.children[0], ctx);
        case ExprOp::TagsAny: return sorted_intersects(tags_of(data, c), e.list);
        case ExprOp::TagsAll: return !e.has_unknown && sorted_contains_all(tags_of(data, c), e.list);
        case ExprOp::TagsNone: return !sorted_intersects(tags_of(data, c), e.list);
        case ExprOp::TagFilter:
            for (const auto& group : e.groups)
                if (!sorted_intersects(tags_of(data, c), group)) return false;
            return true;
        case ExprOp::Owner:
            for (const Relation& r : relations_of(data, c))
                if (!r.deleted && std::binary_search(e.list.begin(), e.list.end(), r.employee)) return true;
            return false;
        case ExprOp::Department:
            for (const Relation& r : relations_of(data, c))
                if (!r.deleted && e.employee_in[r.employee]) return true;
            return false;
        case ExprOp::Gender: return data.gender[c] == e.number;
        case ExprOp::AddedWithinDays: {
            if (e.number <= 0) return false;
            TimeRange range = window_range(Window::RollingDays, ctx.t, 0, e.number);
            for (const Relation& r : relations_of(data, c))
                if (!r.deleted && range.contains(r.createtime)) return true;
            return false;
        }
        case ExprOp::Attr: return evaluate_attr(data, e, ctx);
        case ExprOp::Received: return count_received(e, ctx) >= e.min;
        case ExprOp::NotInterestedActive: return not_interested_active(data, c, kNone, ctx.t, ctx.not_interested_hours) == e.flag;
        case ExprOp::Customers: return std::binary_search(e.list.begin(), e.list.end(), c);
    }
    return false;
}

TagCustomers index_tag_customers(const Dataset& data) {
    TagCustomers index;
    uint32_t unbounded = UINT32_MAX;
    TagCustomersBuilder().step(data, index, unbounded);
    return index;
}

bool TagCustomersBuilder::step(const Dataset& data, TagCustomers& index, uint32_t& customers) {
    const uint32_t n = data.customer_count();
    auto slice = [&](auto&& visit) {  // the next customers of this pass; true when it is over
        const uint32_t to = customers >= n - next_ ? n : next_ + customers;
        for (uint32_t c = next_; c < to; ++c) visit(c);
        customers -= to - next_;
        next_ = to;
        return next_ == n;
    };
    if (!filling_) {
        if (next_ == 0) index.begin.assign(data.tags.size() + 1, 0);
        if (!slice([&](uint32_t c) {
                for (uint32_t tag : tags_of(data, c)) ++index.begin[tag + 1];
            }))
            return false;
        for (size_t i = 1; i < index.begin.size(); ++i) index.begin[i] += index.begin[i - 1];
        index.customers.resize(index.begin.back());
        fill_at_.assign(index.begin.begin(), index.begin.end() - 1);
        filling_ = true;
        next_ = 0;
    }
    if (!slice([&](uint32_t c) {
            for (uint32_t tag : tags_of(data, c)) index.customers[fill_at_[tag]++] = c;
        }))
        return false;
    fill_at_ = {};
    return true;
}

namespace {

// Clause by clause over bit sets of the customers [begin, end) still in question.
class Selector {
public:
    using Words = std::vector<uint64_t>;
    Selector(const Dataset& data, const TagCustomers* tags, uint32_t begin, uint32_t end, Time t, int64_t hours,
             const std::function<CustomerContext(uint32_t)>& ledger_context)
        : data_(data),
          tags_(tags),
          begin_(begin),
          end_(end),
          words_((size_t(end - begin) + 63) / 64),
          common_{0, t, {}, {}, hours},
          ledger_context_(ledger_context) {}

    Words everyone() const {
        Words all(words_, ~uint64_t(0));
        if (words_ > 0 && ((end_ - begin_) & 63) != 0) all.back() = (uint64_t(1) << ((end_ - begin_) & 63)) - 1;
        return all;
    }

    Words select(const BoundExpr& e, const Words& in) {
        switch (e.op) {
            case ExprOp::All: {
                // Conjuncts have no side effects: the ones read off lists go first, so the
                // clauses evaluated customer by customer see the fewest customers.
                Words in_question = in;
                for (int pass = 0; pass < 2; ++pass)
                    for (const BoundExpr& child : e.children)
                        if (listed(child) == (pass == 0) && !empty(in_question)) in_question = select(child, in_question);
                return in_question;
            }
            case ExprOp::Any: {
                Words out(words_, 0), rest = in;
                for (const BoundExpr& child : e.children) {
                    if (empty(rest)) break;
                    const Words r = select(child, rest);
                    for (size_t w = 0; w < words_; ++w) {
                        out[w] |= r[w];
                        rest[w] &= ~r[w];
                    }
                }
                return out;
            }
            case ExprOp::Not: return minus(in, select(e.children[0], in));
            case ExprOp::TagsAny: return with_any_tag(in, e.list);
            case ExprOp::TagsNone: return minus(in, with_any_tag(in, e.list));
            case ExprOp::TagFilter: {
                Words in_question = in;
                for (const auto& group : e.groups) in_question = with_any_tag(in_question, group);
                return in_question;
            }
            case ExprOp::Customers: {
                Words out(words_, 0);
                for (auto it = std::lower_bound(e.list.begin(), e.list.end(), begin_); it != e.list.end() && *it < end_; ++it)
                    copy_bit(in, out, *it);
                return out;
            }
            case ExprOp::Received: return each(in, [&](uint32_t c) { return evaluate(data_, e, ledger_context_(c)); });
            case ExprOp::Attr:
                return each(in, [&](uint32_t c) {
                    CustomerContext ctx = common_;
                    ctx.customer = c;
                    return evaluate_attr(data_, e, ctx);
                });
            default:
                return each(in, [&](uint32_t c) {
                    CustomerContext ctx = common_;
                    ctx.customer = c;
                    return evaluate(data_, e, ctx);
                });
        }
    }

    Words with_any_tag(const Words& in, const std::vector<uint32_t>& list) {
        if (tags_) {
            size_t listed = 0;
            for (uint32_t tag : list) listed += tags_->of(tag).size();
            if (listed < count(in)) {  // fewer tagged customers than customers in question
                Words out(words_, 0);
                for (uint32_t tag : list) {
                    auto customers = tags_->of(tag);
                    for (auto it = std::lower_bound(customers.begin(), customers.end(), begin_);
                         it != customers.end() && *it < end_; ++it)
                        copy_bit(in, out, *it);
                }
                return out;
            }
        }
        return each(in, [&](uint32_t c) { return sorted_intersects(tags_of(data_, c), list); });
    }

private:
    static bool listed(const BoundExpr& e) {
        return e.op == ExprOp::TagsAny || e.op == ExprOp::TagFilter || e.op == ExprOp::Customers;
    }
    static bool empty(const Words& w) {
        return std::all_of(w.begin(), w.end(), [](uint64_t x) { return x == 0; });
    }
    static size_t count(const Words& w) {
        size_t n = 0;
        for (uint64_t x : w) n += static_cast<size_t>(std::popcount(x));
        return n;
    }
    Words minus(const Words& in, const Words& out) const {
        Words r(words_);
        for (size_t w = 0; w < words_; ++w) r[w] = in[w] & ~out[w];
        return r;
    }
    void copy_bit(const Words& in, Words& out, uint32_t c) const {
        const uint32_t i = c - begin_;
        out[i >> 6] |= in[i >> 6] & (uint64_t(1) << (i & 63));
    }
    template <class Keep>
    Words each(const Words& in, Keep&& keep) const {
        Words out(words_, 0);
        for (size_t w = 0; w < words_; ++w)
            for (uint64_t m = in[w]; m != 0; m &= m - 1)
                if (keep(begin_ + static_cast<uint32_t>(w * 64 + std::countr_zero(m)))) out[w] |= m & (~m + 1);
        return out;
    }

    const Dataset& data_;
    const TagCustomers* tags_;
    uint32_t begin_, end_;
    size_t words_;
    CustomerContext common_;
    const std::function<CustomerContext(uint32_t)>& ledger_context_;
};

}  // namespace

CustomerBits select_customers(const Dataset& data, const TagCustomers* tags, const BoundExpr& e, uint32_t begin, uint32_t end,
                              Time t, int64_t not_interested_hours,
                              const std::function<CustomerContext(uint32_t)>& ledger_context) {
    Selector selector(data, tags, begin, end, t, not_interested_hours, ledger_context);
    return {begin, selector.select(e, selector.everyone())};
}

CustomerBits customers_with_any_tag(const Dataset& data, const TagCustomers* index, const std::vector<uint32_t>& tags,
                                    uint32_t begin, uint32_t end) {
    const std::function<CustomerContext(uint32_t)> no_ledger;
    Selector selector(data, index, begin, end, 0, 0, no_ledger);
    return {begin, selector.with_any_tag(selector.everyone(), tags)};
}

namespace {

bool reads_ledger(const BoundExpr& e) {
    return e.op == ExprOp::Received || std::any_of(e.children.begin(), e.children.end(), reads_ledger);
}

}  // namespace

bool evaluate_ledger_first(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx) {
    if (e.op != ExprOp::All && e.op != ExprOp::Any) return evaluate(data, e, ctx);
    // All stops at the first false child, Any at the first true one; children have no side
    // effects, so any order gives the same answer.
    const bool stop_at = e.op == ExprOp::Any;
    for (int pass = 0; pass < 2; ++pass)
        for (const BoundExpr& child : e.children)
            if (reads_ledger(child) == (pass == 0) && evaluate_ledger_first(data, child, ctx) == stop_at) return stop_at;
    return !stop_at;
}

namespace {

enum class Tri : uint8_t { False, True, Unknown };

// `any_time`: the nodes that read the send time are unknown too.
Tri evaluate3(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx, bool any_time = false) {
    switch (e.op) {
        case ExprOp::Received: return Tri::Unknown;
        case ExprOp::AddedWithinDays:
        case ExprOp::NotInterestedActive:
            if (any_time) return Tri::Unknown;
            break;
        case ExprOp::Attr:
            if (any_time && e.attr_op == AttrOp::WithinDays) return Tri::Unknown;
            break;
        case ExprOp::All: {
            Tri r = Tri::True;
            for (const BoundExpr& child : e.children) {
                Tri v = evaluate3(data, child, ctx, any_time);
                if (v == Tri::False) return Tri::False;
                if (v == Tri::Unknown) r = Tri::Unknown;
            }
            return r;
        }
        case ExprOp::Any: {
            Tri r = Tri::False;
            for (const BoundExpr& child : e.children) {
                Tri v = evaluate3(data, child, ctx, any_time);
                if (v == Tri::True) return Tri::True;
                if (v == Tri::Unknown) r = Tri::Unknown;
            }
            return r;
        }
        case ExprOp::Not: {
            Tri v = evaluate3(data, e.children[0], ctx, any_time);
            return v == Tri::Unknown ? Tri::Unknown : (v == Tri::True ? Tri::False : Tri::True);
        }
        default: break;
    }
    return evaluate(data, e, ctx) ? Tri::True : Tri::False;
}

}  // namespace

bool depends_on_ledger(const Dataset& data, const BoundExpr& e, const CustomerContext& ctx) {
    return evaluate3(data, e, ctx) == Tri::Unknown;
}

std::vector<AttrValueCount> attribute_value_counts(const Dataset& data, uint32_t attr, size_t limit) {
    std::vector<AttrValueCount> out;
    if (attr >= data.attributes.size()) return out;
    const AttrColumn& column = data.attributes[attr];
    std::unordered_map<double, int64_t> numbers;
    std::unordered_map<uint32_t, int64_t> texts;
    int64_t bools[2] = {0, 0};
    AttrValue v;
    for (uint32_t c = 0; c < data.customer_count(); ++c) {
        if (!column.get(c, v)) continue;
        if (v.type == Scalar::Type::Number) ++numbers[v.number == 0 ? 0.0 : v.number];  // -0 is 0
        else if (v.type == Scalar::Type::String) ++texts[v.text];
        else ++bools[v.boolean];
    }
    for (const auto& [number, n] : numbers) out.push_back({{Scalar::Type::Number, false, kNone, number}, n});
    for (const auto& [text, n] : texts) out.push_back({{Scalar::Type::String, false, text, 0}, n});
    for (int b = 0; b < 2; ++b)
        if (bools[b]) out.push_back({{Scalar::Type::Bool, b == 1, kNone, 0}, bools[b]});
    auto before = [&](const AttrValueCount& a, const AttrValueCount& b) {
        if (a.customers != b.customers) return a.customers > b.customers;
        if (a.value.type != b.value.type) return a.value.type < b.value.type;
        if (a.value.type == Scalar::Type::Number) return a.value.number < b.value.number;
        if (a.value.type == Scalar::Type::String) return data.strings[a.value.text] < data.strings[b.value.text];
        return a.value.boolean < b.value.boolean;
    };
    std::sort(out.begin(), out.end(), before);
    if (out.size() > limit) out.resize(limit);
    return out;
}

bool may_match_at_any_time(const Dataset& data, const BoundExpr& e, uint32_t customer) {
    CustomerContext ctx;
    ctx.customer = customer;
    return evaluate3(data, e, ctx, true) != Tri::False;
}

}  // namespace rl
