using System.Text.Json.Nodes;
using Functions.Common.Http;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// The publisher routes on the route API Gateway matched (REST <c>resource</c>, HTTP API <c>routeKey</c>), not on the
/// path, so it works unchanged behind a custom domain's base path, named stages and greedy proxies. Every event is
/// shaped as API Gateway sends it for that setup.
/// </summary>
public sealed class RoutingTests : IClassFixture<LocalServerFixture>, IAsyncLifetime
{
    private const string Json = """{"topicName":"routed","topicValue":"v"}""";

    private static readonly Dictionary<string, string> JsonType = new() { ["Content-Type"] = "application/json" };
    private static readonly Dictionary<string, string> TextType = new() { ["Content-Type"] = "text/plain" };

    private readonly LocalServerFixture _fixture;
    private FunctionHost _host = null!;

    public RoutingTests(LocalServerFixture fixture) => _fixture = fixture;

    public async Task InitializeAsync() => _host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(EventShape.RestApiV1)]
    [InlineData(EventShape.HttpApiV2)]
    public async Task HandleAsync_CustomDomainBasePath_RoutesOnTheMatchedRoute(EventShape shape)
    {
        var topicsEvent = TestEvents.Build(shape, "POST", "/topics", Json, JsonType, basePath: "messaging");
        var topics = await _host.InvokeAsync(topicsEvent);
        var raw = await _host.InvokeAsync(TestEvents.Build(shape, "POST", "/topics/a%20b", "v", TextType, basePath: "messaging"));

        Assert.Equal("/messaging/topics", JsonNode.Parse(topicsEvent)![shape == EventShape.RestApiV1 ? "path" : "rawPath"]!.GetValue<string>());
        Assert.Equal(200, topics.Response.StatusCode);
        Assert.Equal("/topics", topics.Record.GetProperty("route").GetString());
        Assert.Equal(200, raw.Response.StatusCode);
        Assert.Equal("a b", raw.Response.Json.GetProperty("topic").GetString());
        Assert.Equal("/topics/{topicName}", raw.Record.GetProperty("route").GetString());
    }

    [Fact]
    public async Task HandleAsync_RestGreedyProxy_RoutesOnTheProxyParameter()
    {
        // resource "/{proxy+}" behind a base path: the path has the base path, the proxy parameter the rest, decoded.
        var topics = Rest("POST", "/messaging/topics", "/{proxy+}", new JsonObject { ["proxy"] = "topics" }, Json, "application/json");
        var raw = Rest("POST", "/messaging/topics/caf%C3%A9", "/{proxy+}", new JsonObject { ["proxy"] = "topics/café" }, "v", "text/plain");
        var deeper = Rest("POST", "/messaging/topics/a/b", "/{proxy+}", new JsonObject { ["proxy"] = "topics/a/b" }, "v", "text/plain");

        Assert.Equal(200, (await _host.InvokeAsync(topics)).Response.StatusCode);
        var rawAnswer = await _host.InvokeAsync(raw);
        Assert.Equal("café", rawAnswer.Response.Json.GetProperty("topic").GetString());
        var problem = (await _host.InvokeAsync(deeper)).Response.AssertProblem(404, ProblemTypes.NotFound);
        Assert.Contains("/messaging/topics/a/b", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_TopicParameterHoldingASlash_IsOneTopicName()
    {
        // A REST resource /topics/{topicName} matched "a%2Fb": API Gateway decodes the parameter to "a/b".
        var invocation = await _host.InvokeAsync(TestEvents.Build(EventShape.RestApiV1, "POST", "/topics/a%2Fb", "v", TextType));

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal("a/b", invocation.Response.Json.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task HandleAsync_HttpApiRouteKeyOnANamedStage_RoutesOnTheRouteKey()
    {
        var staged = TestEvents.Build(EventShape.HttpApiV2, "POST", "/topics/staged", "v", TextType, stage: "live", basePath: "messaging");

        var invocation = await _host.InvokeAsync(staged);

        Assert.Equal("/live/messaging/topics/staged", JsonNode.Parse(staged)!["rawPath"]!.GetValue<string>());
        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal("staged", invocation.Response.Json.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task HandleAsync_FunctionUrl_RoutesOnTheRawPath()
    {
        // Function URLs send routeKey "$default", stage "$default" and no path parameters.
        var url = JsonNode.Parse(TestEvents.Build(EventShape.HttpApiV2, "POST", "/topics/by-url", "v", TextType))!;
        url["routeKey"] = "$default";
        url["requestContext"]!["routeKey"] = "$default";
        url["pathParameters"] = null;

        var invocation = await _host.InvokeAsync(url.ToJsonString());

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal("by-url", invocation.Response.Json.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task HandleAsync_TemplateWithoutItsParameter_FallsBackToThePath()
    {
        var invocation = await _host.InvokeAsync(Rest("POST", "/topics/from-path", "/topics/{topicName}", null, "v", "text/plain"));

        Assert.Equal(200, invocation.Response.StatusCode);
        Assert.Equal("from-path", invocation.Response.Json.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task HandleAsync_RawPathEscapeThatIsNotUtf8_Answers400NamingThePath()
    {
        // Only a route read from the path decodes it; $default routes and function URLs do.
        var invocation = await _host.InvokeAsync(TestEvents.Build(EventShape.HttpApiV2, "POST", "/nowhere/%FF", "v", TextType));

        invocation.Response.AssertProblem(400, ProblemTypes.InvalidRequest, "path");
    }

    private static string Rest(string method, string path, string resource, JsonObject? parameters, string body, string contentType)
    {
        var root = JsonNode.Parse(TestEvents.Build(EventShape.RestApiV1, method, "/", body, new Dictionary<string, string> { ["Content-Type"] = contentType }))!;
        root["path"] = path;
        root["resource"] = resource;
        root["pathParameters"] = parameters;
        root["requestContext"]!["resourcePath"] = resource;
        return root.ToJsonString();
    }
}
