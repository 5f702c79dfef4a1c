#pragma once
// The browser's answers to what the panels ask (ui::HostServices): page calls through
// src/platform/web.h, textures and the rounded-image shader through WebGL2.
#include "ui/host_services.h"

namespace rl::app {

// The one instance the app hands to the UI (AppState::host_services).
ui::HostServices& web_host();

}  // namespace rl::app
