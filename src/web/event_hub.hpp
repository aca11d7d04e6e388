#pragma once
// Hands meeting events to the screens that follow a round, over Server-Sent Events. Each
// stream is a StreamSink held by its connection; the hub keeps only weak references, so a
// closed connection simply drops out.

#include "domain/meeting.hpp"
#include "web/http.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace gids::web {

// One event in the text/event-stream format, with its id for Last-Event-ID.
std::string sse_format(const MeetingEvent& event);

class EventHub {
  public:
    void subscribe(long long round_id, std::shared_ptr<StreamSink> sink);
    void publish(const MeetingEvent& event);
    // A comment line to every stream: keeps proxies from closing idle streams and finds
    // clients that have gone.
    void ping();
    std::size_t streams() const;

  private:
    mutable std::mutex m_mutex;
    std::map<long long, std::vector<std::weak_ptr<StreamSink>>> m_sinks;
};

} // namespace gids::web
