#pragma once
// The data panel: the bundled demo tenant, a file (picker or drag-and-drop onto the page)
// or a URL; a summary of what is loaded; the engine's error when a load fails (the
// previous tenant and the draft stay).
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct DataPanelState {
    std::string url;              // the URL field
    bool busy = false;            // a file or URL is being read/fetched
    double progress = 0;          // 0..1 of the bytes being read (busy)
    std::string busy_source;      // what is being read
};

void draw_data_panel(AppState& s);

// What the panel shows, for the host and the tests (rl_panel_json("data")).
nlohmann::ordered_json data_state_json(const AppState& s);

}  // namespace rl::ui
