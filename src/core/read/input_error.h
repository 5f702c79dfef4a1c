#pragma once
// An input the engine refuses: which file, where in it (a JSON pointer), and what is wrong.
// The CLI prints it as `error: <file>: <pointer>: <what>`; the UI shows the same text.
#include <stdexcept>
#include <string>

namespace rl {

class InputError : public std::runtime_error {
public:
    InputError(std::string file, std::string pointer, std::string what)
        : std::runtime_error(file + ": " + pointer + ": " + what),
          file_(std::move(file)), pointer_(std::move(pointer)), what_(std::move(what)) {}
    const std::string& file() const { return file_; }
    const std::string& pointer() const { return pointer_; }
    const std::string& problem() const { return what_; }

private:
    std::string file_, pointer_, what_;
};

// Appends one reference token to a JSON pointer, escaping '~' and '/' (RFC 6901).
std::string pointer_append(std::string pointer, std::string_view token);
std::string pointer_append(std::string pointer, size_t index);

}  // namespace rl
