#include "ui/media.h"

#include "ui/app_state.h"

namespace rl::ui {

void pick_media_file(AppState&, bool) {}

void draw_attachment_thumbnail(AppState&, int, ImVec2 size) { ImGui::Dummy(size); }

const MediaTexture* media_texture(const AppState& s, const std::string& name) {
    auto it = s.media.textures.find(name);
    return it == s.media.textures.end() ? nullptr : &it->second;
}

nlohmann::ordered_json media_state_json(const AppState&) { return nlohmann::ordered_json::object(); }

}  // namespace rl::ui
