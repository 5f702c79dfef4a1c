#pragma once
// The customer's-eye view: pick a customer (from the table or a search) and see the post
// as it will appear to them: a moments card in their feed for that day among the posts
// competing for the same quota (hidden ones marked, with the reason), or the chat bubble
// of a mass send. The timeline comes from rl::explain_customer.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace rl::ui {

struct AppState;

struct CustomerViewState {
    int64_t customer = -1;  // customer index, -1 = none picked
    std::string search;
    bool expanded = false;  // the draft's text unfolded ("全文")
    bool text_folded = false;  // last frame: the draft's text was cut after six lines
    std::string group_chat;  // a group send: the chat_id of the group whose chat is shown ("" = the first)
};

// Shows customer `index` (called by the customer table).
void show_customer(AppState& s, uint32_t index);
void draw_customer_view(AppState& s);

// What the panel shows, for the host and the tests (rl_panel_json("customer_view")).
nlohmann::ordered_json customer_view_state_json(const AppState& s);

}  // namespace rl::ui
