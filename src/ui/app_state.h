#pragma once
// All of the dashboard's state in one place: the engine-facing model (Workspace) plus
// what the panels remember between frames. New panels add their fields here, so the
// host bridge and the tests can reach everything through one AppState.
#include <map>
#include <string>

#include "ui/i18n.h"
#include "ui/workspace.h"

namespace rl::ui {

// A widget's rectangle in ImGui coordinates (framebuffer pixels on the web).
struct ItemRect {
    float x = 0, y = 0, w = 0, h = 0;
    int frame = 0;          // the frame it was last drawn in
};

struct AppState {
    Workspace ws;

    // ---- settings
    Lang lang = Lang::Zh;
    bool dark = false;
    float dpi_scale = 1.0f;       // device pixels per CSS pixel: UI sizes and fonts scale by it

    // ---- messages
    std::string dataset_error;    // last failed dataset load (the previous tenant stays)
    std::string campaign_error;   // last failed campaign load
    std::string ui_error;         // an exception caught around the UI, shown in a window

    // ---- requests from the host for the next frame
    std::string focus_request;    // tracked item name to give keyboard focus to
    int debug_fail = 0;           // tests: 1 = throw inside the next UI frame, 2 = outside it

    // ---- widgets the host/tests can find by name (see track_item in dashboard.h)
    std::map<std::string, ItemRect> items;
    int frame = 0;                // frames drawn so far

    // ---- status
    bool loading = true;          // the page is still fetching/parsing the dataset
};

}  // namespace rl::ui
