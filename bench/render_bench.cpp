// render_bench: the cost of one render across the plugin boundary, plugin ABI 1 against ABI 2
// (a benchmark, not a test; bench/render.sh drives it and docs/performance.md explains it).
//
// It loads two builds of the webhook plugin in one process and renders the same lead.created
// event through each, exactly as the delivery engine calls them:
//   - ABI 1 (main at d560732): the library's `create` gives a C++ `smbhub::sdk::Provider`, and
//     `render(const EventView&, const IntegrationView&)` is a virtual call returning a
//     std::vector by value, C++ objects crossing the boundary;
//   - ABI 2 (this tree): the hub's `plugins::PluginProvider` (the very class the engine calls)
//     passes C views of the same values through the C function table, the SDK's adapter in the
//     plugin copies them into the SDK's value types, calls the provider, and hands each request
//     back through the reply, which the hub copies.
// Both must produce the same requests (checked before timing).
//
//   render_bench --abi1 LIB --abi2 LIB [--iterations N] [--rounds R] [--only 1|2]
//
// Without --only: R rounds; each round times N renders through ABI 1 and N through ABI 2 (the
// order alternating), so both see the same machine load; prints the median and the fastest
// round of each, in ns per render. With --only: one loop of N renders through that ABI and
// nothing else, for `valgrind --tool=callgrind --toggle-collect='*renderLoopAbi1*'` (or Abi2),
// which counts the instructions of the loop alone: a number that does not move with the load.
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <smbhub/sdk/abi.h>
#include <smbhub/sdk/provider.h>

#include "plugins/DescriptorCheck.h"
#include "plugins/PluginProvider.h"

namespace {

using smbhub::sdk::EventView;
using smbhub::sdk::IntegrationView;
using smbhub::sdk::OutboundRequest;

// The ABI 1 descriptor, as plugin-sdk/include/smbhub/sdk/abi.h declared it at d560732.
struct Abi1Descriptor {
    std::uint32_t struct_size;
    std::uint32_t abi_major;
    std::uint32_t abi_minor;
    const char* build_signature;
    const char* plugin_id;
    const char* plugin_version;
    void* (*create)(void);
    void (*destroy)(void*);
};

void* openLibrary(const std::string& path) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error("cannot load " + path + ": " + dlerror());
    return handle;  // never closed: the providers' code must outlive them
}

template <class Descriptor>
const Descriptor& entryOf(void* handle, const std::string& path, std::uint32_t major) {
    auto entry = reinterpret_cast<const Descriptor* (*)()>(dlsym(handle, SMBHUB_PLUGIN_ENTRY_SYMBOL));
    if (!entry) throw std::runtime_error(path + " has no " SMBHUB_PLUGIN_ENTRY_SYMBOL);
    const Descriptor* descriptor = entry();
    if (!descriptor || descriptor->abi_major != major) {
        throw std::runtime_error(path + " is not an ABI " + std::to_string(major) + " plugin");
    }
    return *descriptor;
}

// The ABI 1 provider object and its library's deleter.
std::shared_ptr<smbhub::sdk::Provider> loadAbi1(const std::string& path) {
    const Abi1Descriptor& d = entryOf<Abi1Descriptor>(openLibrary(path), path, 1);
    auto destroy = d.destroy;
    return std::shared_ptr<smbhub::sdk::Provider>(static_cast<smbhub::sdk::Provider*>(d.create()),
                                                  [destroy](smbhub::sdk::Provider* p) { destroy(p); });
}

std::unique_ptr<smbhub::plugins::PluginProvider> loadAbi2(const std::string& path) {
    const smbhub_plugin_descriptor& d = entryOf<smbhub_plugin_descriptor>(openLibrary(path), path, 2);
    if (const std::string why = smbhub::plugins::incompatibility(d); !why.empty()) {
        throw std::runtime_error(path + ": " + why);
    }
    return std::make_unique<smbhub::plugins::PluginProvider>(*d.functions);
}

// A lead.created event as the hub delivers it: five sample leads (the most it sends), ~0.9 KB.
EventView sampleEvent() {
    std::string leads;
    for (int i = 1; i <= 5; ++i) {
        if (i > 1) leads += ",";
        const std::string n = std::to_string(i);
        leads += R"({"id":"lead_)" + n + R"(9f2c41","businessName":"Business )" + n +
                 R"( Landscaping LLC","email":"owner)" + n + R"(@business.example","phone":"+1 512 555 01)" +
                 n + R"(4","state":"TX","city":"Austin"})";
    }
    EventView event;
    event.id = "evt_8a1b2c3d4e5f60718293a4b5";
    event.type = "lead.created";
    event.accountId = "acc_5c6d7e8f9a0b1c2d3e4f5a6b";
    event.createdAt = "2026-12-01T10:15:30.123Z";
    event.dataJson = R"({"count":5,"leads":[)" + leads + "]}";
    event.envelopeJson = R"({"id":")" + event.id + R"(","type":"lead.created","createdAt":")" +
                         event.createdAt + R"(","accountId":")" + event.accountId + R"(","data":)" +
                         event.dataJson + "}";
    return event;
}

IntegrationView sampleIntegration() {
    IntegrationView integration;
    integration.id = "int_0f1e2d3c4b5a69788796a5b4";
    integration.accountId = "acc_5c6d7e8f9a0b1c2d3e4f5a6b";
    integration.displayName = "CRM intake";
    integration.target.raw = "https://hooks.receiver.example/smb/intake";
    integration.target.scheme = "https";
    integration.target.host = "hooks.receiver.example";
    integration.target.port = 443;
    integration.target.path = "/smb/intake";
    return integration;
}

// What the engine keeps of a render: the body sizes summed, so the work cannot be optimised out.
std::size_t keep(const std::vector<OutboundRequest>& requests) {
    std::size_t total = 0;
    for (const auto& r : requests) total += r.body.size() + r.headers.size();
    return total;
}

__attribute__((noinline)) std::size_t renderLoopAbi1(const smbhub::sdk::Provider& provider, const EventView& event,
                                                     const IntegrationView& integration, long iterations) {
    std::size_t total = 0;
    for (long i = 0; i < iterations; ++i) total += keep(provider.render(event, integration));
    return total;
}

__attribute__((noinline)) std::size_t renderLoopAbi2(const smbhub::plugins::PluginProvider& provider,
                                                     const EventView& event, const IntegrationView& integration,
                                                     long iterations) {
    std::size_t total = 0;
    for (long i = 0; i < iterations; ++i) total += keep(provider.render(event, integration));
    return total;
}

bool sameRequests(const std::vector<OutboundRequest>& a, const std::vector<OutboundRequest>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].body != b[i].body || a[i].headers.size() != b[i].headers.size()) return false;
        for (std::size_t h = 0; h < a[i].headers.size(); ++h) {
            if (a[i].headers[h].name != b[i].headers[h].name || a[i].headers[h].value != b[i].headers[h].value) {
                return false;
            }
        }
    }
    return true;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

template <class Loop>
double nsPerRender(long iterations, Loop loop) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t kept = loop();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (kept == 0) throw std::runtime_error("nothing was rendered");
    return std::chrono::duration<double, std::nano>(elapsed).count() / static_cast<double>(iterations);
}

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: render_bench --abi1 LIB --abi2 LIB [--iterations N] [--rounds R] [--only 1|2]\n");
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string abi1Path, abi2Path;
    long iterations = 100000;
    int rounds = 15;
    int only = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) usage();
        const std::string value = argv[++i];
        if (arg == "--abi1") abi1Path = value;
        else if (arg == "--abi2") abi2Path = value;
        else if (arg == "--iterations") iterations = std::stol(value);
        else if (arg == "--rounds") rounds = std::stoi(value);
        else if (arg == "--only") only = std::stoi(value);
        else usage();
    }
    if (abi1Path.empty() || abi2Path.empty() || iterations <= 0 || rounds <= 0) usage();
    try {
        const auto abi1 = loadAbi1(abi1Path);
        const auto abi2 = loadAbi2(abi2Path);
        const EventView event = sampleEvent();
        const IntegrationView integration = sampleIntegration();
        const auto before = abi1->render(event, integration);
        const auto after = abi2->render(event, integration);
        if (!sameRequests(before, after) || before.empty()) {
            std::fprintf(stderr, "ABI 1 and ABI 2 render different requests\n");
            return 1;
        }
        if (only == 1) return renderLoopAbi1(*abi1, event, integration, iterations) ? 0 : 1;
        if (only == 2) return renderLoopAbi2(*abi2, event, integration, iterations) ? 0 : 1;

        std::vector<double> ns1, ns2;
        for (int r = 0; r < rounds; ++r) {
            auto one = [&] {
                ns1.push_back(nsPerRender(iterations, [&] { return renderLoopAbi1(*abi1, event, integration, iterations); }));
            };
            auto two = [&] {
                ns2.push_back(nsPerRender(iterations, [&] { return renderLoopAbi2(*abi2, event, integration, iterations); }));
            };
            if (r % 2) {
                two();
                one();
            } else {
                one();
                two();
            }
        }
        std::printf("body %zu bytes, %ld renders x %d rounds per ABI\n", before.front().body.size(), iterations,
                    rounds);
        std::printf("abi1 median_ns %.1f min_ns %.1f\n", median(ns1), *std::min_element(ns1.begin(), ns1.end()));
        std::printf("abi2 median_ns %.1f min_ns %.1f\n", median(ns2), *std::min_element(ns2.begin(), ns2.end()));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "render_bench: %s\n", e.what());
        return 1;
    }
}
