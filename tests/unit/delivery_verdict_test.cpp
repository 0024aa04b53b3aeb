// The delivery rules of SPEC §8, decided without a network, a database or a plugin.
#include <gtest/gtest.h>

#include "delivery/DeliveryVerdict.h"

namespace smbhub::delivery {
namespace {

using namespace std::chrono_literals;
using store::AttemptStatus;
using store::DeliveryStatus;

constexpr std::int64_t kNow = 1'000'000;
const RetrySchedule kSchedule({5s, 30s, 2min}, 0.0);  // no jitter: exact times

AttemptReport answered(int status) {
    AttemptReport r;
    r.status = status;
    r.allPartsAccepted = status >= 200 && status < 300;
    return r;
}

DeliveryVerdict decideAt(const AttemptReport& r, int scheduleIndex = 0, double random = 0.5) {
    return decide(r, DeliveryProgress{scheduleIndex}, kSchedule, random, kNow);
}

TEST(DeliveryVerdict, A2xxSucceeds) {
    for (int status : {200, 201, 202, 204, 299}) {
        const auto v = decideAt(answered(status));
        EXPECT_EQ(v.attempt, AttemptStatus::Succeeded) << status;
        EXPECT_EQ(v.delivery, DeliveryStatus::Succeeded) << status;
        EXPECT_FALSE(v.nextAttemptAt);
        EXPECT_EQ(v.error, "");
    }
}

TEST(DeliveryVerdict, AnythingElseIsRetriedOnTheSchedule) {
    for (int status : {400, 404, 409, 500, 502}) {
        const auto v = decideAt(answered(status), 1);
        EXPECT_EQ(v.attempt, AttemptStatus::Pending) << status;
        EXPECT_EQ(v.delivery, DeliveryStatus::Pending);
        EXPECT_EQ(v.scheduleIndex, 2);
        EXPECT_EQ(v.nextAttemptAt, kNow + 30'000) << "the second entry of the schedule";
        EXPECT_FALSE(v.exhausted);
    }
}

TEST(DeliveryVerdict, RedirectsAreFailuresThatSayWhy) {
    const auto v = decideAt(answered(301));
    EXPECT_EQ(v.delivery, DeliveryStatus::Pending);
    EXPECT_EQ(v.error, "redirects are not followed (HTTP 301)");
}

TEST(DeliveryVerdict, NoResponseIsRetriedWithTheTransportError) {
    AttemptReport r;
    r.transportError = "timed out after 10000 ms";
    const auto v = decideAt(r);
    EXPECT_EQ(v.delivery, DeliveryStatus::Pending);
    EXPECT_EQ(v.error, "timed out after 10000 ms");
    EXPECT_EQ(v.nextAttemptAt, kNow + 5'000);
}

TEST(DeliveryVerdict, AnExhaustedScheduleFailsTheDelivery) {
    const auto v = decideAt(answered(500), 3);
    EXPECT_EQ(v.attempt, AttemptStatus::Failed);
    EXPECT_EQ(v.delivery, DeliveryStatus::Failed);
    EXPECT_TRUE(v.exhausted);
    EXPECT_FALSE(v.nextAttemptAt);
    EXPECT_EQ(v.scheduleIndex, 3);
}

TEST(DeliveryVerdict, RetryAfterOn429And503IsAFloorOnlyThere) {
    AttemptReport r = answered(429);
    r.retryAfter = 120s;
    EXPECT_EQ(decideAt(r).nextAttemptAt, kNow + 120'000) << "later than the schedule's 5 s";
    r.status = 503;
    EXPECT_EQ(decideAt(r).nextAttemptAt, kNow + 120'000);
    r.retryAfter = 1s;
    EXPECT_EQ(decideAt(r).nextAttemptAt, kNow + 5'000) << "never sooner than the schedule";
    r.status = 500;
    r.retryAfter = 120s;
    EXPECT_EQ(decideAt(r).nextAttemptAt, kNow + 5'000) << "a 500's Retry-After is not honoured";
}

TEST(DeliveryVerdict, JitterSpreadsTheDelay) {
    const RetrySchedule jittered({10s}, 0.2);
    const auto early = decide(answered(500), {0}, jittered, 0.0, kNow);
    const auto late = decide(answered(500), {0}, jittered, 0.999999, kNow);
    EXPECT_EQ(early.nextAttemptAt, kNow + 8'000);
    EXPECT_NEAR(static_cast<double>(*late.nextAttemptAt), kNow + 12'000, 1.0);
}

TEST(DeliveryVerdict, AProviderMayDisableTheIntegration) {  // Zapier's 410
    AttemptReport r = answered(410);
    r.providerVerdict = sdk::Verdict::DisableIntegration;
    r.providerReason = "the Zap was turned off (410 Gone)";
    const auto v = decideAt(r);
    EXPECT_EQ(v.delivery, DeliveryStatus::Failed) << "no more attempts";
    EXPECT_TRUE(v.exhausted);
    EXPECT_EQ(v.disableReason, "the Zap was turned off (410 Gone)");
    EXPECT_EQ(v.error, "the Zap was turned off (410 Gone)");

    r.providerReason.clear();
    EXPECT_EQ(decideAt(r).disableReason, "the receiver asked for no more deliveries (HTTP 410)");
}

TEST(DeliveryVerdict, AProviderMayFailPermanentlyOrCallAnyAnswerASuccessOrARetry) {
    AttemptReport permanent = answered(422);
    permanent.providerVerdict = sdk::Verdict::FailPermanently;
    permanent.providerReason = "the table is gone";
    EXPECT_EQ(decideAt(permanent).delivery, DeliveryStatus::Failed);
    EXPECT_EQ(decideAt(permanent).disableReason, "");

    AttemptReport success = answered(404);
    success.providerVerdict = sdk::Verdict::Success;
    success.allPartsAccepted = true;
    EXPECT_EQ(decideAt(success).delivery, DeliveryStatus::Succeeded);

    AttemptReport retry = answered(200);
    retry.providerVerdict = sdk::Verdict::Retry;
    retry.providerReason = "the receiver said it was busy";
    const auto v = decideAt(retry);
    EXPECT_EQ(v.delivery, DeliveryStatus::Pending);
    EXPECT_EQ(v.error, "the receiver said it was busy");
}

TEST(DeliveryVerdict, ATargetThatCannotBeUsedIsRetriedUnlessItNeverCanBe) {
    AttemptReport r;
    r.stage = AttemptReport::Stage::TargetUnusable;
    r.problem = "the integration's secrets cannot be decrypted";
    EXPECT_EQ(decideAt(r).delivery, DeliveryStatus::Pending);
    r.targetProblemIsFinal = true;
    r.problem = "provider \"hubspot\" is not live yet";
    const auto v = decideAt(r);
    EXPECT_EQ(v.delivery, DeliveryStatus::Failed);
    EXPECT_EQ(v.error, "provider \"hubspot\" is not live yet");
}

TEST(DeliveryVerdict, ARenderFailureIsRetriedAndNothingToSendSucceeds) {
    AttemptReport render;
    render.stage = AttemptReport::Stage::RenderFailed;
    render.problem = "plugin chat failed to render: boom";
    EXPECT_EQ(decideAt(render).delivery, DeliveryStatus::Pending);
    EXPECT_EQ(decideAt(render).error, "plugin chat failed to render: boom");

    AttemptReport nothing;
    nothing.stage = AttemptReport::Stage::NothingToSend;
    const auto v = decideAt(nothing);
    EXPECT_EQ(v.delivery, DeliveryStatus::Succeeded);
    EXPECT_EQ(v.error, "the provider had nothing to send");
}

TEST(DeliveryVerdict, APartOfAMultiRequestRenderingFailingFailsTheAttempt) {
    AttemptReport r = answered(200);
    r.allPartsAccepted = false;  // an earlier row was accepted, this one was not (Clay)
    r.status = 500;
    EXPECT_EQ(decideAt(r).delivery, DeliveryStatus::Pending);
}

TEST(DeliveryVerdict, ASuccessKeepsANoteAboutATruncatedBody) {
    AttemptReport r = answered(200);
    r.transportError = "response body larger than 1 MiB: read no further";
    const auto v = decideAt(r);
    EXPECT_EQ(v.delivery, DeliveryStatus::Succeeded);
    EXPECT_EQ(v.error, "response body larger than 1 MiB: read no further");
}

// What an answer says about the receiver's capacity (SPEC §15, politeness).
TEST(ReceiverAnswer, TimeoutsConnectionErrorsAndOverloadStatusesSaySlowDown) {
    using Answer = AdaptiveConcurrency::Answer;
    AttemptReport noAnswer;
    noAnswer.transportError = "timed out after 10000 ms";
    EXPECT_EQ(receiverAnswer(noAnswer), Answer::SlowDown);
    for (int status : {429, 502, 503, 504}) EXPECT_EQ(receiverAnswer(answered(status)), Answer::SlowDown) << status;
    for (int status : {200, 204, 301, 400, 404, 410, 500, 501}) {
        EXPECT_EQ(receiverAnswer(answered(status)), Answer::InTime) << status;
    }
    AttemptReport notSent;
    notSent.stage = AttemptReport::Stage::RenderFailed;
    EXPECT_EQ(receiverAnswer(notSent), Answer::Neutral) << "nothing reached the receiver";
    notSent.stage = AttemptReport::Stage::TargetUnusable;
    EXPECT_EQ(receiverAnswer(notSent), Answer::Neutral);
}

}  // namespace
}  // namespace smbhub::delivery
