#include "ui/audience_builder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string_view>

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"
#include "core/draft/filter_edits.h"
#include "core/model/contract_keys.h"
#include "core/model/dataset.h"
#include "core/time/calendar.h"
#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/date_picker.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kTagListPointer = "/audience/tag_list";

// The labels of the expression operators (ExprOp; their keys are core's kExprOpKeys), in
// the order the operator combo lists them.
struct OpLabel {
    ExprOp op;
    const char* zh;
    const char* en;
};
constexpr OpLabel kOpLabels[] = {
    {ExprOp::All, "全部满足", "All of"},
    {ExprOp::Any, "任一满足", "Any of"},
    {ExprOp::Not, "不满足", "Not"},
    {ExprOp::TagsAny, "有任一标签", "Has any tag"},
    {ExprOp::TagsAll, "有全部标签", "Has all tags"},
    {ExprOp::TagsNone, "没有这些标签", "Has none of the tags"},
    {ExprOp::TagFilter, "标签组合", "Tag groups"},
    {ExprOp::Owner, "添加人", "Added by"},
    {ExprOp::Department, "添加人所在部门", "Added by department"},
    {ExprOp::Gender, "性别", "Gender"},
    {ExprOp::AddedWithinDays, "近期添加", "Added within"},
    {ExprOp::Attr, "客户属性", "Attribute"},
    {ExprOp::Received, "近期收到消息", "Received"},
    {ExprOp::NotInterestedActive, "不感兴趣状态", "Not interested"},
    {ExprOp::Customers, "指定客户", "Listed customers"},
};
static_assert(std::size(kOpLabels) == std::size(kExprOpKeys), "a label for every operator");
using OptOp = std::optional<ExprOp>;
const char* op_key(ExprOp op) { return key_of(kExprOpKeys, op).data(); }
const char* op_label(ExprOp op) {
    for (const OpLabel& l : kOpLabels)
        if (l.op == op) return tx(l.zh, l.en);
    return "?";
}
// The operator lists put a separator after these.
bool ends_section(ExprOp op) { return op == ExprOp::Not || op == ExprOp::TagFilter || op == ExprOp::AddedWithinDays; }

// The labels of the attribute operators (AttrOp; keys in core's kAttrOpKeys), in combo order.
struct AttrOpInfo {
    AttrOp op;
    const char* zh;
    const char* en;
    const char* key() const { return key_of(kAttrOpKeys, op).data(); }
};
constexpr AttrOpInfo kAttrOps[] = {
    {AttrOp::Eq, "等于", "equals"},           {AttrOp::Ne, "不等于", "not equal"},
    {AttrOp::Gt, "大于", "greater than"},     {AttrOp::Gte, "大于等于", "at least"},
    {AttrOp::Lt, "小于", "less than"},        {AttrOp::Lte, "小于等于", "at most"},
    {AttrOp::In, "属于其一", "one of"},       {AttrOp::Contains, "包含文字", "contains"},
    {AttrOp::Exists, "已填写", "is present"}, {AttrOp::WithinDays, "近 N 天内", "within days"},
};
constexpr int kAttrOpCount = static_cast<int>(sizeof(kAttrOps) / sizeof(kAttrOps[0]));

// The type an attribute's values have in the dataset (the first customer who has it).
Scalar::Type attribute_type(const Dataset* d, const std::string& name) {
    if (!d) return Scalar::Type::Number;
    const uint32_t a = d->attribute_names.find(name);
    if (a == kNone || a >= d->attributes.size()) return Scalar::Type::Number;
    AttrValue v;
    for (uint32_t c = 0; c < d->customer_count(); ++c)
        if (d->attributes[a].get(c, v)) return v.type;
    return Scalar::Type::Number;
}

// ---- attribute metadata (docs/attribute-meta.md): names, types and lists for people

const AttributeMeta* meta_of(const Dataset* d, std::string_view key) { return d ? d->find_attribute_meta(key) : nullptr; }

// The name people see: the metadata's display name in the UI's language, else the key.
std::string attribute_label(const Dataset* d, const std::string& key) {
    const AttributeMeta* m = meta_of(d, key);
    if (!m) return key;
    return tx(m->name.c_str(), m->name_en.empty() ? m->name.c_str() : m->name_en.c_str());
}

// The attributes the name picker lists: the described ones in the metadata's order, then
// the others by key.
std::vector<std::string> attribute_choices(const Dataset* d) {
    std::vector<std::string> described, others;
    if (!d) return described;
    for (const AttributeMeta& m : d->attribute_meta)
        if (d->attribute_names.find(m.key) != kNone) described.push_back(m.key);
    for (uint32_t i = 0; i < d->attribute_names.size(); ++i)
        if (!d->find_attribute_meta(d->attribute_names[i])) others.emplace_back(d->attribute_names[i]);
    std::sort(others.begin(), others.end());
    described.insert(described.end(), others.begin(), others.end());
    return described;
}

// The operators that fit a described attribute's type (every operator without metadata).
bool op_fits(const AttributeMeta* m, AttrOp op) {
    if (!m || op == AttrOp::Exists) return true;
    switch (m->type) {
        case AttributeMeta::Type::Number: return op != AttrOp::Contains && op != AttrOp::WithinDays;
        case AttributeMeta::Type::String:
            return op == AttrOp::Eq || op == AttrOp::Ne || op == AttrOp::In || op == AttrOp::Contains;
        case AttributeMeta::Type::Enum: return op == AttrOp::Eq || op == AttrOp::Ne || op == AttrOp::In;
        case AttributeMeta::Type::Timestamp:
            return op == AttrOp::Gt || op == AttrOp::Gte || op == AttrOp::Lt || op == AttrOp::Lte || op == AttrOp::WithinDays;
        case AttributeMeta::Type::Bool: return op == AttrOp::Eq;
    }
    return true;
}

// The value type conditions on a described attribute compare with.
std::optional<Scalar::Type> meta_value_type(const AttributeMeta* m) {
    if (!m) return std::nullopt;
    switch (m->type) {
        case AttributeMeta::Type::Number:
        case AttributeMeta::Type::Timestamp: return Scalar::Type::Number;
        case AttributeMeta::Type::String: return Scalar::Type::String;
        case AttributeMeta::Type::Bool: return Scalar::Type::Bool;
        case AttributeMeta::Type::Enum: return m->values.empty() ? Scalar::Type::String : m->values.front().value.type;
    }
    return std::nullopt;
}

json scalar_json(const Scalar& v) {
    if (v.type == Scalar::Type::String) return v.text;
    if (v.type == Scalar::Type::Bool) return v.boolean;
    if (std::floor(v.number) == v.number && std::fabs(v.number) < 1e15) return static_cast<int64_t>(v.number);
    return v.number;
}

// An enum attribute's choices as the builder lists them: the declared values in their
// order, each with its label and how many customers hold it.
struct EnumChoice {
    json value;
    std::string label;
    int64_t customers = 0;
};
std::vector<EnumChoice> enum_choices(AppState& s, const AttributeMeta& m) {
    const Dataset& d = *s.ws.dataset();
    const std::vector<AttrValueCount>& counts = s.ws.attribute_value_counts(m.key);
    std::vector<EnumChoice> out;
    for (const AttributeMeta::Choice& c : m.values) {
        EnumChoice e;
        e.value = scalar_json(c.value);
        const std::string shown = c.value.type == Scalar::Type::String ? c.value.text : e.value.dump();
        e.label = c.name.empty() ? shown : tx(c.name.c_str(), c.name_en.empty() ? c.name.c_str() : c.name_en.c_str());
        for (const AttrValueCount& v : counts) {
            const bool same =
                v.value.type == c.value.type && (c.value.type == Scalar::Type::String ? d.strings[v.value.text] == c.value.text
                                                                                      : v.value.number == c.value.number);
            if (same) e.customers = v.customers;
        }
        out.push_back(std::move(e));
    }
    return out;
}

json default_value(Scalar::Type t) {
    if (t == Scalar::Type::String) return "";
    if (t == Scalar::Type::Bool) return true;
    return 0;
}

Scalar::Type json_type(const json& v, Scalar::Type fallback) {
    if (v.is_string()) return Scalar::Type::String;
    if (v.is_boolean()) return Scalar::Type::Bool;
    if (v.is_number()) return Scalar::Type::Number;
    return fallback;
}

json number_json(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return static_cast<int64_t>(v);
    return v;
}

// What a new attribute condition names: the dataset's first attribute.
std::string first_attribute(const Dataset* d) {
    return d && d->attribute_names.size() > 0 ? std::string(d->attribute_names[0]) : std::string();
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}
bool matches(std::string_view text, const std::string& needle_lower) {
    return needle_lower.empty() || lower_ascii(text).find(needle_lower) != std::string::npos;
}

// Ids pasted or typed: split on blanks, commas (ASCII and Chinese), semicolons and 、; the
// first occurrence of each kept, in order.
std::vector<std::string> split_ids(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty() && std::find(out.begin(), out.end(), cur) == out.end()) out.push_back(cur);
        cur.clear();
    };
    for (size_t i = 0; i < text.size();) {
        const unsigned char ch = static_cast<unsigned char>(text[i]);
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ',' || ch == ';') {
            flush();
            ++i;
        } else if (text.compare(i, 3, "\xEF\xBC\x8C") == 0 || text.compare(i, 3, "\xE3\x80\x81") == 0 ||
                   text.compare(i, 3, "\xEF\xBC\x9B") == 0) {  // ，、；
            flush();
            i += 3;
        } else {
            cur += text[i++];
        }
    }
    flush();
    return out;
}

std::vector<std::string> json_strings(const json& arr) {
    std::vector<std::string> out;
    if (!arr.is_array()) return out;
    for (const json& v : arr)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

// "draft: /audience/filter/all/0/gender: problem" -> ("/audience/filter/all/0/gender", "problem").
std::pair<std::string, std::string> split_draft_error(const std::string& e) {
    std::string rest = e;
    if (rest.rfind("draft: ", 0) == 0) rest = rest.substr(7);
    if (rest.empty() || rest[0] != '/') return {"", e};
    const size_t colon = rest.find(": ");
    if (colon == std::string::npos) return {rest, ""};
    return {rest.substr(0, colon), rest.substr(colon + 2)};
}

const json* find_filter(const json* doc) {
    if (!doc || !doc->is_object()) return nullptr;
    auto a = doc->find("audience");
    if (a == doc->end() || !a->is_object()) return nullptr;
    auto f = a->find("filter");
    return f == a->end() ? nullptr : &*f;
}
const json* find_tag_list(const json* doc) {
    if (!doc || !doc->is_object()) return nullptr;
    auto a = doc->find("audience");
    if (a == doc->end() || !a->is_object()) return nullptr;
    auto t = a->find("tag_list");
    return t == a->end() ? nullptr : &*t;
}
// ---- the frame's drawing context

enum class Act { None, SetOp, Delete, MoveUp, MoveDown, Wrap, Add, AddToRoot };

struct Ctx {
    AppState& s;
    AudienceBuilderState& a;
    const Dataset* d;
    Palette pal;
    bool changed = false;  // an in-place edit of the document
    // A structural edit, applied once the tree is drawn (the tree must not move under it).
    Act act = Act::None;
    std::string act_ptr;
    ExprOp act_op = ExprOp::All;
    std::string error_node, error_msg;
    int nodes = 0;
};

void request(Ctx& c, Act act, const std::string& ptr, ExprOp op = ExprOp::All) {
    c.act = act;
    c.act_ptr = ptr;
    c.act_op = op;
}

float em(float n) { return ImGui::GetFontSize() * n; }

// Places the next item of a wrapping row: on the same line when it still fits.
void flow(float width, float right_edge, bool& first) {
    if (!first) {
        const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
        if (x + width <= right_edge) ImGui::SameLine();
    }
    first = false;
}

// A removable chip; true when clicked (removes it). Unknown ids are drawn in the error colour.
bool chip(Ctx& c, const std::string& label, const std::string& id, bool unknown, float right_edge, bool& first,
          const std::string& track) {
    const std::string text = label + "  \xC3\x97";  // ×
    const ImVec2 pad(em(0.45f), em(0.12f));
    const float w = ImGui::CalcTextSize(text.c_str()).x + pad.x * 2;
    flow(w, right_edge, first);
    ImVec4 base = unknown ? c.pal.bad : c.pal.accent;
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, pad);
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, em(0.7f));
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(base.x, base.y, base.z, 0.14f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(base.x, base.y, base.z, 0.30f));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(base.x, base.y, base.z, 0.42f));
    if (unknown) ImGui::PushStyleColor(ImGuiCol_Text, c.pal.bad);
    const bool clicked = ImGui::Button((text + "###" + track).c_str());
    if (unknown) ImGui::PopStyleColor();
    ImGui::PopStyleColor(3);
    ImGui::PopStyleVar(2);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s%s", id.c_str(),
                          unknown ? tx("  （数据中没有此 ID，匹配不到任何客户）", "  (not in the data: matches nobody)")
                                  : tx("  点击移除", "  click to remove"));
    return clicked;
}

enum class IdKind { Tag, Employee, Department };

// The chips of an id list; a click removes one. Long lists show the first ones.
void id_chips(Ctx& c, json& arr, IdKind kind, const std::string& ptr, float right_edge, bool& first) {
    if (!arr.is_array()) return;
    constexpr size_t kMaxChips = 60;
    int remove = -1;
    for (size_t i = 0; i < arr.size() && i < kMaxChips; ++i) {
        const json& v = arr[i];
        std::string id, label;
        bool unknown = true;
        if (kind == IdKind::Department) {
            if (!v.is_number_integer()) continue;
            id = std::to_string(v.get<int64_t>());
            const uint32_t k = c.d ? c.d->find_department(v.get<int64_t>()) : kNone;
            unknown = k == kNone;
            label = unknown ? "#" + id : c.d->departments[k].name;
        } else {
            if (!v.is_string()) continue;
            id = v.get<std::string>();
            if (kind == IdKind::Tag) {
                const uint32_t k = c.d ? c.d->tag_index.find(id) : kNone;
                unknown = k == kNone;
                label = unknown ? id : c.d->tags[k].name;
            } else {
                const uint32_t k = c.d ? c.d->employee_index.find(id) : kNone;
                unknown = k == kNone;
                label = unknown ? id : c.d->employees[k].name;
                if (!unknown && !c.d->employees[k].active) label += tx("（已离职）", " (resigned)");
            }
        }
        if (chip(c, label, id + "_" + std::to_string(i), unknown, right_edge, first, "aud_chip:" + ptr + "/" + std::to_string(i)))
            remove = static_cast<int>(i);
    }
    if (arr.size() > kMaxChips) {
        const std::string more = fmt(tx("…另 %d 个", "… %d more"), static_cast<int>(arr.size() - kMaxChips));
        flow(ImGui::CalcTextSize(more.c_str()).x, right_edge, first);
        ImGui::TextDisabled("%s", more.c_str());
    }
    if (remove >= 0) {
        arr.erase(arr.begin() + remove);
        c.changed = true;
    }
}

bool contains_value(const json& arr, const json& v) {
    return arr.is_array() && std::find(arr.begin(), arr.end(), v) != arr.end();
}
void set_member(json& arr, const json& v, bool on) {
    if (!arr.is_array()) arr = json::array();
    if (on) {
        if (!contains_value(arr, v)) arr.push_back(v);
    } else {
        arr.erase(std::remove(arr.begin(), arr.end(), v), arr.end());
    }
}

void reset_caches_for(AudienceBuilderState& a, const Dataset* d) {
    if (a.key_dataset == d) return;
    a.key_dataset = d;
    a.key_tag_search = a.key_employee_search = a.key_department_search = "\x01";
}

// ---- pickers (checkbox lists over the dataset, clipped: 300 tags, thousands of employees)

void tag_list_picker(Ctx& c, json& arr, float height) {
    AudienceBuilderState& a = c.a;
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputTextWithHint("###aud_tag_search", tx("搜索标签或标签组", "Search tags or groups"), &a.tag_search);
    if (!c.d) return;
    if (a.key_tag_search != a.tag_search) {
        a.key_tag_search = a.tag_search;
        a.tag_rows.clear();
        const std::string q = lower_ascii(a.tag_search);
        for (uint32_t g = 0; g < c.d->tag_groups.size(); ++g) {
            const TagGroup& grp = c.d->tag_groups[g];
            const bool group_hit = matches(grp.name, q) || matches(grp.group_id, q);
            bool header = false;
            for (uint32_t t : grp.tags) {
                if (!group_hit && !matches(c.d->tags[t].name, q) && !matches(c.d->tags[t].id, q)) continue;
                if (!header) a.tag_rows.push_back({0, g});
                header = true;
                a.tag_rows.push_back({1, t});
            }
        }
    }
    ImGui::BeginChild("##tag_rows", ImVec2(-FLT_MIN, height), ImGuiChildFlags_Borders);
    if (a.tag_rows.empty()) ImGui::TextDisabled("%s", tx("没有匹配的标签", "No matching tags"));
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(a.tag_rows.size()));
    while (clip.Step()) {
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
            const auto [is_tag, idx] = a.tag_rows[r];
            if (!is_tag) {
                const TagGroup& grp = c.d->tag_groups[idx];
                int selected = 0;
                for (uint32_t t : grp.tags) selected += contains_value(arr, json(c.d->tags[t].id)) ? 1 : 0;
                ImGui::AlignTextToFramePadding();
                ImGui::TextColored(c.pal.muted, "%s", grp.name.c_str());
                ImGui::SameLine();
                if (selected > 0) ImGui::TextColored(c.pal.accent, "%d / %d", selected, static_cast<int>(grp.tags.size()));
                else ImGui::TextDisabled("%d", static_cast<int>(grp.tags.size()));
                continue;
            }
            const Tag& tag = c.d->tags[idx];
            bool on = contains_value(arr, json(tag.id));
            ImGui::Indent(em(0.8f));
            if (ImGui::Checkbox((tag.name + "###aud_tag:" + tag.id).c_str(), &on)) {
                set_member(arr, json(tag.id), on);
                c.changed = true;
            }
            ImGui::Unindent(em(0.8f));
        }
    }
    ImGui::EndChild();
}

void employee_picker(Ctx& c, json& arr) {
    AudienceBuilderState& a = c.a;
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputTextWithHint("###aud_employee_search", tx("搜索成员姓名或账号", "Search name or userid"), &a.employee_search);
    if (!c.d) return;
    if (a.key_employee_search != a.employee_search) {
        a.key_employee_search = a.employee_search;
        a.employee_rows.clear();
        const std::string q = lower_ascii(a.employee_search);
        for (uint32_t e = 0; e < c.d->employees.size(); ++e)
            if (matches(c.d->employees[e].name, q) || matches(c.d->employees[e].userid, q)) a.employee_rows.push_back(e);
    }
    ImGui::TextDisabled("%s", fmt(tx("%d 位成员", "%d employees"), static_cast<int>(a.employee_rows.size())).c_str());
    ImGui::BeginChild("##employee_rows", ImVec2(em(20), em(16)), ImGuiChildFlags_Borders);
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(a.employee_rows.size()));
    while (clip.Step()) {
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
            const Employee& e = c.d->employees[a.employee_rows[r]];
            bool on = contains_value(arr, json(e.userid));
            std::string label = e.name + "  " + e.userid;
            if (!e.active) label += tx("（已离职）", " (resigned)");
            if (ImGui::Checkbox((label + "###aud_employee:" + e.userid).c_str(), &on)) {
                set_member(arr, json(e.userid), on);
                c.changed = true;
            }
        }
    }
    ImGui::EndChild();
}

void department_picker(Ctx& c, json& arr) {
    AudienceBuilderState& a = c.a;
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputTextWithHint("###aud_department_search", tx("搜索部门", "Search departments"), &a.department_search);
    if (!c.d) return;
    if (a.key_department_search != a.department_search) {
        a.key_department_search = a.department_search;
        a.department_rows.clear();
        const std::string q = lower_ascii(a.department_search);
        // The tree in depth-first order; a search keeps the matching departments at their depth.
        std::vector<std::pair<int, uint32_t>> stack;
        for (uint32_t i = static_cast<uint32_t>(c.d->departments.size()); i-- > 0;)
            if (c.d->departments[i].parent == kNone) stack.push_back({0, i});
        while (!stack.empty()) {
            const auto [depth, i] = stack.back();
            stack.pop_back();
            const Department& dep = c.d->departments[i];
            if (matches(dep.name, q) || matches(std::to_string(dep.id), q)) a.department_rows.push_back({depth, i});
            for (auto it = dep.children.rbegin(); it != dep.children.rend(); ++it) stack.push_back({depth + 1, *it});
        }
    }
    ImGui::BeginChild("##department_rows", ImVec2(em(20), em(16)), ImGuiChildFlags_Borders);
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(a.department_rows.size()));
    while (clip.Step()) {
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
            const auto [depth, i] = a.department_rows[r];
            const Department& dep = c.d->departments[i];
            bool on = contains_value(arr, json(dep.id));
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() + em(1.0f) * std::min(depth, 8));
            if (ImGui::Checkbox((dep.name + "###aud_department:" + std::to_string(dep.id)).c_str(), &on)) {
                set_member(arr, json(dep.id), on);
                c.changed = true;
            }
        }
    }
    ImGui::EndChild();
}

// A small "+ …" button that opens a popup with one of the pickers.
void add_button(const char* label, const char* popup, const std::string& track, float right_edge, bool& first) {
    const std::string text = std::string("+ ") + label;
    const float w = ImGui::CalcTextSize(text.c_str()).x + em(0.9f);
    flow(w, right_edge, first);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(em(0.45f), em(0.12f)));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, em(0.7f));
    if (ImGui::Button((text + "###" + track).c_str())) ImGui::OpenPopup(popup);
    ImGui::PopStyleVar(2);
}

void id_list_editor(Ctx& c, json& arr, IdKind kind, const std::string& ptr, float right_edge) {
    bool first = true;
    if (!arr.is_array()) return;
    if (arr.empty()) {
        const char* none = kind == IdKind::Tag        ? tx("未选标签", "No tags")
                           : kind == IdKind::Employee ? tx("未选成员", "No employees")
                                                      : tx("未选部门", "No departments");
        flow(ImGui::CalcTextSize(none).x, right_edge, first);
        ImGui::TextDisabled("%s", none);
    }
    id_chips(c, arr, kind, ptr, right_edge, first);
    const char* label = kind == IdKind::Tag        ? tx("标签", "Tag")
                        : kind == IdKind::Employee ? tx("成员", "Employee")
                                                   : tx("部门", "Department");
    const char* popup = kind == IdKind::Tag ? "tag_picker" : kind == IdKind::Employee ? "employee_picker" : "department_picker";
    add_button(label, popup, "aud_add_id:" + ptr, right_edge, first);
    if (ImGui::BeginPopup(popup)) {
        if (kind == IdKind::Tag) {
            ImGui::Dummy(ImVec2(em(20), 0));
            tag_list_picker(c, arr, em(16));
        } else if (kind == IdKind::Employee) {
            employee_picker(c, arr);
        } else {
            department_picker(c, arr);
        }
        ImGui::EndPopup();
    }
}

void tag_filter_editor(Ctx& c, json& groups, const std::string& ptr, float right_edge) {
    if (!groups.is_array()) return;
    int remove = -1;
    for (size_t g = 0; g < groups.size(); ++g) {
        ImGui::PushID(static_cast<int>(g));
        const std::string gp = ptr + "/tag_filter/" + std::to_string(g);
        ImGui::TextColored(c.pal.muted, "%s",
                           g == 0 ? fmt(tx("标签组 %d（组内任一）", "Group %d (any inside)"), 1).c_str()
                                  : fmt(tx("且 标签组 %d", "and group %d"), static_cast<int>(g + 1)).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton((tx("移除组", "remove group") + ("###aud_remove_group:" + gp)).c_str()))
            remove = static_cast<int>(g);
        if (groups[g].is_array()) id_list_editor(c, groups[g], IdKind::Tag, gp, right_edge);
        ImGui::PopID();
    }
    if (ImGui::SmallButton((tx("+ 标签组", "+ Tag group") + ("###aud_add_group:" + ptr)).c_str())) {
        groups.push_back(json::array());
        c.changed = true;
    }
    if (remove >= 0) {
        groups.erase(groups.begin() + remove);
        c.changed = true;
    }
}

// The explicit list: a paste box, with how many of the ids the tenant knows.
void customers_editor(Ctx& c, json& arr, const std::string& ptr) {
    if (!arr.is_array()) return;
    std::string& box = c.a.text_boxes[ptr + "#customers"];
    const std::vector<std::string> ids = json_strings(arr);
    if (split_ids(box) != ids) box = join(ids, "\n");  // the document changed elsewhere
    if (ImGui::InputTextMultiline(("###aud_paste:" + ptr).c_str(), &box, ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * 5))) {
        json next = json::array();
        for (std::string& id : split_ids(box)) next.push_back(std::move(id));
        arr = std::move(next);
        c.changed = true;
    }
    if (ImGui::IsItemHovered() && box.empty())
        ImGui::SetTooltip(
            "%s", tx("粘贴 external_userid，每行一个或用逗号分隔", "Paste external_userids, one a line or comma-separated"));
    int64_t known = 0;
    std::vector<std::string> unknown;
    for (const std::string& id : json_strings(arr)) {
        if (c.d && c.d->customer_ids.find(id) != kNone) ++known;
        else unknown.push_back(id);
    }
    ImGui::TextDisabled("%s", fmt(tx("共 %s 个 ID · 已识别 %s", "%s ids · %s known"),
                                  fmt_int(static_cast<int64_t>(arr.size())).c_str(), fmt_int(known).c_str())
                                  .c_str());
    if (!unknown.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(c.pal.bad, "%s",
                           fmt(tx("· 未知 %s", "· %s unknown"), fmt_int(static_cast<int64_t>(unknown.size())).c_str()).c_str());
        name_item("aud_paste_unknown:", ptr);
        std::vector<std::string> head(unknown.begin(), unknown.begin() + std::min<size_t>(unknown.size(), 6));
        std::string line = join(head, ", ");
        if (unknown.size() > head.size()) line += " …";
        ImGui::PushStyleColor(ImGuiCol_Text, c.pal.bad);
        ImGui::TextWrapped("%s", line.c_str());
        ImGui::PopStyleColor();
    }
}

bool input_int_json(json& node, const char* key, float width, int min_value, const std::string& track, Ctx& c) {
    int v = node[key].is_number_integer()
                ? static_cast<int>(std::clamp<int64_t>(node[key].get<int64_t>(), -1000000000, 1000000000))
                : 0;
    ImGui::SetNextItemWidth(width);
    const bool edited = ImGui::InputInt(("###" + track).c_str(), &v, 0, 0);  // no step buttons: a compact field
    if (edited) {
        node[key] = std::max(v, min_value);
        c.changed = true;
    }
    return edited;
}

// The operator's label; a date's comparisons read as before/after.
const char* attr_op_label(const AttrOpInfo& info, const AttributeMeta* m) {
    if (m && m->type == AttributeMeta::Type::Timestamp) {
        switch (info.op) {
            case AttrOp::Gt: return tx("晚于", "after");
            case AttrOp::Gte: return tx("不早于", "on or after");
            case AttrOp::Lt: return tx("早于", "before");
            case AttrOp::Lte: return tx("不晚于", "on or before");
            default: break;
        }
    }
    return tx(info.zh, info.en);
}

// A date condition's value for local day `day`: the day's first second for "on or after" and
// "before", its last for "after" and "on or before", so the whole day is in or out.
json date_value(AttrOp op, int64_t day, int tz) {
    const bool day_end = op == AttrOp::Gt || op == AttrOp::Lte;
    return day_end ? local_day_start(day + 1, tz) - 1 : local_day_start(day, tz);
}

// The value a condition gets when its attribute or operator changes.
json fresh_value(const Ctx& c, const AttributeMeta* m, AttrOp op, Scalar::Type t) {
    if (m && m->type == AttributeMeta::Type::Timestamp && op != AttrOp::WithinDays && c.d)
        return date_value(op, local_day_number(c.d->now, c.d->enterprise.tz_offset_minutes), c.d->enterprise.tz_offset_minutes);
    if (m && m->type == AttributeMeta::Type::Enum && !m->values.empty() && op != AttrOp::In && op != AttrOp::Contains)
        return scalar_json(m->values.front().value);
    return default_value(t);
}

// The value of an enum attribute, picked from its list with each value's customer count.
void enum_value_editor(Ctx& c, const AttributeMeta& m, AttrOp op, json& value, const std::string& ptr, float width) {
    const std::vector<EnumChoice> choices = enum_choices(c.s, m);
    auto chosen = [&](const json& v) {
        return op == AttrOp::In ? value.is_array() && std::find(value.begin(), value.end(), v) != value.end() : value == v;
    };
    std::string preview;
    for (const EnumChoice& e : choices)
        if (chosen(e.value)) preview += (preview.empty() ? "" : tx("、", ", ")) + e.label;
    if (op != AttrOp::In && preview.empty() && !value.is_null())
        preview = value.is_string() ? value.get<std::string>() : value.dump();
    ImGui::SetNextItemWidth(width);
    const bool open =
        ImGui::BeginCombo("##enum", preview.empty() ? tx("（选择）", "(choose)") : preview.c_str(), ImGuiComboFlags_HeightLarge);
    name_item("aud_attr_value:", ptr);
    if (!open) return;
    for (const EnumChoice& e : choices) {
        const std::string key = e.value.is_string() ? e.value.get<std::string>() : e.value.dump();
        const std::string label =
            fmt("%s  (%s)###aud_attr_enum_item:%s", e.label.c_str(), fmt_int(e.customers).c_str(), key.c_str());
        if (op == AttrOp::In) {
            bool on = chosen(e.value);
            if (ImGui::Checkbox(label.c_str(), &on)) {
                if (!value.is_array()) value = json::array();
                if (on) value.push_back(e.value);
                else value.erase(std::remove(value.begin(), value.end(), e.value), value.end());
                c.changed = true;
            }
        } else if (ImGui::Selectable(label.c_str(), chosen(e.value)) && !chosen(e.value)) {
            value = e.value;
            c.changed = true;
        }
    }
    ImGui::EndCombo();
}

void attr_editor(Ctx& c, json& node, const std::string& ptr, float right_edge) {
    // Name: the dataset's attribute names, by their display names when described (a name it
    // lacks stays, marked).
    std::string name = node["attr"].is_string() ? node["attr"].get<std::string>() : "";
    const bool known = c.d && c.d->attribute_names.find(name) != kNone;
    const AttributeMeta* meta = meta_of(c.d, name);
    ImGui::SetNextItemWidth(em(8));
    if (!known) ImGui::PushStyleColor(ImGuiCol_Text, c.pal.bad);
    const std::string shown_name = attribute_label(c.d, name);
    const bool open = ImGui::BeginCombo("##attr_name", name.empty() ? tx("（选择属性）", "(attribute)") : shown_name.c_str());
    if (!known) ImGui::PopStyleColor();
    name_item("aud_attr_name:", ptr);
    if (meta && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", name.c_str());
    if (open) {
        if (c.d) {
            for (const std::string& n : attribute_choices(c.d)) {
                if (ImGui::Selectable((attribute_label(c.d, n) + "###aud_attr_name_item:" + n).c_str(), n == name) && n != name) {
                    node["attr"] = n;
                    const AttributeMeta* m = meta_of(c.d, n);
                    const Scalar::Type t = meta_value_type(m).value_or(attribute_type(c.d, n));
                    std::string op = node["op"].is_string() ? node["op"].get<std::string>() : "exists";
                    AttrOp aop = AttrOp::Exists;
                    for (const AttrOpInfo& info : kAttrOps)
                        if (op == info.key()) aop = info.op;
                    if (!op_fits(m, aop)) {  // the first operator that fits the new type
                        for (const AttrOpInfo& info : kAttrOps)
                            if (op_fits(m, info.op)) {
                                aop = info.op;
                                break;
                            }
                        op = key_of(kAttrOpKeys, aop).data();
                        node["op"] = op;
                    }
                    if (aop == AttrOp::Exists) node.erase("value");
                    else if (aop == AttrOp::In) node["value"] = json::array();
                    else if (aop == AttrOp::WithinDays) node["value"] = 30;
                    else node["value"] = fresh_value(c, m, aop, t);
                    c.a.text_boxes.erase(ptr + "#in");
                    c.changed = true;
                }
                if (meta_of(c.d, n) && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", n.c_str());
            }
        }
        ImGui::EndCombo();
    }
    if (!known && ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tx("数据中没有这个属性：条件对所有客户都不成立", "Not in the data: true for nobody"));

    // Operator: those that fit the attribute's type (the one in the draft stays shown).
    const std::string op = node["op"].is_string() ? node["op"].get<std::string>() : "";
    int op_index = -1;
    for (int i = 0; i < kAttrOpCount; ++i)
        if (op == kAttrOps[i].key()) op_index = i;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(6.5f));
    const bool op_open = ImGui::BeginCombo("##attr_op", op_index >= 0 ? attr_op_label(kAttrOps[op_index], meta) : "?",
                                           ImGuiComboFlags_HeightLarge);
    name_item("aud_attr_op:", ptr);
    if (op_open) {
        for (int i = 0; i < kAttrOpCount; ++i) {
            if (i != op_index && !op_fits(meta, kAttrOps[i].op)) continue;
            if (ImGui::Selectable(
                    (std::string(attr_op_label(kAttrOps[i], meta)) + "###aud_attr_op_item:" + kAttrOps[i].key()).c_str(),
                    i == op_index) &&
                i != op_index) {
                const std::string to = kAttrOps[i].key();
                const json old = node.contains("value") ? node["value"] : json();
                node["op"] = to;
                const Scalar::Type t = meta_value_type(meta).value_or(attribute_type(c.d, name));
                const bool was_date =
                    meta && meta->type == AttributeMeta::Type::Timestamp && old.is_number() && op != "within_days";
                if (to == "exists") {
                    node.erase("value");
                } else if (to == "within_days") {
                    node["value"] = old.is_number() && !old.is_boolean() && !was_date ? old : json(30);
                } else if (meta && meta->type == AttributeMeta::Type::Timestamp) {
                    // The same day, its first or last second as the new comparison wants.
                    const int tz = c.d->enterprise.tz_offset_minutes;
                    node["value"] = was_date ? date_value(kAttrOps[i].op, local_day_number(old.get<int64_t>(), tz), tz)
                                             : fresh_value(c, meta, kAttrOps[i].op, t);
                } else if (to == "in") {
                    node["value"] = old.is_array()                         ? old
                                    : old.is_primitive() && !old.is_null() ? json::array({old})
                                                                           : json::array();
                } else if (to == "contains") {
                    node["value"] = old.is_string() ? old : json("");
                } else {
                    node["value"] = old.is_array()  ? (old.empty() ? fresh_value(c, meta, kAttrOps[i].op, t) : old[0])
                                    : old.is_null() ? fresh_value(c, meta, kAttrOps[i].op, t)
                                                    : old;
                }
                c.changed = true;
            }
        }
        ImGui::EndCombo();
    }
    if (op == "exists" || op_index < 0) return;
    const AttrOp aop = kAttrOps[op_index].op;

    json& value = node["value"];
    const std::string value_label = "###aud_attr_value:" + ptr;
    const int tz = c.d ? c.d->enterprise.tz_offset_minutes : 480;
    const bool is_date = meta && meta->type == AttributeMeta::Type::Timestamp;
    if (op == "within_days") {
        double days = value.is_number() ? value.get<double>() : 0;
        ImGui::SameLine();
        // A date's row also holds "since <date>": the count stays narrow to leave it room.
        ImGui::SetNextItemWidth(is_date ? em(4) : std::max(em(4), right_edge - ImGui::GetCursorScreenPos().x - em(2)));
        if (ImGui::InputDouble(value_label.c_str(), &days, 0, 0, "%g")) {
            value = number_json(days);
            c.changed = true;
        }
        ImGui::SameLine();
        ImGui::TextUnformatted(tx("天", "days"));
        if (is_date && c.d) {
            // From a date: the days from that date's start to the send day, that day counted.
            const PreviewResult* r = c.s.ws.result();
            const Time t = r ? r->send_time : c.d->now;
            const int64_t send_day = local_day_number(t, tz);
            int64_t since = send_day - static_cast<int64_t>(std::ceil(days)) + 1;
            // "since <date>" on this row when it fits, else on the next (a narrow column).
            ImGui::SameLine();
            if (right_edge - ImGui::GetCursorScreenPos().x < em(9)) ImGui::NewLine();
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("%s", tx("自", "since"));
            ImGui::SameLine();
            if (const auto picked = date_picker(("aud_attr_date:" + ptr).c_str(), since)) {
                value = std::max<int64_t>(1, send_day - *picked + 1);
                c.changed = true;
            }
        }
        return;
    }
    if (is_date && aop != AttrOp::In) {
        // A date, picked on a calendar (the enterprise's local days).
        int64_t day = local_day_number(value.is_number() ? value.get<Time>() : (c.d ? c.d->now : 0), tz);
        ImGui::SameLine();
        if (const auto picked = date_picker(("aud_attr_date:" + ptr).c_str(), day)) {
            value = date_value(aop, *picked, tz);
            c.changed = true;
        }
        return;
    }
    if (meta && meta->type == AttributeMeta::Type::Enum && c.d && aop != AttrOp::Contains) {
        ImGui::SameLine();
        enum_value_editor(c, *meta, aop, value, ptr, std::max(em(6), right_edge - ImGui::GetCursorScreenPos().x));
        return;
    }
    // The value's type: the metadata's, else what it is now, else what the dataset holds.
    const json& sample = value.is_array() ? (value.empty() ? json() : value[0]) : value;
    // The column scan only when the value does not say (it may walk many customers).
    Scalar::Type t = op == "contains"                             ? Scalar::Type::String
                     : meta                                       ? *meta_value_type(meta)
                     : sample.is_primitive() && !sample.is_null() ? json_type(sample, Scalar::Type::Number)
                                                                  : attribute_type(c.d, name);
    const char* type_names[] = {tx("数字", "number"), tx("文本", "text"), tx("是/否", "yes/no")};
    ImGui::SetNextItemWidth(em(4.5f));
    int ti = static_cast<int>(t);
    // A described attribute has its type; the type picker is for the others.
    const bool pick_type = op != "contains" && !meta;
    if (pick_type && ImGui::Combo(("###aud_attr_type:" + ptr).c_str(), &ti, type_names, 3) && ti != static_cast<int>(t)) {
        t = static_cast<Scalar::Type>(ti);
        value = op == "in" ? json::array() : default_value(t);
        c.a.text_boxes.erase(ptr + "#in");
        c.changed = true;
    }
    if (pick_type) name_item("aud_attr_type:", ptr);
    if (op != "contains") ImGui::SameLine();
    const float unit_w = meta && !meta->unit.empty() ? ImGui::CalcTextSize(meta->unit.c_str()).x + em(0.6f) : 0;
    ImGui::SetNextItemWidth(std::max(em(5), right_edge - ImGui::GetCursorScreenPos().x - unit_w));
    if (op == "in") {
        // Values separated by commas, of the chosen type; what does not parse is named.
        std::string& box = c.a.text_boxes[ptr + "#in"];
        auto to_text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
        auto parse = [&](const std::string& text, std::string* bad) {
            json out = json::array();
            for (const std::string& tok : split_ids(text)) {
                if (t == Scalar::Type::String) out.push_back(tok);
                else if (t == Scalar::Type::Bool) {
                    if (tok == "true" || tok == "是") out.push_back(true);
                    else if (tok == "false" || tok == "否") out.push_back(false);
                    else if (bad && bad->empty()) *bad = tok;
                } else {
                    char* end = nullptr;
                    const double d = std::strtod(tok.c_str(), &end);
                    if (end && *end == 0 && std::isfinite(d)) out.push_back(number_json(d));
                    else if (bad && bad->empty()) *bad = tok;
                }
            }
            return out;
        };
        if (!value.is_array()) value = json::array();
        if (parse(box, nullptr) != value) {
            std::vector<std::string> parts;
            for (const json& v : value) parts.push_back(to_text(v));
            box = join(parts, ", ");
        }
        if (ImGui::InputTextWithHint(value_label.c_str(), tx("用逗号分隔多个值", "values, comma-separated"), &box)) {
            value = parse(box, nullptr);
            c.changed = true;
        }
        std::string bad;
        parse(box, &bad);
        if (!bad.empty())
            ImGui::TextColored(c.pal.warn, "%s",
                               fmt(tx("“%s”不是%s，已忽略", "\"%s\" is not a %s: ignored"), bad.c_str(), type_names[ti]).c_str());
        return;
    }
    if (t == Scalar::Type::String) {
        std::string text = value.is_string() ? value.get<std::string>() : "";
        if (ImGui::InputText(value_label.c_str(), &text)) {
            value = text;
            c.changed = true;
        }
    } else if (t == Scalar::Type::Bool) {
        bool b = value.is_boolean() && value.get<bool>();
        if (ImGui::Checkbox((tx("是", "yes") + value_label).c_str(), &b)) {
            value = b;
            c.changed = true;
        }
    } else {
        double d = value.is_number() ? value.get<double>() : 0;
        if (ImGui::InputDouble(value_label.c_str(), &d, 0, 0, "%g")) {
            value = number_json(d);
            c.changed = true;
        }
    }
    if (meta && !meta->unit.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(meta->unit.c_str());
    }
}

void received_editor(Ctx& c, json& r, const std::string& ptr) {
    if (!r.is_object()) return;
    const char* kinds[] = {"moment", "mass_send", "any"};
    const char* kind_labels[] = {tx("朋友圈", "moments"), tx("群发", "mass sends"), tx("任意", "any")};
    int k = 2;
    for (int i = 0; i < 3; ++i)
        if (r["kind"].is_string() && r["kind"].get<std::string>() == kinds[i]) k = i;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tx("近", "In the last"));
    ImGui::SameLine();
    input_int_json(r, "within_days", em(3.5f), 0, "aud_received_days:" + ptr, c);
    ImGui::SameLine();
    ImGui::TextUnformatted(tx("天收到", "days,"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(5));
    if (ImGui::Combo("##kind", &k, kind_labels, 3)) {
        r["kind"] = kinds[k];
        c.changed = true;
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tx("至少", "at least"));
    ImGui::SameLine();
    input_int_json(r, "min", em(3), 0, "aud_received_min:" + ptr, c);
    ImGui::SameLine();
    ImGui::TextUnformatted(tx("次", "times"));
}

// The popup of "+ condition": every operator; the pick goes into `act`.
void add_condition_popup(Ctx& c, const char* popup, Act act, const std::string& ptr) {
    if (!ImGui::BeginPopup(popup)) return;
    ImGui::TextDisabled("%s", tx("添加条件", "Add a condition"));
    ImGui::Separator();
    for (const OpLabel& l : kOpLabels) {
        if (ImGui::Selectable((std::string(op_label(l.op)) + "###aud_add_op:" + op_key(l.op)).c_str()))
            request(c, act, ptr, l.op);
        if (ends_section(l.op)) ImGui::Separator();
    }
    ImGui::EndPopup();
}

void draw_node(Ctx& c, json& node, const std::string& ptr, bool in_list, int index, int count) {
    ImGui::PushID(ptr.c_str());
    ++c.nodes;
    const OptOp op = filter_node_op(node);
    const ImGuiStyle& st = ImGui::GetStyle();
    const float right_edge = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    const float menu_w = ImGui::GetFrameHeight() * 1.25f;
    const ImVec4 group_colour = op == ExprOp::Any ? c.pal.warn : op == ExprOp::Not ? c.pal.bad : c.pal.accent;

    // The operator.
    ImGui::SetNextItemWidth(em(8.5f));
    const bool coloured = is_filter_group(op) || op == ExprOp::Not;
    if (coloured) ImGui::PushStyleColor(ImGuiCol_Text, group_colour);
    const bool combo =
        ImGui::BeginCombo("##op", op ? op_label(*op) : tx("（未知条件）", "(unknown)"), ImGuiComboFlags_HeightLargest);
    if (coloured) ImGui::PopStyleColor();
    name_item("aud_op:", ptr);
    if (combo) {
        for (const OpLabel& l : kOpLabels) {
            if (ImGui::Selectable((std::string(op_label(l.op)) + "###aud_op_item:" + op_key(l.op)).c_str(), l.op == op) &&
                l.op != op)
                request(c, Act::SetOp, ptr, l.op);
            if (ends_section(l.op)) ImGui::Separator();
        }
        ImGui::EndCombo();
    }

    // Short operands on the operator's line.
    const float operand_right = right_edge - menu_w - st.ItemSpacing.x;
    if (op == ExprOp::Gender) {
        int g = node["gender"].is_number_integer() ? static_cast<int>(node["gender"].get<int64_t>()) : 0;
        const char* labels[] = {tx("未知", "unknown"), tx("男", "male"), tx("女", "female")};
        for (int i = 0; i < 3; ++i) {
            ImGui::SameLine();
            if (ImGui::RadioButton((std::string(labels[i]) + "###aud_gender:" + ptr + ":" + std::to_string(i)).c_str(), g == i) &&
                g != i) {
                node["gender"] = i;
                c.changed = true;
            }
        }
    } else if (op == ExprOp::AddedWithinDays) {
        ImGui::SameLine();
        input_int_json(node, "added_within_days", em(4), 0, "aud_days:" + ptr, c);
        ImGui::SameLine();
        ImGui::TextUnformatted(tx("天内添加", "days"));
    } else if (op == ExprOp::NotInterestedActive) {
        ImGui::SameLine();
        bool b = node["not_interested_active"].is_boolean() && node["not_interested_active"].get<bool>();
        if (ImGui::Checkbox((tx("仍在不感兴趣期内", "still active") + ("###aud_flag:" + ptr)).c_str(), &b)) {
            node["not_interested_active"] = b;
            c.changed = true;
        }
    } else if (op == ExprOp::All || op == ExprOp::Any) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", op == ExprOp::All ? tx("以下条件同时成立", "every condition below")
                                                    : tx("以下条件至少一个成立", "at least one below"));
    }

    // The node's menu at the right end of the line.
    ImGui::SameLine();
    const float x = right_edge - menu_w;
    if (x > ImGui::GetCursorScreenPos().x) ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    if (ImGui::Button(("\xE2\x80\xA6###aud_menu:" + ptr).c_str(), ImVec2(menu_w, 0))) ImGui::OpenPopup("node_menu");  // …
    if (ImGui::BeginPopup("node_menu")) {
        if (in_list) {
            if (ImGui::MenuItem(tx("上移###aud_menu_up", "Move up###aud_menu_up"), nullptr, false, index > 0))
                request(c, Act::MoveUp, ptr);
            if (ImGui::MenuItem(tx("下移###aud_menu_down", "Move down###aud_menu_down"), nullptr, false, index + 1 < count))
                request(c, Act::MoveDown, ptr);
        }
        if (ImGui::MenuItem(tx("包进“全部满足”###aud_wrap_all", "Wrap in All of###aud_wrap_all")))
            request(c, Act::Wrap, ptr, ExprOp::All);
        if (ImGui::MenuItem(tx("包进“任一满足”###aud_wrap_any", "Wrap in Any of###aud_wrap_any")))
            request(c, Act::Wrap, ptr, ExprOp::Any);
        if (ImGui::MenuItem(tx("取反（不满足）###aud_wrap_not", "Negate (Not)###aud_wrap_not")))
            request(c, Act::Wrap, ptr, ExprOp::Not);
        ImGui::Separator();
        ImGui::PushStyleColor(ImGuiCol_Text, c.pal.bad);
        if (ImGui::MenuItem(tx("删除条件###aud_delete", "Delete###aud_delete"))) request(c, Act::Delete, ptr);
        ImGui::PopStyleColor();
        ImGui::EndPopup();
    }

    // Longer operands below, slightly indented.
    const float pad = em(0.6f);
    auto operands = [&](auto&& body) {
        ImGui::Indent(pad);
        body();
        ImGui::Unindent(pad);
    };
    if (op) switch (*op) {
            case ExprOp::TagsAny:
            case ExprOp::TagsAll:
            case ExprOp::TagsNone:
                operands(
                    [&] { id_list_editor(c, node[op_key(*op)], IdKind::Tag, ptr + "/" + op_key(*op), operand_right + menu_w); });
                break;
            case ExprOp::Owner:
                operands([&] { id_list_editor(c, node["owner"], IdKind::Employee, ptr + "/owner", operand_right + menu_w); });
                break;
            case ExprOp::Department:
                operands([&] {
                    id_list_editor(c, node["department"], IdKind::Department, ptr + "/department", operand_right + menu_w);
                });
                break;
            case ExprOp::TagFilter:
                operands([&] { tag_filter_editor(c, node["tag_filter"], ptr, operand_right + menu_w); });
                break;
            case ExprOp::Attr: operands([&] { attr_editor(c, node, ptr, right_edge); }); break;
            case ExprOp::Received: operands([&] { received_editor(c, node["received"], ptr); }); break;
            case ExprOp::Customers: operands([&] { customers_editor(c, node["customers"], ptr); }); break;
            default: break;
        }
    if (ptr == c.error_node) error_text(c.s, c.error_msg);

    // Children, with a guide line in the group's colour.
    if (is_filter_group(op) || op == ExprOp::Not) {
        const float indent = em(1.1f);
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ImGui::Indent(indent);
        if (op == ExprOp::Not) {
            draw_node(c, node["not"], ptr + "/not", false, 0, 1);
        } else {
            json& kids = node[op_key(*op)];
            if (kids.is_array()) {
                if (kids.empty())
                    ImGui::TextDisabled("%s", op == ExprOp::All ? tx("（没有条件：所有客户）", "(no conditions: everyone)")
                                                                : tx("（没有条件：没有客户）", "(no conditions: nobody)"));
                for (size_t i = 0; i < kids.size(); ++i)
                    draw_node(c, kids[i], ptr + "/" + op_key(*op) + "/" + std::to_string(i), true, static_cast<int>(i),
                              static_cast<int>(kids.size()));
            }
            ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(em(0.45f), em(0.12f)));
            if (ImGui::Button((tx("+ 添加条件", "+ Condition") + ("###aud_add:" + ptr)).c_str()))
                ImGui::OpenPopup("add_condition");
            ImGui::PopStyleVar();
            add_condition_popup(c, "add_condition", Act::Add, ptr);
        }
        ImGui::Unindent(indent);
        const float bottom = ImGui::GetItemRectMax().y;
        ImVec4 col = group_colour;
        col.w = 0.55f;
        ImGui::GetWindowDrawList()->AddLine(ImVec2(top.x + indent * 0.35f, top.y), ImVec2(top.x + indent * 0.35f, bottom),
                                            ImGui::GetColorU32(col), std::max(1.0f, em(0.12f)));
    }
    ImGui::Spacing();
    ImGui::PopID();
}

// Applies the structural edit the frame asked for (core/draft/filter_edits.h). Returns true
// when the document changed.
bool apply_action(Ctx& c, json& doc) {
    const std::string attribute = first_attribute(c.d);
    switch (c.act) {
        case Act::AddToRoot: return add_filter_condition(doc, c.act_op, attribute);
        case Act::SetOp: return set_filter_operator(doc, c.act_ptr, c.act_op, attribute);
        case Act::Wrap: return wrap_filter_node(doc, c.act_ptr, c.act_op);
        case Act::Add: return add_filter_child(doc, c.act_ptr, c.act_op, attribute);
        case Act::Delete: return delete_filter_node(doc, c.act_ptr);
        case Act::MoveUp: return move_filter_node(doc, c.act_ptr, -1);
        case Act::MoveDown: return move_filter_node(doc, c.act_ptr, +1);
        case Act::None: return false;
    }
    return false;
}

// ---- the live count at the top

void draw_count(AppState& s, const Palette& pal) {
    AudienceBuilderState& a = s.audience;
    const PreviewResult* r = s.ws.result();
    const bool computing = s.ws.recompute_pending();
    a.shown_computing = computing;
    a.shown_audience = r ? r->audience : -1;
    a.shown_reached = r ? r->reached : -1;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - gap) * 0.5f;
    const int64_t total = s.ws.has_dataset() ? s.ws.dataset_summary().customers : 0;
    std::string note;
    if (computing) note = tx("计算中…", "computing…");
    else if (r && total > 0) {
        const double pct = 100.0 * r->audience / total;
        // A handful of customers out of many is not "0.0%".
        const std::string share = r->audience > 0 && pct < 0.05 ? std::string("<0.1%") : fmt("%.1f%%", pct);
        note = s.lang == Lang::Zh ? fmt("占全部 %s 位客户的 %s", fmt_int(total).c_str(), share.c_str())
                                  : fmt("%s of %s customers", share.c_str(), fmt_int(total).c_str());
    }
    stat_card("###aud_count", tx("匹配的客户", "Matching customers"), r ? count_text(r->audience) : "—", note.c_str(),
              computing ? pal.muted : pal.accent, pal, w);
    ImGui::SameLine();
    std::string reached_note;
    if (r && r->audience > 0) reached_note = fmt(tx("%s 位被拦截", "%s blocked"), fmt_int(r->audience - r->reached).c_str());
    stat_card("###aud_reached", tx("预计触达", "Will be reached"), r ? count_text(r->reached) : "—", reached_note.c_str(),
              computing ? pal.muted : pal.good, pal, w);
}

// Unknown ids the engine reported for the audience (campaign.unknown_*).
void draw_unknown_ids(AppState& s, const Palette& pal) {
    const PreviewResult* r = s.ws.result();
    if (!r) return;
    int shown = 0;
    for (const Issue& e : r->errors) {
        if (e.code.rfind("campaign.unknown_", 0) != 0 || e.message.find(" at /audience") == std::string::npos) continue;
        if (shown++ == 0)
            ImGui::TextColored(pal.bad, "%s",
                               tx("数据中没有这些 ID（匹配不到任何客户）：", "Ids the data does not have (they match nobody):"));
        if (shown > 6) continue;
        ImGui::PushStyleColor(ImGuiCol_Text, pal.bad);
        ImGui::BulletText("%s", issue_text(e).c_str());
        ImGui::PopStyleColor();
    }
    if (shown > 6) ImGui::TextDisabled("%s", fmt(tx("…共 %d 个", "… %d in all"), shown).c_str());
}

void draw_moment(Ctx& c, json& doc) {
    ImGui::TextWrapped(
        "%s", tx("朋友圈的可见范围只能按客户标签指定（企业微信接口）。不选标签 = 发送成员的全部客户。",
                 "A moment's audience can only be customer tags (the WeCom API). No tags = every customer of the senders."));
    json empty = json::array();
    const json* existing = find_tag_list(&doc);
    json& tags = existing && existing->is_array() ? doc["audience"]["tag_list"] : empty;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    ImGui::Spacing();
    if (tags.empty()) {
        ImGui::TextColored(c.pal.good, "%s", tx("未选标签：所有客户可见", "No tags: every customer sees it"));
    } else {
        ImGui::TextDisabled(
            "%s",
            fmt(tx("已选 %d 个标签（有任一即可见）", "%d tags selected (any of them)"), static_cast<int>(tags.size())).c_str());
        bool first = true;
        id_chips(c, tags, IdKind::Tag, kTagListPointer, right, first);
        ImGui::SameLine();
        if (ImGui::SmallButton(tx("清空###aud_tags_clear", "Clear###aud_tags_clear"))) {
            tags.clear();
            c.changed = true;
        }
    }
    ImGui::Spacing();
    const float h =
        std::max(em(8), ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() - ImGui::GetStyle().ItemSpacing.y);
    tag_list_picker(c, tags, h);
    if (c.changed && &tags == &empty) campaign_audience(doc)["tag_list"] = tags;
}

void draw_mass_send(Ctx& c, json& doc) {
    json* filter = find_filter(&doc) ? &doc["audience"]["filter"] : nullptr;
    if (!filter) {
        ImGui::TextColored(c.pal.good, "%s", tx("未设置筛选条件：发送给所有客户", "No filter: every customer"));
        ImGui::TextDisabled("%s", tx("添加条件以缩小范围；条件可以嵌套（全部/任一/不满足）。",
                                     "Add conditions to narrow it down; they nest (all / any / not)."));
    } else {
        draw_node(c, *filter, kFilterPointer, false, 0, 1);
    }
    if (!filter || !is_filter_group(filter_node_op(*filter))) {
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(em(0.45f), em(0.12f)));
        if (ImGui::Button(tx("+ 添加条件###aud_add_root", "+ Condition###aud_add_root"))) ImGui::OpenPopup("add_root_condition");
        ImGui::PopStyleVar();
        add_condition_popup(c, "add_root_condition", Act::AddToRoot, kFilterPointer);
    }
}

int count_nodes(const json* node) {
    if (!node) return 0;
    return static_cast<int>(filter_node_pointers(*node, kFilterPointer).size());
}

}  // namespace

void draw_audience_builder(AppState& s, double now) {
    AudienceBuilderState& a = s.audience;
    const Palette pal = palette(s.dark);
    const Campaign* draft = s.ws.draft();
    json* doc = s.ws.edit_draft();
    if (!draft || !doc) {
        a.nodes = 0;
        a.shown_audience = a.shown_reached = -1;
        ImGui::TextDisabled("%s", tx("没有草稿：先在“活动与草稿”里新建或选择一个活动。",
                                     "No draft: create or pick one under Campaigns & drafts."));
        return;
    }
    const Dataset* d = s.ws.dataset();
    reset_caches_for(a, d);
    if (draft->kind == Kind::GroupSend) {
        // A group send's audience is groups (contract 8.1), picked in the composer; no customer filter.
        a.nodes = 0;
        a.shown_audience = a.shown_reached = -1;
        ImGui::TextWrapped("%s", tx("客户群群发 · 受众是所选群主的客户群，在“撰写”页的“客户群”里选择；不使用客户筛选条件。",
                                    "Customer-group send · the audience is the owners' groups, picked under Compose › "
                                    "Customer groups; no customer filter."));
        if (ImGui::Button(tx("去选择客户群###aud_to_groups", "Pick groups###aud_to_groups"))) s.tab_request = "compose";
        return;
    }

    draw_count(s, pal);
    const bool moment = draft->kind == Kind::Moment;
    ImGui::TextDisabled("%s", moment ? tx("朋友圈 · 按标签指定可见客户", "Customer moments · visible to tagged customers")
                                     : tx("客户群发 · 按条件筛选客户", "Mass send · customers matching the filter"));

    Ctx c{s, a, d, pal, false, Act::None, {}, ExprOp::All, {}, {}, 0};
    // The draft error (the edit did not load): shown at the node its pointer is in.
    const auto [err_ptr, err_msg] = split_draft_error(s.ws.draft_error());
    a.error_node.clear();
    if (!s.ws.draft_error().empty()) {
        if (const json* f = find_filter(doc); f && err_ptr.rfind(kFilterPointer, 0) == 0) {
            for (const std::string& p : filter_node_pointers(*f, kFilterPointer))
                if ((err_ptr == p || err_ptr.rfind(p + "/", 0) == 0) && p.size() > a.error_node.size()) a.error_node = p;
        }
        c.error_node = a.error_node;
        c.error_msg =
            fmt(tx("引擎无法读取此条件：%s", "The engine rejects this condition: %s"), (err_ptr + ": " + err_msg).c_str());
        error_text(s, fmt(tx("草稿有误，预览停留在上次能读取的版本：%s",
                             "The draft does not load; the preview shows the last one that did: %s"),
                          s.ws.draft_error().c_str()));
    }
    draw_unknown_ids(s, pal);

    // Stray keys the engine ignores (campaign errors audience.*_not_supported): offer to drop them.
    if (moment && find_filter(doc)) {
        ImGui::TextColored(pal.warn, "%s",
                           tx("朋友圈不支持筛选条件，它会被忽略。", "A moment cannot use a filter: it is ignored."));
        ImGui::SameLine();
        if (ImGui::SmallButton(tx("移除筛选###aud_drop_filter", "Remove the filter###aud_drop_filter"))) {
            (*doc)["audience"].erase("filter");
            c.changed = true;
        }
    } else if (!moment && find_tag_list(doc)) {
        ImGui::TextColored(pal.warn, "%s",
                           tx("群发不支持 tag_list，它会被忽略。", "A mass send cannot use tag_list: it is ignored."));
        ImGui::SameLine();
        if (ImGui::SmallButton(tx("移除 tag_list###aud_drop_tag_list", "Remove tag_list###aud_drop_tag_list"))) {
            (*doc)["audience"].erase("tag_list");
            c.changed = true;
        }
    }
    ImGui::Separator();

    ImGui::BeginChild("###aud_editor", ImVec2(0, 0), ImGuiChildFlags_None);
    if (!c.changed) {
        if (moment) draw_moment(c, *doc);
        else draw_mass_send(c, *doc);
    }
    ImGui::EndChild();

    const bool structural = apply_action(c, *doc);
    if (structural) a.text_boxes.clear();  // pointers moved: boxes re-read the document
    if (c.changed || structural) s.ws.draft_edited(now);
    a.nodes = moment ? 0 : count_nodes(find_filter(s.ws.edit_draft()));
}

nlohmann::ordered_json audience_state_json(const AppState& s) {
    const AudienceBuilderState& a = s.audience;
    json j = json::object();
    const Campaign* draft = s.ws.draft();
    j["kind"] = draft ? json(kind_name(draft->kind)) : json(nullptr);
    json doc = s.ws.draft_document();
    const json* filter = doc.is_object() ? find_filter(&doc) : nullptr;
    const json* tags = doc.is_object() ? find_tag_list(&doc) : nullptr;
    j["has_filter"] = filter != nullptr;
    j["nodes"] = count_nodes(filter);
    j["tag_list"] = tags && tags->is_array() ? static_cast<int64_t>(tags->size()) : 0;
    j["shown_audience"] = a.shown_audience;
    j["shown_reached"] = a.shown_reached;
    j["computing"] = a.shown_computing;
    j["draft_error"] = s.ws.draft_error();
    j["error_node"] = a.error_node;
    // The explicit lists: how many ids the tenant knows (what the paste box shows).
    json lists = json::array();
    const Dataset* d = s.ws.dataset();
    if (filter) {
        for (const std::string& p : filter_node_pointers(*filter, kFilterPointer)) {
            const json& node = doc.at(json::json_pointer(p));
            if (filter_node_op(node) != ExprOp::Customers) continue;
            int64_t known = 0;
            json unknown = json::array();
            for (const std::string& id : json_strings(node.at("customers"))) {
                if (d && d->customer_ids.find(id) != kNone) ++known;
                else unknown.push_back(id);
            }
            lists.push_back({{"pointer", p}, {"ids", node.at("customers").size()}, {"known", known}, {"unknown", unknown}});
        }
    }
    j["customer_lists"] = lists;
    // Each attribute condition as the builder shows it: the attribute's name for people, the
    // operators offered, and an enum's choices with their customer counts.
    json attributes = json::array();
    if (filter) {
        for (const std::string& p : filter_node_pointers(*filter, kFilterPointer)) {
            const json& node = doc.at(json::json_pointer(p));
            if (filter_node_op(node) != ExprOp::Attr || !node["attr"].is_string()) continue;
            const std::string key = node["attr"].get<std::string>();
            const AttributeMeta* m = meta_of(d, key);
            json ops = json::array();
            for (const AttrOpInfo& info : kAttrOps)
                if (op_fits(m, info.op)) ops.push_back(info.key());
            json e = {{"pointer", p}, {"attr", key}, {"label", attribute_label(d, key)}, {"ops", ops}};
            e["type"] = m ? json(std::string(key_of(kAttributeMetaTypeKeys, m->type))) : json(nullptr);
            if (m && m->type == AttributeMeta::Type::Enum && d) {
                json choices = json::array();
                for (const EnumChoice& c : enum_choices(const_cast<AppState&>(s), *m))
                    choices.push_back({{"value", c.value}, {"label", c.label}, {"customers", c.customers}});
                e["choices"] = choices;
            }
            attributes.push_back(std::move(e));
        }
    }
    j["attributes"] = attributes;
    json names = json::array();
    for (const std::string& n : attribute_choices(d)) names.push_back({{"attr", n}, {"label", attribute_label(d, n)}});
    j["attribute_names"] = names;
    json unknown_ids = json::array();
    if (const PreviewResult* r = s.ws.result())
        for (const Issue& e : r->errors)
            if (e.code.rfind("campaign.unknown_", 0) == 0) unknown_ids.push_back({{"code", e.code}, {"message", e.message}});
    j["unknown_ids"] = unknown_ids;
    return j;
}

}  // namespace rl::ui
