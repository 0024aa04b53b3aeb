// docs/openapi.json describes exactly the routes the hub serves (SPEC §14: "checked against the
// hub's own routes so it cannot drift"): every route of the ApiServer's router is an operation of
// the document, with the same path parameters, and the document has no operation the router
// lacks. The document checked is the one embedded in the binary, so it is also proven to be the
// file in the tree. (Redocly lints it: CTest openapi_lint; answers are validated against it: the
// api_responses fixture and OpenApiTest.)
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/filesystem.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "api/ApiServer.h"
#include "api/OpenApiDocument.h"
#include "config/HubConfig.h"
#include "crypto/SecretBox.h"
#include "events/DeliveryHandoff.h"
#include "store/Stores.h"

namespace smbhub::api {
namespace {

// "GET /api/integrations/:id/deliveries" -> "GET /api/integrations/{id}/deliveries".
std::string asOpenApiPath(const std::string& route) {
    std::istringstream in(route);
    std::string method, path;
    in >> method >> path;
    std::string out;
    std::istringstream segments(path);
    for (std::string segment; std::getline(segments, segment, '/');) {
        if (segment.empty()) continue;
        out += "/" + (segment[0] == ':' ? "{" + segment.substr(1) + "}" : segment);
    }
    return method + " " + (out.empty() ? "/" : out);
}

std::set<std::string> documentedOperations(const Poco::JSON::Object::Ptr& document) {
    static const std::set<std::string> methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
    std::set<std::string> out;
    const auto paths = document->getObject("paths");
    for (const auto& [path, item] : *paths) {
        for (const auto& [key, operation] : *item.extract<Poco::JSON::Object::Ptr>()) {
            if (!methods.count(key)) continue;
            out.insert(Poco::toUpper(key) + " " + path);
        }
    }
    return out;
}

// No engine: new deliveries stay in the queue.
class NoHandoff final : public events::DeliveryHandoff {
public:
    std::optional<Lease> leaseFor(std::size_t) override { return std::nullopt; }
    void handOff(std::vector<events::DeliveryJob>) override {}
    void wake() override {}
};

class OpenApiDocument : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = boost::filesystem::temp_directory_path() / boost::filesystem::unique_path("openapi-%%%%%%%%");
        boost::filesystem::create_directories(dir_);
        store::SqlDatabase::Options options;
        options.dialect = &store::SqlDialect::sqlite();
        options.connectionString = (dir_ / "hub.db").string();
        store_ = std::make_unique<store::SqlStores>(options);
        const store::Stores stores = store_->stores();
        vault_ = std::make_unique<integrations::IntegrationVault>(crypto::SecretBox(std::string(32, 'k')));
        integrations_ = std::make_unique<integrations::IntegrationService>(
            stores.integrations, plugins_, *vault_, destinations::TargetUrlRules{}, [](const std::string&) {});
        publisher_ = std::make_unique<events::EventPublisher>(stores.integrations, stores.deliveries, handoff_);
        authenticator_ = std::make_unique<auth::Authenticator>(stores.accounts, "admin", "session");
        readiness_ = std::make_unique<health::Readiness>(stores.databaseStatus);
        server_ = std::make_unique<ApiServer>(ApiServices{config_, stores, plugins_, *integrations_, *publisher_,
                                                          *authenticator_, rateLimiter_, [] {}, *readiness_});
    }
    void TearDown() override {
        server_.reset();
        readiness_.reset();
        authenticator_.reset();
        publisher_.reset();
        integrations_.reset();
        store_.reset();
        boost::filesystem::remove_all(dir_);
    }

    std::set<std::string> routes() const {
        std::set<std::string> out;
        for (const auto& route : server_->router().describe()) out.insert(asOpenApiPath(route));
        return out;
    }

    boost::filesystem::path dir_;
    config::HubConfig config_ = config::parseHubConfig("");
    plugins::PluginHost plugins_;
    auth::RateLimiter rateLimiter_{50, 200};
    NoHandoff handoff_;
    std::unique_ptr<store::SqlStores> store_;
    std::unique_ptr<integrations::IntegrationVault> vault_;
    std::unique_ptr<integrations::IntegrationService> integrations_;
    std::unique_ptr<events::EventPublisher> publisher_;
    std::unique_ptr<auth::Authenticator> authenticator_;
    std::unique_ptr<health::Readiness> readiness_;
    std::unique_ptr<ApiServer> server_;
};

TEST_F(OpenApiDocument, DescribesEveryRouteAndNothingElse) {
    const auto document =
        Poco::JSON::Parser().parse(std::string(openApiDocument())).extract<Poco::JSON::Object::Ptr>();
    const std::set<std::string> documented = documentedOperations(document);
    const std::set<std::string> served = routes();
    ASSERT_GT(served.size(), 20u);
    for (const auto& route : served) {
        EXPECT_TRUE(documented.count(route)) << route << " is served but not in docs/openapi.json";
    }
    for (const auto& operation : documented) {
        EXPECT_TRUE(served.count(operation)) << operation << " is in docs/openapi.json but not served";
    }
}

TEST_F(OpenApiDocument, IsOpenApi31AndTheFileInTheTree) {
    const auto document =
        Poco::JSON::Parser().parse(std::string(openApiDocument())).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(document->getValue<std::string>("openapi").rfind("3.1.", 0), 0u);
    EXPECT_EQ(document->getObject("info")->getValue<std::string>("version"), SMBHUB_VERSION)
        << "info.version follows the hub's version";
    std::ifstream file(std::string(SMBHUB_SOURCE_DIR) + "/docs/openapi.json", std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    EXPECT_EQ(text.str(), std::string(openApiDocument())) << "the binary serves the file as it is";
}

}  // namespace
}  // namespace smbhub::api
