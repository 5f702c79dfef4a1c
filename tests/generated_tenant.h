#pragma once
// A generated tenant (3k customers, several scheduled campaigns and drafts) written once per
// test process into a scratch folder that is removed at exit, for tests that want realistic data.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "tools/generator.h"

namespace th {

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// This process's scratch folder. Not named by the pid alone: under node (the wasm build)
// every process has pid 42, and CTest runs the test cases in parallel processes.
inline const std::filesystem::path& scratch_dir() {
    static const std::filesystem::path dir =
        std::filesystem::temp_directory_path() /
        ("reachlens-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
    return dir;
}

inline const std::filesystem::path& generated_dir() {
    static const std::filesystem::path dir = [] {
        std::filesystem::path d = scratch_dir() / "generated";
        rl::GenerateOptions o;
        o.customers = 3000;
        o.seed = 7;
        o.out_dir = d.string();
        o.scheduled_campaigns = 6;
        rl::generate_tenant(o);
        return d;
    }();
    return dir;
}

struct ScratchCleanUp {
    ~ScratchCleanUp() {
        std::error_code ec;
        std::filesystem::remove_all(scratch_dir(), ec);
    }
};
inline ScratchCleanUp scratch_clean_up;

}  // namespace th
