#include "ui/emoji_font.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>
#include <utility>

#include "imgui.h"
#include "imgui_internal.h"

namespace rl::ui {

namespace {

// Layout, in units of the font size: an emoji is a little smaller than a line and sits
// slightly below the baseline, like a CJK ideograph; a small gap follows it.
constexpr float kHeightEm = 0.92f;
constexpr float kBelowBaselineEm = 0.12f;
constexpr float kSideBearingEm = 0.04f;

struct LoadedSheet {
    EmojiSheet sheet;
    std::unordered_map<uint32_t, int> cell_of;  // codepoint -> cell index
};

std::unique_ptr<LoadedSheet>& loaded() {
    static std::unique_ptr<LoadedSheet> sheet;
    return sheet;
}

const LoadedSheet* sheet_of(const ImFontConfig* src) { return static_cast<const LoadedSheet*>(src->FontLoaderData); }

// Straight-alpha RGBA cell -> straight-alpha RGBA of out_w x out_h: each output pixel
// averages a 4x4 grid of bilinear samples in premultiplied alpha (no dark fringes).
void resample_cell(const LoadedSheet& s, int cell, int out_w, int out_h, unsigned char* out) {
    const EmojiSheet& e = s.sheet;
    const int cx = (cell % e.columns) * e.cell_w, cy = (cell / e.columns) * e.cell_h;
    auto texel = [&](int x, int y, int ch) -> float {
        x = std::clamp(x, 0, e.cell_w - 1);
        y = std::clamp(y, 0, e.cell_h - 1);
        const unsigned char* p = &e.rgba[(static_cast<size_t>(cy + y) * e.width + (cx + x)) * 4];
        return ch == 3 ? p[3] : p[ch] * (p[3] / 255.0f);
    };
    constexpr int kSub = 4;
    const float sx = static_cast<float>(e.cell_w) / out_w, sy = static_cast<float>(e.cell_h) / out_h;
    for (int y = 0; y < out_h; ++y) {
        for (int x = 0; x < out_w; ++x) {
            float acc[4] = {0, 0, 0, 0};
            for (int j = 0; j < kSub; ++j) {
                for (int i = 0; i < kSub; ++i) {
                    const float u = (x + (i + 0.5f) / kSub) * sx - 0.5f, v = (y + (j + 0.5f) / kSub) * sy - 0.5f;
                    const int x0 = static_cast<int>(std::floor(u)), y0 = static_cast<int>(std::floor(v));
                    const float fx = u - x0, fy = v - y0;
                    for (int ch = 0; ch < 4; ++ch) {
                        const float top = texel(x0, y0, ch) * (1 - fx) + texel(x0 + 1, y0, ch) * fx;
                        const float bottom = texel(x0, y0 + 1, ch) * (1 - fx) + texel(x0 + 1, y0 + 1, ch) * fx;
                        acc[ch] += top * (1 - fy) + bottom * fy;
                    }
                }
            }
            unsigned char* o = out + (static_cast<size_t>(y) * out_w + x) * 4;
            const float a = acc[3] / (kSub * kSub);
            for (int ch = 0; ch < 3; ++ch) {
                const float premultiplied = acc[ch] / (kSub * kSub);
                const float straight = a > 0.5f ? premultiplied * 255.0f / a : 0.0f;
                o[ch] = static_cast<unsigned char>(std::clamp(straight + 0.5f, 0.0f, 255.0f));
            }
            o[3] = static_cast<unsigned char>(std::clamp(a + 0.5f, 0.0f, 255.0f));
        }
    }
}

bool src_init(ImFontAtlas*, ImFontConfig* src) {
    if (!loaded()) return false;
    src->FontLoaderData = loaded().get();
    const float ref_size = src->DstFont->Sources[0]->SizePixels;
    if (src->MergeMode && src->SizePixels == 0.0f) src->SizePixels = ref_size;
    return true;
}

void src_destroy(ImFontAtlas*, ImFontConfig* src) { src->FontLoaderData = nullptr; }

bool contains_glyph(ImFontAtlas*, ImFontConfig* src, ImWchar codepoint) {
    const LoadedSheet* s = sheet_of(src);
    return s && (is_invisible_joiner(codepoint) || s->cell_of.count(codepoint) > 0);
}

bool baked_init(ImFontAtlas*, ImFontConfig*, ImFontBaked*, void*) { return true; }

bool load_glyph(ImFontAtlas* atlas, ImFontConfig* src, ImFontBaked* baked, void*, ImWchar codepoint, ImFontGlyph* out_glyph,
                float* out_advance_x) {
    const LoadedSheet* s = sheet_of(src);
    if (!s) return false;
    if (is_invisible_joiner(codepoint)) {
        if (out_advance_x) {
            *out_advance_x = 0.0f;
            return true;
        }
        out_glyph->Codepoint = codepoint;
        out_glyph->AdvanceX = 0.0f;
        out_glyph->Visible = false;
        return true;
    }
    const auto it = s->cell_of.find(codepoint);
    if (it == s->cell_of.end()) return false;

    const float size = baked->Size;
    const float height = size * kHeightEm;
    const float width = height * s->sheet.cell_w / s->sheet.cell_h;
    const float advance = width + 2.0f * size * kSideBearingEm;
    if (out_advance_x) {
        *out_advance_x = advance;
        return true;
    }
    out_glyph->Codepoint = codepoint;
    out_glyph->AdvanceX = advance;

    const float density = src->RasterizerDensity * baked->RasterizerDensity;
    const int pw = std::max(1, static_cast<int>(std::lround(width * density)));
    const int ph = std::max(1, static_cast<int>(std::lround(height * density)));
    const ImFontAtlasRectId pack_id = ImFontAtlasPackAddRect(atlas, pw, ph);
    if (pack_id == ImFontAtlasRectId_Invalid) return false;  // atlas full: the next source or □
    ImTextureRect* r = ImFontAtlasPackGetRect(atlas, pack_id);
    ImFontAtlasBuilder* builder = atlas->Builder;
    builder->TempBuffer.resize(pw * ph * 4);
    resample_cell(*s, it->second, pw, ph, builder->TempBuffer.Data);

    const float bottom = IM_ROUND(baked->Ascent) + size * kBelowBaselineEm;
    out_glyph->X0 = size * kSideBearingEm;
    out_glyph->X1 = out_glyph->X0 + pw / density;
    out_glyph->Y1 = bottom;
    out_glyph->Y0 = bottom - ph / density;
    out_glyph->Visible = true;
    out_glyph->Colored = true;  // drawn with its own colours, not the text colour
    out_glyph->PackId = pack_id;
    ImFontAtlasBakedSetFontGlyphBitmap(atlas, baked, src, out_glyph, r, builder->TempBuffer.Data, ImTextureFormat_RGBA32, pw * 4);
    return true;
}

const ImFontLoader& emoji_loader() {
    static const ImFontLoader loader = [] {
        ImFontLoader l;
        l.Name = "ReachLens emoji sheet";
        l.FontSrcInit = src_init;
        l.FontSrcDestroy = src_destroy;
        l.FontSrcContainsGlyph = contains_glyph;
        l.FontBakedInit = baked_init;
        l.FontBakedLoadGlyph = load_glyph;
        return l;
    }();
    return loader;
}

}  // namespace

bool is_invisible_joiner(uint32_t c) { return c == 0x200D || c == 0xFE0E || c == 0xFE0F || c == 0x20E3; }

bool add_emoji_font(ImFont* font, EmojiSheet sheet) {
    if (!font || loaded()) return false;
    ImFontAtlas* atlas = font->ContainerAtlas;
    if (!atlas || atlas->Locked) return false;
    const EmojiSheet& e = sheet;
    if (e.cell_w <= 0 || e.cell_h <= 0 || e.columns <= 0 || e.width < e.cell_w * e.columns ||
        e.rgba.size() != static_cast<size_t>(e.width) * e.height * 4)
        return false;
    const size_t rows = (e.codepoints.size() + e.columns - 1) / e.columns;
    if (rows * e.cell_h > static_cast<size_t>(e.height)) return false;

    auto s = std::make_unique<LoadedSheet>();
    for (size_t i = 0; i < e.codepoints.size(); ++i)
        if (e.codepoints[i] <= IM_UNICODE_CODEPOINT_MAX) s->cell_of.emplace(e.codepoints[i], static_cast<int>(i));
    s->sheet = std::move(sheet);
    loaded() = std::move(s);

    ImFontConfig cfg;
    cfg.MergeMode = true;
    cfg.DstFont = font;
    cfg.FontLoader = &emoji_loader();
    ImFormatString(cfg.Name, IM_ARRAYSIZE(cfg.Name), "%s", "ReachLens emoji (Noto Color Emoji subset)");
    if (!atlas->AddFont(&cfg)) {
        loaded().reset();
        return false;
    }
    // Sizes baked before now cached these characters as missing (□): bake them again.
    ImFontAtlasFontDiscardBakes(atlas, font, 0);
    return true;
}

}  // namespace rl::ui
