using System.Text;
using System.Text.Json;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>The payload 2.0 event the local API builds for an HTTP API or a function URL has that door's shape.</summary>
public sealed class HttpApiEventTests
{
    [Theory]
    [InlineData("POST", "/topics", "POST /topics", null, null, RouteTarget.Publisher)]
    [InlineData("POST", "/topics/my%20topic", "POST /topics/{topicName}", "topicName", "my topic", RouteTarget.Publisher)]
    [InlineData("POST", "/topics/a%2Fb", "POST /topics/{topicName}", "topicName", "a/b", RouteTarget.Publisher)]
    [InlineData("POST", "/batch", "POST /batch", null, null, RouteTarget.Publisher)]
    [InlineData("GET", "/verify", "GET /verify", null, null, RouteTarget.Subscriber)]
    [InlineData("POST", "/verify", "POST /verify", null, null, RouteTarget.Subscriber)]
    [InlineData("GET", "/openapi.json", "GET /openapi.json", null, null, RouteTarget.Publisher)]
    [InlineData("GET", "/problems/not-found", "GET /problems/{slug}", "slug", "not-found", RouteTarget.Publisher)]
    [InlineData("GET", "/topics", "$default", null, null, RouteTarget.Publisher)]
    [InlineData("DELETE", "/verify", "$default", null, null, RouteTarget.Publisher)]
    [InlineData("POST", "/topics/t/extra", "$default", null, null, RouteTarget.Publisher)]
    [InlineData("POST", "/somewhere", "$default", null, null, RouteTarget.Publisher)]
    public void ToEvent_HttpApi_NamesTheMatchedRouteOrDefault(string method, string path, string routeKey, string? parameter, string? value, RouteTarget target)
    {
        var built = HttpApiEmulation.ToEvent(Request(method, path, string.Empty, "application/json").Request, FrontDoor.HttpApi, """{"a":1}"""u8.ToArray());
        var httpEvent = built.Event;

        Assert.Equal("2.0", httpEvent.Version);
        Assert.Equal(routeKey, httpEvent.RouteKey);
        Assert.Equal(routeKey, httpEvent.RequestContext!.RouteKey);
        Assert.Equal(path, httpEvent.RawPath);
        Assert.Equal(path, httpEvent.RequestContext.Http!.Path);
        Assert.Equal(method, httpEvent.RequestContext.Http.Method);
        Assert.Equal("$default", httpEvent.RequestContext.Stage);
        Assert.Equal(target, built.Target);
        if (parameter is null)
        {
            Assert.Null(httpEvent.PathParameters);
        }
        else
        {
            Assert.Equal(value, Assert.Single(httpEvent.PathParameters!, p => p.Key == parameter).Value);
        }
    }

    [Theory]
    [InlineData("POST", "/topics/my%20topic", RouteTarget.Publisher)]
    [InlineData("GET", "/verify", RouteTarget.Subscriber)]
    [InlineData("POST", "/verify", RouteTarget.Subscriber)]
    [InlineData("GET", "/openapi.json", RouteTarget.Publisher)]
    [InlineData("POST", "/nowhere", RouteTarget.Publisher)]
    public void ToEvent_FunctionUrl_IsDefaultWithTheRawPathAndNoParameters(string method, string path, RouteTarget target)
    {
        var built = HttpApiEmulation.ToEvent(Request(method, path, string.Empty, "application/json").Request, FrontDoor.FunctionUrl, ReadOnlyMemory<byte>.Empty);

        Assert.Equal("$default", built.Event.RouteKey);
        Assert.Equal("$default", built.Event.RequestContext!.RouteKey);
        Assert.Equal(path, built.Event.RawPath);
        Assert.Null(built.Event.PathParameters);
        Assert.Equal(target, built.Target);
        Assert.Null(built.Event.Body);
        Assert.False(built.Event.IsBase64Encoded);
    }

    [Fact]
    public void ToEvent_RestDoor_IsRefused() =>
        Assert.Throws<ArgumentException>(() => HttpApiEmulation.ToEvent(Request("POST", "/topics", string.Empty, null).Request, FrontDoor.RestApi, ReadOnlyMemory<byte>.Empty));

    [Fact]
    public void ToEvent_HeadersQueryAndCookies_AreJoinedLowerCasedAndSplitAsIn2Point0()
    {
        var context = Request("GET", "/verify", "?topic=a&topic=b&listenMs=500", null);
        context.Request.Headers["X-Custom"] = new Microsoft.Extensions.Primitives.StringValues(["one", "two"]);
        context.Request.Headers.Cookie = "a=1; b=2";

        var httpEvent = HttpApiEmulation.ToEvent(context.Request, FrontDoor.HttpApi, ReadOnlyMemory<byte>.Empty).Event;

        Assert.Equal("one,two", httpEvent.Headers!["x-custom"]);
        Assert.DoesNotContain(httpEvent.Headers.Keys, name => name != name.ToLowerInvariant());
        Assert.False(httpEvent.Headers.ContainsKey("cookie"));
        Assert.Equal(["a=1", "b=2"], httpEvent.Cookies);
        Assert.Equal("a,b", httpEvent.QueryStringParameters!["topic"]);
        Assert.Equal("500", httpEvent.QueryStringParameters["listenMs"]);
        Assert.Equal("topic=a&topic=b&listenMs=500", httpEvent.RawQueryString);
        Assert.Equal("http", httpEvent.Headers["x-forwarded-proto"]);
        Assert.True(httpEvent.Headers.ContainsKey("x-forwarded-for"));
    }

    [Theory]
    [InlineData("application/json", false)]
    [InlineData("application/problem+json", false)]
    [InlineData("text/plain; charset=utf-8", false)]
    [InlineData("application/xml", false)]
    [InlineData("application/atom+xml", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("application/octet-stream", true)]
    [InlineData("image/png", true)]
    [InlineData("application/pdf", true)]
    [InlineData(null, true)]
    public void ToEvent_ContentType_TextualBodiesAsTextOthersBase64(string? contentType, bool base64)
    {
        byte[] body = [0x68, 0x69, 0x7f];
        var httpEvent = HttpApiEmulation.ToEvent(Request("POST", "/topics/t", string.Empty, contentType).Request, FrontDoor.FunctionUrl, body).Event;

        Assert.Equal(base64, httpEvent.IsBase64Encoded);
        Assert.Equal(base64 ? Convert.ToBase64String(body) : "hi\u007f", httpEvent.Body);
    }

    [Fact]
    public void ToEvent_TextualBodyNotUtf8_TravelsBase64SoTheFunctionSeesTheBytes()
    {
        byte[] body = [(byte)'a', 0xFF, 0xC3, 0x28];
        var built = HttpApiEmulation.ToEvent(Request("POST", "/topics/t", string.Empty, "text/plain").Request, FrontDoor.HttpApi, body);

        Assert.True(built.Event.IsBase64Encoded);
        Assert.Equal(body, new ApiGatewayAdapter().Read(built.Payload, 1024).Request.Value!.Body);
    }

    [Fact]
    public async Task ToEvent_TextPublish_MatchesTheSampleEventsFieldsAndDecodesToTheSameRequest()
    {
        var sampleJson = await File.ReadAllBytesAsync(TestEnvironment.Event("httpapi-publish-text.json"));
        using var sample = JsonDocument.Parse(sampleJson);
        using var aws = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.RepoRoot, "tests", "fixtures", "aws-events", "http-api-v2-event.json")));
        var body = Encoding.UTF8.GetBytes(sample.RootElement.GetProperty("body").GetString()!);

        var built = HttpApiEmulation.ToEvent(Request("POST", "/topics", string.Empty, "application/json").Request, FrontDoor.HttpApi, body);
        using var local = JsonDocument.Parse(built.Payload);

        foreach (var name in new[] { "version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "body", "isBase64Encoded" })
        {
            Assert.True(aws.RootElement.TryGetProperty(name, out _), name);
            Assert.True(local.RootElement.TryGetProperty(name, out _), name);
        }

        foreach (var name in new[] { "accountId", "apiId", "domainName", "domainPrefix", "http", "requestId", "routeKey", "stage", "time", "timeEpoch" })
        {
            Assert.True(aws.RootElement.GetProperty("requestContext").TryGetProperty(name, out _), name);
            Assert.True(local.RootElement.GetProperty("requestContext").TryGetProperty(name, out _), name);
        }

        var fromSample = new ApiGatewayAdapter().Read(sampleJson, 1024);
        var fromLocal = new ApiGatewayAdapter().Read(built.Payload, 1024);
        Assert.Equal(EventShape.HttpApiV2, fromLocal.Shape);
        Assert.Equal(fromSample.Request.Value!.Route, fromLocal.Request.Value!.Route);
        Assert.Equal(fromSample.Request.Value.Method, fromLocal.Request.Value.Method);
        Assert.Equal(fromSample.Request.Value.MediaType, fromLocal.Request.Value.MediaType);
        Assert.Equal(fromSample.Request.Value.Body, fromLocal.Request.Value.Body);
    }

    /// <summary>The shared request with a scheme and host, which the HTTP API event reads (x-forwarded-proto, the domain name).</summary>
    private static DefaultHttpContext Request(string method, string path, string query, string? contentType)
    {
        var context = RequestContexts.Create(method, path, query, contentType);
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 3000);
        return context;
    }
}
