#include "platform/mapped_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/read/input_error.h"

namespace rl {

MappedFile::MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw InputError(path, "", std::string("cannot open: ") + std::strerror(errno));
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        // Not a regular file (a pipe, say): read it as a stream.
        std::ifstream in(path, std::ios::binary);
        if (!in) throw InputError(path, "", "cannot read");
        std::ostringstream ss;
        ss << in.rdbuf();
        fallback_ = ss.str();
        data_ = fallback_.data();
        size_ = fallback_.size();
        return;
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ == 0) { ::close(fd); data_ = ""; return; }
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throw InputError(path, "", std::string("cannot map: ") + std::strerror(errno));
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
    mapped_ = true;
}

MappedFile::~MappedFile() {
    if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace rl
