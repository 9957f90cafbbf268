using System.Text.Json;
using Publisher.Contracts;

namespace Subscriber.Function.Tests;

/// <summary>Every answer the subscriber writes reads back with its own strict contract (as the deployment checker reads it).</summary>
public sealed class VerifyResultContractTests
{
    [Fact]
    public void VerifyResult_NeverSubscribedAndBothItemKinds_ReadsBackStrictly()
    {
        var result = new VerifyResult
        {
            Topic = "t",
            Condition = "count:2",
            ConditionMet = false,
            Subscribed = false,
            ListenedMs = 12.5,
            Heartbeats = 0,
            Items =
            [
                new VerifyItem { Type = "text", Text = "hello", SequenceNumber = 1, SequencePage = 7, PublisherId = "p" },
                new VerifyItem { Type = "binary", Base64 = [1, 2, 3], SequenceNumber = 2, SequencePage = 7, PublisherId = "p" },
            ],
            ItemsTruncated = false,
            Discontinuities = [new VerifyDiscontinuity(2, 9, 7)],
        };

        var json = JsonSerializer.Serialize(result, SubscriberJsonContext.Default.VerifyResult);
        var read = JsonSerializer.Deserialize(json, SubscriberJsonContext.Default.VerifyResult)!;

        // Omitted when null, and still readable.
        Assert.DoesNotContain("subscribedMs", json, StringComparison.Ordinal);
        Assert.Equal(json, JsonSerializer.Serialize(read, SubscriberJsonContext.Default.VerifyResult));
        Assert.Equal([1, 2, 3], read.Items[1].Base64);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"topic\":\"t\",\"condition\":\"c\",\"conditionMet\":true,\"subscribed\":true,\"listenedMs\":1,\"heartbeats\":1,\"itemsTruncated\":false,\"discontinuities\":[]}")]
    [InlineData("{\"topic\":\"t\",\"condition\":\"c\",\"conditionMet\":true,\"subscribed\":true,\"listenedMs\":1,\"heartbeats\":1,\"items\":null,\"itemsTruncated\":false,\"discontinuities\":[]}")]
    public void VerifyResult_MissingOrNullRequiredMember_IsRefused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, SubscriberJsonContext.Default.VerifyResult));
}
