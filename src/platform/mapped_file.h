#pragma once
// Read-only view of a whole file. Memory-mapped on POSIX so a 1 GB dataset is not copied.
#include <string>
#include <string_view>

namespace rl {

class MappedFile {
public:
    explicit MappedFile(const std::string& path);  // throws InputError (pointer "") when unreadable
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    std::string_view text() const { return {data_, size_}; }

private:
    const char* data_ = nullptr;
    size_t size_ = 0;
    bool mapped_ = false;
    std::string fallback_;
};

}  // namespace rl
