#include "core/model/contract_keys.h"

namespace rl {

// The keys are string literals, so each view's data() is a terminated C string.
const char* kind_name(Kind k) { return key_of(kKindKeys, k).data(); }
const char* origin_name(Origin o) { return key_of(kOriginKeys, o).data(); }
const char* attachment_type_name(Attachment::Type t) { return key_of(kAttachmentTypeKeys, t).data(); }
const char* window_name(Window w) { return key_of(kWindowKeys, w).data(); }
const char* multi_sender_name(MultiSender m) { return key_of(kMultiSenderKeys, m).data(); }

}  // namespace rl
