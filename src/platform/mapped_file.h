#pragma once
// Read-only view of a whole file. Memory-mapped on POSIX so a 1 GB dataset is not copied.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/model/dataset.h"

namespace rl {

class MappedFile {
public:
    // Regular files only, at most max_bytes: a device (/dev/zero), a pipe or a folder is
    // refused before any byte is read. Throws InputError (pointer "") naming the reason.
    explicit MappedFile(const std::string& path, size_t max_bytes = kDefaultMaxBytes);
    // 64 GiB: a 10M-customer tenant is 17 GB of JSON (mapped, not read into memory). Where
    // size_t is 32 bits (the wasm bench), whatever the address space holds: 64 << 30 wraps to 0.
    static constexpr size_t kDefaultMaxBytes = static_cast<size_t>(std::min<uint64_t>(uint64_t(64) << 30, SIZE_MAX));
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    std::string_view text() const { return {data_, size_}; }
    // Gives back the pages wholly inside [offset, offset + size) (read again from the file if touched).
    void release(size_t offset, size_t size) const;

private:
    const char* data_ = nullptr;
    size_t size_ = 0;
    bool mapped_ = false;
};

// A dataset file, JSON or snapshot (told apart by the magic), mapped; a snapshot's pages
// are given back section by section as they are copied. Throws InputError.
Dataset load_dataset_file(const std::string& path);

}  // namespace rl
