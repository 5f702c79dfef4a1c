#pragma once
// Read-only view of a whole file. Memory-mapped on POSIX so a 1 GB dataset is not copied.
#include <string>
#include <string_view>

#include "core/model/dataset.h"

namespace rl {

class MappedFile {
public:
    explicit MappedFile(const std::string& path);  // throws InputError (pointer "") when unreadable
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
    std::string fallback_;
};

// A dataset file, JSON or snapshot (told apart by the magic), mapped; a snapshot's pages
// are given back section by section as they are copied. Throws InputError.
Dataset load_dataset_file(const std::string& path);

}  // namespace rl
