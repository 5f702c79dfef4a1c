// Answers the GL state queries Dear ImGui's OpenGL3 backend makes every frame without
// asking the browser. The backend saves and restores the GL state around its draw calls
// (glGetIntegerv x16, glIsEnabled x6); in WebGL each such query can be a synchronous
// round trip to the GPU process that waits for the previous frame's rendering: with
// Chromium's software renderer that was ~30 ms of every frame. This app owns the whole
// context and sets what it needs before drawing (main.cpp: viewport, clear; the backend:
// everything else), so the "saved" state can be the context defaults. Any other query
// goes to Emscripten's implementation (emscripten_glGetIntegerv, same behaviour).
#include <GLES3/gl3.h>

extern "C" {

void emscripten_glGetIntegerv(GLenum pname, GLint* data);
GLboolean emscripten_glIsEnabled(GLenum cap);

void glGetIntegerv(GLenum pname, GLint* data) {
    switch (pname) {
        case GL_ACTIVE_TEXTURE: data[0] = GL_TEXTURE0; return;
        case GL_CURRENT_PROGRAM:
        case GL_TEXTURE_BINDING_2D:
        case GL_SAMPLER_BINDING:
        case GL_ARRAY_BUFFER_BINDING:
        case GL_ELEMENT_ARRAY_BUFFER_BINDING:
        case GL_VERTEX_ARRAY_BINDING: data[0] = 0; return;
        case GL_VIEWPORT:
        case GL_SCISSOR_BOX:  // re-set before every use (main.cpp sets the viewport each frame)
            data[0] = data[1] = data[2] = data[3] = 0;
            return;
        case GL_BLEND_SRC_RGB:
        case GL_BLEND_SRC_ALPHA: data[0] = GL_ONE; return;
        case GL_BLEND_DST_RGB:
        case GL_BLEND_DST_ALPHA: data[0] = GL_ZERO; return;
        case GL_BLEND_EQUATION_RGB:
        case GL_BLEND_EQUATION_ALPHA: data[0] = GL_FUNC_ADD; return;
        default: emscripten_glGetIntegerv(pname, data);
    }
}

GLboolean glIsEnabled(GLenum cap) {
    switch (cap) {
        case GL_BLEND:
        case GL_CULL_FACE:
        case GL_DEPTH_TEST:
        case GL_STENCIL_TEST:
        case GL_SCISSOR_TEST:  // off between frames, so glClear covers the whole canvas
            return GL_FALSE;
        default: return emscripten_glIsEnabled(cap);
    }
}

}  // extern "C"
