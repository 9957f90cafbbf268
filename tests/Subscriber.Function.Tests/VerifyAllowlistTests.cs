using Publisher.Contracts;
using Subscriber.Function.Tests.Infrastructure;
using static Subscriber.Function.Tests.Infrastructure.ApiEvents;

namespace Subscriber.Function.Tests;

/// <summary>/verify honours the publisher's topic allowlist (ALLOWED_TOPIC_PREFIXES): a caller cannot listen outside it.</summary>
public sealed class VerifyAllowlistTests
{
    private static readonly Dictionary<string, string> OrdersOnly = new() { [EnvironmentVariables.AllowedTopicPrefixes] = "orders-,audit-" };

    [Theory]
    [InlineData(Shape.RestV1, "GET")]
    [InlineData(Shape.HttpApiV2, "POST")]
    public async Task HandleAsync_TopicOutsideTheAllowlist_Answers403WithoutSubscribing(Shape shape, string method)
    {
        await using var harness = await SubscriberHarness.StartAsync(extraEnvironment: OrdersOnly);
        var eventJson = method == "GET"
            ? Build(shape, "GET", "/verify", query: new Dictionary<string, string> { ["topic"] = "payroll", ["listenMs"] = "200" })
            : Build(shape, "POST", "/verify", """{"topic":"payroll","listenMs":200}""");

        var answer = Decode(await harness.InvokeAsync(eventJson).DefaultTimeout());
        var direct = await harness.InvokeDirectAsync("""{"topic":"payroll","listenMs":200}""").DefaultTimeout();

        Assert.Equal(403, answer.StatusCode);
        Assert.EndsWith("/" + HttpContract.ProblemTypes.ForbiddenTopic, answer.Body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("topic", answer.Body.GetProperty("field").GetString());
        Assert.Equal(403, direct.GetProperty("status").GetInt32());
        Assert.DoesNotContain(harness.Log.Lines, line => line.Contains("\"message\":\"topic event\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_TopicUnderAnAllowedPrefix_Listens()
    {
        await using var harness = await SubscriberHarness.StartAsync(extraEnvironment: OrdersOnly);
        var subscribed = harness.SubscribedAsync("audit-7");
        var invocation = harness.InvokeDirectAsync("""{"topic":"audit-7","listenMs":5000,"equals":"probe"}""");
        await subscribed.DefaultTimeout();

        await harness.PublishAsync("audit-7", "probe");
        var result = await invocation.DefaultTimeout();

        Assert.True(result.GetProperty("conditionMet").GetBoolean(), result.ToString());
    }
}
