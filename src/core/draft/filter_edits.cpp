#include "core/draft/filter_edits.h"

#include <exception>
#include <utility>

#include "core/model/contract_keys.h"

namespace rl {

using json = nlohmann::ordered_json;

namespace {

std::string op_key(ExprOp op) { return std::string(key_of(kExprOpKeys, op)); }

// The node at `pointer`, or null when the document has none there.
json* node_at(json& doc, const std::string& pointer) {
    try {
        const json::json_pointer p(pointer);
        return doc.contains(p) ? &doc.at(p) : nullptr;
    } catch (const std::exception&) {
        return nullptr;  // not a JSON pointer, or one through a scalar
    }
}

// The list holding the node at `pointer` and the node's index in it.
json* parent_list(json& doc, const std::string& pointer, size_t& index) {
    try {
        const json::json_pointer p(pointer);
        if (p.empty()) return nullptr;
        json* list = node_at(doc, p.parent_pointer().to_string());
        if (!list || !list->is_array()) return nullptr;
        const std::string& last = p.back();
        if (last.empty() || last.find_first_not_of("0123456789") != std::string::npos) return nullptr;
        index = std::stoul(last);
        return index < list->size() ? list : nullptr;
    } catch (const std::exception&) { return nullptr; }
}

}  // namespace

std::optional<ExprOp> filter_node_op(const json& node) {
    if (!node.is_object()) return std::nullopt;
    for (auto it = node.begin(); it != node.end(); ++it)
        if (const std::optional<ExprOp> op = enum_of(kExprOpKeys, it.key())) return op;
    return std::nullopt;
}

bool is_filter_group(std::optional<ExprOp> op) { return op == ExprOp::All || op == ExprOp::Any; }

json default_filter_node(ExprOp op, std::string_view first_attribute) {
    const std::string key = op_key(op);
    switch (op) {
        case ExprOp::Not: return {{"not", {{"tags_any", json::array()}}}};
        case ExprOp::TagFilter: return {{key, json::array({json::array()})}};
        case ExprOp::Gender: return {{key, 2}};
        case ExprOp::AddedWithinDays: return {{key, 30}};
        case ExprOp::Attr: return {{"attr", std::string(first_attribute)}, {"op", "exists"}};
        case ExprOp::Received: return {{key, {{"kind", "mass_send"}, {"within_days", 7}, {"min", 1}}}};
        case ExprOp::NotInterestedActive: return {{key, true}};
        default: return {{key, json::array()}};
    }
}

std::vector<std::string> filter_node_pointers(const json& node, const std::string& pointer) {
    std::vector<std::string> out;
    struct Walk {
        std::vector<std::string>& out;
        void operator()(const json& n, const std::string& ptr) {
            out.push_back(ptr);
            const std::optional<ExprOp> op = filter_node_op(n);
            if (is_filter_group(op) && n[op_key(*op)].is_array()) {
                const std::string key = op_key(*op);
                const json& kids = n[key];
                for (size_t i = 0; i < kids.size(); ++i) (*this)(kids[i], ptr + "/" + key + "/" + std::to_string(i));
            } else if (op == ExprOp::Not) {
                (*this)(n["not"], ptr + "/not");
            }
        }
    };
    Walk{out}(node, pointer);
    return out;
}

json& campaign_audience(json& campaign) {
    json& a = campaign["audience"];
    if (!a.is_object()) a = json::object();
    return a;
}

bool set_filter_operator(json& campaign, const std::string& pointer, ExprOp to, std::string_view first_attribute) {
    json* found = node_at(campaign, pointer);
    if (!found) return false;
    json& node = *found;
    const std::optional<ExprOp> from = filter_node_op(node);
    if (from == to) return false;
    if (is_filter_group(from) && is_filter_group(to)) {
        json kids = node[op_key(*from)];
        node = {{op_key(to), std::move(kids)}};
    } else if (is_filter_group(from) && to == ExprOp::Not) {
        json kids = node[op_key(*from)];
        if (kids.is_array() && kids.size() == 1) node = {{"not", kids[0]}};
        else node = {{"not", std::move(node)}};
    } else if (from == ExprOp::Not && is_filter_group(to)) {
        json kid = node["not"];
        node = {{op_key(to), json::array({std::move(kid)})}};
    } else if (to == ExprOp::Not && from) {
        node = {{"not", std::move(node)}};
    } else {
        node = default_filter_node(to, first_attribute);
    }
    return true;
}

bool wrap_filter_node(json& campaign, const std::string& pointer, ExprOp wrapper) {
    if (!is_filter_group(wrapper) && wrapper != ExprOp::Not) return false;
    json* node = node_at(campaign, pointer);
    if (!node) return false;
    *node = wrapper == ExprOp::Not ? json{{"not", *node}} : json{{op_key(wrapper), json::array({*node})}};
    return true;
}

bool add_filter_child(json& campaign, const std::string& pointer, ExprOp op, std::string_view first_attribute) {
    json* node = node_at(campaign, pointer);
    if (!node) return false;
    const std::optional<ExprOp> group = filter_node_op(*node);
    if (!is_filter_group(group)) return false;
    (*node)[op_key(*group)].push_back(default_filter_node(op, first_attribute));
    return true;
}

bool add_filter_condition(json& campaign, ExprOp op, std::string_view first_attribute) {
    json& aud = campaign_audience(campaign);
    json node = default_filter_node(op, first_attribute);
    auto f = aud.find("filter");
    if (f == aud.end() || f->is_null()) aud["filter"] = std::move(node);
    else if (filter_node_op(*f) == ExprOp::All && (*f)["all"].is_array()) (*f)["all"].push_back(std::move(node));
    else aud["filter"] = {{"all", json::array({*f, std::move(node)})}};
    return true;
}

bool delete_filter_node(json& campaign, const std::string& pointer) {
    if (!node_at(campaign, pointer)) return false;
    std::string target = pointer;
    // The only child of a "not" goes with its "not".
    while (target != kFilterPointer) {
        const json::json_pointer t(target);
        if (t.empty() || t.back() != "not") break;
        target = t.parent_pointer().to_string();
    }
    if (target == kFilterPointer) {
        campaign_audience(campaign).erase("filter");
        return true;
    }
    size_t i = 0;
    json* list = parent_list(campaign, target, i);
    if (!list) return false;
    list->erase(list->begin() + static_cast<std::ptrdiff_t>(i));
    return true;
}

bool move_filter_node(json& campaign, const std::string& pointer, int step) {
    size_t i = 0;
    json* list = parent_list(campaign, pointer, i);
    if (!list || (step != -1 && step != 1)) return false;
    if ((step < 0 && i == 0) || (step > 0 && i + 1 >= list->size())) return false;
    std::swap((*list)[i], (*list)[step < 0 ? i - 1 : i + 1]);
    return true;
}

}  // namespace rl
