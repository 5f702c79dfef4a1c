#pragma once
// What the engine tells people, as data: a stable code plus named parameters. The CLI prints
// the English sentence built next to it; the UI words the code in its own language from its
// catalogue (src/ui/i18n.cpp, "msg.<code>" with "{name}" placeholders), so a Chinese UI never
// shows the engine's English.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rl {

struct MessageParam {
    enum class Format {
        Text,  // shown as is (an id, a JSON pointer, a file name)
        Term,  // a contract word the catalogue translates ("term.<value>": image, chars, retail)
        Number,  // a count or measure, shown with the UI's number format
        Bytes,  // a size in bytes, shown as KB/MB
        Time,  // Unix seconds, shown as a date-time in the enterprise's zone
    };
    std::string name;
    std::string value;
    Format format = Format::Text;
};

using MessageParams = std::vector<MessageParam>;

inline MessageParam param_text(std::string name, std::string value) {
    return {std::move(name), std::move(value), MessageParam::Format::Text};
}
inline MessageParam param_term(std::string name, std::string value) {
    return {std::move(name), std::move(value), MessageParam::Format::Term};
}
inline MessageParam param_number(std::string name, std::string value) {
    return {std::move(name), std::move(value), MessageParam::Format::Number};
}
inline MessageParam param_number(std::string name, int64_t value) { return param_number(std::move(name), std::to_string(value)); }
inline MessageParam param_bytes(std::string name, int64_t value) {
    return {std::move(name), std::to_string(value), MessageParam::Format::Bytes};
}
inline MessageParam param_time(std::string name, int64_t unix_seconds) {
    return {std::move(name), std::to_string(unix_seconds), MessageParam::Format::Time};
}
// An attachment as the composer's cards number it (1-based), whatever index the JSON uses.
inline MessageParam param_attachment(size_t zero_based_index) {
    return param_number("attachment", static_cast<int64_t>(zero_based_index + 1));
}

}  // namespace rl
