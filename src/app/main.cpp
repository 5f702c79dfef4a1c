// ReachLens in the browser: GLFW (Emscripten's built-in) + WebGL2 + Dear ImGui.
//
// Frame scheduling: emscripten's main loop ticks on requestAnimationFrame, but a tick
// only builds a frame (ImGui::NewFrame … Render) when something happened: an input
// event, a resize, a call from the page, a recompute that became due, ImGui input
// events still queued; then a few frames more (App::wake_frames). When idle the tick
// returns at once and WebGL keeps showing the last frame.
//
// Errors: an exception from the UI code is caught inside the frame, ImGui's stack is
// recovered and the message shown in an ImGui window; anything else escaping a frame
// goes to the page's error overlay (web/platform.js), as do aborts (Module.onAbort).
#include <GLFW/glfw3.h>
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"

#include "app/app.h"
#include "app/web_host.h"
#include "platform/web.h"
#include "ui/dashboard.h"

namespace rl::app {

App& app() {
    static App instance;
    return instance;
}

void wake(int frames) {
    App& a = app();
    if (a.wake_frames < frames) a.wake_frames = frames;
}

double now_seconds() { return emscripten_get_now() / 1000.0; }

bool add_end_of_frame_hook(void (*callback)(ImGuiContext*, ImGuiContextHook*)) {
    static ImVector<ImGuiContextHookCallback> installed;
    if (!app().imgui_ready) return false;
    if (installed.contains(callback)) return true;
    installed.push_back(callback);
    ImGuiContextHook hook;
    hook.Type = ImGuiContextHookType_EndFramePre;
    hook.Callback = callback;
    ImGui::AddContextHook(ImGui::GetCurrentContext(), &hook);
    return true;
}

namespace {

// GLFW callbacks installed before ImGui's (which chain to them): any input wakes the loop.
void on_cursor(GLFWwindow*, double, double) { wake(); }
void on_button(GLFWwindow*, int, int, int) { wake(); }
void on_key(GLFWwindow*, int, int, int, int) { wake(); }
void on_focus(GLFWwindow*, int) { wake(); }
void on_enter(GLFWwindow*, int) { wake(); }
void on_size(GLFWwindow*, int, int) { wake(); }

void apply_viewport(App& a) {
    if (a.viewport_dirty) {
        a.viewport_dirty = false;
        const int w = std::max(1, static_cast<int>(std::lround(a.css_width * a.dpr)));
        const int h = std::max(1, static_cast<int>(std::lround(a.css_height * a.dpr)));
        int cw = 0, ch = 0;
        glfwGetWindowSize(a.window, &cw, &ch);
        if (cw != w || ch != h) web::set_canvas_size(w, h);
    }
    if (a.applied_dpr != a.dpr || a.applied_dark != a.state.dark) {
        a.state.dpi_scale = a.dpr;
        ui::apply_style(a.state.dark, a.dpr);
        a.applied_dpr = a.dpr;
        a.applied_dark = a.state.dark;
    }
}

// ImGui's wanted mouse cursor as CSS (GLFW 3.1.6's cursor functions do nothing).
const char* css_cursor(ImGuiMouseCursor c) {
    switch (c) {
        case ImGuiMouseCursor_None: return "none";
        case ImGuiMouseCursor_TextInput: return "text";
        case ImGuiMouseCursor_ResizeAll: return "move";
        case ImGuiMouseCursor_ResizeNS: return "ns-resize";
        case ImGuiMouseCursor_ResizeEW: return "ew-resize";
        case ImGuiMouseCursor_ResizeNESW: return "nesw-resize";
        case ImGuiMouseCursor_ResizeNWSE: return "nwse-resize";
        case ImGuiMouseCursor_Hand: return "pointer";
        case ImGuiMouseCursor_Wait: return "wait";
        case ImGuiMouseCursor_Progress: return "progress";
        case ImGuiMouseCursor_NotAllowed: return "not-allowed";
        default: return "default";
    }
}

void render_frame(App& a, double now) {
    if (a.state.debug_fail == 2) {
        a.state.debug_fail = 0;
        throw std::runtime_error("debug failure requested by rl_debug_fail(2)");
    }
    apply_viewport(a);
    try {
        if (a.state.ws.recompute_if_due(now)) wake(2);
        // The send-time explorer computes beside the live preview, once that is done.
        if (!a.state.ws.recompute_pending() &&
            std::find(a.state.open_tabs.begin(), a.state.open_tabs.end(), "send_time") != a.state.open_tabs.end()) {
            ui::step_send_time_explorer(a.state);
            if (a.state.send_time.explorer.running()) wake(2);
        }
    } catch (const std::exception& e) {
        a.state.ws.cancel_pending();
        a.state.ui_error = e.what();
    }

    const double frame_start = now_seconds();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    ++a.frames;

    ImGuiErrorRecoveryState recovery;
    ImGui::ErrorRecoveryStoreState(&recovery);
    try {
        ui::draw_dashboard(a.state, now);
    } catch (const std::exception& e) {
        ImGui::ErrorRecoveryTryToRecoverState(&recovery);
        a.state.ui_error = e.what();
        wake();
    }
    ImGui::Render();

    int fw = 0, fh = 0;
    glfwGetFramebufferSize(a.window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    a.frame_ms = (now_seconds() - frame_start) * 1000.0;
    a.frame_ms_max = std::max(a.frame_ms_max, a.frame_ms);

    static ImGuiMouseCursor shown_cursor = ImGuiMouseCursor_COUNT;
    if (ImGui::GetMouseCursor() != shown_cursor) {
        shown_cursor = ImGui::GetMouseCursor();
        web::set_cursor(css_cursor(shown_cursor));
    }

    if (!a.ready_sent && a.state.ws.has_dataset() && a.state.ws.result()) {
        a.ready_sent = true;
        web::notify_ready();
    }
}

void frame() {
    App& a = app();
    const double now = now_seconds();
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    bool busy = a.wake_frames > 0 || a.viewport_dirty || g.InputEventsQueue.Size > 0;
    // A debounced recompute that is not due yet needs no frame; a due one does.
    if (!busy && a.state.ws.recompute_pending() && a.state.ws.seconds_until_due(now) <= 0) busy = true;
    if (!busy) return;
    if (a.wake_frames > 0) --a.wake_frames;
    try {
        render_frame(a, now);
    } catch (const std::exception& e) {
        // The frame is half built: end it so the next one can start, and tell the page.
        if (ImGui::GetCurrentContext()->WithinFrameScope) ImGui::EndFrame();
        web::show_error(std::string("ReachLens: ") + e.what());
    }
}

constexpr ImWchar kMissingGlyph = 0x25A1;  // □

void add_fonts(App& a) {
    ImGuiIO& io = ImGui::GetIO();
    if (a.font_data && a.font_size > 0) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = true;  // malloc'd by the page; the atlas frees it (IM_FREE = free)
        cfg.OversampleH = 1;  // 1.92 rasterizes at the final size: no need to oversample
        std::snprintf(cfg.Name, sizeof cfg.Name, "%s", "ReachLens SC (Noto Sans CJK SC subset)");
        ImFont* f = io.Fonts->AddFontFromMemoryTTF(a.font_data, a.font_size, ui::kBaseFontSize, &cfg);
        a.font_data = nullptr;  // the atlas owns it now (it freed it already on failure)
        // A character no font has (emoji; anything before the fallback font arrives) shows
        // as a white square: ImGui's default '?' reads as a real question mark in a post.
        if (f && f->IsGlyphInFont(kMissingGlyph)) f->FallbackChar = kMissingGlyph;
        if (f) return;
        a.state.ui_error = "the UI font could not be read; using the built-in font (no Chinese glyphs)";
    }
    io.Fonts->AddFontDefault();
}

}  // namespace
}  // namespace rl::app

int main() {
    using namespace rl;
    app::App& a = app::app();
    a.state.host_services = &app::web_host();
    const web::Viewport v = web::viewport();
    a.css_width = v.css_width;
    a.css_height = v.css_height;
    a.dpr = v.device_pixel_ratio;

    if (!glfwInit()) {
        web::show_error("ReachLens: GLFW could not start");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    a.window = glfwCreateWindow(std::max(1, static_cast<int>(std::lround(a.css_width * a.dpr))),
                                std::max(1, static_cast<int>(std::lround(a.css_height * a.dpr))), "ReachLens", nullptr, nullptr);
    if (!a.window) {
        web::show_error("ReachLens needs WebGL 2, which this browser did not provide (is hardware acceleration off?)");
        return 1;
    }
    glfwMakeContextCurrent(a.window);

    // Ours first: ImGui's callbacks chain to them.
    glfwSetCursorPosCallback(a.window, app::on_cursor);
    glfwSetMouseButtonCallback(a.window, app::on_button);
    glfwSetKeyCallback(a.window, app::on_key);
    glfwSetWindowFocusCallback(a.window, app::on_focus);
    glfwSetCursorEnterCallback(a.window, app::on_enter);
    glfwSetWindowSizeCallback(a.window, app::on_size);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini in the browser
    io.ConfigInputTextCursorBlink = false;  // no frames when idle, so no blinking either
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // the backend's GLFW cursor calls are no-ops: CSS instead

    ImGui_ImplGlfw_InitForOpenGL(a.window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    // Text arrives from the page's hidden <input> (IME, paste), never from GLFW's
    // keypress listener: drop the char callback or Latin letters would come twice.
    glfwSetCharCallback(a.window, nullptr);

    ImGuiPlatformIO& pio = ImGui::GetPlatformIO();
    pio.Platform_SetClipboardTextFn = [](ImGuiContext*, const char* text) {
        app::app().clipboard = text ? text : "";
        web::write_clipboard(app::app().clipboard);
    };
    pio.Platform_GetClipboardTextFn = [](ImGuiContext*) { return app::app().clipboard.c_str(); };
    pio.Platform_SetImeDataFn = [](ImGuiContext*, ImGuiViewport*, ImGuiPlatformImeData* d) {
        web::set_text_input(d->WantTextInput, d->WantVisible, d->InputPos.x, d->InputPos.y, d->InputLineHeight);
    };

    app::add_fonts(a);
    ui::set_language(a.state.lang);
    a.imgui_ready = true;
    app::wake();
    emscripten_set_main_loop(app::frame, 0, true);
    return 0;
}
