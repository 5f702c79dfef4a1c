#pragma once
// An input the engine refuses: which file, where in it (a JSON pointer), and what is wrong.
// The CLI prints it as `error: <file>: <pointer>: <what>`; the UI words code() and params()
// from its catalogue (a problem without a code is shown with a generic, translated lead-in).
#include <stdexcept>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/model/message.h"

namespace rl {

class InputError : public std::runtime_error {
public:
    InputError(std::string file, std::string pointer, std::string what)
        : std::runtime_error(file + ": " + pointer + ": " + what),
          file_(std::move(file)),
          pointer_(std::move(pointer)),
          what_(std::move(what)) {}
    InputError(std::string file, std::string pointer, std::string what, std::string code, MessageParams params)
        : InputError(std::move(file), std::move(pointer), std::move(what)) {
        code_ = std::move(code);
        params_ = std::move(params);
    }
    const std::string& file() const { return file_; }
    const std::string& pointer() const { return pointer_; }
    const std::string& problem() const { return what_; }
    const std::string& code() const { return code_; }  // "input.wrong_type", ... or empty
    const MessageParams& params() const { return params_; }

private:
    std::string file_, pointer_, what_, code_;
    MessageParams params_;
};

// An InputError as JSON and back, the same error on either side of a boundary (the dataset
// worker, web/dataset-worker.js, hands it to the page, whose UI words it by its code):
// {"file", "pointer", "problem", "code", "params": [{"name", "value", "format"}]}.
nlohmann::json input_error_json(const InputError& e);
// Throws std::invalid_argument when `j` is not such an object.
InputError input_error_from_json(const nlohmann::json& j);

// Appends one reference token to a JSON pointer, escaping '~' and '/' (RFC 6901).
std::string pointer_append(std::string pointer, std::string_view token);
std::string pointer_append(std::string pointer, size_t index);

}  // namespace rl
