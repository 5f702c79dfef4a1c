#pragma once
// The data panel: the bundled demo tenant, a file (picker or drag-and-drop onto the page)
// or a URL; a summary of what is loaded; the engine's error when a load fails (the
// previous tenant and the draft stay).
//
// The bytes are read by the page (web/data.js: file.stream() / fetch, in chunks, into
// one wasm buffer of the known size) which reports progress through
// the app (src/app/api_data.cpp, rl_data_*) into the functions below; the engine parses
// the buffer once it is complete.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/model/message.h"

namespace rl::ui {

struct AppState;

struct DataPanelState {
    std::string url;  // the URL field
    bool busy = false;  // a file or URL is being read/fetched/parsed
    bool parsing = false;  // all bytes are in: the engine is parsing them
    double parse_progress = 0;  // 0..1 of a sliced load (a snapshot); 0 while unknown (JSON)
    bool parse_in_worker = false;  // parse_progress is the dataset worker's parse of a JSON file
    bool parse_on_page = false;  // no worker here (the single-file demo): the page's thread parses, and pauses
    double progress = 0;  // 0..1 of the bytes being read (busy; 0 when the size is unknown)
    double loaded_bytes = 0;  // bytes read so far
    double total_bytes = 0;  // the size when known (0 = unknown)
    std::string busy_source;  // what is being read (file name or URL)
    // A read the marketer did not start (the page's bundled tenant at start-up, the host's
    // reachlens.load): no success toast, and a page without a draft is not given one.
    bool quiet = false;  // no success toast
    bool draft_if_none = true;  // a tenant loaded into a page without a draft gives it one
    // Messages for the toast shown over every tab (a load started while another tab is
    // open must still say how it ended).
    int error_seq = 0;  // bumped on every failed load
    int toast_dismissed_seq = 0;  // the error the marketer closed
    int loads = 0;  // datasets loaded through this panel
    std::string last_loaded;  // source of the last successful load (shown in the success toast)
    double loaded_at = -1;  // when (monotonic seconds), for the toast's short life
    // A read the page could not finish (web/data.js: too large, cannot fetch, HTTP 404, ...):
    // its catalogue code and parameters; s.dataset_error then holds the English. Empty when
    // the last error is the engine's (worded by engine_error_text).
    std::string page_error_code;
    MessageParams page_error_params;
};

void draw_data_panel(AppState& s);
// The last failed load in the UI's language (the page's code or the engine's input error).
std::string dataset_error_text(const AppState& s);

// Drawn every frame over the dashboard whatever tab is open (an ImGui end-of-frame hook
// the app installs): load progress, and the error of a failed load until closed.
void draw_data_toast(AppState& s, double now);

// Loads a tenant into the workspace, whichever way it arrived (a read of this panel, the
// host's rl_load_dataset_json): ends the loading screen; on error the previous tenant and
// the draft stay and s.dataset_error says why.
bool load_dataset(AppState& s, std::string_view json, const std::string& source, std::string* error);

// A read by the page (web/data.js): it started (total 0 = unknown size; quiet: see
// DataPanelState), progressed, has all its bytes (the engine parses next), finished with the
// complete buffer (nullptr: none; a tenant without a draft gets one if draft_if_none), or failed
// (an empty message: the marketer cancelled).
void data_read_started(AppState& s, const std::string& source, double total_bytes, bool quiet = false, bool draft_if_none = true);
void data_read_progress(AppState& s, double loaded_bytes, double total_bytes);
void data_read_parsing(AppState& s);
// How far the dataset worker's parse of a JSON dataset is (0..1: the first kWorkerParseShare
// of the panel's bar, the page's load of the snapshot it made the rest); or that no worker
// could start, so the page parses it on its own thread (the panel says the page may pause).
void data_read_parse_progress(AppState& s, double fraction);
void data_read_parse_on_page(AppState& s);
bool data_read_finished(AppState& s, const char* json, double len, double now_seconds, std::string* error);
// The same end of a read a slice at a time (the page calls step once per frame, so the
// dashboard keeps drawing the previous tenant): start hands the complete buffer to the
// engine (the page keeps it until the load ends); step works for about budget_ms and
// returns kDataLoading (call again), kDataLoaded, or kDataFailed (*error); cancel drops
// the load (the previous tenant stays).
// kDataNeedsBytes: a streamed snapshot waits for the next data_stream_feed.
enum DataStep { kDataLoaded = 0, kDataLoading = 1, kDataFailed = -1, kDataNeedsBytes = 2 };
void data_read_start(AppState& s, const char* bytes, double len);
// A snapshot streamed from the page in pieces (Workspace::begin_dataset_stream): the whole
// file never sits in memory. feed copies the piece; end says no more will come. Both return
// kDataNeedsBytes (go on: feed, or step) or kDataFailed (*error; the load is dropped).
// `memory_limit`: what the load may hold at its peak (a bigger tenant is refused up front).
void data_stream_start(AppState& s, uint64_t memory_limit = UINT64_MAX);
DataStep data_stream_feed(AppState& s, const char* bytes, double len, std::string* error);
DataStep data_stream_end(AppState& s, std::string* error);
DataStep data_read_step(AppState& s, double budget_ms, double now_seconds, std::string* error);
void data_read_cancel(AppState& s);
void data_read_failed(AppState& s, const std::string& message);

// What the panel shows, for the host and the tests (rl_panel_json("data")).
nlohmann::ordered_json data_state_json(const AppState& s);

}  // namespace rl::ui
