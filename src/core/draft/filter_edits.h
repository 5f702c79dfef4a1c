#pragma once
// Structural edits of a mass send's audience expression (docs/contract.md section 4) on
// the draft campaign document, as the audience builder makes them: change a node's
// operator, wrap a node in all/any/not, add a condition, delete or move a node. The
// pointers are JSON pointers into the campaign document (the filter is
// "/audience/filter"). No rule is decided here: the loader validates what comes out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/campaign.h"

namespace rl {

inline constexpr const char* kFilterPointer = "/audience/filter";

// The operator of an expression node: its first key that names one (the loader refuses
// nodes with several); none for a node that is not an object or names none.
std::optional<ExprOp> filter_node_op(const nlohmann::ordered_json& node);
// all / any: the nodes whose operand is a list of nodes.
bool is_filter_group(std::optional<ExprOp> op);

// A new node of `op` with editable defaults; an `attr` node names `first_attribute`.
nlohmann::ordered_json default_filter_node(ExprOp op, std::string_view first_attribute);

// The pointers of `node` (at `pointer`) and of every node below it, parents first.
std::vector<std::string> filter_node_pointers(const nlohmann::ordered_json& node, const std::string& pointer);

// The campaign's "audience" object, made an object if it is not one.
nlohmann::ordered_json& campaign_audience(nlohmann::ordered_json& campaign);

// Each edit returns true when it changed the document; false (and no change) when the
// pointer names no node or the edit does not apply there.
//
// Gives the node another operator, keeping what can be kept: all <-> any keep their
// children, "not" wraps the node it replaces (or takes the only child of a group), a
// group replacing a "not" takes its operand; any other change starts from the default.
bool set_filter_operator(nlohmann::ordered_json& campaign, const std::string& pointer, ExprOp to,
                         std::string_view first_attribute);
// Puts the node inside a new all / any (as its only child) or not.
bool wrap_filter_node(nlohmann::ordered_json& campaign, const std::string& pointer, ExprOp wrapper);
// Appends a default `op` node to the all / any group at `pointer`.
bool add_filter_child(nlohmann::ordered_json& campaign, const std::string& pointer, ExprOp op, std::string_view first_attribute);
// Adds a default `op` node at the top: the filter itself when there is none, appended to
// a top-level all, else the old filter and the new node go into a new all.
bool add_filter_condition(nlohmann::ordered_json& campaign, ExprOp op, std::string_view first_attribute);
// Removes the node from its list; a node that is the operand of a not goes with its not;
// the top node removes the filter (everyone).
bool delete_filter_node(nlohmann::ordered_json& campaign, const std::string& pointer);
// Swaps the node with its neighbour in its list (step -1: earlier, +1: later).
bool move_filter_node(nlohmann::ordered_json& campaign, const std::string& pointer, int step);

}  // namespace rl
