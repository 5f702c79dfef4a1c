#include "core/read/checksum.h"

#include <algorithm>
#include <cstring>

namespace rl {

namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kP5 = 0x27D4EB2F165667C5ull;

inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t read64(const unsigned char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}  // little-endian hosts
inline uint32_t read32(const unsigned char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}
inline uint64_t round(uint64_t acc, uint64_t input) { return rotl(acc + input * kP2, 31) * kP1; }
inline uint64_t merge_round(uint64_t acc, uint64_t v) { return (acc ^ round(0, v)) * kP1 + kP4; }

}  // namespace

Xxh64::Xxh64(uint64_t seed) : seed_(seed) {
    v_[0] = seed + kP1 + kP2;
    v_[1] = seed + kP2;
    v_[2] = seed;
    v_[3] = seed - kP1;
}

void Xxh64::stripe(const unsigned char* p) {
    v_[0] = round(v_[0], read64(p));
    v_[1] = round(v_[1], read64(p + 8));
    v_[2] = round(v_[2], read64(p + 16));
    v_[3] = round(v_[3], read64(p + 24));
}

void Xxh64::update(const void* data, size_t size) {
    // An empty column may have no storage (data() of an empty vector is null): no arithmetic on it.
    if (size == 0) return;
    const unsigned char* p = static_cast<const unsigned char*>(data);
    total_ += size;
    if (buffered_) {  // complete the stripe an earlier update began
        const size_t take = std::min(size, sizeof buffer_ - buffered_);
        std::memcpy(buffer_ + buffered_, p, take);
        buffered_ += take;
        p += take;
        size -= take;
        if (buffered_ < sizeof buffer_) return;
        stripe(buffer_);
        buffered_ = 0;
    }
    // Locals, not members, in the loop: the input's unsigned chars may alias v_, which would
    // force a store and reload per stripe. Remaining lengths, not p + 32 <= end: no pointer
    // past the end of the buffer is formed.
    uint64_t v1 = v_[0], v2 = v_[1], v3 = v_[2], v4 = v_[3];
    for (; size >= 32; p += 32, size -= 32) {
        v1 = round(v1, read64(p));
        v2 = round(v2, read64(p + 8));
        v3 = round(v3, read64(p + 16));
        v4 = round(v4, read64(p + 24));
    }
    v_[0] = v1;
    v_[1] = v2;
    v_[2] = v3;
    v_[3] = v4;
    if (size) std::memcpy(buffer_, p, size);
    buffered_ = size;
}

uint64_t Xxh64::digest() const {
    uint64_t h;
    if (total_ >= 32) {
        h = rotl(v_[0], 1) + rotl(v_[1], 7) + rotl(v_[2], 12) + rotl(v_[3], 18);
        for (uint64_t v : v_) h = merge_round(h, v);
    } else {
        h = seed_ + kP5;
    }
    h += total_;
    const unsigned char* p = buffer_;
    const unsigned char* end = buffer_ + buffered_;
    for (; end - p >= 8; p += 8) h = rotl(h ^ round(0, read64(p)), 27) * kP1 + kP4;
    if (end - p >= 4) {
        h = rotl(h ^ (uint64_t(read32(p)) * kP1), 23) * kP2 + kP3;
        p += 4;
    }
    for (; p < end; ++p) h = rotl(h ^ (uint64_t(*p) * kP5), 11) * kP1;
    h ^= h >> 33;
    h *= kP2;
    h ^= h >> 29;
    h *= kP3;
    h ^= h >> 32;
    return h;
}

uint64_t xxh64(const void* data, size_t size, uint64_t seed) {
    Xxh64 hash(seed);
    hash.update(data, size);
    return hash.digest();
}

}  // namespace rl
