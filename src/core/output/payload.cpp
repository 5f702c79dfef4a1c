#include "core/output/payload.h"

#include <map>

namespace rl {

namespace {

using json = nlohmann::ordered_json;

// Media must be uploaded by the server before the call (media/upload_attachment for moments,
// media/upload for templates). A file uploaded to the host server is named "media:<id>",
// which the host exchanges for a WeCom media_id when it sends; until then the body names
// the file it needs.
std::string media_ref(const Attachment& a) {
    if (!a.media_id.empty()) return a.media_id;
    if (!a.uploaded_media.empty()) return "media:" + a.uploaded_media;
    return "${upload:" + a.name + "}";
}

json attachment_json(const Attachment& a, Kind kind) {
    using T = Attachment::Type;
    json body;
    switch (a.type) {
        case T::Image: body = {{"media_id", media_ref(a)}}; break;
        case T::Video: body = {{"media_id", media_ref(a)}}; break;
        case T::File: body = {{"media_id", media_ref(a)}}; break;
        case T::Link:
            body = {{"title", a.title}, {"url", a.url}};
            if (kind == Kind::Moment) {
                if (!a.media_id.empty()) body["media_id"] = a.media_id;
            } else {
                if (!a.picurl.empty()) body["picurl"] = a.picurl;
                if (!a.desc.empty()) body["desc"] = a.desc;
            }
            break;
        case T::MiniProgram:
            body = {{"title", a.title},
                    {"pic_media_id", a.media_id.empty() ? "${upload:cover}" : a.media_id},
                    {"appid", a.appid},
                    {"page", a.page}};
            break;
    }
    return {{"msgtype", attachment_type_name(a.type)}, {attachment_type_name(a.type), body}};
}

json content_fields(const Campaign& c) {
    json body = json::object();
    if (!c.content.text.empty()) body["text"] = {{"content", c.content.text}};
    json atts = json::array();
    for (const Attachment& a : c.content.attachments) atts.push_back(attachment_json(a, c.kind));
    if (!atts.empty()) body["attachments"] = std::move(atts);
    return body;
}

// A group send (8.3): per owner (userid bytewise), the reached groups it posts into, sorted by chat_id.
json group_send_requests(const Dataset& data, const Campaign& campaign, const PreviewResult& result) {
    const GroupChats& groups = data.groups;
    std::map<std::string, std::vector<std::string_view>> by_owner;
    for (uint32_t g : groups.by_chat_id)
        if (result.group_verdict[g] == kReached) by_owner[data.employees[groups.owner[g]].userid].push_back(groups.chat_id(g));
    const json content = content_fields(campaign);
    json requests = json::array();
    for (auto& [owner, chats] : by_owner) {
        for (size_t from = 0; from < chats.size(); from += kMaxChatIdsPerTemplate) {
            const size_t to = std::min(chats.size(), from + kMaxChatIdsPerTemplate);
            json body;
            body["chat_type"] = "group";
            body["chat_id_list"] = json(std::vector<std::string_view>(chats.begin() + from, chats.begin() + to));
            body["sender"] = owner;
            body["allow_select"] = false;
            for (auto& [k, v] : content.items()) body[k] = v;
            requests.push_back({{"api", "externalcontact/add_msg_template"}, {"body", body}});
        }
    }
    return requests;
}

}  // namespace

json wecom_requests(const Dataset& data, const Campaign& campaign, const PreviewResult& result) {
    json requests = json::array();
    if (campaign.kind == Kind::Moment) {
        json body = content_fields(campaign);
        json range = json::object();
        json senders = json::object();
        json users = json::array(), departments = json::array(), tags = json::array();
        for (const IdRef& u : campaign.sender_users)
            if (data.employee_index.find(u.id) != kNone) users.push_back(u.id);
        for (const IntIdRef& d : campaign.sender_departments)
            if (data.find_department(d.id) != kNone) departments.push_back(d.id);
        for (const IdRef& t : campaign.tag_list)
            if (data.tag_index.find(t.id) != kNone) tags.push_back(t.id);
        if (!users.empty()) senders["user_list"] = users;
        if (!departments.empty()) senders["department_list"] = departments;
        if (!senders.empty()) range["sender_list"] = senders;
        if (!tags.empty()) range["external_contact_list"] = {{"tag_list", tags}};
        if (!range.empty()) body["visible_range"] = range;
        requests.push_back({{"api", "externalcontact/add_moment_task"}, {"body", body}});
        return requests;
    }
    if (campaign.kind == Kind::GroupSend) return group_send_requests(data, campaign, result);
    // Mass send: per sender, the customers it delivers to (sorted by external_userid).
    std::map<std::string, std::vector<std::string_view>> by_sender;  // userid bytewise
    for (uint32_t c : data.by_external_userid) {
        if (result.verdict[c] != kReached) continue;
        for (uint32_t i = result.via_begin[c]; i < result.via_begin[c + 1]; ++i)
            by_sender[data.employees[result.via[i]].userid].push_back(data.external_userid(c));
    }
    const json content = content_fields(campaign);
    for (auto& [sender, customers] : by_sender) {
        for (size_t from = 0; from < customers.size(); from += kMaxExternalUseridsPerTemplate) {
            size_t to = std::min(customers.size(), from + kMaxExternalUseridsPerTemplate);
            json body;
            body["chat_type"] = "single";
            json ids = json::array();
            for (size_t i = from; i < to; ++i) ids.push_back(customers[i]);
            body["external_userid"] = std::move(ids);
            body["sender"] = sender;
            body["allow_select"] = false;
            for (auto& [k, v] : content.items()) body[k] = v;
            requests.push_back({{"api", "externalcontact/add_msg_template"}, {"body", body}});
        }
    }
    return requests;
}

}  // namespace rl
