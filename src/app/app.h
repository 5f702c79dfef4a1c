#pragma once
// The browser app's single instance: UI state, window, frame scheduling. main.cpp runs
// the frame loop; the exported C API (api*.cpp, every rl_* function) reaches it here.
#include <cstdint>
#include <string>

#include "ui/app_state.h"

struct GLFWwindow;
struct ImGuiContext;
struct ImGuiContextHook;

namespace rl::app {

struct App {
    ui::AppState state;
    GLFWwindow* window = nullptr;
    bool imgui_ready = false;  // ImGui context and backends exist (main() ran)
    uint64_t frames = 0;  // frames rendered (ImGui::NewFrame calls)
    int wake_frames = 3;  // frames still to render after the last event
    bool ready_sent = false;

    // Font handed over by the page before main(): malloc'd, owned by the atlas once added.
    void* font_data = nullptr;
    int font_size = 0;

    // Canvas size in CSS pixels and devicePixelRatio, from the page's watcher.
    int css_width = 1280, css_height = 800;
    float dpr = 1.0f;
    bool viewport_dirty = true;
    float applied_dpr = 0.0f;  // the scale the style was built for
    bool applied_dark = false;

    // Clipboard: what ImGui last copied or the page last pasted.
    std::string clipboard;
    bool composing = false;  // an IME composition is in progress in the page

    std::string last_error;  // for rl_last_error()

    // CPU time of the last frames, NewFrame to the GL draw calls (excludes recomputes).
    double frame_ms = 0;
    double frame_ms_max = 0;  // since the last rl_state_json read
};

App& app();

// Something happened: render this many more frames (at least).
void wake(int frames = 3);

// Monotonic seconds.
double now_seconds();

// Runs `callback` at the end of every frame from now on, whatever tab is open (ImGui's
// EndFramePre context hook); installing the same callback again does nothing. False
// before ImGui exists (main() has not run).
bool add_end_of_frame_hook(void (*callback)(ImGuiContext*, ImGuiContextHook*));

// ---- helpers of the exported C API (conventions in api.cpp)
// A malloc'd NUL-terminated copy for JavaScript, which frees it (nullptr when out of memory).
char* dup_string(const std::string& s);
// Records `message` for rl_last_error() and returns 1 (failure).
int fail(std::string message);
// Clears rl_last_error(), wakes the frame loop and returns 0 (success).
int ok();

}  // namespace rl::app
