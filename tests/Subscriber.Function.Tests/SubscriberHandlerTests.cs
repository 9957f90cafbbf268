using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Subscriber.Function.Tests.Infrastructure;
using static Subscriber.Function.Tests.Infrastructure.ApiEvents;

namespace Subscriber.Function.Tests;

/// <summary>The handler over real sockets against a local Topics server.</summary>
public sealed class SubscriberHandlerTests
{
    [Fact]
    public async Task HandleAsync_SameValueTwice_CountsOneDuplicate()
    {
        await using var harness = await SubscriberHarness.StartAsync();
        var topic = SubscriberHarness.NewTopic();
        var subscribed = harness.SubscribedAsync(topic);
        var invocation = harness.InvokeDirectAsync($$"""{"topic":"{{topic}}","listenMs":5000,"count":3}""");
        await subscribed.DefaultTimeout();

        await harness.PublishAsync(topic, "retried");
        await harness.PublishAsync(topic, "other");
        await harness.PublishAsync(topic, "retried");
        var result = await invocation.DefaultTimeout();

        Assert.Equal(3, result.GetProperty("items").GetArrayLength());
        Assert.Equal(1, result.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task HandleAsync_DirectCountMet_ReturnsTextAndBinaryItemsInOrder()
    {
        await using var harness = await SubscriberHarness.StartAsync();
        var topic = SubscriberHarness.NewTopic();
        var subscribed = harness.SubscribedAsync(topic);
        var invocation = harness.InvokeDirectAsync($$"""{"topic":"{{topic}}","listenMs":5000,"count":2}""");
        await subscribed.DefaultTimeout();

        byte[] bytes = [0, 1, 2, 0xFE, 0xFF];
        await harness.PublishAsync(topic, "first value");
        await harness.PublishAsync(topic, bytes);
        var result = await invocation.DefaultTimeout();

        Assert.Equal(topic, result.GetProperty("topic").GetString());
        Assert.Equal("count:2", result.GetProperty("condition").GetString());
        Assert.True(result.GetProperty("conditionMet").GetBoolean());
        Assert.True(result.GetProperty("subscribed").GetBoolean());
        Assert.True(result.GetProperty("heartbeats").GetInt32() >= 1);
        Assert.False(result.GetProperty("itemsTruncated").GetBoolean());
        Assert.Empty(result.GetProperty("discontinuities").EnumerateArray());
        var items = result.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(0, result.GetProperty("duplicates").GetInt32());

        Assert.Equal("text", items[0].GetProperty("type").GetString());
        Assert.Equal("first value", items[0].GetProperty("text").GetString());
        Assert.Equal(1UL, items[0].GetProperty("sequenceNumber").GetUInt64());
        Assert.Equal(string.Empty, items[0].GetProperty("publisherId").GetString());

        Assert.Equal("binary", items[1].GetProperty("type").GetString());
        Assert.Equal(Convert.ToBase64String(bytes), items[1].GetProperty("base64").GetString());
        Assert.False(items[1].TryGetProperty("text", out _));
        Assert.Equal(2UL, items[1].GetProperty("sequenceNumber").GetUInt64());
        Assert.Equal(items[0].GetProperty("sequencePage").GetUInt64(), items[1].GetProperty("sequencePage").GetUInt64());
        Assert.Equal(string.Empty, items[1].GetProperty("publisherId").GetString());
    }

    public static TheoryData<Shape, string, string, string> ApiConditions => new()
    {
        // shape, method, condition (JSON fields / query), expected condition text
        { Shape.RestV1, "POST", "equals=probe-42", "equals" },
        { Shape.RestV1, "GET", "count=2", "count:2" },
        { Shape.HttpApiV2, "POST", "contains=probe-4", "contains" },
        { Shape.HttpApiV2, "GET", "equals=probe-42", "equals" },
    };

    [Theory]
    [MemberData(nameof(ApiConditions))]
    public async Task HandleAsync_ApiEventConditionMet_Answers200WithWhatItSaw(Shape shape, string method, string condition, string expectedCondition)
    {
        await using var harness = await SubscriberHarness.StartAsync();
        var topic = SubscriberHarness.NewTopic();
        var (name, value) = (condition.Split('=')[0], condition.Split('=')[1]);
        var request = method == "GET"
            ? Build(shape, "GET", "/verify", body: null, contentType: null, query: new Dictionary<string, string> { ["topic"] = topic, ["listenMs"] = "5000", [name] = value })
            : Build(shape, "POST", "/verify", name == "count"
                ? $$"""{"topic":"{{topic}}","listenMs":5000,"count":{{value}}}"""
                : $$"""{"topic":"{{topic}}","listenMs":5000,"{{name}}":"{{value}}"}""");
        var subscribed = harness.SubscribedAsync(topic);
        var invocation = harness.InvokeAsync(request);
        await subscribed.DefaultTimeout();

        await harness.PublishAsync(topic, "unrelated");
        await harness.PublishAsync(topic, "probe-42");
        var answer = Decode(await invocation.DefaultTimeout());

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("application/json", answer.Headers["Content-Type"]);
        Assert.True(answer.Body.GetProperty("conditionMet").GetBoolean());
        Assert.Equal(expectedCondition, answer.Body.GetProperty("condition").GetString());
        var texts = answer.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()).ToList();
        Assert.Equal(["unrelated", "probe-42"], texts);
    }

    [Fact]
    public async Task HandleAsync_NothingPublished_TimesOutWithHeartbeatsAndConditionNotMet()
    {
        // The session's clock is fake: it ends when the test moves time past listenMs, not after a wall-clock wait.
        var time = new FakeTimeProvider();
        await using var harness = await SubscriberHarness.StartAsync(time: time);
        var topic = SubscriberHarness.NewTopic();

        var invocation = harness.InvokeDirectAsync($$"""{"topic":"{{topic}}","listenMs":600,"equals":"never"}""");
        var heartbeatsSeen = 0;
        await harness.Log.WaitForLineAsync(line => SubscriberHarness.IsEvent(line, topic, "heartbeat") && ++heartbeatsSeen >= 3).DefaultTimeout();
        time.Advance(TimeSpan.FromMilliseconds(600));
        var result = await invocation.DefaultTimeout();

        Assert.False(result.GetProperty("conditionMet").GetBoolean());
        Assert.True(result.GetProperty("subscribed").GetBoolean());
        Assert.Empty(result.GetProperty("items").EnumerateArray());
        Assert.Equal(600, result.GetProperty("listenedMs").GetDouble());
        // Every heartbeat the session counted was logged, and it counted at least the three the test waited for.
        var heartbeats = result.GetProperty("heartbeats").GetInt32();
        Assert.True(heartbeats >= 3, $"only {heartbeats} heartbeats");
        Assert.Equal(heartbeats, harness.Log.Lines.Count(line => SubscriberHarness.IsEvent(line, topic, "heartbeat")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HandleAsync_ListenLongerThanDeadline_ListensUntilTheDeadlineLessTheMarginAndNoLonger(bool publishInTheLastMillisecond)
    {
        var time = new FakeTimeProvider();
        await using var harness = await SubscriberHarness.StartAsync(time: time);
        var topic = SubscriberHarness.NewTopic();
        var deadline = TimeSpan.FromMilliseconds(1500);
        var budget = deadline - SubscriberSettings.DeadlineMargin;
        var listened = publishInTheLastMillisecond ? budget - TimeSpan.FromMilliseconds(1) : budget;

        var invocation = harness.InvokeDirectAsync($$"""{"topic":"{{topic}}","listenMs":5000,"count":1}""", deadline);
        await harness.SubscribedAsync(topic).DefaultTimeout();
        time.Advance(listened);
        if (publishInTheLastMillisecond)
        {
            await harness.PublishAsync(topic, "just in time");
        }

        var result = await invocation.DefaultTimeout();

        // Still listening 1 ms before its budget (the deadline less the margin left to answer), over once it is spent.
        Assert.Equal(publishInTheLastMillisecond, result.GetProperty("conditionMet").GetBoolean());
        Assert.Equal(listened.TotalMilliseconds, result.GetProperty("listenedMs").GetDouble());
    }

    [Fact]
    public async Task HandleAsync_TopicResetWhileListening_ReportsTheDiscontinuity()
    {
        await using var harness = await SubscriberHarness.StartAsync();
        var topic = SubscriberHarness.NewTopic();
        var subscribed = harness.SubscribedAsync(topic);
        var firstItem = harness.EventLoggedAsync(topic, "text");
        var discontinuity = harness.EventLoggedAsync(topic, "discontinuity");
        var invocation = harness.InvokeDirectAsync($$"""{"topic":"{{topic}}","listenMs":5000,"count":2}""");
        await subscribed.DefaultTimeout();

        await harness.PublishAsync(topic, "before reset");
        await firstItem.DefaultTimeout();
        harness.Server.ResetTopic(SubscriberHarness.Cache, topic);
        await discontinuity.DefaultTimeout();
        await harness.PublishAsync(topic, "after reset");
        var result = await invocation.DefaultTimeout();

        Assert.True(result.GetProperty("conditionMet").GetBoolean());
        var items = result.GetProperty("items").EnumerateArray().ToList();
        var gap = Assert.Single(result.GetProperty("discontinuities").EnumerateArray());
        Assert.Equal(1UL, gap.GetProperty("lastSequenceNumber").GetUInt64());
        var newPage = gap.GetProperty("newSequencePage").GetUInt64();
        Assert.NotEqual(items[0].GetProperty("sequencePage").GetUInt64(), newPage);
        Assert.Equal(newPage, items[1].GetProperty("sequencePage").GetUInt64());
        Assert.Equal(1UL, items[1].GetProperty("sequenceNumber").GetUInt64());
        Assert.Equal("after reset", items[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task HandleAsync_UnknownCache_Answers502ProblemForApiAndDirect()
    {
        await using var harness = await SubscriberHarness.StartAsync(functionCache: "no-such-cache");
        var topic = SubscriberHarness.NewTopic();

        var answer = Decode(await harness.InvokeAsync(Rest("POST", "/verify", $$"""{"topic":"{{topic}}","listenMs":3000}""", "application/json", null)).DefaultTimeout());
        var direct = await harness.InvokeDirectAsync($$"""{"topic":"{{topic}}","listenMs":3000}""").DefaultTimeout();

        Assert.Equal(502, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Headers["Content-Type"]);
        Assert.EndsWith("/upstream-misconfigured", answer.Body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(502, answer.Body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("no-such-cache", answer.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(502, direct.GetProperty("status").GetInt32());
        Assert.EndsWith("/upstream-misconfigured", direct.GetProperty("type").GetString(), StringComparison.Ordinal);
        // The operators get the Momento error code in the log.
        Assert.Contains(harness.Log.Lines, line => line.Contains("\"errorCode\":\"NOT_FOUND_ERROR\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_ItemsReceived_LogsEachEventAsJsonWithoutValues()
    {
        await using var harness = await SubscriberHarness.StartAsync();
        var topic = SubscriberHarness.NewTopic();
        const string secretText = "value-that-must-not-be-logged";
        byte[] secretBytes = [0x53, 0x45, 0x43, 0x52, 0x45, 0x54, 0x21];
        var subscribed = harness.SubscribedAsync(topic);
        var invocation = harness.InvokeDirectAsync($$"""{"topic":"{{topic}}","listenMs":5000,"count":2}""");
        await subscribed.DefaultTimeout();
        await harness.PublishAsync(topic, secretText);
        await harness.PublishAsync(topic, secretBytes);
        await invocation.DefaultTimeout();

        var lines = harness.Log.Lines;
        var events = new List<JsonElement>();
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(document.RootElement.TryGetProperty("timestamp", out _));
            Assert.True(document.RootElement.TryGetProperty("level", out _));
            if (document.RootElement.GetProperty("message").GetString() == "topic event")
            {
                events.Add(document.RootElement.Clone());
            }
        }

        Assert.DoesNotContain(lines, line => line.Contains(secretText, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(Convert.ToBase64String(secretBytes), StringComparison.Ordinal));
        var text = Assert.Single(events, e => e.GetProperty("kind").GetString() == "text");
        Assert.Equal(secretText.Length, text.GetProperty("bytes").GetInt32());
        Assert.Equal(1UL, text.GetProperty("sequenceNumber").GetUInt64());
        var binary = Assert.Single(events, e => e.GetProperty("kind").GetString() == "binary");
        Assert.Equal(secretBytes.Length, binary.GetProperty("bytes").GetInt32());
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "heartbeat");
        Assert.All(events, e => Assert.Equal(topic, e.GetProperty("topic").GetString()));

        var summary = Assert.Single(lines, line => line.Contains("\"message\":\"verification\"", StringComparison.Ordinal));
        using var summaryDocument = JsonDocument.Parse(summary);
        Assert.True(summaryDocument.RootElement.GetProperty("conditionMet").GetBoolean());
        Assert.Equal(2, summaryDocument.RootElement.GetProperty("items").GetInt32());
    }
}
