#version 300 es
// A picture filling a box: cover-cropped (the image's aspect kept, the overflow cut
// evenly on both sides) and clipped to a rounded rectangle with an anti-aliased edge.
precision highp float;     // positions are framebuffer pixels (thousands): mediump would blur the edge
uniform sampler2D Texture;
uniform vec4 Box;          // x, y, width, height in ImGui coordinates
uniform float Radius;      // corner radius, same units
uniform vec4 Crop;         // uv = Crop.xy + UV * Crop.zw (the centred part of the image shown)
in vec2 Frag_Pos;
in vec2 Frag_UV;
in vec4 Frag_Color;
layout (location = 0) out vec4 Out_Color;

// Signed distance to a rounded rectangle centred at the origin (negative inside).
float rounded_box(vec2 p, vec2 half_size, float r) {
    vec2 q = abs(p) - half_size + vec2(r);
    return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
}

void main() {
    vec2 centre = Box.xy + Box.zw * 0.5;
    float d = rounded_box(Frag_Pos - centre, Box.zw * 0.5, Radius);
    float coverage = clamp(0.5 - d, 0.0, 1.0);
    vec4 texel = texture(Texture, Crop.xy + Frag_UV * Crop.zw);
    Out_Color = Frag_Color * texel;
    Out_Color.a *= coverage;
}
