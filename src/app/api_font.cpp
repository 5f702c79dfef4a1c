// The fallback font (web/platform.js fetches it after start-up): merged into the UI font
// so characters outside the subset render instead of showing U+FFFD.
#include <emscripten.h>

#include <cstdio>
#include <cstdlib>

#include "imgui.h"
#include "imgui_internal.h"

#include "app/app.h"

extern "C" {

// Takes ownership of `data` (malloc'd by the page). Returns 0 when merged.
EMSCRIPTEN_KEEPALIVE int rl_add_fallback_font(void* data, int len) {
    auto& a = rl::app::app();
    ImGuiIO* io = a.imgui_ready ? &ImGui::GetIO() : nullptr;
    if (!io || !data || len <= 0 || io->Fonts->Fonts.Size == 0 || io->Fonts->Locked) {
        std::free(data);
        return 1;
    }
    ImFont* ui_font = io->Fonts->Fonts[0];
    ImFontConfig cfg;
    cfg.MergeMode = true;
    cfg.DstFont = ui_font;
    cfg.FontDataOwnedByAtlas = true;
    cfg.OversampleH = 1;
    std::snprintf(cfg.Name, sizeof cfg.Name, "%s", "ReachLens SC fallback (rest of Noto Sans CJK SC)");
    if (!io->Fonts->AddFontFromMemoryTTF(data, len, 0.0f, &cfg)) return 1;  // the atlas freed it
    // Glyphs already looked up and found missing are cached as the fallback: drop the
    // baked sizes so they are looked up again, now with the new source.
    ImFontAtlasFontDiscardBakes(io->Fonts, ui_font, 0);
    rl::app::wake();
    return 0;
}

// 1 when the UI font (with its merged sources) has a glyph for `codepoint`.
EMSCRIPTEN_KEEPALIVE int rl_font_has_glyph(unsigned codepoint) {
    auto& a = rl::app::app();
    if (!a.imgui_ready || ImGui::GetIO().Fonts->Fonts.Size == 0 || codepoint > IM_UNICODE_CODEPOINT_MAX) return 0;
    return ImGui::GetIO().Fonts->Fonts[0]->IsGlyphInFont(static_cast<ImWchar>(codepoint)) ? 1 : 0;
}

}  // extern "C"
