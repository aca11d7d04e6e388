#include "web/qr.hpp"

#include "web/html.hpp"

#include <memory>
#include <qrencode.h>

namespace gids::web {

std::string qr_svg(const std::string& text, const std::string& label) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code)
        return {};
    const int width = code->width;
    const int margin = 4;
    const int size = width + 2 * margin;
    std::string path;
    for (int y = 0; y < width; ++y)
        for (int x = 0; x < width; ++x)
            if (code->data[y * width + x] & 1) {
                path += 'M';
                path += std::to_string(x + margin);
                path += ' ';
                path += std::to_string(y + margin);
                path += "h1v1h-1z";
            }
    const std::string n = std::to_string(size);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 ";
    svg.append(n).append(" ").append(n).append("\" role=\"img\" aria-label=\"");
    svg.append(html_escape(label)).append("\" shape-rendering=\"crispEdges\"><rect width=\"");
    svg.append(n).append("\" height=\"").append(n).append("\" fill=\"#fff\"/><path d=\"");
    svg.append(path).append("\" fill=\"#000\"/></svg>");
    return svg;
}

} // namespace gids::web
