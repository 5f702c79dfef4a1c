#include "platform/mapped_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <cstdint>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/read/input_error.h"
#include "core/read/snapshot.h"

namespace rl {

MappedFile::MappedFile(const std::string& path, size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO with no writer must not hang; it is refused below anyway.
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw InputError(path, "", std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw InputError(path, "", std::string("cannot stat: ") + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError(path, "", "not a regular file (a device, pipe or folder is never read)");
    }
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
        ::close(fd);
        throw InputError(
            path, "",
            "file of " + std::to_string(st.st_size) + " bytes is over the limit of " + std::to_string(max_bytes) + " bytes");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ == 0) {
        ::close(fd);
        data_ = "";
        return;
    }
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throw InputError(path, "", std::string("cannot map: ") + std::strerror(errno));
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
    mapped_ = true;
}

void MappedFile::release(size_t offset, size_t size) const {
    if (!mapped_ || offset >= size_) return;
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(data_) + offset + page - 1) / page * page;
    const uintptr_t end = (reinterpret_cast<uintptr_t>(data_) + std::min(size_, offset + size)) / page * page;
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

Dataset load_dataset_file(const std::string& path) {
    MappedFile file(path);
    if (!is_snapshot(file.text())) return load_dataset(file.text(), path);
    return read_snapshot(file.text(), path, [&](uint64_t offset, uint64_t size) { file.release(offset, size); });
}

MappedFile::~MappedFile() {
    if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace rl
