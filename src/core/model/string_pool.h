#pragma once
// Interned strings for columns of a million rows: one byte arena plus offsets, and an
// open-addressing index from text to number (no per-string heap node).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rl {

struct SnapshotCodec;  // core/snapshot.cpp reads and writes the raw parts

constexpr uint32_t kNone = 0xFFFFFFFFu;

[[noreturn]] void string_pool_full();  // throws std::length_error (a pool is at most 4 GB)

class StringPool {
public:
    // offsets_ holds one entry per string plus the end: string i is [offsets_[i], offsets_[i+1]).
    // 32-bit, so 8 bytes per string less than 64-bit offsets and lengths (80 MB per column of
    // 10M customers); a pool is at most 4 GB of text (far past a tenant that fits a tab).
    uint32_t size() const { return offsets_.empty() ? 0 : static_cast<uint32_t>(offsets_.size() - 1); }  // empty: moved from
    std::string_view operator[](uint32_t i) const {
        return std::string_view(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
    }
    uint32_t add(std::string_view s) {  // always appends (no dedup)
        if (s.size() > UINT32_MAX - bytes_.size()) string_pool_full();
        if (offsets_.empty()) offsets_.push_back(0);
        bytes_.append(s);
        offsets_.push_back(static_cast<uint32_t>(bytes_.size()));
        return size() - 1;
    }
    void reserve(size_t strings, size_t bytes) {
        offsets_.reserve(strings + 1);
        bytes_.reserve(bytes);
    }
    void shrink_to_fit() {
        bytes_.shrink_to_fit();
        offsets_.shrink_to_fit();
    }
    size_t memory_bytes() const { return bytes_.capacity() + offsets_.capacity() * 4; }

private:
    friend struct SnapshotCodec;
    std::string bytes_;
    std::vector<uint32_t> offsets_{0};
};

inline uint64_t hash_bytes(std::string_view s) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a, then a final mix
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

// Strings numbered in order of first appearance; find() answers kNone for strangers.
class Interner {
public:
    uint32_t find(std::string_view s) const {
        if (slots_.empty()) return kNone;
        size_t mask = slots_.size() - 1;
        for (size_t i = hash_bytes(s) & mask;; i = (i + 1) & mask) {
            uint32_t v = slots_[i];
            if (v == kNone) return kNone;
            if (pool_[v] == s) return v;
        }
    }
    // Returns {number, true when newly added}.
    std::pair<uint32_t, bool> intern(std::string_view s) {
        if ((pool_.size() + 1) * 2 > slots_.size()) grow();
        size_t mask = slots_.size() - 1;
        for (size_t i = hash_bytes(s) & mask;; i = (i + 1) & mask) {
            uint32_t v = slots_[i];
            if (v == kNone) {
                uint32_t id = pool_.add(s);
                slots_[i] = id;
                return {id, true};
            }
            if (pool_[v] == s) return {v, false};
        }
    }
    uint32_t size() const { return pool_.size(); }
    std::string_view operator[](uint32_t i) const { return pool_[i]; }
    void reserve(size_t n, size_t bytes) {
        pool_.reserve(n, bytes);
        size_t cap = 16;
        while (cap < n * 2) cap *= 2;
        if (cap > slots_.size()) rehash(cap);
    }
    size_t memory_bytes() const { return pool_.memory_bytes() + slots_.capacity() * 4; }
    void shrink_to_fit() { pool_.shrink_to_fit(); }

private:
    friend struct SnapshotCodec;
    void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }
    void rehash(size_t cap) {
        slots_.assign(cap, kNone);
        size_t mask = cap - 1;
        for (uint32_t v = 0; v < pool_.size(); ++v) {
            size_t i = hash_bytes(pool_[v]) & mask;
            while (slots_[i] != kNone) i = (i + 1) & mask;
            slots_[i] = v;
        }
    }
    StringPool pool_;
    std::vector<uint32_t> slots_;
};

}  // namespace rl
