#include "ui/media.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/app_state.h"
#include "ui/dashboard.h"
#include "ui/i18n.h"
#include "ui/test_hooks.h"
#include "ui/widgets.h"

namespace rl::ui {

namespace {

// The centred part of a w×h image that fills a box of this aspect: uv offset and scale.
void cover_crop(float image_w, float image_h, float box_w, float box_h, float out[4]) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 1;
    out[3] = 1;
    if (image_w <= 0 || image_h <= 0 || box_w <= 0 || box_h <= 0) return;
    const float image_aspect = image_w / image_h, box_aspect = box_w / box_h;
    if (image_aspect > box_aspect) {
        out[2] = box_aspect / image_aspect;
        out[0] = (1 - out[2]) * 0.5f;
    } else {
        out[3] = image_aspect / box_aspect;
        out[1] = (1 - out[3]) * 0.5f;
    }
}

// ---------------------------------------------------------------- placeholders

uint32_t name_hash(const std::string& name) {
    uint32_t h = 2166136261u;  // FNV-1a: the same name always gets the same colour
    for (unsigned char c : name) h = (h ^ c) * 16777619u;
    return h;
}

ImU32 colour_from_hash(uint32_t h, bool dark, float lightness_shift) {
    float r, g, b;
    const float hue = static_cast<float>(h % 360) / 360.0f;
    ImGui::ColorConvertHSVtoRGB(hue, dark ? 0.45f : 0.35f, std::clamp((dark ? 0.48f : 0.80f) + lightness_shift, 0.f, 1.f), r, g,
                                b);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, 1));
}

// Mountains and a sun (a picture), a play button (a video) or a folded page (a file).
void draw_glyph(ImDrawList* dl, ImVec2 c, float size, const std::string& type, ImU32 ink) {
    const float s = size;
    if (type == "video") {
        dl->AddCircleFilled(c, s * 0.5f, IM_COL32(0, 0, 0, 70));
        dl->AddCircle(c, s * 0.5f, ink, 0, std::max(1.0f, s * 0.06f));
        dl->AddTriangleFilled(ImVec2(c.x - s * 0.14f, c.y - s * 0.22f), ImVec2(c.x - s * 0.14f, c.y + s * 0.22f),
                              ImVec2(c.x + s * 0.24f, c.y), ink);
    } else if (type == "file") {
        const ImVec2 a(c.x - s * 0.32f, c.y - s * 0.42f), b(c.x + s * 0.32f, c.y + s * 0.42f);
        dl->AddRectFilled(a, b, ink, s * 0.06f);
        const ImU32 line = IM_COL32(0, 0, 0, 60);
        for (int i = 0; i < 3; ++i) {
            const float y = c.y - s * 0.12f + i * s * 0.16f;
            dl->AddLine(ImVec2(a.x + s * 0.12f, y), ImVec2(b.x - s * (i == 2 ? 0.28f : 0.12f), y), line,
                        std::max(1.0f, s * 0.05f));
        }
    } else {
        const ImVec2 a(c.x - s * 0.5f, c.y - s * 0.38f), b(c.x + s * 0.5f, c.y + s * 0.38f);
        dl->AddRect(a, b, ink, s * 0.1f, 0, std::max(1.0f, s * 0.06f));
        dl->AddCircleFilled(ImVec2(c.x + s * 0.22f, c.y - s * 0.14f), s * 0.09f, ink);
        dl->AddTriangleFilled(ImVec2(a.x + s * 0.08f, b.y - s * 0.08f), ImVec2(c.x - s * 0.14f, c.y - s * 0.08f),
                              ImVec2(c.x + s * 0.12f, b.y - s * 0.08f), ink);
        dl->AddTriangleFilled(ImVec2(c.x - s * 0.02f, b.y - s * 0.08f), ImVec2(c.x + s * 0.2f, c.y + s * 0.06f),
                              ImVec2(b.x - s * 0.08f, b.y - s * 0.08f), ink);
    }
}

// Text cut to `width` with an ellipsis (UTF-8 aware through ImGui's own measuring).
std::string ellipsize(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
    const float dots = ImGui::CalcTextSize("…").x;
    const char* begin = text.c_str();
    const char* end = begin + text.size();
    const char* cut = begin;
    ImFont* font = ImGui::GetFont();
    font->CalcTextSizeA(ImGui::GetFontSize(), std::max(0.0f, width - dots), 0.0f, begin, end, &cut);
    return std::string(begin, cut) + "…";
}

std::string attachment_name(const nlohmann::ordered_json& a, std::string* type) {
    *type = a.value("msgtype", std::string());
    const auto body = a.find(*type);
    if (body == a.end() || !body->is_object()) return {};
    for (const char* key : {"name", "title"}) {
        const auto v = body->find(key);
        if (v != body->end() && v->is_string()) return v->get<std::string>();
    }
    return {};
}

const nlohmann::ordered_json* draft_attachments(AppState& s) {
    const nlohmann::ordered_json* doc = s.ws.edit_draft();
    if (!doc) return nullptr;
    const auto content = doc->find("content");
    if (content == doc->end() || !content->is_object()) return nullptr;
    const auto list = content->find("attachments");
    if (list == content->end() || !list->is_array()) return nullptr;
    return &*list;
}

}  // namespace

// ---------------------------------------------------------------- drawing

void draw_media_cover(AppState& s, ImDrawList* dl, const std::string& name, const std::string& type, ImVec2 p0, ImVec2 p1,
                      float radius) {
    const float w = p1.x - p0.x, h = p1.y - p0.y;
    if (w <= 0 || h <= 0) return;
    const MediaTexture* tex = media_texture(s, name);
    if (tex && tex->texture) {
        float crop[4];
        cover_crop(static_cast<float>(tex->width), static_cast<float>(tex->height), w, h, crop);
        if (!s.host().add_rounded_image(dl, tex->texture, p0, p1, radius, crop))
            dl->AddImageRounded(ImTextureRef(tex->texture), p0, p1, ImVec2(crop[0], crop[1]),
                                ImVec2(crop[0] + crop[2], crop[1] + crop[3]), IM_COL32_WHITE, radius);
        ++s.media.drawn_textured;
        if (type == "video") {  // a play button over the cover frame
            const float g = std::min(w, h) * 0.32f;
            draw_glyph(dl, ImVec2(p0.x + w * 0.5f, p0.y + h * 0.5f), g, "video", IM_COL32(255, 255, 255, 235));
        }
        return;
    }
    // A placeholder: a deterministic colour per name, the kind's glyph and the name.
    const uint32_t hash = name_hash(name);
    dl->AddRectFilled(p0, p1, colour_from_hash(hash, s.dark, 0.0f), radius);
    // A lighter diagonal wash on the upper half, so it reads as a cover rather than a flat swatch.
    dl->PushClipRect(p0, ImVec2(p1.x, p0.y + h * 0.55f), true);
    dl->AddRectFilled(p0, p1, (colour_from_hash(hash, s.dark, 0.08f) & 0x00FFFFFF) | 0x90000000, radius);
    dl->PopClipRect();
    ++s.media.drawn_placeholders;
    const bool label = h >= 56 * s.dpi_scale && w >= 56 * s.dpi_scale && !name.empty();
    const float glyph = std::min(w, h) * (label ? 0.34f : 0.46f);
    const ImVec2 centre(p0.x + w * 0.5f, p0.y + h * (label ? 0.42f : 0.5f));
    draw_glyph(dl, centre, glyph, type, IM_COL32(255, 255, 255, 220));
    if (label) {
        const float pad = 6 * s.dpi_scale;
        const std::string text = ellipsize(name, w - 2 * pad);
        const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        dl->AddRectFilled(ImVec2(p0.x, p1.y - ts.y - pad), p1, IM_COL32(0, 0, 0, 70), radius, ImDrawFlags_RoundCornersBottom);
        dl->AddText(ImVec2(p0.x + (w - ts.x) * 0.5f, p1.y - ts.y - pad * 0.5f), IM_COL32(255, 255, 255, 240), text.c_str());
    }
}

void draw_attachment_thumbnail(AppState& s, int index, ImVec2 size) {
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    const nlohmann::ordered_json* list = draft_attachments(s);
    if (!list || index < 0 || index >= static_cast<int>(list->size())) return;
    std::string type;
    const std::string name = attachment_name((*list)[static_cast<size_t>(index)], &type);
    const ImVec2 p1(p0.x + size.x, p0.y + size.y);
    if (!ImGui::IsRectVisible(p0, p1)) return;
    draw_media_cover(s, ImGui::GetWindowDrawList(), name, type, p0, p1, std::min(size.x, size.y) * 0.12f);
}

void draw_media_picker(AppState& s) {
    ImGui::BeginDisabled(s.media.picking);
    if (ImGui::Button(fmt("%s###media_add_image", tx("添加图片", "Add image")).c_str())) pick_media_file(s, "image");
    ImGui::SameLine();
    if (ImGui::Button(fmt("%s###media_add_video", tx("添加视频", "Add video")).c_str())) pick_media_file(s, "video");
    ImGui::EndDisabled();
    if (s.media.picking) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tx("正在读取文件…", "Reading the file…"));
    }
    error_text(s, media_errors_text(s.media));
}

// ---------------------------------------------------------------- picking

void pick_media_file(AppState& s, const char* msgtype) {
    s.media.errors.clear();
    if (!s.host().pick_media(msgtype)) {
        s.media.errors = {"no_picker\t\t"};
        return;
    }
    s.media.picking = true;
}

// web/media.js's failure codes, in words naming the file.
std::string media_error_text(const std::string& what) {
    const size_t a = what.find('\t');
    const size_t b = a == std::string::npos ? std::string::npos : what.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) return what;
    const std::string code = what.substr(0, a), file = what.substr(a + 1, b - a - 1), detail = what.substr(b + 1);
    if (code == "no_draft") return tx("没有草稿：先新建或选择一个活动", "No draft: create or pick a campaign first");
    if (code == "no_name") return tx("文件没有名字", "The file has no name");
    if (code == "no_picker")
        return tx("此页面不能选择文件（缺少 media.js）", "This page cannot pick files (media.js is missing)");
    if (code == "unsupported_type") return fmt(tx("不支持的附件类型：%s", "Unsupported attachment type: %s"), detail.c_str());
    const char* text;
    if (code == "not_image") text = tx("不是图片", "is not an image");
    else if (code == "not_video") text = tx("不是视频", "is not a video");
    else if (code == "decode_failed") text = tx("无法解码这张图片", "could not be decoded as an image");
    else if (code == "video_failed")
        text = tx("无法读取这个视频（时长或画面）", "could not be read as a video (duration or picture)");
    else text = tx("无法读取", "could not be read");
    std::string out = "\"" + file + "\" " + text;
    // The detail: the file's type for a wrong kind; otherwise the browser's own (English)
    // reason, kept out of the Chinese text.
    const bool type_detail = code == "not_image" || code == "not_video";
    if (!detail.empty() && (type_detail || language() == Lang::En)) out += " (" + detail + ")";
    return out;
}

std::string media_errors_text(const MediaState& m) {
    std::string out;
    for (const std::string& what : m.errors) out += (out.empty() ? "" : "\n") + media_error_text(what);
    return out;
}

namespace {
// One file of a batch was reported: the picker stays busy until the last one.
// Returns whether it belonged to a batch.
bool batch_file_done(MediaState& m) {
    const bool in_batch = m.batch_left > 0;
    if (in_batch) --m.batch_left;
    m.picking = m.batch_left > 0;
    return in_batch;
}
}  // namespace

void media_batch_started(AppState& s, int files) {
    s.media.batch_left = std::max(0, files);
    s.media.picking = s.media.batch_left > 0;
    s.media.errors.clear();
}

void media_pick_failed(AppState& s, const std::string& what) {
    // Several files of one batch may fail: every report stays.
    if (!batch_file_done(s.media)) s.media.errors.clear();
    s.media.errors.push_back(what);
    ++s.media.failures;
}

void media_pick_cancelled(AppState& s) {
    s.media.picking = false;
    s.media.batch_left = 0;
}

bool media_add_picked(AppState& s, const PickedMedia& m, double now_seconds) {
    const bool in_batch = batch_file_done(s.media);
    nlohmann::ordered_json* doc = s.ws.edit_draft();
    if (!doc) {
        media_pick_failed(s, "no_draft\t\t");
        return false;
    }
    if (m.name.empty()) {
        media_pick_failed(s, "no_name\t\t");
        return false;
    }
    // The thumbnail texture (a downscaled copy; the attachment keeps the real size).
    if (!m.rgba.empty() && m.thumb_width > 0 && m.thumb_height > 0 &&
        m.rgba.size() >= static_cast<size_t>(m.thumb_width) * m.thumb_height * 4) {
        MediaTexture& t = s.media.textures[m.name];
        t.texture = s.host().upload_rgba_texture(t.texture, m.thumb_width, m.thumb_height, m.rgba.data());
        t.width = m.thumb_width;
        t.height = m.thumb_height;
    }
    nlohmann::ordered_json& content = (*doc)["content"];
    if (!content.is_object()) content = nlohmann::ordered_json::object();
    nlohmann::ordered_json& list = content["attachments"];
    if (!list.is_array()) list = nlohmann::ordered_json::array();
    nlohmann::ordered_json body = nlohmann::ordered_json::object();
    body["name"] = m.name;
    body["bytes"] = m.bytes;
    if (!m.upload_id.empty()) body["upload_id"] = m.upload_id;
    if (m.msgtype == "video") {
        body["seconds"] = std::round(m.seconds * 1000.0) / 1000.0;
    } else if (m.msgtype == "image") {
        body["width"] = m.width;
        body["height"] = m.height;
    } else if (m.msgtype != "file") {
        media_pick_failed(s, "unsupported_type\t\t" + m.msgtype);
        return false;
    }
    list.push_back({{"msgtype", m.msgtype}, {m.msgtype, body}});
    s.ws.draft_edited(now_seconds);
    if (!in_batch) s.media.errors.clear();  // a batch keeps the messages of its other files
    ++s.media.added;
    return true;
}

// ---------------------------------------------------------------- uploads

namespace {

bool is_uploaded_kind(const std::string& msgtype) { return msgtype == "image" || msgtype == "video" || msgtype == "file"; }

// Calls fn(body) for every image/video/file attachment body of the draft document.
template <class Fn>
void for_each_media_body(nlohmann::ordered_json& doc, Fn fn) {
    auto content = doc.find("content");
    if (content == doc.end() || !content->is_object()) return;
    auto list = content->find("attachments");
    if (list == content->end() || !list->is_array()) return;
    for (auto& att : *list) {
        if (!att.is_object() || !att.contains("msgtype") || !att["msgtype"].is_string()) continue;
        const std::string kind = att["msgtype"].get<std::string>();
        if (!is_uploaded_kind(kind) || !att.contains(kind) || !att[kind].is_object()) continue;
        fn(att[kind]);
    }
}

const char* upload_error_words(const std::string& code) {
    if (code == "too_large") return tx("文件超过大小上限", "the file is over the size limit");
    if (code == "wrong_type") return tx("文件类型不被接受", "the file type is not accepted");
    if (code == "storage") return tx("没有服务器，浏览器也无法保存文件", "no server, and the browser could not keep the file");
    return tx("服务器拒绝了上传", "the server refused the upload");
}

}  // namespace

void media_upload_update(AppState& s, const std::string& report_json, double now_seconds) {
    nlohmann::json r = nlohmann::json::parse(report_json, nullptr, false);
    if (!r.is_object()) return;
    const std::string id = json_string(r, "upload_id");
    if (id.empty()) return;
    UploadState& u = s.media.uploads[id];
    u.name = json_string(r, "name");
    u.kind = json_string(r, "kind");
    u.state = json_string(r, "state");
    u.media = json_string(r, "media");
    u.error = json_string(r, "error");
    u.message = json_string(r, "message");
    u.params = r.contains("params") && r["params"].is_object() ? r["params"] : nlohmann::json::object();
    u.loaded = r.value("loaded", int64_t{0});
    u.total = r.value("total", int64_t{0});
    if (u.state != "done" || u.media.empty()) return;
    nlohmann::ordered_json* doc = s.ws.edit_draft();
    if (!doc) return;
    bool changed = false;
    for_each_media_body(*doc, [&](nlohmann::ordered_json& body) {
        if (json_string(body, "upload_id") == id && json_string(body, "media") != u.media) {
            body["media"] = u.media;
            changed = true;
        }
    });
    if (changed) s.ws.draft_edited(now_seconds);
}

void draw_upload_status(AppState& s, const nlohmann::ordered_json& body, const std::string& item_id) {
    const Palette& pal = palette(s.dark);
    const std::string media = json_string(body, "media");
    const std::string upload_id = json_string(body, "upload_id");
    auto it = upload_id.empty() ? s.media.uploads.end() : s.media.uploads.find(upload_id);
    const auto uploaded = [&](const std::string& id) {
        ImGui::TextColored(pal.good, "%s · %s", tx("已上传", "Uploaded"), short_media_id(id).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("media:%s", id.c_str());
    };
    if (it == s.media.uploads.end()) {
        if (!media.empty()) uploaded(media);
        else
            ImGui::TextDisabled("%s", tx("未上传（提交时服务器会拒绝）", "Not uploaded (the server will refuse the submission)"));
        name_item(item_id, ":upload");
        return;
    }
    const UploadState& u = it->second;
    if (u.state == "uploading") {
        const float frac = u.total > 0 ? static_cast<float>(u.loaded) / static_cast<float>(u.total) : 0.0f;
        ImGui::ProgressBar(frac, ImVec2(ImGui::GetFontSize() * 10, 0),
                           fmt(tx("上传中 %d%%", "Uploading %d%%"), static_cast<int>(frac * 100)).c_str());
    } else if (!media.empty() || u.state == "done") {
        uploaded(media.empty() ? u.media : media);
    } else if (u.state == "waiting") {
        ImGui::TextColored(pal.warn, "%s",
                           tx("暂无服务器：文件已保存在浏览器中，提交或重试时上传",
                              "No server: the file is kept in this browser and uploads when sent or retried"));
    } else if (u.state == "failed") {
        ImGui::TextColored(pal.bad, "%s", fmt(tx("上传失败：%s", "Upload failed: %s"), upload_error_words(u.error)).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", upload_failure_text(u).c_str());
        if (u.error != "too_large" && u.error != "wrong_type") {
            ImGui::SameLine();
            if (ImGui::SmallButton(fmt("%s###%s:upload_retry", tx("重试", "Retry"), item_id.c_str()).c_str())) {
                s.host().retry_upload(upload_id);
            }
        }
    }
    name_item(item_id, ":upload");
}

std::string uploads_blocking_submit(const AppState& s, bool* failed) {
    nlohmann::ordered_json doc = s.ws.draft_document();
    std::string why;
    if (failed) *failed = false;
    for_each_media_body(doc, [&](nlohmann::ordered_json& body) {
        if (!why.empty() || !json_string(body, "media").empty()) return;
        auto it = s.media.uploads.find(json_string(body, "upload_id"));
        if (it == s.media.uploads.end()) return;  // no upload here: the server's media_missing names it
        const UploadState& u = it->second;
        if (u.state == "uploading" || u.state == "checking")
            why = fmt(tx("等待上传完成：%s", "Waiting for the upload of %s"), u.name.c_str());
        else if (u.state == "failed") {
            why = fmt(tx("%s 上传失败：%s", "%s failed to upload: %s"), u.name.c_str(), upload_error_words(u.error));
            if (failed) *failed = true;
        }
    });
    return why;
}

nlohmann::ordered_json uploads_state_json(const AppState& s) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [id, u] : s.media.uploads)
        list.push_back({{"upload_id", id},
                        {"name", u.name},
                        {"kind", u.kind},
                        {"state", u.state},
                        {"media", u.media},
                        {"error", u.error},
                        {"error_text", u.state == "failed" ? upload_failure_text(u) : std::string()},
                        {"loaded", u.loaded},
                        {"total", u.total}});
    return list;
}

std::string upload_failure_text(const UploadState& u) {
    const nlohmann::json& p = u.params;
    const auto num = [&](const char* key) {
        const auto it = p.find(key);
        return it != p.end() && it->is_number() ? it->get<int64_t>() : int64_t{0};
    };
    if (u.error == "server")
        return server_error_text(static_cast<int>(num("status")), json_string(p, "code"), json_string(p, "message"));
    const MessageParams params = {param_text("name", u.name),
                                  param_term("kind", u.kind),
                                  param_bytes("bytes", num("bytes")),
                                  param_bytes("limit", num("limit")),
                                  param_text("type", json_string(p, "type")),
                                  param_text("detail", json_string(p, "detail"))};
    if (has_message("upload." + u.error)) return message_text("upload." + u.error, params, u.message);
    return upload_error_words(u.error);
}

std::string short_media_id(const std::string& media) { return "media:" + (media.size() > 8 ? media.substr(0, 8) + "…" : media); }

std::string upload_state_text(const AppState& s, const nlohmann::ordered_json& body) {
    const std::string media = json_string(body, "media");
    if (!media.empty()) return std::string(tx("已上传", "uploaded")) + " · " + short_media_id(media);
    auto it = s.media.uploads.find(json_string(body, "upload_id"));
    if (it == s.media.uploads.end()) return tx("未上传", "not uploaded");
    const UploadState& u = it->second;
    if (u.state == "uploading" || u.state == "checking")
        return fmt(tx("上传中 %d%%", "uploading %d%%"),
                   u.total > 0 ? static_cast<int>(100 * static_cast<double>(u.loaded) / static_cast<double>(u.total)) : 0);
    if (u.state == "waiting") return tx("保存在浏览器中，随提交上传", "kept in this browser, uploads with the submission");
    if (u.state == "failed") return fmt(tx("上传失败：%s", "upload failed: %s"), upload_error_words(u.error));
    return tx("未上传", "not uploaded");
}

std::vector<std::string> attachment_upload_lines(const AppState& s) {
    std::vector<std::string> lines;
    const nlohmann::ordered_json doc = s.ws.draft_document();
    const auto content = doc.find("content");
    if (content == doc.end() || !content->is_object()) return lines;
    const auto list = content->find("attachments");
    if (list == content->end() || !list->is_array()) return lines;
    for (size_t i = 0; i < list->size(); ++i) {
        const auto& att = (*list)[i];
        const std::string kind = att.is_object() ? json_string(att, "msgtype") : std::string();
        if (!is_uploaded_kind(kind) || !att.contains(kind) || !att[kind].is_object()) continue;
        const auto& body = att[kind];
        lines.push_back(fmt("%d · %s %s%s%s", static_cast<int>(i + 1), term_text(kind).c_str(), json_string(body, "name").c_str(),
                            tx("：", ": "), upload_state_text(s, body).c_str()));
    }
    return lines;
}

const MediaTexture* media_texture(const AppState& s, const std::string& name) {
    auto it = s.media.textures.find(name);
    return it == s.media.textures.end() ? nullptr : &it->second;
}

nlohmann::ordered_json media_state_json(const AppState& s) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    nlohmann::ordered_json textures = nlohmann::ordered_json::array();
    for (const auto& [name, t] : s.media.textures)
        if (t.texture) textures.push_back({{"name", name}, {"width", t.width}, {"height", t.height}});
    j["textures"] = textures.size();
    j["texture_list"] = textures;
    j["picking"] = s.media.picking;
    j["batch_left"] = s.media.batch_left;
    j["error"] = media_errors_text(s.media);
    j["added"] = s.media.added;
    j["failures"] = s.media.failures;
    std::string shader_error;
    j["shader"] = s.host().rounded_image_status(&shader_error);
    if (!shader_error.empty()) j["shader_error"] = shader_error;
    j["drawn_textured"] = s.media.drawn_textured;
    j["drawn_placeholders"] = s.media.drawn_placeholders;
    j["uploads"] = uploads_state_json(s);
    return j;
}

}  // namespace rl::ui
