#pragma once
// Pictures for the dashboard: images the marketer picks from disk, decoded by the browser
// and uploaded as WebGL textures (real thumbnails), video duration read from the file,
// and placeholder covers for attachments known only by name. Used by the composer's
// attachment list and the customer's-eye view.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "imgui.h"

namespace rl::ui {

struct AppState;

struct MediaTexture {
    ImTextureID texture = 0;      // 0: not decoded (draw a placeholder)
    int width = 0, height = 0;
};

struct MediaState {
    std::map<std::string, MediaTexture> textures;   // by attachment name
    bool picking = false;                           // a file dialog is open
};

// Opens the browser's file picker for an image or a video; the picked file is added to
// the draft's content.attachments with its real bytes/size/duration (asynchronously).
void pick_media_file(AppState& s, bool video);

// Draws attachment `index` of the draft as a thumbnail of `size` (cover-cropped, rounded).
void draw_attachment_thumbnail(AppState& s, int index, ImVec2 size);

// The texture for an attachment name, or a zero texture when it has none.
const MediaTexture* media_texture(const AppState& s, const std::string& name);

// What the panel shows, for the host and the tests (rl_panel_json("media")).
nlohmann::ordered_json media_state_json(const AppState& s);

}  // namespace rl::ui
