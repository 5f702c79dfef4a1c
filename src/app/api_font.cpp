// The fallback font (web/platform.js fetches it after start-up): merged into the UI font
// so characters outside the subset render instead of showing U+FFFD.
#include <emscripten.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "imgui.h"
#include "imgui_internal.h"

#include "app/app.h"
#include "ui/emoji_font.h"

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

// The colour emoji sheet (web/platform.js decodes fonts/reachlens-emoji.json's PNG):
// `rgba` is width*height*4 bytes, `codepoints` n entries, cell i of the grid draws
// codepoints[i]. Copies both (the page frees them). Returns 0 when merged.
EMSCRIPTEN_KEEPALIVE int rl_set_emoji_sheet(const unsigned char* rgba, int width, int height, int cell_w, int cell_h, int columns,
                                            const unsigned* codepoints, int n) {
    auto& a = rl::app::app();
    if (!a.imgui_ready || !rgba || !codepoints || width <= 0 || height <= 0 || n <= 0 || ImGui::GetIO().Fonts->Fonts.Size == 0)
        return 1;
    rl::ui::EmojiSheet sheet;
    sheet.rgba.assign(rgba, rgba + static_cast<size_t>(width) * height * 4);
    sheet.width = width;
    sheet.height = height;
    sheet.cell_w = cell_w;
    sheet.cell_h = cell_h;
    sheet.columns = columns;
    sheet.codepoints.assign(codepoints, codepoints + n);
    if (!rl::ui::add_emoji_font(ImGui::GetIO().Fonts->Fonts[0], std::move(sheet))) return 1;
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
