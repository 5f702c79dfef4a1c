#pragma once
// XXH64 (Yann Collet's xxHash, 64-bit, spec: github.com/Cyan4973/xxHash doc/xxhash_spec.md),
// written out here: the binary snapshot's checksum. Several GB/s natively and in wasm.
#include <cstddef>
#include <cstdint>

namespace rl {

uint64_t xxh64(const void* data, size_t size, uint64_t seed = 0);

// The same hash over bytes given in pieces (a snapshot verified a slice at a time):
// update() in any split gives xxh64() of the whole.
class Xxh64 {
public:
    explicit Xxh64(uint64_t seed = 0);
    void update(const void* data, size_t size);
    uint64_t digest() const;

private:
    void stripe(const unsigned char* p);
    uint64_t v_[4];
    uint64_t seed_;
    uint64_t total_ = 0;
    unsigned char buffer_[32];  // a stripe begun by one update, completed by the next
    size_t buffered_ = 0;
};

}  // namespace rl
