#pragma once
// The dashboard's state: the application model (Workspace), the settings and messages
// of the frame, and one member per panel whose type the panel declares in its own header
// (the panels are listed once in dashboard.cpp). The app reaches everything through it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ui/audience_builder.h"
#include "ui/campaign_calendar.h"
#include "ui/composer.h"
#include "ui/customer_table.h"
#include "ui/customer_view.h"
#include "ui/data_panel.h"
#include "ui/drafts.h"
#include "ui/host_services.h"
#include "ui/i18n.h"
#include "ui/media.h"
#include "ui/preview_panels.h"
#include "ui/reconcile_panel.h"
#include "ui/send_time_panel.h"
#include "ui/submit_dialog.h"
#include "model/workspace.h"

namespace rl::ui {

struct AppState {
    model::Workspace ws;

    // ---- what the panels ask of the host (downloads, storage, pickers, submit, textures);
    // set once by the app (src/app). Null: a host that has none of them.
    HostServices* host_services = nullptr;
    HostServices& host() const { return host_services ? *host_services : HostServices::none(); }

    // ---- settings
    Lang lang = Lang::Zh;
    bool dark = false;
    float dpi_scale = 1.0f;  // device pixels per CSS pixel: UI sizes and fonts scale by it
    bool engineering = false;  // show engineering figures (recompute ms, parse ms, MB): a debug toggle
    std::string card_tooltip;  // the exact figure of the count card under the mouse (tests read it)

    // ---- messages
    std::string dataset_error;  // last failed dataset load (the previous tenant stays)
    std::string campaign_error;  // last failed campaign load
    std::string ui_error;  // an exception caught around the UI, shown in a window

    // ---- requests from the host for the next frame
    std::string focus_request;  // the test name of the widget to give keyboard focus to
    int debug_fail = 0;  // tests: 1 = throw inside the next UI frame, 2 = outside it

    // ---- submit
    SubmitState submit;
    std::string rules_json;  // the custom rules profile (rl_set_rules_json); "" = a preset

    // ---- panels (each panel's own state lives in its header)
    CustomerTableState table;
    DataPanelState data_panel;
    ComposerState composer;
    AudienceBuilderState audience;
    MediaState media;
    PreviewPanelsState preview;
    CustomerViewState customer_view;
    CampaignCalendarState calendar;
    DraftsState drafts;
    SendTimePanelState send_time;
    ReconcilePanelState reconcile;

    // ---- tabs: a panel, the host or a test asks for a tab by id ("compose", "audience",
    // "drafts", "data", "overview", "senders", "quota", "impact", "customer", "calendar")
    std::string tab_request;

    // ---- for the host (reachlens.resize): the viewport height at which the composer column
    // would need no scrolling, in device pixels (0 until the dashboard is drawn)
    float preferred_height = 0.0f;
    std::vector<std::string> open_tabs;  // the tabs drawn in the last frame
    std::vector<std::string> cut_labels;  // labels drawn cut short in the last frame (note_label_fit)

    // ---- status
    bool loading = true;  // the page is still fetching/parsing the dataset
};

}  // namespace rl::ui
