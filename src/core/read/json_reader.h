#pragma once
// A strict, streaming pull reader for JSON text. The loaders drive it the way the
// document should look, so every complaint can name its place as a JSON pointer.
// Strict: RFC 8259 syntax, valid UTF-8, no lone surrogate escapes, no duplicate keys
// (checked in every object, skipped ones too), numbers must be finite.
#include <cstdint>
#include <deque>
#include <functional>
#include <array>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/read/input_error.h"

namespace rl {

// The length (1-4) of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF), or 0 if the bytes there are not one.
size_t utf8_sequence_length(std::string_view text, size_t at);
// The offset of the first byte that does not start a well-formed sequence, or npos.
size_t first_invalid_utf8(std::string_view text);

enum class JsonType { Null, Bool, Number, String, Array, Object };
const char* json_type_name(JsonType type);

class JsonReader {
public:
    JsonReader(std::string_view text, std::string source);

    JsonType peek();
    void begin_object();
    // Next key of the current object; false once its closing brace is consumed.
    bool next_key(std::string_view& key);
    void begin_array();
    // True when another element follows; false once the closing bracket is consumed.
    bool next_element();

    std::string_view read_string();  // valid until the next read
    std::string read_string_copy() { return std::string(read_string()); }
    int64_t read_int();  // a JSON integer: no fraction, no exponent
    double read_number();  // any finite JSON number
    bool read_bool();
    // A string that must be one of `names`; returns its index, or fails naming them all.
    size_t read_enum(std::initializer_list<std::string_view> names) { return read_enum(std::span(names.begin(), names.size())); }
    size_t read_enum(std::span<const std::string_view> names);
    // A string that must be one of the keys of `table` (rows {value, key}, as in
    // core/model/contract_keys.h); returns its value, or fails naming them all.
    template <class Row, size_t N>
    auto read_key(const Row (&table)[N]) {
        std::array<std::string_view, N> names;
        for (size_t i = 0; i < N; ++i) names[i] = table[i].key;
        return table[read_enum(names)].value;
    }
    void skip_value();
    void expect_end();
    // Calls `report(offset, size)` each time the read passes another `every_bytes` (checked
    // between array elements, which is where a big document's bulk lies).
    void on_progress(std::function<void(size_t, size_t)> report, size_t every_bytes);  // nothing but whitespace left

    // Byte offset of the next value or token to read (whitespace skipped), or just past the
    // last one read: with two calls, the exact text of a value as written.
    size_t offset() {
        skip_ws();
        return pos_;
    }

    // Pointer of the value about to be read (or just read, for scalars).
    std::string pointer() const;
    std::string pointer_to(std::string_view child_key) const { return pointer_append(pointer(), child_key); }
    const std::string& source() const { return source_; }
    [[noreturn]] void fail(const std::string& what) const;
    [[noreturn]] void fail(const std::string& what, std::string code, MessageParams params) const;  // worded by code in the UI
    [[noreturn]] void fail_type(const char* expected);  // "expected X, got Y" at the current value
    // A required field absent from the object at `object_pointer`.
    [[noreturn]] void fail_missing(const std::string& object_pointer, std::string_view field) const;

private:
    struct Frame {
        bool is_array = false;
        int64_t index = -1;
        std::string_view key;  // current key (points into text or key_store)
        std::vector<std::string_view> seen;  // keys so far, for duplicate detection
        std::unordered_set<std::string_view> seen_set;  // used once an object grows large
        std::deque<std::string> key_store;  // decoded keys that had escapes (stable addresses)
        bool first = true;
    };

    void skip_ws();
    char peek_char();
    [[noreturn]] void fail_syntax(const std::string& what) const;
    std::string_view scan_string(bool for_key);
    std::string_view scan_number_token(bool& is_integer);
    void validate_utf8_at(size_t& i);
    void expect_literal(std::string_view literal);
    void remember_key(Frame& frame, std::string_view key, bool escaped);

    std::string_view text_;
    size_t pos_ = 0;
    std::string source_;
    Frame& open_frame(bool is_array);
    std::vector<Frame> frames_;  // reused slots; frames_[0, depth_) are the open containers
    size_t depth_ = 0;
    std::string scratch_;
    int depth_limit_ = 256;
    std::function<void(size_t, size_t)> progress_;
    size_t progress_every_ = 0;
    size_t progress_next_ = SIZE_MAX;  // next offset to report at (never without a report)
};

}  // namespace rl
