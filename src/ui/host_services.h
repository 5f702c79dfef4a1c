#pragma once
// What the panels ask of whoever runs them: the one door from src/ui to the outside.
// The browser app (src/app/web_host.cpp) fills it in with page calls (src/platform) and
// WebGL; a native test or a future desktop shell can fill it in differently. The panels
// never include a platform header. The clipboard is not here: ImGui's own
// Get/SetClipboardText go through the hooks the app installs (ImGuiPlatformIO).
//
// Every default does nothing (or says "cannot"), which is what a page without the
// matching script does too.
#include <cstdint>
#include <string>

#include "imgui.h"

namespace rl::ui {

class HostServices {
public:
    virtual ~HostServices() = default;

    // A file download (the customer table's CSV export).
    virtual void download_file(const std::string& file_name, const std::string& mime_type, const std::string& data) {
        (void)file_name, (void)mime_type, (void)data;
    }

    // Drafts kept by the host (the browser's localStorage): write / remove one entry.
    virtual void storage_save(const std::string& id, const std::string& entry_json) { (void)id, (void)entry_json; }
    virtual void storage_delete(const std::string& id) { (void)id; }
    // Writes the queued entries now (a submission record must be kept before the POST).
    virtual void storage_flush() {}

    // Datasets read by the host: its file picker, a URL, the bundled demo tenant, cancel the
    // running read. The bytes come back through the app (rl_data_*).
    virtual void data_open_file_picker() {}
    virtual void data_load_url(const std::string& url) { (void)url; }
    virtual void data_load_demo() {}
    virtual void data_cancel() {}

    // Opens the host's file picker for an attachment of `msgtype` (image, video or file);
    // false when it has none. The file comes back through the app (rl_media_add, rl_media_add_file).
    virtual bool pick_media(const char* msgtype) {
        (void)msgtype;
        return false;
    }
    // Uploads an attachment's file again (the upload reports back through rl_upload_state);
    // false when the host cannot upload.
    virtual bool retry_upload(const std::string& upload_id) {
        (void)upload_id;
        return false;
    }

    // Opens the host's file picker for WeCom's results (reachlens.results/1); false when it
    // has none. The file's text comes back through the app (rl_set_results_file).
    virtual bool pick_results_file() { return false; }
    // Asks the server for the results stored for accepted campaign `server_id` (GET
    // {apiBase}/campaigns/<id>/results); false when there is no server to ask. The answer
    // comes back through the app (rl_stored_results).
    virtual bool fetch_stored_results(const std::string& server_id) {
        (void)server_id;
        return false;
    }

    // Submitting: POST `payload` with this Idempotency-Key; false when nothing was sent.
    // The answer comes back through the app (rl_submit_done).
    virtual bool submit_campaign(const std::string& payload, const std::string& key) {
        (void)payload, (void)key;
        return false;
    }
    // The outbox of submissions the host keeps: remove one, download all, send all again.
    virtual void outbox_remove(const std::string& id) { (void)id; }
    virtual void outbox_download() {}
    virtual void outbox_retry() {}

    // Image textures. Upload an RGBA image (replacing `existing` when it is not 0); 0 when
    // the host has no GPU.
    virtual ImTextureID upload_rgba_texture(ImTextureID existing, int width, int height, const uint8_t* rgba) {
        (void)existing, (void)width, (void)height, (void)rgba;
        return 0;
    }
    // Draws `texture` into [p0, p1] through the host's rounded-image shader: the uv window
    // `crop` = {u0, v0, u_size, v_size}, corners of `radius`. False when the host has no
    // such shader (the caller then draws ImDrawList::AddImageRounded).
    virtual bool add_rounded_image(ImDrawList* dl, ImTextureID texture, ImVec2 p0, ImVec2 p1, float radius, const float crop[4]) {
        (void)dl, (void)texture, (void)p0, (void)p1, (void)radius, (void)crop;
        return false;
    }
    // The shader's state for the tests: "unused" (not tried yet), "rounded_image" or
    // "fallback" (then *error says why).
    virtual std::string rounded_image_status(std::string* error) const {
        (void)error;
        return "unused";
    }

    // Hosts nothing: the defaults above.
    static HostServices& none() {
        static HostServices instance;
        return instance;
    }
};

}  // namespace rl::ui
