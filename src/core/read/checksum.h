#pragma once
// XXH64 (Yann Collet's xxHash, 64-bit, spec: github.com/Cyan4973/xxHash doc/xxhash_spec.md),
// written out here: the binary snapshot's checksum. Several GB/s natively and in wasm.
#include <cstddef>
#include <cstdint>

namespace rl {

uint64_t xxh64(const void* data, size_t size, uint64_t seed = 0);

}  // namespace rl
