using System.Text.Json.Nodes;
using Functions.Common.Http;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// Shapes AWS documents that the stack's own events do not use, built from the published samples: the publisher
/// serves the API Gateway ones as it serves its own and answers any other service's event with a 400 saying so.
/// </summary>
public sealed class RealWorldEventTests : IClassFixture<LocalServerFixture>, IAsyncLifetime
{
    private const string Json = """{"topicName":"real-world","topicValue":"v"}""";

    private readonly LocalServerFixture _fixture;
    private FunctionHost _host = null!;

    public RealWorldEventTests(LocalServerFixture fixture) => _fixture = fixture;

    public async Task InitializeAsync() => _host = await FunctionHost.InitializeAsync(FunctionHost.LocalSettings(_fixture.Server));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Served() =>
    [
        // REST: headers null, only multiValueHeaders; a header name in capitals; an authorizer context with nested objects and numbers; stage variables.
        "rest multiValueHeaders only",
        "rest header name in capitals",
        "rest authorizer context and stage variables",
        // HTTP API: cookies and a Lambda authorizer context; a function URL ($default, routed on rawPath).
        "http api cookies and lambda authorizer",
        "function url",
    ];

    [Theory]
    [MemberData(nameof(Served))]
    public async Task HandleAsync_DocumentedApiGatewayShape_Publishes(string name)
    {
        var answer = await _host.InvokeAsync(Event(name).ToJsonString());

        Assert.True(answer.Response.StatusCode == 200, $"{name}: {answer.Response.Raw}");
        Assert.Equal("real-world", answer.Response.Json.GetProperty("topic").GetString());
    }

    [Theory]
    [InlineData("sqs", """{"Records":[{"messageId":"1","body":"hi","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:1:q"}]}""")]
    [InlineData("s3", """{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k","size":1}}}]}""")]
    [InlineData("scheduled", """{"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","time":"2020-01-01T00:00:00Z","detail":{}}""")]
    [InlineData("websocket", """{"requestContext":{"routeKey":"$default","eventType":"MESSAGE","connectionId":"c","stage":"dev"},"body":"{}","isBase64Encoded":false}""")]
    public async Task HandleAsync_AnotherServicesEvent_400NotAnApiGatewayEvent(string name, string payload)
    {
        var answer = await _host.InvokeAsync(payload);

        var problem = answer.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
        Assert.True(problem.GetProperty("detail").GetString()!.StartsWith("This is not an API Gateway event", StringComparison.Ordinal), name);
    }

    [Theory]
    [InlineData(null, "The body is empty")]
    [InlineData("", "The body is empty")]
    [InlineData("\uFEFF" + Json, "byte order mark")]
    public async Task HandleAsync_JsonRouteBodyEmptyOrWithByteOrderMark_400SaysWhich(string? body, string expected)
    {
        foreach (var shape in TestEvents.Shapes)
        {
            var answer = await _host.InvokeAsync(TestEvents.Build(shape, "POST", "/topics", body, new Dictionary<string, string> { ["Content-Type"] = "application/json" }));

            var problem = answer.Response.AssertProblem(400, ProblemTypes.InvalidRequest);
            Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private static JsonObject Event(string name)
    {
        var rest = name.StartsWith("rest", StringComparison.Ordinal);
        var root = JsonNode.Parse(TestEvents.PostJson(rest ? EventShape.RestApiV1 : EventShape.HttpApiV2, "/topics", Json))!.AsObject();
        switch (name)
        {
            case "rest multiValueHeaders only":
                root["multiValueHeaders"] = new JsonObject { ["Content-Type"] = new JsonArray("application/json"), ["Accept"] = new JsonArray("*/*", "text/plain") };
                root["headers"] = null;
                break;
            case "rest header name in capitals":
                root["headers"] = new JsonObject { ["CONTENT-TYPE"] = "application/json" };
                break;
            case "rest authorizer context and stage variables":
                root["requestContext"]!["authorizer"] = JsonNode.Parse(
                    """{"principalId":"user","integrationLatency":12,"claims":{"sub":"x","groups":["a","b"],"nested":{"deep":[1,2.5,{"t":true}]}},"big":1.5e300,"none":null}""");
                root["stageVariables"] = new JsonObject { ["alias"] = "live", ["empty"] = string.Empty };
                break;
            case "http api cookies and lambda authorizer":
                root["cookies"] = new JsonArray("session=abc", "theme=dark");
                root["requestContext"]!["authorizer"] = JsonNode.Parse("""{"lambda":{"tenant":{"id":7,"tags":["x"]},"big":123456789012345678901234567890}}""");
                break;
            case "function url":
                root["routeKey"] = "$default";
                root["requestContext"]!["routeKey"] = "$default";
                root["requestContext"]!["domainName"] = "abc.lambda-url.us-east-1.on.aws";
                root["pathParameters"] = null;
                break;
        }

        return root;
    }
}
