#pragma once
// One headless Dear ImGui context for the UI tests that draw real frames (no renderer: the
// font atlas is built on demand, its textures never uploaded).
#include "imgui.h"

struct HeadlessImGui {
    ImGuiContext* ctx;
    explicit HeadlessImGui(ImVec2 display = ImVec2(400, 300)) : ctx(ImGui::CreateContext()) {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = display;
        io.DeltaTime = 1.0f / 60;
        io.IniFilename = nullptr;
        io.BackendFlags |= ImGuiBackendFlags_RendererHasTextures;
    }
    ~HeadlessImGui() { ImGui::DestroyContext(ctx); }
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;
};
