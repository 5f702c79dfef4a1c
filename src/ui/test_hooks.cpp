// Dear ImGui's test-engine hooks (see test_hooks.h): the one place where widgets are recorded
// for the tests. Signatures from imgui_internal.h (Dear ImGui 1.92).
#include "ui/test_hooks.h"

#include <cstring>
#include <unordered_map>

#include <imgui_internal.h>

namespace rl::ui {
namespace {

struct Recorder {
    std::map<std::string, ItemRect, std::less<>> items;
    // Items seen with a "###name" label: ImGui reports an item's label only when the item is
    // drawn unclipped, its rectangle always, so a scrolled-away widget keeps moving here.
    std::unordered_map<ImGuiID, std::string> names;
    ImGuiID last_id = 0;  // the last item ImGui added, and its rectangle
    ImRect last_rect;
};

Recorder& recorder() {
    static Recorder r;
    return r;
}

void store(std::string_view name, const ImRect& r, int frame) {
    auto& items = recorder().items;
    auto it = items.find(name);
    if (it == items.end()) it = items.emplace(std::string(name), ItemRect{}).first;
    it->second = ItemRect{r.Min.x, r.Min.y, r.Max.x - r.Min.x, r.Max.y - r.Min.y, frame};
}

bool recording() {
    const ImGuiContext* g = ImGui::GetCurrentContext();
    return g && g->TestEngineHookItems;
}

}  // namespace

bool set_item_recording(bool on) {
    ImGuiContext* g = ImGui::GetCurrentContext();
    if (!g) return false;
    const bool was = g->TestEngineHookItems;
    g->TestEngineHookItems = on;
    return was;
}

const std::map<std::string, ItemRect, std::less<>>& recorded_items() { return recorder().items; }

void name_item(std::string_view name, std::string_view suffix) {
    if (!recording()) return;
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    if (suffix.empty()) return store(name, g.LastItemData.Rect, g.FrameCount);
    std::string full;
    full.reserve(name.size() + suffix.size());
    full.append(name).append(suffix);
    store(full, g.LastItemData.Rect, g.FrameCount);
}

void name_item(std::string_view name, int index) {
    if (!recording()) return;
    if (index < 0) return name_item(name);
    name_item(name, std::to_string(index));
}

void name_rect(std::string_view name, ImVec2 min, ImVec2 max) {
    if (recording()) store(name, ImRect(min, max), ImGui::GetFrameCount());
}

}  // namespace rl::ui

// ---- the hooks ImGui calls (only while ImGuiContext::TestEngineHookItems is set)

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, ImGuiID id, const ImRect& bb, const ImGuiLastItemData* item_data) {
    auto& r = rl::ui::recorder();
    r.last_id = id;
    r.last_rect = item_data ? item_data->Rect : bb;
    if (const auto it = r.names.find(id); it != r.names.end()) rl::ui::store(it->second, r.last_rect, ctx->FrameCount);
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
    const char* mark = label ? std::strstr(label, "###") : nullptr;
    if (!mark || !mark[3]) return;
    std::string_view name(mark + 3);
    // A window reports its name. A child window's is "<parent's name>/<label>_<id, 8 hex digits>":
    // BeginChild("###cv_feed") is named by what follows its own "###", without the id.
    if (const ImGuiWindow* w = ImGui::FindWindowByID(id); w && (w->Flags & ImGuiWindowFlags_ChildWindow)) {
        const std::string_view full(label);
        const size_t own = full.rfind("###");
        if (own == std::string_view::npos || full.size() < own + 3 + 9 || full[full.size() - 9] != '_') return;
        name = full.substr(own + 3, full.size() - 9 - (own + 3));
        if (name.empty() || name.find('/') != std::string_view::npos) return;  // "###" of a parent, not its own
    }
    auto& r = rl::ui::recorder();
    auto [it, added] = r.names.try_emplace(id, name);
    if (!added && it->second == name && r.last_id == id) return;  // ItemAdd stored it this frame
    if (!added) it->second = name;
    rl::ui::store(name, r.last_id == id ? r.last_rect : ctx->LastItemData.Rect, ctx->FrameCount);
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}  // no test log: ImGui's debug log stays its own

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID id) {
    const auto& names = rl::ui::recorder().names;
    const auto it = names.find(id);
    return it != names.end() ? it->second.c_str() : nullptr;
}
