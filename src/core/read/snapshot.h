#pragma once
// The binary snapshot of a tenant (docs/snapshot.md): the loaded Dataset's columns, written
// as named little-endian sections with an XXH64 checksum each, so a million customers load
// in a copy of their columns instead of a parse. JSON stays the interchange format.
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/model/dataset.h"

namespace rl {

constexpr char kSnapshotMagic[8] = {'R', 'L', 'S', 'N', 'A', 'P', '\r', '\n'};
// 2: customer groups (groupchat.*), and a delivery's kind in 2 bits (group_send), so a
// version-1 file would read group campaigns wrong: it is refused, to be written again.
constexpr uint32_t kSnapshotVersion = 2;

// True when `bytes` starts with the snapshot magic (a JSON document cannot).
bool is_snapshot(std::string_view bytes);

// Writes `data` as a snapshot; `out` must be seekable (the header is written last).
void write_snapshot(const Dataset& data, std::ostream& out);
std::string snapshot_bytes(const Dataset& data);

// Told when the reader is done with bytes [offset, offset + size) of the snapshot, so a
// mapped file can give those pages back while the rest loads (peak memory).
using SnapshotRelease = std::function<void(uint64_t offset, uint64_t size)>;

// Reads a snapshot, checking the header, every section's checksum and every index and
// offset before anything is used. Throws InputError (pointer: the section's name) when it
// is corrupt, truncated or of another version; a Dataset is returned only whole.
Dataset read_snapshot(std::string_view bytes, const std::string& source, const SnapshotRelease& release = {});

}  // namespace rl
