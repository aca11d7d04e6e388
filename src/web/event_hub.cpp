#include "web/event_hub.hpp"

#include <algorithm>

namespace gids::web {

namespace {

bool gone(const std::weak_ptr<StreamSink>& weak) {
    auto sink = weak.lock();
    return !sink || !sink->open();
}

} // namespace

std::string sse_format(const MeetingEvent& event) {
    return "id: " + std::to_string(event.id) +
           "\nevent: " + std::string(meeting_event_name(event.kind)) + "\ndata: " + event.payload +
           "\n\n";
}

void EventHub::subscribe(long long round_id, std::shared_ptr<StreamSink> sink, long long seen) {
    std::lock_guard lock(m_mutex);
    m_followers[round_id].push_back({sink, seen});
}

void EventHub::publish(const MeetingEvent& event) {
    const std::string text = sse_format(event);
    std::vector<std::shared_ptr<StreamSink>> targets;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_followers.find(event.round_id);
        if (it == m_followers.end())
            return;
        auto& list = it->second;
        std::erase_if(list, [](const Follower& f) { return gone(f.sink); });
        for (auto& f : list)
            if (f.seen < event.id)
                if (auto sink = f.sink.lock()) {
                    f.seen = event.id;
                    targets.push_back(std::move(sink));
                }
    }
    for (auto& sink : targets)
        sink->send(text);
}

bool EventHub::follows(long long round_id) const {
    std::lock_guard lock(m_mutex);
    auto it = m_followers.find(round_id);
    return it != m_followers.end() && std::any_of(it->second.begin(), it->second.end(),
                                                  [](const Follower& f) { return !gone(f.sink); });
}

void EventHub::ping() {
    std::vector<std::shared_ptr<StreamSink>> targets;
    {
        std::lock_guard lock(m_mutex);
        for (auto& [round, list] : m_followers) {
            std::erase_if(list, [](const Follower& f) { return gone(f.sink); });
            for (auto& f : list)
                if (auto sink = f.sink.lock())
                    targets.push_back(std::move(sink));
        }
        std::erase_if(m_followers, [](const auto& kv) { return kv.second.empty(); });
    }
    for (auto& sink : targets)
        sink->send(": blijf verbonden\n\n");
}

std::size_t EventHub::streams() const {
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto& [round, list] : m_followers)
        n += static_cast<std::size_t>(std::count_if(
            list.begin(), list.end(), [](const Follower& f) { return !gone(f.sink); }));
    return n;
}

} // namespace gids::web
