#pragma once
// Pictures for the dashboard: images the marketer picks from disk, decoded by the browser
// and uploaded as WebGL textures (real thumbnails), video duration read from the file,
// and placeholder covers for attachments known only by name. Used by the composer's
// attachment list and the customer's-eye view.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "imgui.h"

namespace rl::ui {

struct AppState;

struct MediaTexture {
    ImTextureID texture = 0;  // 0: not decoded (draw a placeholder)
    int width = 0, height = 0;
};

// One attachment's upload to {apiBase}/media (web/upload.js reports it through
// rl_upload_state). state: uploading | done | failed | waiting (no server: the file is
// kept in the browser and goes up when the submission is sent or retried).
struct UploadState {
    std::string name, kind, state, media, error, message;  // message: web/upload.js's English (logs)
    nlohmann::json params;  // the failure's parameters (name, bytes, limit, type, status, code)
    int64_t loaded = 0, total = 0;
};

struct MediaState {
    std::map<std::string, MediaTexture> textures;  // by attachment name
    std::map<std::string, UploadState> uploads;  // by the attachment's upload_id
    bool picking = false;  // a file dialog is open, or picked files are still being read
    int batch_left = 0;  // files of the current selection or drop not reported yet
    // The last pick's failures as reported (web/media.js's "code\tfile name\tdetail", one per
    // file of a batch), worded when drawn (media_errors_text) so a language switch rewords them.
    std::vector<std::string> errors;
    int64_t added = 0, failures = 0;  // picks added to the draft / refused
    int64_t drawn_textured = 0, drawn_placeholders = 0;  // covers drawn so far (tests)
};

// A file the page read for us (web/media.js through rl_media_add): the attachment's facts
// and a downscaled RGBA thumbnail (the image itself, or a video's cover frame).
struct PickedMedia {
    std::string msgtype = "image";  // the attachment's kind: image, video or file
    std::string name;
    int64_t bytes = 0;
    int64_t width = 0, height = 0;  // image: the real pixel size
    double seconds = 0;  // video: duration
    int thumb_width = 0, thumb_height = 0;
    std::vector<uint8_t> rgba;  // thumb_width * thumb_height * 4
    std::string upload_id;  // web/upload.js's id for this file's upload (kept on the attachment)
};

// Opens the browser's file picker for an attachment of `msgtype` (image, video or file);
// the picked file is added to the draft's content.attachments with its real
// bytes/size/duration (asynchronously) and starts uploading.
void pick_media_file(AppState& s, const char* msgtype);

// The page's answers to pick_media_file (src/app/api_media.cpp): a file to add (uploads
// the thumbnail texture, appends the attachment to the draft document, recomputes), a
// failure shown as a message (the draft is unchanged), or a cancelled dialog.
bool media_add_picked(AppState& s, const PickedMedia& picked, double now_seconds);
void media_pick_failed(AppState& s, const std::string& what);  // a failure as reported (media_error_text)
// web/media.js's failure "code\tfile name\tdetail" in words (the UI language), naming the file;
// the app's own codes too (no_draft, no_name, no_picker, unsupported_type with the type as detail).
std::string media_error_text(const std::string& what);
// The last pick's failures in words, one a line ("" when none).
std::string media_errors_text(const MediaState& m);
void media_pick_cancelled(AppState& s);
// The page starts reading `files` files picked or dropped together: each then comes as
// media_add_picked or media_pick_failed, in order; the messages of all failures are kept.
void media_batch_started(AppState& s, int files);

// web/upload.js's report on one upload (JSON, see UploadState). When it is done, the
// returned `media` id is stored on every draft attachment with that upload_id.
void media_upload_update(AppState& s, const std::string& report_json, double now_seconds);
// The upload line under an image/video/file attachment: progress, done (with the media
// id), waiting, or the error with a retry button.
void draw_upload_status(AppState& s, const nlohmann::ordered_json& attachment_body, const std::string& item_id);
// Why the draft cannot be submitted yet because of its uploads (UI language), or "".
// *failed (when given): the reason is a failed upload rather than one still going.
std::string uploads_blocking_submit(const AppState& s, bool* failed = nullptr);
nlohmann::ordered_json uploads_state_json(const AppState& s);
// One attachment body's upload state in words (UI language): "已上传 · media:1a2b3c4d…",
// "上传中 40%", "等待服务器", "上传失败：…", or "未上传" (for the confirmation).
std::string upload_state_text(const AppState& s, const nlohmann::ordered_json& attachment_body);
// Every image/video/file attachment of the draft, one line each, numbered as the cards
// count them: "2 · 文件 价目表.pdf：已上传 · media:1a2b3c4d…" (for the confirmation).
std::vector<std::string> attachment_upload_lines(const AppState& s);
// A failed upload in full, worded by its code in the UI's language (the catalogue's
// "upload.<code>" / "server.<code>" with the page's parameters).
std::string upload_failure_text(const UploadState& u);
// A media id as a card shows it: "media:" and its first 8 hex digits, "…" (the full id in a tooltip).
std::string short_media_id(const std::string& media);

// "Add image" / "Add video" buttons with the reading state and the last error (for the composer).
void draw_media_picker(AppState& s);

// A cover for an attachment name in [p0, p1]: its real thumbnail (cover-cropped, rounded,
// through the shaders/rounded_image program) or a placeholder (colour from the name, the
// kind's glyph, the name). `type`: image, video, file, ...
void draw_media_cover(AppState& s, ImDrawList* dl, const std::string& name, const std::string& type, ImVec2 p0, ImVec2 p1,
                      float radius);

// Draws attachment `index` of the draft as a thumbnail of `size` (cover-cropped, rounded).
void draw_attachment_thumbnail(AppState& s, int index, ImVec2 size);

// The texture for an attachment name, or a zero texture when it has none.
const MediaTexture* media_texture(const AppState& s, const std::string& name);

// What the panel shows, for the host and the tests (rl_panel_json("media")).
nlohmann::ordered_json media_state_json(const AppState& s);

}  // namespace rl::ui
