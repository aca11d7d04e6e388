#include "web/metrics.hpp"

#include <sstream>

namespace gids::web {

void Metrics::record(const std::string& route, const std::string& method, unsigned status,
                     double seconds) {
    std::lock_guard lock(m_mutex);
    ++m_requests[{route, method, status}];
    auto& h = m_latency[route];
    for (std::size_t i = 0; i < bounds.size(); ++i)
        if (seconds <= bounds[i])
            ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render(const std::map<std::string, double>& gauges) const {
    std::ostringstream out;
    std::lock_guard lock(m_mutex);
    out << "# HELP gids_http_requests_total HTTP requests by route, method and status.\n"
        << "# TYPE gids_http_requests_total counter\n";
    for (const auto& [key, count] : m_requests) {
        const auto& [route, method, status] = key;
        out << "gids_http_requests_total{route=\"" << route << "\",method=\"" << method
            << "\",status=\"" << status << "\"} " << count << "\n";
    }
    out << "# HELP gids_http_request_duration_seconds Time to answer a request.\n"
        << "# TYPE gids_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : m_latency) {
        for (std::size_t i = 0; i < bounds.size(); ++i)
            out << "gids_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
                << bounds[i] << "\"} " << h.buckets[i] << "\n";
        out << "gids_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
            << h.count << "\n";
        out << "gids_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum
            << "\n";
        out << "gids_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count
            << "\n";
    }
    for (const auto& [name, value] : gauges)
        out << "# TYPE " << name << " gauge\n" << name << " " << value << "\n";
    return out.str();
}

} // namespace gids::web
