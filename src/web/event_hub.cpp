#include "web/event_hub.hpp"

#include <algorithm>

namespace gids::web {

std::string sse_format(const MeetingEvent& event) {
    return "id: " + std::to_string(event.id) +
           "\nevent: " + std::string(meeting_event_name(event.kind)) + "\ndata: " + event.payload +
           "\n\n";
}

void EventHub::subscribe(long long round_id, std::shared_ptr<StreamSink> sink) {
    std::lock_guard lock(m_mutex);
    m_sinks[round_id].push_back(sink);
}

void EventHub::publish(const MeetingEvent& event) {
    const std::string text = sse_format(event);
    std::vector<std::shared_ptr<StreamSink>> targets;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_sinks.find(event.round_id);
        if (it == m_sinks.end())
            return;
        auto& list = it->second;
        for (auto& weak : list)
            if (auto sink = weak.lock(); sink && sink->open())
                targets.push_back(std::move(sink));
        std::erase_if(list, [](const std::weak_ptr<StreamSink>& w) {
            auto s = w.lock();
            return !s || !s->open();
        });
    }
    for (auto& sink : targets)
        sink->send(text);
}

void EventHub::ping() {
    std::vector<std::shared_ptr<StreamSink>> targets;
    {
        std::lock_guard lock(m_mutex);
        for (auto& [round, list] : m_sinks) {
            std::erase_if(list, [](const std::weak_ptr<StreamSink>& w) {
                auto s = w.lock();
                return !s || !s->open();
            });
            for (auto& weak : list)
                if (auto sink = weak.lock())
                    targets.push_back(std::move(sink));
        }
        std::erase_if(m_sinks, [](const auto& kv) { return kv.second.empty(); });
    }
    for (auto& sink : targets)
        sink->send(": blijf verbonden\n\n");
}

std::size_t EventHub::streams() const {
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto& [round, list] : m_sinks)
        for (const auto& weak : list)
            if (auto s = weak.lock(); s && s->open())
                ++n;
    return n;
}

} // namespace gids::web
