#pragma once
// The outbox's page half (web/outbox.js), as the UI calls it. The list itself comes the
// other way, through rl_outbox_set (src/platform/outbox_web.cpp).
#include <string>

namespace rl::web {

void outbox_remove(const std::string& id);  // deletes one entry (by its id = Idempotency-Key)
void outbox_download();                     // all entries as one JSON file (a Blob download)
void outbox_retry();                        // sends every entry again; accepted ones leave

}  // namespace rl::web
