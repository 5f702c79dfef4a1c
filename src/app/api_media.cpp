// Page → C++ half of picking media (web/media.js decodes the file in the browser; see
// src/ui/media.h):
//   void rl_media_pick(int kind)                   open the file picker (as the composer's buttons do)
//                                                  for an image (0), a video (1) or a file (2)
//   void rl_media_add(int video, const char* name, double bytes, int width, int height,
//                     double seconds, const uint8_t* rgba, int thumb_width, int thumb_height,
//                     const char* upload_id)
//                                                  a decoded file: thumbnail texture + draft attachment
//   void rl_media_add_file(const char* name, double bytes, const char* upload_id)
//                                                  a picked file attachment (msgtype file: no decoding)
//   void rl_media_error(const char* what)          "code\tfile name\tdetail": the file could not be
//                                                  used (shown in the UI language, draft unchanged)
//   void rl_media_batch(int files)                 `files` picked or dropped files follow, in order
//   void rl_media_cancel(void)                     the dialog was closed without a file
//   int  rl_show_customer(const char* external_userid)  open the customer's-eye view on that
//                                                  customer (0 when unknown); for hosts and tests
#include <emscripten.h>

#include <cstdint>
#include <exception>
#include <string>

#include "app/app.h"
#include "ui/customer_view.h"
#include "ui/media.h"

using rl::app::app;

namespace {
// An unexpected failure while adding a picked file, reported as web/media.js reports its own
// (code, file, detail) so that it is worded in the UI's language.
void picked_failed(const rl::ui::PickedMedia& m, const std::exception& e) {
    rl::ui::media_pick_failed(app().state, "read_failed\t" + m.name + "\t" + e.what());
}
}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void rl_media_pick(int kind) {
    rl::ui::pick_media_file(app().state, kind == 2 ? "file" : kind == 1 ? "video" : "image");
    rl::app::wake();
}

EMSCRIPTEN_KEEPALIVE void rl_media_add(int video, const char* name, double bytes, int width, int height, double seconds,
                                       const uint8_t* rgba, int thumb_width, int thumb_height, const char* upload_id) {
    rl::ui::PickedMedia m;
    m.msgtype = video != 0 ? "video" : "image";
    m.name = name ? name : "";
    m.bytes = static_cast<int64_t>(bytes);
    m.width = width;
    m.height = height;
    m.seconds = seconds;
    m.upload_id = upload_id ? upload_id : "";
    if (rgba && thumb_width > 0 && thumb_height > 0) {
        m.thumb_width = thumb_width;
        m.thumb_height = thumb_height;
        m.rgba.assign(rgba, rgba + static_cast<size_t>(thumb_width) * thumb_height * 4);
    }
    try {
        rl::ui::media_add_picked(app().state, m, rl::app::now_seconds());
    } catch (const std::exception& e) { picked_failed(m, e); }
    rl::app::wake();
}

EMSCRIPTEN_KEEPALIVE void rl_media_add_file(const char* name, double bytes, const char* upload_id) {
    rl::ui::PickedMedia m;
    m.msgtype = "file";
    m.name = name ? name : "";
    m.bytes = static_cast<int64_t>(bytes);
    m.upload_id = upload_id ? upload_id : "";
    try {
        rl::ui::media_add_picked(app().state, m, rl::app::now_seconds());
    } catch (const std::exception& e) { picked_failed(m, e); }
    rl::app::wake();
}

// web/upload.js's report on one upload (see rl::ui::UploadState).
EMSCRIPTEN_KEEPALIVE void rl_upload_state(const char* report_json) {
    rl::ui::media_upload_update(app().state, report_json ? report_json : "", rl::app::now_seconds());
    rl::app::wake();
}

EMSCRIPTEN_KEEPALIVE void rl_media_error(const char* what) {
    rl::ui::media_pick_failed(app().state, what ? what : "");
    rl::app::wake();
}

EMSCRIPTEN_KEEPALIVE void rl_media_batch(int files) {
    rl::ui::media_batch_started(app().state, files);
    rl::app::wake();
}

EMSCRIPTEN_KEEPALIVE void rl_media_cancel() {
    rl::ui::media_pick_cancelled(app().state);
    rl::app::wake();
}

EMSCRIPTEN_KEEPALIVE int rl_show_customer(const char* external_userid) {
    const rl::Dataset* d = app().state.ws.dataset();
    if (!d || !external_userid) return 0;
    const uint32_t c = d->customer_ids.find(external_userid);
    if (c >= d->customer_count()) return 0;
    rl::ui::show_customer(app().state, c);
    rl::app::wake();
    return 1;
}

}  // extern "C"
