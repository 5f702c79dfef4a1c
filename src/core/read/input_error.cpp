#include "core/read/input_error.h"

#include <nlohmann/json.hpp>

namespace rl {
namespace {

using Format = MessageParam::Format;

constexpr struct {
    Format format;
    const char* name;
} kFormatNames[] = {
    {Format::Text, "text"}, {Format::Term, "term"}, {Format::Number, "number"}, {Format::Bytes, "bytes"}, {Format::Time, "time"},
};

const std::string& string_field(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) throw std::invalid_argument(std::string("input error: no string \"") + key + "\"");
    return it->get_ref<const std::string&>();
}

}  // namespace

nlohmann::json input_error_json(const InputError& e) {
    nlohmann::json params = nlohmann::json::array();
    for (const MessageParam& p : e.params()) {
        const char* format = "text";
        for (const auto& f : kFormatNames)
            if (f.format == p.format) format = f.name;
        params.push_back({{"name", p.name}, {"value", p.value}, {"format", format}});
    }
    return {{"file", e.file()}, {"pointer", e.pointer()}, {"problem", e.problem()}, {"code", e.code()}, {"params", params}};
}

InputError input_error_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw std::invalid_argument("input error: not an object");
    MessageParams params;
    if (const auto list = j.find("params"); list != j.end()) {
        if (!list->is_array()) throw std::invalid_argument("input error: params is not an array");
        for (const nlohmann::json& p : *list) {
            if (!p.is_object()) throw std::invalid_argument("input error: a parameter is not an object");
            Format format = Format::Text;
            const std::string& name = string_field(p, "format");
            bool known = false;
            for (const auto& f : kFormatNames)
                if (name == f.name) format = f.format, known = true;
            if (!known) throw std::invalid_argument("input error: unknown parameter format \"" + name + "\"");
            params.push_back({string_field(p, "name"), string_field(p, "value"), format});
        }
    }
    return InputError(string_field(j, "file"), string_field(j, "pointer"), string_field(j, "problem"), string_field(j, "code"),
                      std::move(params));
}

}  // namespace rl
