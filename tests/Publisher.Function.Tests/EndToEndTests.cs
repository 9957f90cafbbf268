using System.Text;
using Functions.Common.Http;
using Momento.Topics.Client;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>Handler → local Topics server over real sockets → a subscriber that must see exactly what was published.</summary>
public sealed class EndToEndTests : IClassFixture<LocalServerFixture>
{
    private readonly LocalServerFixture _fixture;

    public EndToEndTests(LocalServerFixture fixture) => _fixture = fixture;

    public static TheoryData<EventShape> Shapes() => [.. TestEvents.Shapes];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task HandleAsync_EveryWayToPublish_SubscriberReceivesExactValuesInOrder(EventShape shape)
    {
        var topic = "e2e-" + Guid.NewGuid().ToString("N");
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));
        await using var subscriber = await Subscription.StartAsync(_fixture.Server, topic);

        static Dictionary<string, string> ContentType(string value) => new() { ["Content-Type"] = value };
        string[] events =
        [
            TestEvents.PostJson(shape, "/topics", $$"""{"topicName":"{{topic}}","topicValue":"héllo wörld ✓"}"""),
            TestEvents.PostJson(shape, "/topics", $$"""{"topicName":"{{topic}}","topicValueBase64":"AAEC/v8="}"""),
            TestEvents.Build(shape, "POST", "/topics/" + topic, "plain text", ContentType("text/plain; charset=utf-8")),
            TestEvents.Build(shape, "POST", "/topics/" + topic, """{"k":[1,2]}""", ContentType("application/json")),
            TestEvents.Build(shape, "POST", "/topics/" + topic, Convert.ToBase64String(new byte[] { 9, 8, 7, 0 }), ContentType("application/octet-stream"), base64: true),
            TestEvents.Build(shape, "POST", "/topics/" + topic, "no type", null),
            TestEvents.Build(shape, "POST", "/topics/" + topic, Convert.ToBase64String(Encoding.UTF8.GetBytes("base64 text")), ContentType("text/plain"), base64: true),
            TestEvents.PostJson(shape, "/batch", $$"""{"messages":[{"topicName":"{{topic}}","topicValue":"from batch"}]}"""),
        ];

        foreach (var eventJson in events)
        {
            var invocation = await host.InvokeAsync(eventJson);
            Assert.Equal(200, invocation.Response.StatusCode);
        }

        var items = await subscriber.ItemsAsync(events.Length);

        Assert.Equal("héllo wörld ✓", Assert.IsType<TopicEvent.TextItem>(items[0]).Value);
        Assert.Equal([0, 1, 2, 254, 255], Assert.IsType<TopicEvent.BinaryItem>(items[1]).Value);
        Assert.Equal("plain text", Assert.IsType<TopicEvent.TextItem>(items[2]).Value);
        Assert.Equal("""{"k":[1,2]}""", Assert.IsType<TopicEvent.TextItem>(items[3]).Value);
        Assert.Equal([9, 8, 7, 0], Assert.IsType<TopicEvent.BinaryItem>(items[4]).Value);
        Assert.Equal("no type"u8.ToArray(), Assert.IsType<TopicEvent.BinaryItem>(items[5]).Value);
        Assert.Equal("base64 text", Assert.IsType<TopicEvent.TextItem>(items[6]).Value);
        Assert.Equal("from batch", Assert.IsType<TopicEvent.TextItem>(items[7]).Value);
        AssertConsecutive(items);
    }

    [Fact]
    public async Task HandleAsync_BatchToOneTopic_SubscriberReceivesEveryMessageOnce()
    {
        var topic = "e2e-batch-" + Guid.NewGuid().ToString("N");
        await using var host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));
        await using var subscriber = await Subscription.StartAsync(_fixture.Server, topic);
        var values = Enumerable.Range(1, 20).Select(i => "message " + i).ToList();
        var body = "{\"messages\":[" + string.Join(',', values.Select(v => $$"""{"topicName":"{{topic}}","topicValue":"{{v}}"}""")) + "]}";

        var invocation = await host.InvokeAsync(TestEvents.PostJson(EventShape.HttpApiV2, "/batch", body));

        Assert.Equal(200, invocation.Response.StatusCode);
        var items = await subscriber.ItemsAsync(values.Count);
        // Published concurrently, so the order is the server's; each value arrives exactly once.
        Assert.Equal(values.Order(), items.Select(i => Assert.IsType<TopicEvent.TextItem>(i).Value).Order());
        AssertConsecutive(items);
        Assert.True(await subscriber.NoMoreItemsAsync());
    }

    private static void AssertConsecutive(IReadOnlyList<TopicEvent> items)
    {
        var numbers = items.Select(i => i switch
        {
            TopicEvent.TextItem t => t.SequenceNumber,
            TopicEvent.BinaryItem b => b.SequenceNumber,
            _ => throw new InvalidOperationException("not an item"),
        }).ToList();
        for (var i = 1; i < numbers.Count; i++)
        {
            Assert.Equal(numbers[i - 1] + 1, numbers[i]);
        }
    }
}
