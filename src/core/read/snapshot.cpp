#include "core/read/snapshot.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <bit>
#include <cstring>
#include <exception>
#include <numeric>
#include <sstream>
#include <type_traits>
#include <utility>

#include "core/read/checksum.h"
#include "core/read/input_limits.h"
#include "core/read/json_reader.h"

#if __has_include(<coroutine>)
#include <coroutine>
namespace rl::coro {
using std::coroutine_handle;
using std::suspend_always;
}  // namespace rl::coro
#else  // Emscripten 3.1.6's libc++ has only the TS header
#include <experimental/coroutine>
namespace rl::coro {
using std::experimental::coroutine_handle;
using std::experimental::suspend_always;
}  // namespace rl::coro
#endif

namespace rl {

static_assert(std::endian::native == std::endian::little, "the snapshot is little-endian and read in place");

namespace {

constexpr size_t kHeaderSize = 64;
constexpr size_t kTocEntrySize = 64;
constexpr size_t kNameSize = 32;
constexpr size_t kAlign = 8;

// Element types of a section (docs/snapshot.md).
enum ElementType : uint32_t { kU8 = 1, kU16 = 2, kU32 = 3, kU64 = 4, kI64 = 5 };
template <class T>
constexpr ElementType element_type() {
    if constexpr (std::is_same_v<T, uint8_t>) return kU8;
    else if constexpr (std::is_same_v<T, uint16_t>) return kU16;
    else if constexpr (std::is_same_v<T, uint32_t>) return kU32;
    else if constexpr (std::is_same_v<T, uint64_t>) return kU64;
    else {
        static_assert(std::is_same_v<T, int64_t>);
        return kI64;
    }
}
uint32_t element_size(uint32_t type) {
    switch (type) {
        case kU8: return 1;
        case kU16: return 2;
        case kU32: return 4;
        case kU64:
        case kI64: return 8;
        default: return 0;
    }
}

struct TocEntry {
    std::string name;
    uint32_t type = 0, elem_size = 0;
    uint64_t offset = 0, count = 0, checksum = 0;
    bool verified = false;  // its checksum was checked (verify_steps, or as its bytes streamed in)
    uint64_t bytes() const { return count * elem_size; }
};

// A section's bytes as they stream in (SnapshotLoad::feed): its own buffer, hashed as it fills.
struct Arriving {
    std::unique_ptr<char[]> buffer;
    uint64_t received = 0;
    Xxh64 hash;
    bool arrived = false;
    // Instead of `buffer`: takes the bytes as they come (Reader::stream_cells), keeping the
    // first problem it finds with an element for when the section is whole and its checksum held.
    std::function<void(const char*, uint64_t)> sink;
    std::string problem;
};

// A section's bytes once loaded into the model (Dataset::memory_parts), from its table entry
// alone: most columns are kept as written; some become fields of a record (counted once, with
// the record's first column) or narrower cells. Attribute cells are counted at 8 bytes though
// most are kept in 4 (whether they fit is in the values, not the table): an upper bound there.
uint64_t section_model_bytes(const TocEntry& e, uint64_t past_campaigns) {
    const std::string& n = e.name;
    const auto starts = [&](std::string_view prefix) { return n.compare(0, prefix.size(), prefix) == 0; };
    const auto ends = [&](std::string_view suffix) {
        return n.size() >= suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (n == "delivery.time" || n == "groupchat.delivery.time") {
        const uint64_t campaign_bytes = past_campaigns <= (1u << 16) ? 2 : past_campaigns <= (1u << 24) ? 3 : 4;
        return e.count * (sizeof(PastDelivery) + campaign_bytes);
    }
    if (starts("delivery.") || starts("groupchat.delivery.")) return ends(".begin") ? e.bytes() : 0;  // with .time
    if (n == "relation.createtime") return e.count * (sizeof(Relation) + sizeof(uint32_t));  // + Dataset::relation_sender
    if (starts("relation.")) return n == "relation.begin" || n == "relation.tags" ? e.bytes() : 0;  // with createtime
    if (n == "not_interested.time") return e.count * sizeof(NotInterested);
    if (n == "not_interested.employee") return 0;
    if (n == "past_campaign.first_time") return e.count * sizeof(PastCampaign);
    if (starts("past_campaign.")) return n == "past_campaign.id.bytes" ? e.bytes() : 0;
    if (n == "employee.flags") return e.count * sizeof(Employee);
    if (ends(".offsets")) return e.count * sizeof(uint32_t);  // string pools keep 32-bit ends
    return e.bytes();
}

SnapshotMemory estimate_memory(const std::vector<TocEntry>& toc) {
    uint64_t past_campaigns = 0, largest = 0;
    for (const TocEntry& e : toc) {
        if (e.name == "past_campaign.first_time") past_campaigns = e.count;
        // The ledgers' columns are taken as they arrive (Reader::stream_cells), never held whole.
        const bool ledger_column = (e.name.rfind("delivery.", 0) == 0 || e.name.rfind("groupchat.delivery.", 0) == 0) &&
                                   e.name.find(".begin") == std::string::npos;
        if (!ledger_column) largest = std::max(largest, e.bytes());
    }
    SnapshotMemory m;
    for (const TocEntry& e : toc) m.model += section_model_bytes(e, past_campaigns);
    m.peak = m.model + largest;
    return m;
}

// The reader is a coroutine that suspends every kStepElements elements (or kStepBytes of
// checksum) so a page can load a snapshot a slice at a time between frames; read_snapshot
// simply runs it to the end. A Steps is resumed by its owner (a parent coroutine drives a
// child with `while (child.next()) co_yield 0;`); an exception inside ends it and is
// rethrown by next().
constexpr uint64_t kStepElements = 1 << 16;
constexpr uint64_t kStepBytes = 4 << 20;
inline bool step_boundary(uint64_t i) { return (i & (kStepElements - 1)) == kStepElements - 1; }

class Steps {
public:
    struct promise_type {
        std::exception_ptr error;
        Steps get_return_object() { return Steps(coro::coroutine_handle<promise_type>::from_promise(*this)); }
        coro::suspend_always initial_suspend() noexcept { return {}; }
        coro::suspend_always final_suspend() noexcept { return {}; }
        coro::suspend_always yield_value(int) noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };
    explicit Steps(coro::coroutine_handle<promise_type> h) : h_(h) {}
    Steps(Steps&& o) noexcept : h_(std::exchange(o.h_, {})) {}
    Steps(const Steps&) = delete;
    Steps& operator=(const Steps&) = delete;
    ~Steps() {
        if (h_) h_.destroy();
    }
    // Runs to the next suspension; false once finished.
    bool next() {
        if (!h_ || h_.done()) return false;
        h_.resume();
        if (h_.promise().error) std::rethrow_exception(std::exchange(h_.promise().error, nullptr));
        return !h_.done();
    }

private:
    coro::coroutine_handle<promise_type> h_;
};

template <class T>
void put(std::string& out, size_t at, T v) {
    std::memcpy(&out[at], &v, sizeof v);
}
template <class T>
T get(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

}  // namespace

// Reads and writes the private parts of the pools and attribute columns.
struct SnapshotCodec {
    // Writes the header and the table of sections first, so a reader given the bytes in
    // order (a stream) knows every section before its bytes come: a first pass with
    // `out` null only counts the sections (planned_sections), the second writes them.
    class Writer {
    public:
        Writer(std::ostream* out, uint32_t planned_sections) : out_(out) {
            pos_ = kHeaderSize + uint64_t(planned_sections) * kTocEntrySize;
            if (out_) out_->write(std::string(pos_, '\0').data(), static_cast<std::streamsize>(pos_));
        }
        uint32_t sections() const { return static_cast<uint32_t>(toc_.size()); }
        template <class T>
        void column(const std::string& name, const T* data, size_t count) {
            if (!out_) {
                toc_.push_back({name});
                return;
            }
            TocEntry e{name, element_type<T>(), sizeof(T), pos_, count, xxh64(data, count * sizeof(T))};
            write(data, count * sizeof(T));
            toc_.push_back(std::move(e));
        }
        template <class T>
        void column(const std::string& name, const std::vector<T>& v) {
            column(name, v.data(), v.size());
        }
        void pool(const std::string& name, const StringPool& p) {
            column(name + ".bytes", reinterpret_cast<const uint8_t*>(p.bytes_.data()), p.bytes_.size());
            column(name + ".offsets", std::vector<uint64_t>(p.offsets_.begin(), p.offsets_.end()));
        }
        void interner(const std::string& name, const Interner& in) {
            pool(name, in.pool_);
            column(name + ".slots", in.slots_);
        }
        void finish() {
            if (!out_) return;
            std::string toc(toc_.size() * kTocEntrySize, '\0');
            for (size_t i = 0; i < toc_.size(); ++i) {
                const TocEntry& e = toc_[i];
                const size_t at = i * kTocEntrySize;
                std::memcpy(&toc[at], e.name.data(), std::min(e.name.size(), kNameSize - 1));
                put<uint32_t>(toc, at + 32, e.type);
                put<uint32_t>(toc, at + 36, e.elem_size);
                put<uint64_t>(toc, at + 40, e.offset);
                put<uint64_t>(toc, at + 48, e.count);
                put<uint64_t>(toc, at + 56, e.checksum);
            }
            const uint64_t toc_offset = kHeaderSize;
            std::string header(kHeaderSize, '\0');
            std::memcpy(&header[0], kSnapshotMagic, 8);
            put<uint32_t>(header, 8, kSnapshotVersion);
            put<uint32_t>(header, 12, kHeaderSize);
            put<uint64_t>(header, 16, pos_);  // file size
            put<uint64_t>(header, 24, toc_offset);
            put<uint32_t>(header, 32, static_cast<uint32_t>(toc_.size()));
            put<uint64_t>(header, 40, xxh64(toc.data(), toc.size()));
            put<uint64_t>(header, 56, xxh64(header.data(), 56));
            out_->seekp(0);
            out_->write(header.data(), kHeaderSize);
            out_->write(toc.data(), static_cast<std::streamsize>(toc.size()));
            out_->seekp(0, std::ios::end);
            if (!*out_) throw std::runtime_error("cannot write the snapshot");
        }

    private:
        void write(const void* data, size_t size) {
            out_->write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
            pos_ += size;
            static const char zeros[kAlign] = {};
            if (size_t pad = (kAlign - pos_ % kAlign) % kAlign) {
                out_->write(zeros, pad);
                pos_ += pad;
            }
            if (!*out_) throw std::runtime_error("cannot write the snapshot");
        }
        std::ostream* out_;
        uint64_t pos_ = 0;
        std::vector<TocEntry> toc_;
    };

    class Reader {
    public:
        // The whole file in memory (or mapped).
        Reader(std::string_view bytes, std::string source, SnapshotRelease release)
            : bytes_(bytes), source_(std::move(source)), release_(std::move(release)) {
            read_header();
        }
        // Streamed: the bytes come in file order through feed(); each section is kept in a
        // buffer of its own from its first byte to release(), its checksum verified as it
        // fills, so the whole file never sits in memory at once.
        explicit Reader(std::string source) : source_(std::move(source)), streaming_(true) {}

        // The next `size` bytes of a streamed file.
        void feed(const char* p, uint64_t size) {
            while (size > 0) {
                uint64_t n = size;
                if (pos_ < head_needed_) {
                    n = std::min(size, head_needed_ - pos_);
                    head_.append(p, n);
                    pos_ += n;
                    if (pos_ == kHeaderSize) {
                        const uint32_t sections = check_header(head_.data(), UINT64_MAX);
                        head_needed_ = kHeaderSize + uint64_t(sections) * kTocEntrySize;
                    }
                    if (pos_ == head_needed_ && pos_ >= kHeaderSize) start_sections();
                } else {
                    if (pos_ >= file_size_)
                        fail("header",
                             "padded: the header says " + std::to_string(file_size_) + " bytes, more came (the file is damaged)");
                    n = std::min(n, file_size_ - pos_);
                    while (next_ < order_.size() && pos_ >= toc_[order_[next_]].offset + toc_[order_[next_]].bytes()) ++next_;
                    if (next_ < order_.size() && pos_ >= toc_[order_[next_]].offset) {
                        const size_t i = order_[next_];
                        TocEntry& e = toc_[i];
                        Arriving& a = arriving_[i];
                        n = std::min(n, e.offset + e.bytes() - pos_);
                        if (a.sink) {
                            a.sink(p, n);
                            consumed_ += n;
                        } else {
                            if (!a.buffer) a.buffer.reset(new char[e.bytes()]);
                            std::memcpy(a.buffer.get() + a.received, p, n);
                        }
                        a.hash.update(p, n);
                        a.received += n;
                        verified_bytes_ += n;
                        if (a.received == e.bytes()) {
                            if (a.hash.digest() != e.checksum)
                                fail("section " + e.name, "checksum mismatch (the section is damaged)");
                            e.verified = a.arrived = true;
                        }
                    } else {  // alignment padding between sections (or after the last)
                        if (next_ < order_.size()) n = std::min(n, toc_[order_[next_]].offset - pos_);
                        for (uint64_t k = 0; k < n; ++k)
                            if (p[k] != 0)
                                fail("table of sections",
                                     "nonzero padding at byte " + std::to_string(pos_ + k) + " (the file is damaged)");
                    }
                    pos_ += n;
                }
                p += n;
                size -= n;
            }
        }
        // No more bytes will come: a streamed file must be whole.
        void end_input() {
            input_ended_ = true;
            if (pos_ < kHeaderSize)
                fail("header", "truncated: " + std::to_string(pos_) + " bytes, shorter than the header", "snapshot.truncated",
                     {param_bytes("actual", static_cast<int64_t>(pos_))});
            const uint64_t expected = pos_ < head_needed_ ? head_needed_ : file_size_;
            if (pos_ != expected)
                fail("header",
                     "truncated or padded: the header says " + std::to_string(file_size_) + " bytes, the file has " +
                         std::to_string(pos_),
                     "snapshot.truncated",
                     {param_bytes("actual", static_cast<int64_t>(pos_)),
                      param_bytes("expected", static_cast<int64_t>(file_size_))});
        }
        // True once every section named `prefix`... has arrived (always, with the whole file);
        // else notes that the reader waits for bytes (waiting()).
        bool arrived(std::string_view prefix) const {
            if (!streaming_) return true;
            bool all = sections_known_;
            for (size_t i = 0; all && i < toc_.size(); ++i)
                if (toc_[i].name.compare(0, prefix.size(), prefix) == 0 && !arriving_[i].arrived) all = false;
            waiting_ = waiting_ || !all;
            return all;
        }
        // Every byte of a streamed file has come (and every section is verified).
        bool complete() const {
            const bool whole = !streaming_ || (sections_known_ && input_ended_ && pos_ == file_size_);
            waiting_ = waiting_ || !whole;
            return whole;
        }
        // Whether the last step stopped for want of bytes; clears it.
        bool take_waiting() {
            const bool w = waiting_;
            waiting_ = false;
            return w;
        }

        // `where` is a section ("section customer.relation_begin"), "header" or "table of
        // sections"; the English `what` is for engineers (the CLI prints it). The UI words the
        // code: a marketer is told the file is damaged, not which array is wrong.
        [[noreturn]] void fail(const std::string& where, const std::string& what, const char* code = "snapshot.damaged",
                               MessageParams params = {}) const {
            params.push_back(param_text("section", where));
            throw InputError(source_, where, what, code, std::move(params));
        }

        bool has(const std::string& name) const { return find(name) != nullptr; }

        // A section read in place, its checksum verified; release(name) once it is copied.
        template <class T>
        struct Cells {
            const char* p;
            uint64_t n;
            T operator[](size_t i) const {
                T v;
                std::memcpy(&v, p + i * sizeof(T), sizeof(T));
                return v;
            }
            uint64_t size() const { return n; }
        };
        template <class T>
        const TocEntry& entry(const std::string& name) const {
            const TocEntry* e = find(name);
            if (!e) fail("section " + name, "missing (the snapshot lacks a required section)", "snapshot.section_missing");
            if (e->type != element_type<T>())
                fail("section " + name,
                     "holds elements of type " + std::to_string(e->type) + ", expected " + std::to_string(element_type<T>()));
            return *e;
        }
        template <class T>
        Cells<T> cells(const std::string& name) const {
            const TocEntry* e = &entry<T>(name);
            const char* data;  // streamed: the section's own buffer (bytes_ is empty then)
            if (streaming_) {
                const Arriving& a = arriving_[static_cast<size_t>(e - toc_.data())];
                // A reading step that did not wait for its sections (arrived()) is a bug, not bad input.
                if (!a.arrived) throw std::logic_error("snapshot section " + name + " read before it arrived");
                data = a.buffer.get();
            } else {
                data = bytes_.data() + e->offset;
            }
            // Verified on first use (a section's pages are read once, then released), unless
            // verify_steps or the stream did it a slice at a time.
            if (!e->verified && xxh64(data, e->count * sizeof(T)) != e->checksum)
                fail("section " + name, "checksum mismatch (the section is damaged)");
            consumed_ += e->count * sizeof(T);
            return {data, e->count};
        }
        template <class T>
        Cells<T> cells(const std::string& name, uint64_t expected_count) const {
            Cells<T> c = cells<T>(name);
            if (c.size() != expected_count) count_mismatch(name, c.size(), expected_count);
            return c;
        }
        // Streamed: hands each element of `name` to `take(index, value)` as its bytes arrive,
        // instead of buffering the section whole (a ledger's columns are hundreds of MB each at
        // 10M customers). Only before any of its bytes has come: false otherwise, and with the
        // whole file (read it with cells() then). `take` returns the problem with an element
        // ("" when none); the first is kept and raised by streamed_result() once the section is
        // whole and its checksum held, so a damaged file is refused as a one-pass read refuses it.
        template <class T, class Take>
        bool stream_cells(const std::string& name, uint64_t expected_count, Take take) const {
            if (!streaming_ || !sections_known_) return false;
            const TocEntry& e = entry<T>(name);
            if (e.count != expected_count) count_mismatch(name, e.count, expected_count);
            Arriving& a = arriving_[static_cast<size_t>(&e - toc_.data())];
            if (a.received > 0 || a.arrived) return false;
            a.sink = [&a, take, index = uint64_t(0), carry = std::string()](const char* p, uint64_t n) mutable {
                auto one = [&](const char* at) {
                    T v;
                    std::memcpy(&v, at, sizeof v);
                    if (a.problem.empty()) a.problem = take(index, v);
                    ++index;
                };
                while (n > 0) {
                    if (carry.empty() && n >= sizeof(T)) {
                        one(p);
                        p += sizeof(T);
                        n -= sizeof(T);
                        continue;
                    }
                    const uint64_t k = std::min<uint64_t>(sizeof(T) - carry.size(), n);  // an element split between pieces
                    carry.append(p, k);
                    p += k;
                    n -= k;
                    if (carry.size() == sizeof(T)) {
                        one(carry.data());
                        carry.clear();
                    }
                }
            };
            return true;
        }
        void streamed_result(const std::string& name) const {
            const Arriving& a = arriving_[static_cast<size_t>(find(name) - toc_.data())];
            if (!a.problem.empty()) fail("section " + name, a.problem);
        }
        void release(const std::string& name) const {
            const TocEntry* e = find(name);
            if (!e) return;
            if (streaming_) arriving_[static_cast<size_t>(e - toc_.data())].buffer.reset();
            else if (release_) release_(e->offset, e->bytes());
        }
        // A section's elements, copied out (the caller owns them; the file may be unmapped).
        template <class T>
        std::vector<T> column(const std::string& name) const {
            Cells<T> c = cells<T>(name);
            std::vector<T> v(c.n);
            if (c.n) std::memcpy(v.data(), c.p, c.n * sizeof(T));
            release(name);
            return v;
        }
        template <class T>
        std::vector<T> column(const std::string& name, uint64_t expected_count) const {
            std::vector<T> v = column<T>(name);
            if (v.size() != expected_count) count_mismatch(name, v.size(), expected_count);
            return v;
        }
        [[noreturn]] void count_mismatch(const std::string& name, uint64_t got, uint64_t expected) const {
            fail("section " + name, "has " + std::to_string(got) + " elements, expected " + std::to_string(expected));
        }
        // Every value below `limit` (or equal to `allowed`).
        template <class V>
        void check_below(const std::string& name, const V& v, uint64_t limit, uint64_t allowed = UINT64_MAX) const {
            for (size_t i = 0; i < v.size(); ++i)
                if (uint64_t(v[i]) >= limit && uint64_t(v[i]) != allowed)
                    fail("section " + name, "element " + std::to_string(i) + " is " + std::to_string(v[i]) +
                                                ", out of range (< " + std::to_string(limit) + ")");
        }
        // Offsets of `rows` rows into a section of `children` elements: starts at 0, never decreases, ends at `children`.
        template <class T>
        void check_offsets(const std::string& name, const std::vector<T>& v, uint64_t rows, uint64_t children) const {
            if (v.size() != rows + 1) count_mismatch(name, v.size(), rows + 1);
            if (v[0] != 0) fail("section " + name, "does not start at 0");
            for (size_t i = 1; i < v.size(); ++i)
                if (v[i] < v[i - 1]) fail("section " + name, "decreases at element " + std::to_string(i));
            if (v.back() != children)
                fail("section " + name, "ends at " + std::to_string(v.back()) + ", expected " + std::to_string(children));
        }

        StringPool pool(const std::string& name, uint64_t expected_count = UINT64_MAX) const {
            StringPool p;
            std::vector<uint8_t> bytes = column<uint8_t>(name + ".bytes");
            std::vector<uint64_t> offsets = column<uint64_t>(name + ".offsets");
            if (offsets.empty()) count_mismatch(name + ".offsets", 0, 1);
            const uint64_t count = offsets.size() - 1;
            if (expected_count != UINT64_MAX && count != expected_count)
                count_mismatch(name + ".offsets", offsets.size(), expected_count + 1);
            check_offsets(name + ".offsets", offsets, count, bytes.size());
            if (bytes.size() > UINT32_MAX) fail("section " + name + ".bytes", "holds more than 4 GB of text");
            // Strings reach JSON outputs and the page as they are: refuse what JSON could not hold.
            for (size_t i = 0; i < count; ++i) {
                const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + offsets[i],
                                            offsets[i + 1] - offsets[i]);
                if (first_invalid_utf8(text) != std::string_view::npos)
                    fail("section " + name + ".bytes", "string " + std::to_string(i) + " is not valid UTF-8");
            }
            p.bytes_.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            p.offsets_.assign(offsets.begin(), offsets.end());  // checked above: increasing, at most the byte count
            return p;
        }
        Interner interner(const std::string& name, uint64_t expected_count = UINT64_MAX) const {
            Interner in;
            in.pool_ = pool(name, expected_count);
            in.slots_ = column<uint32_t>(name + ".slots");
            const std::string slots = "section " + name + ".slots";
            const uint64_t n = in.pool_.size(), cap = in.slots_.size();
            // find() ends at an empty slot: there must be one, and every string once.
            if (cap == 0 ? n != 0 : (!std::has_single_bit(cap) || n * 2 > cap))
                fail(slots, "holds " + std::to_string(cap) + " slots for " + std::to_string(n) +
                                " strings (a power of two, at least twice as many)");
            std::vector<uint8_t> seen(n, 0);
            uint64_t used = 0;
            for (uint32_t v : in.slots_) {
                if (v == kNone) continue;
                if (v >= n || seen[v]) fail(slots, "names string " + std::to_string(v) + " twice or out of range");
                seen[v] = 1;
                ++used;
            }
            if (used != n) fail(slots, "indexes " + std::to_string(used) + " of " + std::to_string(n) + " strings");
            return in;
        }

        void attribute(AttrColumn& column, const std::string& name, uint8_t dense, uint32_t customers, uint32_t strings) const {
            column.dense_ = dense != 0;
            column.slots_ = this->column<uint8_t>(name + ".slots");
            std::vector<uint64_t> cells = this->column<uint64_t>(name + ".cells", column.slots_.size());
            column.customers_ = this->column<uint32_t>(name + ".customers", column.dense_ ? 0 : column.slots_.size());
            if (column.dense_ && column.slots_.size() != customers)
                count_mismatch(name + ".slots", column.slots_.size(), customers);
            for (size_t i = 0; i < column.customers_.size(); ++i)
                if (column.customers_[i] >= customers || (i && column.customers_[i] <= column.customers_[i - 1]))
                    fail("section " + name + ".customers", "element " + std::to_string(i) + " is out of range or out of order");
            column.cells_.resize(cells.size());
            for (size_t i = 0; i < cells.size(); ++i) {
                const uint8_t slot = column.slots_[i];
                if (slot > AttrColumn::kBool)
                    fail("section " + name + ".slots", "element " + std::to_string(i) + " is not a value type");
                if (slot == AttrColumn::kString && uint32_t(cells[i]) >= strings)
                    fail("section " + name + ".cells", "element " + std::to_string(i) + " names no string");
                std::memcpy(&column.cells_[i], &cells[i], sizeof(uint64_t));
            }
            column.narrow_if_exact();
        }

        // Every section's checksum, kStepBytes at a time (a sliced load verifies everything
        // before it copies anything).
        Steps verify_steps() {
            for (TocEntry& e : toc_) {
                Xxh64 hash;
                const char* p = bytes_.data() + e.offset;
                for (uint64_t left = e.count * e.elem_size; left > 0;) {
                    const uint64_t n = std::min(left, kStepBytes);
                    hash.update(p, n);
                    p += n;
                    left -= n;
                    verified_bytes_ += n;
                    co_yield 0;
                }
                if (hash.digest() != e.checksum) fail("section " + e.name, "checksum mismatch (the section is damaged)");
                e.verified = true;
            }
        }
        // Bytes of all sections, and those verified and read so far (a load's progress).
        uint64_t payload_bytes() const {
            uint64_t total = 0;
            for (const TocEntry& e : toc_) total += e.count * e.elem_size;
            return total;
        }
        uint64_t verified_bytes() const { return verified_bytes_; }
        uint64_t consumed_bytes() const { return consumed_; }
        // Known once the table of sections is (at once with the whole file).
        SnapshotMemory memory() const { return estimate_memory(toc_); }
        // A streamed load needing more than `bytes` at its peak is refused when its table of
        // sections arrives, before any section is held.
        void set_memory_limit(uint64_t bytes) { memory_limit_ = bytes; }

    private:
        const TocEntry* find(const std::string& name) const {
            for (const TocEntry& e : toc_)
                if (e.name == name) return &e;
            return nullptr;
        }

        // Checks the 64-byte header at `h` (against the file's size when known: UINT64_MAX
        // while streaming) and returns its number of sections.
        uint32_t check_header(const char* h, uint64_t size) {
            if (std::memcmp(h, kSnapshotMagic, 8) != 0) fail("header", "not a ReachLens snapshot", "snapshot.not_snapshot");
            const uint32_t version = get<uint32_t>(h + 8);
            if (version != kSnapshotVersion)
                fail("header",
                     "snapshot version " + std::to_string(version) + " is not supported (this build reads version " +
                         std::to_string(kSnapshotVersion) + "): write it again with `reachlens snapshot`",
                     "snapshot.version",
                     {param_number("version", version), param_number("supported", static_cast<int64_t>(kSnapshotVersion))});
            if (xxh64(h, 56) != get<uint64_t>(h + 56)) fail("header", "checksum mismatch (the header is damaged)");
            file_size_ = get<uint64_t>(h + 16);
            const uint64_t toc_offset = get<uint64_t>(h + 24);
            const uint32_t sections = get<uint32_t>(h + 32);
            if (get<uint32_t>(h + 12) != kHeaderSize) fail("header", "unexpected header size");
            if (size != UINT64_MAX && file_size_ != size)
                fail("header",
                     "truncated or padded: the header says " + std::to_string(file_size_) + " bytes, the file has " +
                         std::to_string(size),
                     "snapshot.truncated",
                     {param_bytes("actual", static_cast<int64_t>(size)),
                      param_bytes("expected", static_cast<int64_t>(file_size_))});
            if (toc_offset != kHeaderSize ||
                uint64_t(sections) * kTocEntrySize > file_size_ - std::min<uint64_t>(file_size_, kHeaderSize))
                fail("header", "the table of sections lies outside the file");
            return sections;
        }

        // The table of sections (right after the header), checked against the header.
        void read_toc(const char* h) {
            const uint32_t sections = get<uint32_t>(h + 32);
            const char* table = h + kHeaderSize;
            const uint64_t toc_end = kHeaderSize + uint64_t(sections) * kTocEntrySize;
            if (xxh64(table, toc_end - kHeaderSize) != get<uint64_t>(h + 40))
                fail("table of sections", "checksum mismatch (the table of sections is damaged)");
            for (uint32_t i = 0; i < sections; ++i) {
                const char* t = table + uint64_t(i) * kTocEntrySize;
                TocEntry e;
                const size_t len = strnlen(t, kNameSize);
                if (len == 0 || len == kNameSize)
                    fail("table of sections", "section " + std::to_string(i) + " has no valid name");
                e.name.assign(t, len);
                e.type = get<uint32_t>(t + 32);
                const uint32_t elem = e.elem_size = get<uint32_t>(t + 36);
                e.offset = get<uint64_t>(t + 40);
                e.count = get<uint64_t>(t + 48);
                e.checksum = get<uint64_t>(t + 56);
                const std::string where = "section " + e.name;
                if (has(e.name)) fail(where, "appears twice");
                // Unknown element types are kept for sections this build does not read (later versions may add them).
                const uint32_t known = element_size(e.type);
                if (known != 0 && elem != known) fail(where, "element size " + std::to_string(elem) + " does not match its type");
                if (elem == 0) fail(where, "element size 0");
                if (e.offset < toc_end || e.offset % kAlign != 0 || e.offset > file_size_ ||
                    e.count > (file_size_ - e.offset) / elem)
                    fail(where, "lies outside the file (offset " + std::to_string(e.offset) + ", " + std::to_string(e.count) +
                                    " elements)");
                toc_.push_back(std::move(e));
            }
            // Sections in file order, none overlapping another.
            order_.resize(toc_.size());
            std::iota(order_.begin(), order_.end(), size_t(0));
            std::sort(order_.begin(), order_.end(), [&](size_t a, size_t b) {  // an empty section before one at its offset
                return std::pair(toc_[a].offset, toc_[a].bytes()) < std::pair(toc_[b].offset, toc_[b].bytes());
            });
            uint64_t at = toc_end;
            for (size_t i : order_) {
                if (toc_[i].offset < at) fail("table of sections", "two sections overlap");
                at = toc_[i].offset + toc_[i].bytes();
            }
        }

        void read_header() {
            const uint64_t size = bytes_.size();
            if (size < kHeaderSize || std::memcmp(bytes_.data(), kSnapshotMagic, 8) != 0)
                fail("header",
                     size < kHeaderSize ? "truncated: " + std::to_string(size) + " bytes, shorter than the header"
                                        : "not a ReachLens snapshot",
                     size < kHeaderSize ? "snapshot.truncated" : "snapshot.not_snapshot",
                     {param_bytes("actual", static_cast<int64_t>(size))});
            const char* h = bytes_.data();
            check_header(h, size);
            read_toc(h);
            // Every byte is covered by a checksum or is alignment padding, which must be zero.
            uint64_t at = kHeaderSize + toc_.size() * kTocEntrySize;
            for (size_t i : order_) {
                for (; at < toc_[i].offset; ++at)
                    if (h[at] != 0)
                        fail("table of sections", "nonzero padding at byte " + std::to_string(at) + " (the file is damaged)");
                at = toc_[i].offset + toc_[i].bytes();
            }
            for (; at < size; ++at)
                if (h[at] != 0)
                    fail("table of sections", "nonzero padding at byte " + std::to_string(at) + " (the file is damaged)");
        }

        // Streamed: the header and table are in; the sections' bytes come next.
        void start_sections() {
            read_toc(head_.data());
            if (const SnapshotMemory m = memory(); m.peak > memory_limit_)
                fail("header",
                     "needs about " + std::to_string(m.peak >> 20) + " MB of memory to load, more than the " +
                         std::to_string(memory_limit_ >> 20) + " MB left",
                     "snapshot.too_big",
                     {param_bytes("needed", int64_t(m.peak)), param_bytes("available", int64_t(memory_limit_))});
            arriving_.resize(toc_.size());
            for (size_t i = 0; i < toc_.size(); ++i)
                if (toc_[i].bytes() == 0) {
                    if (xxh64(nullptr, 0) != toc_[i].checksum)
                        fail("section " + toc_[i].name, "checksum mismatch (the section is damaged)");
                    toc_[i].verified = arriving_[i].arrived = true;
                }
            head_ = std::string();
            sections_known_ = true;
        }

        std::string_view bytes_;  // the whole file, unless streaming_
        std::string source_;
        SnapshotRelease release_;
        std::vector<TocEntry> toc_;
        std::vector<size_t> order_;  // indices into toc_ by offset
        uint64_t file_size_ = 0;  // as the header says
        uint64_t verified_bytes_ = 0;
        mutable uint64_t consumed_ = 0;
        // Streaming: the header and table gathered, then each section's bytes as they come.
        bool streaming_ = false;
        std::string head_;
        uint64_t head_needed_ = kHeaderSize;
        uint64_t pos_ = 0;  // bytes fed so far
        size_t next_ = 0;  // into order_: the section at or after pos_
        bool sections_known_ = false, input_ended_ = false;
        mutable std::vector<Arriving> arriving_;  // parallel to toc_
        mutable bool waiting_ = false;
        uint64_t memory_limit_ = UINT64_MAX;
    };

    static void write(const Dataset& d, std::ostream& out) {
        Writer plan(nullptr, 0);
        write_sections(d, plan);
        Writer w(&out, plan.sections());
        write_sections(d, w);
        w.finish();
    }

    // The sections in the order read_steps reads them, so a streamed load buffers little.
    static void write_sections(const Dataset& d, Writer& w) {
        const Enterprise& e = d.enterprise;
        w.column<int64_t>("tenant.numbers",
                          std::vector<int64_t>{d.now, e.tz_offset_minutes, e.verified, d.earliest_time, d.latest_time,
                                               d.unmatched_deliveries, d.unmatched_not_interested, d.total_deliveries,
                                               d.total_not_interested, d.groups.unmatched_deliveries});
        StringPool text;
        text.add(e.corp_name);
        text.add(e.industry);
        w.pool("tenant.text", text);

        std::vector<int64_t> dep_id, dep_parentid;
        std::vector<uint32_t> dep_parent;
        StringPool dep_name;
        for (const Department& dep : d.departments) {
            dep_id.push_back(dep.id);
            dep_parentid.push_back(dep.parentid);
            dep_parent.push_back(dep.parent);
            dep_name.add(dep.name);
        }
        w.column("department.id", dep_id);
        w.column("department.parentid", dep_parentid);
        w.column("department.parent", dep_parent);
        w.pool("department.name", dep_name);

        StringPool emp_name;
        std::vector<uint8_t> emp_flags;
        std::vector<uint32_t> emp_dep_begin{0}, emp_deps;
        for (const Employee& emp : d.employees) {
            emp_name.add(emp.name);
            emp_flags.push_back(uint8_t(emp.active) | uint8_t(emp.moments_enabled) << 1);
            emp_deps.insert(emp_deps.end(), emp.departments.begin(), emp.departments.end());
            emp_dep_begin.push_back(static_cast<uint32_t>(emp_deps.size()));
        }
        w.interner("employee.userid", d.employee_index);
        w.pool("employee.name", emp_name);
        w.column("employee.flags", emp_flags);
        w.column("employee.department_begin", emp_dep_begin);
        w.column("employee.departments", emp_deps);

        StringPool tag_name;
        std::vector<uint32_t> tag_group;
        for (const Tag& t : d.tags) {
            tag_name.add(t.name);
            tag_group.push_back(t.group);
        }
        w.interner("tag.id", d.tag_index);
        w.pool("tag.name", tag_name);
        w.column("tag.group", tag_group);
        StringPool group_id, group_name;
        std::vector<uint32_t> group_begin{0}, group_tags;
        for (const TagGroup& g : d.tag_groups) {
            group_id.add(g.group_id);
            group_name.add(g.name);
            group_tags.insert(group_tags.end(), g.tags.begin(), g.tags.end());
            group_begin.push_back(static_cast<uint32_t>(group_tags.size()));
        }
        w.pool("tag_group.id", group_id);
        w.pool("tag_group.name", group_name);
        w.column("tag_group.tag_begin", group_begin);
        w.column("tag_group.tags", group_tags);

        StringPool past_id;
        std::vector<uint8_t> past_flags;
        std::vector<int64_t> past_first, past_last, past_deliveries, past_matched;
        for (const PastCampaign& p : d.past_campaigns) {
            past_id.add(p.id);
            past_flags.push_back(uint8_t(p.kind) | uint8_t(p.origin) << 2);
            past_first.push_back(p.first_time);
            past_last.push_back(p.last_time);
            past_deliveries.push_back(p.deliveries);
            past_matched.push_back(p.customers_matched);
        }
        w.pool("past_campaign.id", past_id);
        w.column("past_campaign.flags", past_flags);
        w.column("past_campaign.first_time", past_first);
        w.column("past_campaign.last_time", past_last);
        w.column("past_campaign.deliveries", past_deliveries);
        w.column("past_campaign.matched", past_matched);

        w.interner("customer.id", d.customer_ids);
        w.pool("customer.name", d.customer_names);
        w.column("customer.gender", d.gender);
        w.column("customer.by_external_userid", d.by_external_userid);
        w.column("customer.tag_begin", d.tag_begin);
        w.column("customer.tags", d.customer_tags);

        const size_t r = d.relations.size();
        std::vector<int64_t> createtime(r), last_chat(r);
        std::vector<uint32_t> employee(r), state(r);
        std::vector<uint16_t> tag_count(r);
        std::vector<uint8_t> flags(r);
        for (size_t i = 0; i < r; ++i) {
            const Relation& rel = d.relations[i];
            createtime[i] = rel.createtime;
            last_chat[i] = rel.last_chat_time;
            employee[i] = rel.employee;
            state[i] = rel.state;
            tag_count[i] = rel.tag_count;
            flags[i] = uint8_t(rel.deleted) | uint8_t(rel.has_last_chat) << 1;
        }
        w.column("relation.begin", d.relation_begin);
        w.column("relation.createtime", createtime);
        w.column("relation.last_chat_time", last_chat);
        w.column("relation.employee", employee);
        w.column("relation.flags", flags);
        w.column("relation.state", state);
        w.column("relation.tag_count", tag_count);
        w.column("relation.tags", d.relation_tags);

        w.interner("attribute.name", d.attribute_names);
        std::vector<uint8_t> dense;
        for (const AttrColumn& a : d.attributes) dense.push_back(a.dense_);
        w.column("attribute.dense", dense);
        w.interner("strings", d.strings);
        for (size_t k = 0; k < d.attributes.size(); ++k) {
            const AttrColumn& a = d.attributes[k];
            const std::string name = "attribute." + std::to_string(k);
            w.column(name + ".slots", a.slots_);
            std::vector<uint64_t> cells(a.slots_.size());
            for (size_t i = 0; i < cells.size(); ++i) {
                // Only the slot's member is meaningful: write it alone, zero-extended.
                const uint8_t slot = a.slots_[i];
                if (slot == AttrColumn::kMissing) continue;
                const AttrValue v = a.value_at(slot, i);
                uint64_t number_bits;
                std::memcpy(&number_bits, &v.number, 8);  // std::bit_cast: not in Emscripten 3.1.6's libc++
                cells[i] = slot == AttrColumn::kNumber ? number_bits : slot == AttrColumn::kString ? v.text : uint64_t(v.boolean);
            }
            w.column(name + ".cells", cells);
            w.column(name + ".customers", a.customers_);
        }

        w.column("delivery.begin", d.delivery_begin);
        write_deliveries(w, "delivery", d.deliveries, d.delivery_campaign);

        std::vector<int64_t> ni_time;
        std::vector<uint32_t> ni_employee;
        for (const NotInterested& ni : d.not_interested) {
            ni_time.push_back(ni.time);
            ni_employee.push_back(ni.employee);
        }
        w.column("not_interested.begin", d.not_interested_begin);
        w.column("not_interested.time", ni_time);
        w.column("not_interested.employee", ni_employee);

        const GroupChats& g = d.groups;
        w.interner("groupchat.chat_id", g.ids);
        w.pool("groupchat.name", g.names);
        w.column("groupchat.owner", g.owner);
        w.column("groupchat.status", g.status);
        w.column("groupchat.create_time", g.create_time);
        w.column("groupchat.member_count", g.member_count);
        w.column("groupchat.member_begin", g.member_begin);
        w.column("groupchat.member_customer", g.member_customer);
        w.column("groupchat.member_join", g.member_join);
        w.column("groupchat.delivery.begin", g.delivery_begin);
        write_deliveries(w, "groupchat.delivery", g.deliveries, g.delivery_campaign);

        w.column("scheduled.json", reinterpret_cast<const uint8_t*>(d.scheduled_json.data()), d.scheduled_json.size());
        // Optional (display only, docs/attribute-meta.md): a reader that skips it still answers right.
        if (!d.attribute_meta_json.empty())
            w.column("attribute_meta.json", reinterpret_cast<const uint8_t*>(d.attribute_meta_json.data()),
                     d.attribute_meta_json.size());
    }

    // A ledger as three columns <prefix>.time, .employee, .packed (campaign << 3 | origin << 2 | kind).
    static void write_deliveries(Writer& w, const std::string& prefix, const std::vector<PastDelivery>& deliveries,
                                 const CampaignColumn& campaigns) {
        const size_t n = deliveries.size();
        std::vector<int64_t> time(n);
        std::vector<uint32_t> employee(n), packed(n);
        for (size_t i = 0; i < n; ++i) {
            time[i] = deliveries[i].time;
            employee[i] = static_cast<uint32_t>(deliveries[i].employee);
            packed[i] = (campaigns[i] << 3) | static_cast<uint32_t>(deliveries[i].kind_origin);
        }
        w.column(prefix + ".time", time);
        w.column(prefix + ".employee", employee);
        w.column(prefix + ".packed", packed);
    }

    // Hands each element of section `name` (`count` of type T) to `take(index, value)`, which
    // returns the problem with it or "": as the bytes arrive when streaming (the section is
    // never buffered whole), else from the section in a slice per step. Releases the section.
    template <class T, class Take>
    static Steps copy_cells(const Reader& in, std::string name, uint64_t count, Take take) {
        const bool streamed = in.stream_cells<T>(name, count, take);
        while (!in.arrived(name)) co_yield 0;
        if (streamed) {
            in.streamed_result(name);
        } else {
            const auto cells = in.cells<T>(name, count);
            for (uint64_t i = 0; i < count; ++i) {
                if (step_boundary(i)) co_yield 0;
                if (std::string problem = take(i, cells[i]); !problem.empty()) in.fail("section " + name, problem);
            }
        }
        in.release(name);
    }

    // Reads a ledger written by write_deliveries: `rows` rows by <prefix>.begin, each in time
    // order, every entry naming a known employee and past campaign, of the ledger's kinds.
    static Steps read_deliveries(const Reader& in, std::string prefix, std::vector<PastDelivery>& out, CampaignColumn& campaigns,
                                 std::vector<uint32_t>& begin, uint64_t rows, uint64_t employees, uint64_t past_campaigns,
                                 bool group_ledger) {
        // Column by column, each released once copied: a streamed load holds one of them
        // beside the ledger (at 10M customers each is hundreds of MB).
        while (!in.arrived(prefix + ".begin")) co_yield 0;
        begin = in.column<uint32_t>(prefix + ".begin");
        const uint64_t L = begin.empty() ? 0 : begin.back();
        in.check_offsets(prefix + ".begin", begin, rows, L);
        if (employees > PastDelivery::kMaxEmployees)  // the loaders' limit: a delivery keeps its employee in 21 bits
            in.fail("section employee.userid", std::to_string(employees) + " employees, more than a tenant holds");
        out.assign(L, PastDelivery{});
        campaigns.assign(L, past_campaigns);
        const auto element = [](uint64_t i, const char* problem) { return "element " + std::to_string(i) + problem; };
        for (Steps s = copy_cells<int64_t>(in, prefix + ".time", L,
                                           [&](uint64_t i, int64_t t) {
                                               if (t < limits::kMinTime || t > limits::kMaxTime)
                                                   return element(i, " is out of the time range");
                                               out[i].time = t;
                                               return std::string();
                                           });
             s.next();)
            co_yield 0;
        for (Steps s = copy_cells<uint32_t>(in, prefix + ".employee", L,
                                            [&](uint64_t i, uint32_t employee) {
                                                if (employee >= employees) return element(i, " names no employee");
                                                out[i].employee = employee;
                                                return std::string();
                                            });
             s.next();)
            co_yield 0;
        for (Steps s = copy_cells<uint32_t>(
                 in, prefix + ".packed", L,
                 [&](uint64_t i, uint32_t word) {
                     if ((word >> 3) >= past_campaigns) return element(i, " names no past campaign");
                     // Group ledgers hold group sends only; customer ledgers moments and mass sends (contract 8).
                     const uint32_t kind = word & 3;
                     if (group_ledger ? kind != uint32_t(Kind::GroupSend) : kind > uint32_t(Kind::MassSend))
                         return element(i, (" has kind " + std::to_string(kind) +
                                            (group_ledger ? ", expected 2 (group_send)" : ", expected 0 or 1"))
                                               .c_str());
                     out[i].kind_origin = word & 7;
                     campaigns.set(i, word >> 3);
                     return std::string();
                 });
             s.next();)
            co_yield 0;
        for (uint64_t r = 0; r < rows; ++r) {  // each row's ledger in time order, as the loader leaves it
            if (step_boundary(r)) co_yield 0;
            for (uint32_t i = begin[r] + 1; i < begin[r + 1]; ++i)
                if (out[i].time < out[i - 1].time)
                    in.fail("section " + prefix + ".time", std::string(group_ledger ? "group " : "customer ") +
                                                               std::to_string(r) + "'s deliveries are not in time order");
        }
    }

    static Steps read_groups(const Reader& in, Dataset& d) {
        GroupChats& g = d.groups;
        const uint64_t N = d.customer_count(), E = d.employees.size();
        while (!in.arrived("groupchat.chat_id.") || !in.arrived("groupchat.name.") || !in.arrived("groupchat.owner") ||
               !in.arrived("groupchat.status") || !in.arrived("groupchat.create_time") || !in.arrived("groupchat.member_"))
            co_yield 0;
        g.ids = in.interner("groupchat.chat_id");
        const uint64_t G = g.ids.size();
        g.names = in.pool("groupchat.name", G);
        g.owner = in.column<uint32_t>("groupchat.owner", G);
        in.check_below("groupchat.owner", g.owner, E);
        g.status = in.column<uint8_t>("groupchat.status", G);
        in.check_below("groupchat.status", g.status, GroupChats::kTransferred + 1);
        g.create_time = in.column<int64_t>("groupchat.create_time", G);
        g.member_count = in.column<uint32_t>("groupchat.member_count", G);
        g.member_customer = in.column<uint32_t>("groupchat.member_customer");
        in.check_below("groupchat.member_customer", g.member_customer, N);
        g.member_join = in.column<int64_t>("groupchat.member_join", g.member_customer.size());
        g.member_begin = in.column<uint32_t>("groupchat.member_begin");
        in.check_offsets("groupchat.member_begin", g.member_begin, G, g.member_customer.size());
        // As the loader leaves them: each customer once per group, in join_time order
        // (customers_joined_by cuts a prefix; reader counts add one per entry).
        co_yield 0;
        std::vector<uint32_t> last_group(N, kNone);
        for (uint32_t k = 0; k < G; ++k) {
            if (step_boundary(k)) co_yield 0;
            for (uint32_t i = g.member_begin[k]; i < g.member_begin[k + 1]; ++i) {
                const uint32_t c = g.member_customer[i];
                if (last_group[c] == k)
                    in.fail("section groupchat.member_customer",
                            "group " + std::to_string(k) + " lists customer " + std::to_string(c) + " twice");
                last_group[c] = k;
                if (i > g.member_begin[k] && g.member_join[i] < g.member_join[i - 1])
                    in.fail("section groupchat.member_join",
                            "group " + std::to_string(k) + "'s members are not in join_time order");
            }
        }
        for (Steps ledger = read_deliveries(in, "groupchat.delivery", g.deliveries, g.delivery_campaign, g.delivery_begin, G, E,
                                            d.past_campaigns.size(), true);
             ledger.next();)
            co_yield 0;
        g.index(static_cast<uint32_t>(N));
    }

    // Reads the whole tenant into `d`, suspending between sections and every kStepElements
    // elements of a loop (a section's copy and bounds check run whole).
    static Steps read_steps(const Reader& in, Dataset& d, const std::string& source) {
        while (!in.arrived("tenant.")) co_yield 0;
        std::vector<int64_t> numbers = in.column<int64_t>("tenant.numbers");
        if (numbers.size() < 10) in.count_mismatch("tenant.numbers", numbers.size(), 10);
        d.now = numbers[0];
        if (numbers[1] < -24 * 60 || numbers[1] > 24 * 60) in.fail("section tenant.numbers", "tz_offset_minutes out of range");
        d.enterprise.tz_offset_minutes = static_cast<int>(numbers[1]);
        d.enterprise.verified = numbers[2] != 0;
        d.earliest_time = numbers[3];
        d.latest_time = numbers[4];
        d.unmatched_deliveries = numbers[5];
        d.unmatched_not_interested = numbers[6];
        d.total_deliveries = numbers[7];
        d.total_not_interested = numbers[8];
        d.groups.unmatched_deliveries = numbers[9];
        StringPool text = in.pool("tenant.text", 2);
        d.enterprise.corp_name = std::string(text[0]);
        d.enterprise.industry = std::string(text[1]);

        while (!in.arrived("department.")) co_yield 0;
        std::vector<int64_t> dep_id = in.column<int64_t>("department.id");
        const uint64_t D = dep_id.size();
        std::vector<int64_t> dep_parentid = in.column<int64_t>("department.parentid", D);
        std::vector<uint32_t> dep_parent = in.column<uint32_t>("department.parent", D);
        in.check_below("department.parent", dep_parent, D, kNone);
        StringPool dep_name = in.pool("department.name", D);
        d.departments.resize(D);
        for (size_t i = 0; i < D; ++i) {
            Department& dep = d.departments[i];
            dep.id = dep_id[i];
            dep.parentid = dep_parentid[i];
            dep.parent = dep_parent[i];
            dep.name = std::string(dep_name[static_cast<uint32_t>(i)]);
        }
        if (index_departments(d) != kNone)
            in.fail("section department.parent", "a department is its own ancestor (a cycle of parents)");
        co_yield 0;

        while (!in.arrived("employee.")) co_yield 0;
        d.employee_index = in.interner("employee.userid");
        const uint64_t E = d.employee_index.size();
        StringPool emp_name = in.pool("employee.name", E);
        std::vector<uint8_t> emp_flags = in.column<uint8_t>("employee.flags", E);
        std::vector<uint32_t> emp_deps = in.column<uint32_t>("employee.departments");
        in.check_below("employee.departments", emp_deps, D);
        std::vector<uint32_t> emp_dep_begin = in.column<uint32_t>("employee.department_begin");
        in.check_offsets("employee.department_begin", emp_dep_begin, E, emp_deps.size());
        d.employees.resize(E);
        for (uint32_t i = 0; i < E; ++i) {
            Employee& emp = d.employees[i];
            emp.userid = std::string(d.employee_index[i]);
            emp.name = std::string(emp_name[i]);
            emp.active = emp_flags[i] & 1;
            emp.moments_enabled = emp_flags[i] & 2;
            emp.departments.assign(emp_deps.begin() + emp_dep_begin[i], emp_deps.begin() + emp_dep_begin[i + 1]);
            if (step_boundary(i)) co_yield 0;
        }
        co_yield 0;

        while (!in.arrived("tag.")) co_yield 0;
        while (!in.arrived("tag_group.")) co_yield 0;
        d.tag_index = in.interner("tag.id");
        const uint64_t T = d.tag_index.size();
        StringPool tag_name = in.pool("tag.name", T);
        std::vector<uint32_t> tag_group = in.column<uint32_t>("tag.group", T);
        StringPool group_id = in.pool("tag_group.id");
        const uint64_t G = group_id.size();
        StringPool group_name = in.pool("tag_group.name", G);
        in.check_below("tag.group", tag_group, G);
        std::vector<uint32_t> group_tags = in.column<uint32_t>("tag_group.tags");
        in.check_below("tag_group.tags", group_tags, T);
        std::vector<uint32_t> group_begin = in.column<uint32_t>("tag_group.tag_begin");
        in.check_offsets("tag_group.tag_begin", group_begin, G, group_tags.size());
        d.tags.resize(T);
        for (uint32_t i = 0; i < T; ++i) d.tags[i] = {std::string(d.tag_index[i]), std::string(tag_name[i]), tag_group[i]};
        d.tag_groups.resize(G);
        for (uint32_t g = 0; g < G; ++g) {
            d.tag_groups[g].group_id = std::string(group_id[g]);
            d.tag_groups[g].name = std::string(group_name[g]);
            d.tag_groups[g].tags.assign(group_tags.begin() + group_begin[g], group_tags.begin() + group_begin[g + 1]);
        }
        co_yield 0;

        while (!in.arrived("past_campaign.")) co_yield 0;
        StringPool past_id = in.pool("past_campaign.id");
        const uint64_t P = past_id.size();
        std::vector<uint8_t> past_flags = in.column<uint8_t>("past_campaign.flags", P);
        std::vector<int64_t> past_first = in.column<int64_t>("past_campaign.first_time", P);
        std::vector<int64_t> past_last = in.column<int64_t>("past_campaign.last_time", P);
        std::vector<int64_t> past_deliveries = in.column<int64_t>("past_campaign.deliveries", P);
        std::vector<int64_t> past_matched = in.column<int64_t>("past_campaign.matched", P);
        d.past_campaigns.resize(P);
        for (uint32_t i = 0; i < P; ++i) {
            PastCampaign& p = d.past_campaigns[i];
            p.id = std::string(past_id[i]);
            if ((past_flags[i] & 3) > uint8_t(Kind::GroupSend) || past_flags[i] > 7)
                in.fail("section past_campaign.flags",
                        "element " + std::to_string(i) + " is " + std::to_string(past_flags[i]) + ", not a kind and origin");
            p.kind = Kind(past_flags[i] & 3);
            p.origin = Origin((past_flags[i] >> 2) & 1);
            p.first_time = past_first[i];
            p.last_time = past_last[i];
            p.deliveries = past_deliveries[i];
            p.customers_matched = past_matched[i];
        }
        co_yield 0;

        while (!in.arrived("customer.id.")) co_yield 0;
        d.customer_ids = in.interner("customer.id");
        co_yield 0;
        const uint64_t N = d.customer_ids.size();
        while (!in.arrived("customer.name.")) co_yield 0;
        d.customer_names = in.pool("customer.name", N);
        co_yield 0;
        while (!in.arrived("customer.")) co_yield 0;
        d.gender = in.column<uint8_t>("customer.gender", N);
        in.check_below("customer.gender", d.gender, 3);
        d.by_external_userid = in.column<uint32_t>("customer.by_external_userid", N);
        {
            std::vector<uint8_t> seen(N, 0);
            for (uint64_t i = 0; i < N; ++i) {
                const uint32_t c = d.by_external_userid[i];
                if (c >= N || seen[c]) in.fail("section customer.by_external_userid", "is not an order of the customers");
                seen[c] = 1;
                if (step_boundary(i)) co_yield 0;
            }
        }
        d.customer_tags = in.column<uint32_t>("customer.tags");
        in.check_below("customer.tags", d.customer_tags, T);
        co_yield 0;
        d.tag_begin = in.column<uint32_t>("customer.tag_begin");
        in.check_offsets("customer.tag_begin", d.tag_begin, N, d.customer_tags.size());
        co_yield 0;

        while (!in.arrived("relation.")) co_yield 0;
        d.relation_begin = in.column<uint32_t>("relation.begin");
        if (d.relation_begin.empty()) in.count_mismatch("relation.begin", 0, N + 1);
        const uint64_t R = d.relation_begin.back();
        in.check_offsets("relation.begin", d.relation_begin, N, R);
        co_yield 0;
        const auto createtime = in.cells<int64_t>("relation.createtime", R);
        co_yield 0;
        const auto last_chat = in.cells<int64_t>("relation.last_chat_time", R);
        co_yield 0;
        const auto rel_employee = in.cells<uint32_t>("relation.employee", R);
        in.check_below("relation.employee", rel_employee, E);
        co_yield 0;
        const auto rel_flags = in.cells<uint8_t>("relation.flags", R);
        const auto tag_count = in.cells<uint16_t>("relation.tag_count", R);
        const auto state = in.cells<uint32_t>("relation.state", R);
        co_yield 0;
        d.relation_tags = in.column<uint32_t>("relation.tags");
        in.check_below("relation.tags", d.relation_tags, T);
        co_yield 0;
        d.relations.resize(R);
        d.relation_sender.resize(R);
        uint64_t tags_at = 0;
        for (size_t i = 0; i < R; ++i) {
            Relation& rel = d.relations[i];
            rel.createtime = createtime[i];
            rel.last_chat_time = last_chat[i];
            rel.employee = rel_employee[i];
            rel.tags_begin = static_cast<uint32_t>(tags_at);
            rel.tag_count = tag_count[i];
            rel.deleted = rel_flags[i] & 1;
            rel.has_last_chat = rel_flags[i] & 2;
            rel.state = state[i];
            tags_at += tag_count[i];
            d.relation_sender[i] = rel.employee | (rel.deleted ? Dataset::kRelationDeleted : 0);
            if (step_boundary(i)) co_yield 0;
        }
        if (tags_at != d.relation_tags.size()) in.count_mismatch("relation.tags", d.relation_tags.size(), tags_at);
        for (const char* name :
             {"relation.createtime", "relation.last_chat_time", "relation.employee", "relation.flags", "relation.tag_count"})
            in.release(name);

        while (!in.arrived("attribute.name.")) co_yield 0;
        while (!in.arrived("attribute.dense")) co_yield 0;
        while (!in.arrived("strings.")) co_yield 0;
        d.attribute_names = in.interner("attribute.name");
        std::vector<uint8_t> dense = in.column<uint8_t>("attribute.dense", d.attribute_names.size());
        d.strings = in.interner("strings");
        in.check_below("relation.state", state, d.strings.size(), kNone);
        in.release("relation.state");
        d.attributes.resize(dense.size());
        co_yield 0;
        for (size_t k = 0; k < dense.size(); ++k) {
            while (!in.arrived("attribute." + std::to_string(k) + ".")) co_yield 0;
            in.attribute(d.attributes[k], "attribute." + std::to_string(k), dense[k], static_cast<uint32_t>(N), d.strings.size());
            co_yield 0;
        }

        for (Steps ledger = read_deliveries(in, "delivery", d.deliveries, d.delivery_campaign, d.delivery_begin, N, E, P, false);
             ledger.next();)
            co_yield 0;

        while (!in.arrived("not_interested.")) co_yield 0;
        std::vector<int64_t> ni_time = in.column<int64_t>("not_interested.time");
        std::vector<uint32_t> ni_employee = in.column<uint32_t>("not_interested.employee", ni_time.size());
        in.check_below("not_interested.employee", ni_employee, E);
        d.not_interested_begin = in.column<uint32_t>("not_interested.begin");
        in.check_offsets("not_interested.begin", d.not_interested_begin, N, ni_time.size());
        d.not_interested.resize(ni_time.size());
        for (size_t i = 0; i < ni_time.size(); ++i) d.not_interested[i] = {ni_time[i], ni_employee[i]};

        co_yield 0;
        for (Steps groups = read_groups(in, d); groups.next();) co_yield 0;

        // Last: the scheduled campaigns, as strictly as in a JSON dataset (their chat_list names groups).
        while (!in.arrived("scheduled.json")) co_yield 0;
        while (!in.arrived("attribute_meta.json")) co_yield 0;
        std::vector<uint8_t> scheduled = in.column<uint8_t>("scheduled.json");
        d.scheduled_json.assign(reinterpret_cast<const char*>(scheduled.data()), scheduled.size());
        {
            const std::string where = source + " (section scheduled.json)";
            JsonReader json(d.scheduled_json, where);
            d.scheduled = read_scheduled_campaigns(json);
            json.expect_end();
            check_scheduled_names(d, where);
        }
        if (in.has("attribute_meta.json")) {
            std::vector<uint8_t> meta = in.column<uint8_t>("attribute_meta.json");
            d.attribute_meta_json.assign(reinterpret_cast<const char*>(meta.data()), meta.size());
            JsonReader json(d.attribute_meta_json, source + " (section attribute_meta.json)");
            d.attribute_meta = read_attribute_meta(json);
            json.expect_end();
        }
        // A streamed file is used only once every byte has come and every checksum held.
        while (!in.complete()) co_yield 0;
    }
};

bool is_snapshot(std::string_view bytes) {
    return bytes.size() >= sizeof kSnapshotMagic && std::memcmp(bytes.data(), kSnapshotMagic, sizeof kSnapshotMagic) == 0;
}

void write_snapshot(const Dataset& data, std::ostream& out) { SnapshotCodec::write(data, out); }

std::string snapshot_bytes(const Dataset& data) {
    std::ostringstream out;
    write_snapshot(data, out);
    return std::move(out).str();
}

struct SnapshotLoad::Impl {
    Impl(std::string_view bytes, std::string source_name, SnapshotRelease release, bool verify_first)
        : source(std::move(source_name)),
          in(bytes, source, std::move(release)),
          verify(verify_first ? std::optional<Steps>(in.verify_steps()) : std::nullopt),
          read(SnapshotCodec::read_steps(in, data, source)) {}
    explicit Impl(std::string source_name)
        : source(std::move(source_name)), in(source), read(SnapshotCodec::read_steps(in, data, source)) {}
    std::string source;
    SnapshotCodec::Reader in;
    Dataset data;
    std::optional<Steps> verify;
    Steps read;
    bool done = false;
    bool needs_bytes = false;
};

SnapshotLoad::SnapshotLoad(std::string_view bytes, std::string source, SnapshotRelease release, bool verify_first)
    : impl_(std::make_unique<Impl>(bytes, std::move(source), std::move(release), verify_first)) {}
SnapshotLoad::SnapshotLoad(Streamed, std::string source, uint64_t memory_limit)
    : impl_(std::make_unique<Impl>(std::move(source))) {
    impl_->in.set_memory_limit(memory_limit);
}
SnapshotLoad::~SnapshotLoad() = default;

void SnapshotLoad::feed(const char* bytes, size_t size) {
    impl_->in.feed(bytes, size);
    impl_->needs_bytes = false;
}

void SnapshotLoad::end_input() {
    impl_->in.end_input();
    impl_->needs_bytes = false;
}

bool SnapshotLoad::needs_bytes() const { return impl_->needs_bytes; }

bool SnapshotLoad::step(double budget_ms) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::duration<double, std::milli>(budget_ms);
    Impl& s = *impl_;
    while (!s.done && !s.needs_bytes) {
        if (s.verify && !s.verify->next()) s.verify.reset();
        else if (!s.verify && !s.read.next()) s.done = true;
        else if (!s.verify && s.in.take_waiting()) s.needs_bytes = true;
        if (Clock::now() >= deadline) break;
    }
    return s.done;
}

double SnapshotLoad::progress() const {
    const Impl& s = *impl_;
    const uint64_t payload = s.in.payload_bytes();
    if (s.done || payload == 0) return s.done ? 1.0 : 0.0;
    // Verifying and copying cost about the same per byte: each is half of a sliced load.
    const double halves = s.verify || s.in.verified_bytes() > 0 ? 2.0 : 1.0;
    return std::min(1.0, double(s.in.verified_bytes() + s.in.consumed_bytes()) / (halves * double(payload)));
}

Dataset SnapshotLoad::take() {
    if (!impl_->done) throw std::logic_error("SnapshotLoad::take before the load is complete");
    return std::move(impl_->data);
}

SnapshotMemory SnapshotLoad::memory() const { return impl_->in.memory(); }

SnapshotMemory estimate_snapshot_memory(std::string_view bytes, const std::string& source) {
    return SnapshotCodec::Reader(bytes, source, {}).memory();
}

Dataset read_snapshot(std::string_view bytes, const std::string& source, const SnapshotRelease& release) {
    // One pass: each section verified as it is copied, then its pages released (peak memory).
    SnapshotLoad load(bytes, source, release, false);
    load.step(std::numeric_limits<double>::infinity());
    return load.take();
}

}  // namespace rl
