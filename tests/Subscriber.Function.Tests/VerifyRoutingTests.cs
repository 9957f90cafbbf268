using System.Text.Json.Nodes;
using Subscriber.Function.Tests.Infrastructure;
using static Subscriber.Function.Tests.Infrastructure.ApiEvents;

namespace Subscriber.Function.Tests;

/// <summary>
/// <c>/verify</c> is found by the route API Gateway matched, behind custom domains, named stages and greedy proxies;
/// payloads that are not requests at all, and text that is not Unicode, are 400 problems that say so.
/// </summary>
public sealed class VerifyRoutingTests : IAsyncLifetime
{
    private SubscriberHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SubscriberHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string, string> MatchedRoutes() => new()
    {
        // REST behind a custom domain's base path: the path has it, the resource does not.
        { "rest base path", Patch(Rest("GET", "/verify", null, null, null), ("path", "/messaging/verify")) },

        // REST greedy proxy: the rest of the path in pathParameters.proxy.
        { "rest proxy", Patch(Rest("GET", "/verify", null, null, null), ("path", "/messaging/verify"), ("resource", "/{proxy+}"), ("pathParameters", new JsonObject { ["proxy"] = "verify" })) },

        // HTTP API route on a named stage behind a base path: the route key names the route.
        { "http api route key", Patch(HttpApi("GET", "/live/messaging/verify", null, null, null), ("routeKey", "GET /verify")) },

        // HTTP API $default route on a named stage: the raw path below the stage.
        { "http api default", PatchContext(HttpApi("GET", "/live/verify", null, null, null), ("stage", "live")) },
    };

    [Theory]
    [MemberData(nameof(MatchedRoutes))]
    public async Task HandleAsync_VerifyBehindAnyMapping_IsRouted(string setup, string eventJson)
    {
        // Routed: the request is read (and refused for its missing topic) instead of answered 404.
        var answer = Decode(await _harness.InvokeAsync(eventJson).DefaultTimeout());

        Assert.True(answer.StatusCode == 400, setup);
        Assert.Equal("topic", answer.Body.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"Records":[{"eventSource":"aws:sqs","messageId":"1","body":"hi"}]}""")]
    [InlineData("""{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"}}}]}""")]
    public async Task HandleAsync_NeitherAnEventNorAVerifyRequest_Answers400SayingSo(string payload)
    {
        var problem = await _harness.InvokeDirectAsync(payload).DefaultTimeout();

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("This is not an API Gateway event", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"topic":"\ud800"}""", "topic")]
    [InlineData("""{"topic":"t","equals":"x\udc00"}""", "equals")]
    [InlineData("""{"topic":"t","\ud800":1}""", @"['\uD800']")]
    public async Task HandleAsync_LoneSurrogateInARequest_Answers400NamingTheField(string request, string field)
    {
        var direct = await _harness.InvokeDirectAsync(request).DefaultTimeout();
        var viaApi = Decode(await _harness.InvokeAsync(Build(Shape.HttpApiV2, "POST", "/verify", request)).DefaultTimeout());

        Assert.Equal(400, direct.GetProperty("status").GetInt32());
        Assert.Equal(field, direct.GetProperty("field").GetString());
        Assert.Equal(400, viaApi.StatusCode);
        Assert.Equal(field, viaApi.Body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task HandleAsync_LoneSurrogateInTheQuery_Answers400NamingTheMember()
    {
        var eventJson = Build(Shape.RestV1, "GET", "/verify", query: new Dictionary<string, string> { ["topic"] = "PLACEHOLDER" })
            .Replace("PLACEHOLDER", "\\ud800", StringComparison.Ordinal);

        var answer = Decode(await _harness.InvokeAsync(eventJson).DefaultTimeout());

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("queryStringParameters.topic", answer.Body.GetProperty("field").GetString());
    }

    private static string Patch(string eventJson, params (string Name, JsonNode? Value)[] members)
    {
        var root = JsonNode.Parse(eventJson)!.AsObject();
        foreach (var (name, value) in members)
        {
            root[name] = value;
        }

        return root.ToJsonString();
    }

    private static string PatchContext(string eventJson, params (string Name, JsonNode? Value)[] members)
    {
        var root = JsonNode.Parse(eventJson)!.AsObject();
        foreach (var (name, value) in members)
        {
            root["requestContext"]![name] = value;
        }

        return root.ToJsonString();
    }
}
