#pragma once
// The data panel: the bundled demo tenant, a file (picker or drag-and-drop onto the page)
// or a URL; a summary of what is loaded; the engine's error when a load fails (the
// previous tenant and the draft stay).
//
// The bytes are read by the page (web/data.js: file.stream() / fetch, in chunks, into
// one wasm buffer of the known size) which reports progress through
// src/platform/data_web.cpp; the engine parses the buffer once it is complete.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct DataPanelState {
    std::string url;              // the URL field
    bool busy = false;            // a file or URL is being read/fetched/parsed
    bool parsing = false;         // all bytes are in: the engine is parsing them
    double progress = 0;          // 0..1 of the bytes being read (busy; 0 when the size is unknown)
    double loaded_bytes = 0;      // bytes read so far
    double total_bytes = 0;       // the size when known (0 = unknown)
    std::string busy_source;      // what is being read (file name or URL)
    // Messages for the toast shown over every tab (a load started while another tab is
    // open must still say how it ended).
    int error_seq = 0;            // bumped on every failed load
    int toast_dismissed_seq = 0;  // the error the marketer closed
    int loads = 0;                // datasets loaded through this panel
    std::string last_loaded;      // source of the last successful load (shown in the success toast)
    double loaded_at = -1;        // when (monotonic seconds), for the toast's short life
};

void draw_data_panel(AppState& s);

// Drawn every frame over the dashboard whatever tab is open (an ImGui end-of-frame hook,
// src/platform/data_web.cpp): load progress, and the error of a failed load until closed.
void draw_data_toast(AppState& s, double now);

// What the panel shows, for the host and the tests (rl_panel_json("data")).
nlohmann::ordered_json data_state_json(const AppState& s);

// Largest file the panel tries to read: the wasm heap is 32-bit (4 GB) and must also hold
// the parsed tenant.
inline constexpr double kMaxDatasetBytes = 2.0 * 1024 * 1024 * 1024;

}  // namespace rl::ui

namespace rl::web {
// Page calls for the data panel (src/platform/data_web.cpp -> web/data.js).
void data_open_file_picker();
void data_load_url(const std::string& url);
void data_load_demo();
void data_cancel();
}  // namespace rl::web
