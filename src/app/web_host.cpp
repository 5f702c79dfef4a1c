// ui::HostServices for the browser (see web_host.h). The GL parts run on the app's WebGL2
// context: thumbnails are textures (the GL id is the ImTextureID) and covers go through
// shaders/rounded_image.* (cover-cropped, rounded corners), bound by a draw-list callback
// inside ImGui's OpenGL3 backend.
#include "app/web_host.h"

#include <GLES3/gl3.h>

#include <cstdio>
#include <string>

#include "platform/web.h"
#include "shaders_embedded.h"  // generated from shaders/ (CMakeLists.txt)

namespace rl::app {
namespace {

// ---------------------------------------------------------------- the rounded-image program

struct RoundedImageProgram {
    bool tried = false;
    GLuint program = 0;
    GLint proj = -1, box = -1, radius = -1, crop = -1, texture = -1;
    std::string error;  // why the fallback (AddImageRounded) is used
};

RoundedImageProgram& rounded_program() {
    static RoundedImageProgram p;
    return p;
}

GLuint compile_shader(GLenum type, const char* source, std::string& error) {
    GLuint shader = glCreateShader(type);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[512] = {};
        glGetShaderInfoLog(shader, sizeof log, nullptr, log);
        error = std::string(type == GL_VERTEX_SHADER ? "rounded_image.vert: " : "rounded_image.frag: ") + log;
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

// Compiled on first use; on failure the error is logged once and images fall back to
// ImGui's AddImageRounded (same look, cropping through the UVs).
bool rounded_program_ready() {
    RoundedImageProgram& p = rounded_program();
    if (p.tried) return p.program != 0;
    p.tried = true;
    GLuint vs = compile_shader(GL_VERTEX_SHADER, kShader_rounded_image_vert, p.error);
    GLuint fs = vs ? compile_shader(GL_FRAGMENT_SHADER, kShader_rounded_image_frag, p.error) : 0;
    if (vs && fs) {
        GLuint prog = glCreateProgram();
        glAttachShader(prog, vs);
        glAttachShader(prog, fs);
        glLinkProgram(prog);
        GLint ok = 0;
        glGetProgramiv(prog, GL_LINK_STATUS, &ok);
        if (ok) {
            p.program = prog;
        } else {
            char log[512] = {};
            glGetProgramInfoLog(prog, sizeof log, nullptr, log);
            p.error = std::string("rounded_image: link: ") + log;
            glDeleteProgram(prog);
        }
    }
    if (vs) glDeleteShader(vs);
    if (fs) glDeleteShader(fs);
    if (!p.program) {
        std::fprintf(stderr, "media: rounded image shader unavailable, using AddImageRounded (%s)\n", p.error.c_str());
        return false;
    }
    p.proj = glGetUniformLocation(p.program, "ProjMtx");
    p.box = glGetUniformLocation(p.program, "Box");
    p.radius = glGetUniformLocation(p.program, "Radius");
    p.crop = glGetUniformLocation(p.program, "Crop");
    p.texture = glGetUniformLocation(p.program, "Texture");
    return true;
}

// Copied into the draw list by AddCallback; read back when the backend renders.
struct RoundedImageUniforms {
    float box[4];
    float radius;
    float crop[4];
};

// Runs inside ImGui_ImplOpenGL3_RenderDrawData: binds our program for the next image
// command (the backend keeps its vertex layout and binds that command's texture).
void bind_rounded_image(const ImDrawList*, const ImDrawCmd* cmd) {
    const RoundedImageProgram& p = rounded_program();
    const auto* u = static_cast<const RoundedImageUniforms*>(cmd->UserCallbackData);
    const ImDrawData* dd = ImGui::GetDrawData();
    const float L = dd->DisplayPos.x, R = dd->DisplayPos.x + dd->DisplaySize.x;
    const float T = dd->DisplayPos.y, B = dd->DisplayPos.y + dd->DisplaySize.y;
    const float ortho[16] = {
        2.0f / (R - L), 0, 0, 0, 0, 2.0f / (T - B), 0, 0, 0, 0, -1.0f, 0, (R + L) / (L - R), (T + B) / (B - T), 0, 1.0f,
    };
    glUseProgram(p.program);
    glUniformMatrix4fv(p.proj, 1, GL_FALSE, ortho);
    glUniform4fv(p.box, 1, u->box);
    glUniform1f(p.radius, u->radius);
    glUniform4fv(p.crop, 1, u->crop);
    glUniform1i(p.texture, 0);
}

// ---------------------------------------------------------------- the host

class WebHost final : public ui::HostServices {
public:
    void download_file(const std::string& file_name, const std::string& mime_type, const std::string& data) override {
        web::download_file(file_name, mime_type, data);
    }
    void storage_save(const std::string& id, const std::string& entry_json) override { web::storage_save(id, entry_json); }
    void storage_delete(const std::string& id) override { web::storage_delete(id); }
    void storage_flush() override { web::storage_flush(); }
    void data_open_file_picker() override { web::data_open_file_picker(); }
    void data_load_url(const std::string& url) override { web::data_load_url(url); }
    void data_load_demo() override { web::data_load_demo(); }
    void data_cancel() override { web::data_cancel(); }
    bool pick_media(const char* msgtype) override { return web::pick_media(msgtype); }
    bool pick_results_file() override { return web::pick_results_file(); }
    bool fetch_stored_results(const std::string& server_id) override { return web::fetch_stored_results(server_id); }
    bool retry_upload(const std::string& upload_id) override { return web::retry_upload(upload_id); }
    bool submit_campaign(const std::string& payload, const std::string& key) override {
        return web::submit_campaign(payload, key);
    }
    void outbox_remove(const std::string& id) override { web::outbox_remove(id); }
    void outbox_download() override { web::outbox_download(); }
    void outbox_retry() override { web::outbox_retry(); }

    ImTextureID upload_rgba_texture(ImTextureID existing, int width, int height, const uint8_t* rgba) override {
        GLuint id = static_cast<GLuint>(existing);
        if (!id) glGenTextures(1, &id);
        glBindTexture(GL_TEXTURE_2D, id);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        return static_cast<ImTextureID>(id);
    }

    bool add_rounded_image(ImDrawList* dl, ImTextureID texture, ImVec2 p0, ImVec2 p1, float radius,
                           const float crop[4]) override {
        if (!rounded_program_ready()) return false;
        RoundedImageUniforms u{{p0.x, p0.y, p1.x - p0.x, p1.y - p0.y}, radius, {crop[0], crop[1], crop[2], crop[3]}};
        dl->AddCallback(bind_rounded_image, &u, sizeof u);
        dl->AddImage(ImTextureRef(texture), p0, p1);
        dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
        return true;
    }

    std::string rounded_image_status(std::string* error) const override {
        const RoundedImageProgram& p = rounded_program();
        *error = p.error;
        return !p.tried ? "unused" : (p.program ? "rounded_image" : "fallback");
    }
};

}  // namespace

ui::HostServices& web_host() {
    static WebHost instance;
    return instance;
}

}  // namespace rl::app
