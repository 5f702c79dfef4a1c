#version 300 es
// Dear ImGui's vertex layout (imgui_impl_opengl3 binds Position/UV/Color at 0/1/2), so
// this program can draw an ImDrawList image command in place of the backend's own.
precision highp float;
layout (location = 0) in vec2 Position;
layout (location = 1) in vec2 UV;
layout (location = 2) in vec4 Color;
uniform mat4 ProjMtx;
out vec2 Frag_Pos;     // ImGui coordinates, for the rounded-rectangle distance
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
    Frag_Pos = Position;
    Frag_UV = UV;
    Frag_Color = Color;
    gl_Position = ProjMtx * vec4(Position.xy, 0.0, 1.0);
}
