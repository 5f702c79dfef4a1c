#include "core/read/json_reader.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace rl {

std::string pointer_append(std::string pointer, std::string_view token) {
    pointer.push_back('/');
    for (char c : token) {
        if (c == '~') pointer += "~0";
        else if (c == '/') pointer += "~1";
        else pointer.push_back(c);
    }
    return pointer;
}

std::string pointer_append(std::string pointer, size_t index) {
    pointer.push_back('/');
    pointer += std::to_string(index);
    return pointer;
}

const char* json_type_name(JsonType type) {
    switch (type) {
        case JsonType::Null: return "null";
        case JsonType::Bool: return "a boolean";
        case JsonType::Number: return "a number";
        case JsonType::String: return "a string";
        case JsonType::Array: return "an array";
        case JsonType::Object: return "an object";
    }
    return "?";
}

JsonReader::JsonReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {
    // A leading UTF-8 byte-order mark is skipped (contract 1.1).
    if (text_.size() >= 3 && std::memcmp(text_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
    frames_.resize(depth_limit_);  // Frames hold views into their own storage: never reallocate.
}

JsonReader::Frame& JsonReader::open_frame(bool is_array) {
    if (depth_ >= frames_.size())
        fail("nested more than " + std::to_string(depth_limit_) + " levels deep", "input.too_deep",
             {param_number("limit", static_cast<int64_t>(depth_limit_))});
    Frame& f = frames_[depth_++];
    f.is_array = is_array;
    f.index = -1;
    f.key = {};
    f.first = true;
    f.seen.clear();
    if (!f.seen_set.empty()) f.seen_set.clear();
    if (!f.key_store.empty()) f.key_store.clear();
    return f;
}

std::string JsonReader::pointer() const {
    std::string out;
    for (size_t d = 0; d < depth_; ++d) {
        const Frame& f = frames_[d];
        if (f.is_array) {
            if (f.index >= 0) out = pointer_append(std::move(out), static_cast<size_t>(f.index));
        } else if (!f.first) {
            out = pointer_append(std::move(out), f.key);
        }
    }
    return out;
}

void JsonReader::fail(const std::string& what) const { throw InputError(source_, pointer(), what); }
void JsonReader::fail(const std::string& what, std::string code, MessageParams params) const {
    throw InputError(source_, pointer(), what, std::move(code), std::move(params));
}

void JsonReader::fail_type(const char* expected) {
    JsonType t = peek();
    std::string got = json_type_name(t);
    MessageParams params = {param_term("expected", expected), param_term("got", got)};
    if (t == JsonType::Number) {
        bool is_int = false;
        size_t save = pos_;
        std::string_view tok = scan_number_token(is_int);
        pos_ = save;
        got += " (" + std::string(tok) + ")";
        params.push_back(param_text("value", std::string(tok)));
    }
    fail(std::string("expected ") + expected + ", got " + got, "input.wrong_type", std::move(params));
}

void JsonReader::fail_missing(const std::string& object_pointer, std::string_view field) const {
    throw InputError(source_, pointer_append(object_pointer, field), "required field is missing", "input.missing_field",
                     {param_text("field", std::string(field))});
}

size_t JsonReader::read_enum(std::span<const std::string_view> names) {
    std::string_view s = read_string();
    size_t i = 0;
    for (std::string_view n : names) {
        if (s == n) return i;
        ++i;
    }
    std::string expected;
    i = 0;
    for (std::string_view n : names) {
        expected += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", "));
        expected += "\"" + std::string(n) + "\"";
        ++i;
    }
    fail("expected " + expected + ", got \"" + std::string(s) + "\"", "input.not_one_of",
         {param_text("expected", expected), param_text("value", std::string(s))});
}

void JsonReader::fail_syntax(const std::string& what) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
        if (text_[i] == '\n') {
            ++line;
            col = 1;
        } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
            ++col;
        }
    }
    fail("invalid JSON: " + what + " at line " + std::to_string(line) + ", column " + std::to_string(col), "input.invalid_json",
         {param_number("line", static_cast<int64_t>(line)), param_number("column", static_cast<int64_t>(col))});
}

void JsonReader::skip_ws() {
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') ++pos_;
        else break;
    }
}

char JsonReader::peek_char() {
    skip_ws();
    if (pos_ >= text_.size()) fail_syntax("unexpected end of input");
    return text_[pos_];
}

JsonType JsonReader::peek() {
    char c = peek_char();
    switch (c) {
        case '{': return JsonType::Object;
        case '[': return JsonType::Array;
        case '"': return JsonType::String;
        case 't':
        case 'f': return JsonType::Bool;
        case 'n': return JsonType::Null;
        default:
            if (c == '-' || (c >= '0' && c <= '9')) return JsonType::Number;
    }
    std::string shown = (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
                            ? "byte 0x" +
                                  [&] {
                                      char b[3];
                                      std::snprintf(b, 3, "%02X", static_cast<unsigned char>(c));
                                      return std::string(b);
                                  }()
                            : std::string("'") + c + "'";
    fail_syntax("unexpected " + shown);
}

void JsonReader::begin_object() {
    if (peek() != JsonType::Object) fail_type("an object");
    open_frame(false);
    ++pos_;
}

void JsonReader::remember_key(Frame& frame, std::string_view key, bool escaped) {
    if (escaped) {
        frame.key_store.emplace_back(key);
        key = std::string_view(*std::prev(frame.key_store.end()));
    }
    frame.key = key;
    frame.first = false;
    bool duplicate = false;
    if (frame.seen.size() < 32) {
        for (std::string_view k : frame.seen)
            if (k == key) {
                duplicate = true;
                break;
            }
        if (!duplicate) {
            frame.seen.push_back(key);
            if (frame.seen.size() == 32) frame.seen_set.insert(frame.seen.begin(), frame.seen.end());
        }
    } else {
        duplicate = !frame.seen_set.insert(key).second;
    }
    if (duplicate)
        fail("duplicate key \"" + std::string(key) + "\"", "input.duplicate_key", {param_text("key", std::string(key))});
}

bool JsonReader::next_key(std::string_view& key) {
    Frame& frame = frames_[depth_ - 1];
    char c = peek_char();
    if (c == '}') {
        ++pos_;
        --depth_;
        return false;
    }
    if (!frame.first) {
        if (c != ',') fail_syntax("expected ',' or '}'");
        ++pos_;
        c = peek_char();
    }
    if (c != '"') fail_syntax(frame.first ? "expected a key or '}'" : "expected a key");
    std::string_view k = scan_string(true);
    bool escaped = !(k.data() >= text_.data() && k.data() < text_.data() + text_.size());
    remember_key(frame, k, escaped);
    if (peek_char() != ':') fail_syntax("expected ':' after a key");
    ++pos_;
    key = frame.key;
    return true;
}

void JsonReader::begin_array() {
    if (peek() != JsonType::Array) fail_type("an array");
    open_frame(true);
    ++pos_;
}

bool JsonReader::next_element() {
    Frame& frame = frames_[depth_ - 1];
    char c = peek_char();
    if (c == ']') {
        ++pos_;
        --depth_;
        return false;
    }
    if (frame.index >= 0) {
        if (c != ',') fail_syntax("expected ',' or ']'");
        ++pos_;
        if (peek_char() == ']') fail_syntax("unexpected ']' after ','");
    }
    ++frame.index;
    if (pos_ >= progress_next_) {
        progress_next_ = pos_ + progress_every_;
        progress_(pos_, text_.size());
    }
    return true;
}

void JsonReader::on_progress(std::function<void(size_t, size_t)> report, size_t every_bytes) {
    progress_ = std::move(report);
    progress_every_ = every_bytes > 0 ? every_bytes : 1;
    progress_next_ = progress_ ? pos_ + progress_every_ : SIZE_MAX;
}

size_t utf8_sequence_length(std::string_view text, size_t at) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const unsigned char c = s[at];
    if (c < 0x80) return 1;
    size_t len;
    uint32_t min, cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (at + len > text.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
        const unsigned char cc = s[at + k];
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

size_t first_invalid_utf8(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        // ASCII runs (ids, most names) eight bytes at a time: a snapshot holds millions of strings.
        uint64_t word;
        if (i + 8 <= text.size() && (std::memcpy(&word, text.data() + i, 8), (word & 0x8080808080808080ULL) == 0)) {
            i += 8;
            continue;
        }
        const size_t len = utf8_sequence_length(text, i);
        if (len == 0) return i;
        i += len;
    }
    return std::string_view::npos;
}

void JsonReader::validate_utf8_at(size_t& i) {
    const size_t len = utf8_sequence_length(text_, i);
    if (len != 0) {
        i += len;
        return;
    }
    pos_ = i;
    const auto c = static_cast<unsigned char>(text_[i]);
    if (c < 0xC2 || c > 0xF4) {
        char b[3];
        std::snprintf(b, 3, "%02X", c);
        fail_syntax("invalid UTF-8 byte 0x" + std::string(b));
    }
    const size_t expected = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    fail_syntax(i + expected > text_.size() ? "truncated UTF-8 sequence" : "invalid UTF-8 sequence");
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) out.push_back(static_cast<char>(cp));
    else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Scans a string starting at '"'. Returns a view into the text when it has no escapes,
// otherwise into the scratch buffer (or a stable copy for keys, made by the caller).
std::string_view JsonReader::scan_string(bool /*for_key*/) {
    ++pos_;  // opening quote
    const char* s = text_.data();
    size_t n = text_.size();
    size_t start = pos_;
    size_t i = pos_;
    // Fast path: plain ASCII and valid UTF-8 with no escapes.
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"') {
            pos_ = i + 1;
            return std::string_view(s + start, i - start);
        }
        if (c == '\\') break;
        if (c < 0x20) {
            pos_ = i;
            fail_syntax("control character in a string");
        }
        if (c < 0x80) ++i;
        else validate_utf8_at(i);
    }
    if (i >= n) {
        pos_ = n;
        fail_syntax("unterminated string");
    }
    // Slow path: decode escapes into scratch.
    scratch_.assign(s + start, i - start);
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"') {
            pos_ = i + 1;
            return std::string_view(scratch_);
        }
        if (c < 0x20) {
            pos_ = i;
            fail_syntax("control character in a string");
        }
        if (c >= 0x80) {
            size_t from = i;
            validate_utf8_at(i);
            scratch_.append(s + from, i - from);
            continue;
        }
        if (c != '\\') {
            scratch_.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        if (i + 1 >= n) {
            pos_ = n;
            fail_syntax("unterminated string");
        }
        char e = s[i + 1];
        switch (e) {
            case '"':
                scratch_.push_back('"');
                i += 2;
                break;
            case '\\':
                scratch_.push_back('\\');
                i += 2;
                break;
            case '/':
                scratch_.push_back('/');
                i += 2;
                break;
            case 'b':
                scratch_.push_back('\b');
                i += 2;
                break;
            case 'f':
                scratch_.push_back('\f');
                i += 2;
                break;
            case 'n':
                scratch_.push_back('\n');
                i += 2;
                break;
            case 'r':
                scratch_.push_back('\r');
                i += 2;
                break;
            case 't':
                scratch_.push_back('\t');
                i += 2;
                break;
            case 'u': {
                auto read4 = [&](size_t at) -> int32_t {
                    if (at + 4 > n) return -1;
                    int32_t v = 0;
                    for (size_t k = 0; k < 4; ++k) {
                        int h = hex_value(s[at + k]);
                        if (h < 0) return -1;
                        v = v * 16 + h;
                    }
                    return v;
                };
                int32_t u = read4(i + 2);
                if (u < 0) {
                    pos_ = i;
                    fail_syntax("invalid \\u escape");
                }
                uint32_t cp = static_cast<uint32_t>(u);
                i += 6;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    int32_t low = (i + 1 < n && s[i] == '\\' && s[i + 1] == 'u') ? read4(i + 2) : -1;
                    if (low < 0xDC00 || low > 0xDFFF) {
                        pos_ = i - 6;
                        fail_syntax("lone surrogate escape");
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
                    i += 6;
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    pos_ = i - 6;
                    fail_syntax("lone surrogate escape");
                }
                append_utf8(scratch_, cp);
                break;
            }
            default: pos_ = i; fail_syntax("invalid escape");
        }
    }
    pos_ = n;
    fail_syntax("unterminated string");
}

std::string_view JsonReader::read_string() {
    if (peek() != JsonType::String) fail_type("a string");
    return scan_string(false);
}

std::string_view JsonReader::scan_number_token(bool& is_integer) {
    const char* s = text_.data();
    size_t n = text_.size();
    size_t start = pos_, i = pos_;
    is_integer = true;
    if (i < n && s[i] == '-') ++i;
    if (i >= n) {
        pos_ = i;
        fail_syntax("invalid number");
    }
    if (s[i] == '0') ++i;
    else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    } else {
        pos_ = i;
        fail_syntax("invalid number");
    }
    if (i < n && s[i] == '.') {
        is_integer = false;
        ++i;
        if (i >= n || s[i] < '0' || s[i] > '9') {
            pos_ = i;
            fail_syntax("invalid number");
        }
        while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        is_integer = false;
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        if (i >= n || s[i] < '0' || s[i] > '9') {
            pos_ = i;
            fail_syntax("invalid number");
        }
        while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    }
    pos_ = i;
    return std::string_view(s + start, i - start);
}

int64_t JsonReader::read_int() {
    JsonType t = peek();
    if (t != JsonType::Number) fail_type("an integer");
    size_t save = pos_;
    bool is_integer;
    std::string_view tok = scan_number_token(is_integer);
    if (!is_integer) {
        pos_ = save;
        fail("expected an integer, got " + std::string(tok), "input.wrong_type",
             {param_term("expected", "an integer"), param_term("got", "a number"), param_text("value", std::string(tok))});
    }
    int64_t v = 0;
    auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (r.ec != std::errc()) {
        pos_ = save;
        fail("integer out of range: " + std::string(tok), "input.integer_out_of_range", {param_text("value", std::string(tok))});
    }
    return v;
}

double JsonReader::read_number() {
    JsonType t = peek();
    if (t != JsonType::Number) fail_type("a number");
    size_t save = pos_;
    bool is_integer;
    std::string_view tok = scan_number_token(is_integer);
    if (is_integer && tok.size() < 16) {  // exact and fast for the common case
        int64_t v = 0;
        std::from_chars(tok.data(), tok.data() + tok.size(), v);
        return static_cast<double>(v);
    }
    // strtod, not from_chars: Emscripten 3.1.6's libc++ has no floating-point from_chars.
    // The program never changes the "C" locale, so '.' is the decimal point.
    char small[64];
    std::string large;
    const char* z = small;
    if (tok.size() < sizeof small) {
        std::memcpy(small, tok.data(), tok.size());
        small[tok.size()] = '\0';
    } else {
        large.assign(tok);
        z = large.c_str();
    }
    double v = std::strtod(z, nullptr);  // underflow gives 0 (fine); overflow gives inf (refused below)
    if (!std::isfinite(v)) {
        pos_ = save;
        fail("number is not finite: " + std::string(tok), "input.not_finite", {param_text("value", std::string(tok))});
    }
    return v;
}

void JsonReader::expect_literal(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) fail_syntax("invalid literal");
    pos_ += literal.size();
}

bool JsonReader::read_bool() {
    if (peek() != JsonType::Bool) fail_type("a boolean");
    if (text_[pos_] == 't') {
        expect_literal("true");
        return true;
    }
    expect_literal("false");
    return false;
}

void JsonReader::skip_value() {
    switch (peek()) {
        case JsonType::Null: expect_literal("null"); break;
        case JsonType::Bool: read_bool(); break;
        case JsonType::Number: read_number(); break;
        case JsonType::String: scan_string(false); break;
        case JsonType::Array:
            begin_array();
            while (next_element()) skip_value();
            break;
        case JsonType::Object: {
            begin_object();
            std::string_view k;
            while (next_key(k)) skip_value();
            break;
        }
    }
}

void JsonReader::expect_end() {
    skip_ws();
    if (pos_ != text_.size()) fail_syntax("unexpected text after the document");
}

}  // namespace rl
