#pragma once
// The binary snapshot of a tenant (docs/snapshot.md): the loaded Dataset's columns, written
// as named little-endian sections with an XXH64 checksum each, so a million customers load
// in a copy of their columns instead of a parse. JSON stays the interchange format.
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "core/model/dataset.h"

namespace rl {

constexpr char kSnapshotMagic[8] = {'R', 'L', 'S', 'N', 'A', 'P', '\r', '\n'};
// 2: customer groups (groupchat.*), and a delivery's kind in 2 bits (group_send), so a
// version-1 file would read group campaigns wrong: it is refused, to be written again.
// 3: the table of sections follows the header (it was at the end), so a reader given the
// bytes in order knows every section first (a streamed load in the page).
constexpr uint32_t kSnapshotVersion = 3;

// True when `bytes` starts with the snapshot magic (a JSON document cannot).
bool is_snapshot(std::string_view bytes);

// Writes `data` as a snapshot; `out` must be seekable (the header is written last).
void write_snapshot(const Dataset& data, std::ostream& out);
std::string snapshot_bytes(const Dataset& data);

// What loading a snapshot takes, estimated from its table of sections alone: the model's
// bytes (Dataset::memory_bytes(), within a few percent; attribute cells counted at 8 bytes,
// an upper bound) and the most a streamed load holds at once (the model plus the largest
// section buffered whole beside it; the ledgers' columns are taken as they arrive instead).
struct SnapshotMemory {
    uint64_t model = 0, peak = 0;
};
// From a whole file (its header and table checked; throws InputError as read_snapshot does).
SnapshotMemory estimate_snapshot_memory(std::string_view bytes, const std::string& source);

// Told when the reader is done with bytes [offset, offset + size) of the snapshot, so a
// mapped file can give those pages back while the rest loads (peak memory).
using SnapshotRelease = std::function<void(uint64_t offset, uint64_t size)>;

// Reads a snapshot, checking the header, every section's checksum and every index and
// offset before anything is used. Throws InputError (pointer: the section's name) when it
// is corrupt, truncated or of another version; a Dataset is returned only whole.
Dataset read_snapshot(std::string_view bytes, const std::string& source, const SnapshotRelease& release = {});

// The same read a slice at a time, so a page stays responsive while a big tenant loads
// (web/data.js): with `verify_first`, every section's checksum is verified (4 MB per step)
// before anything is copied; then the columns are copied and checked, suspending every 64k
// elements of a loop (one section's copy and bounds check run whole). `bytes` must outlive
// it. The constructor checks the header and table of sections; it and step() throw
// InputError as read_snapshot does.
//
// Streamed (SnapshotLoad(kStreamed, source)): the file's bytes come in order by feed(), in
// pieces of any size, and never all at once: each section is buffered from its first byte
// until the reader has copied it, its checksum verified as it fills, and the tenant is
// handed over (take()) only once every byte has come and every checksum held. step()
// returns false with needs_bytes() when it waits for more; end_input() says none will
// come (a short file is refused there). feed() and end_input() throw InputError too.
class SnapshotLoad {
public:
    SnapshotLoad(std::string_view bytes, std::string source, SnapshotRelease release = {}, bool verify_first = true);
    struct Streamed {};
    static constexpr Streamed kStreamed{};
    // `memory_limit`: a file whose estimated peak (SnapshotMemory) is larger is refused as
    // soon as its table of sections has come (snapshot.too_big), before any section is held.
    SnapshotLoad(Streamed, std::string source, uint64_t memory_limit = UINT64_MAX);
    void feed(const char* bytes, size_t size);
    void end_input();
    bool needs_bytes() const;
    ~SnapshotLoad();
    SnapshotLoad(const SnapshotLoad&) = delete;
    SnapshotLoad& operator=(const SnapshotLoad&) = delete;
    // Works until done or `budget_ms` has passed (checked between steps); true when complete.
    bool step(double budget_ms);
    double progress() const;  // 0..1 of the bytes verified and read
    SnapshotMemory memory() const;  // once the table of sections has come (all zero before)
    Dataset take();  // the tenant, once step() returned true

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rl
