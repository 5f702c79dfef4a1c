// The engine of the dataset worker (web/dataset-worker.js): a JSON dataset is parsed and
// strictly checked off the page's main thread, then written as a snapshot (docs/snapshot.md)
// that the page loads in short steps (web/data.js). Engine only: no ImGui, no GL.
//
//   int    rlw_convert(char* json, double len, const char* source)
//              takes the malloc'd buffer (freed here once parsed: the peak holds the JSON or
//              the snapshot, not both) -> 0: the snapshot is the result; 1: an input error,
//              the result is its JSON (core/read/input_error.h); 2: another failure (out of
//              memory), the result is its English message
//   const char* rlw_result_data(void), double rlw_result_size(void), void rlw_result_free(void)
//
// While parsing, Module.onParseProgress(bytes_read, bytes_total) is called about every 16 MB.
#include <emscripten.h>

#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "core/model/dataset.h"
#include "core/read/input_error.h"
#include "core/read/snapshot.h"

namespace {

std::string g_result;

EM_JS(void, report_parse_progress, (double bytes_read, double bytes_total), {
    if (Module['onParseProgress']) Module['onParseProgress'](bytes_read, bytes_total);
});

constexpr size_t kProgressEveryBytes = 16u << 20;

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int rlw_convert(char* json, double len, const char* source) {
    g_result.clear();
    g_result.shrink_to_fit();
    const std::string name = source ? source : "dataset.json";
    try {
        rl::Dataset data;
        try {
            data = rl::load_dataset(
                std::string_view(json, static_cast<size_t>(len)), name,
                [](size_t read, size_t total) { report_parse_progress(static_cast<double>(read), static_cast<double>(total)); },
                kProgressEveryBytes);
        } catch (...) {
            std::free(json);
            throw;
        }
        std::free(json);
        g_result = rl::snapshot_bytes(data);
        return 0;
    } catch (const rl::InputError& e) {
        g_result = rl::input_error_json(e).dump();
        return 1;
    } catch (const std::bad_alloc&) {
        g_result = name + ": not enough memory to read this dataset";
        return 2;
    } catch (const std::exception& e) {
        g_result = name + ": " + e.what();
        return 2;
    }
}

EMSCRIPTEN_KEEPALIVE const char* rlw_result_data() { return g_result.data(); }
EMSCRIPTEN_KEEPALIVE double rlw_result_size() { return static_cast<double>(g_result.size()); }
EMSCRIPTEN_KEEPALIVE void rlw_result_free() {
    g_result.clear();
    g_result.shrink_to_fit();
}

}  // extern "C"
