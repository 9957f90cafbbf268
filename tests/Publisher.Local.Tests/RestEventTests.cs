using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>The REST API proxy event the local API builds for each request has the deployed API's shape.</summary>
public sealed class RestEventTests
{
    [Theory]
    [InlineData("POST", "/topics", "", "/topics", null)]
    [InlineData("POST", "/topics/my-topic", "", "/topics/{topicName}", "my-topic")]
    [InlineData("POST", "/topics/my%20topic", "", "/topics/{topicName}", "my topic")]
    [InlineData("POST", "/batch", "", "/batch", null)]
    [InlineData("GET", "/verify", "?topic=t&listenMs=500", "/verify", null)]
    [InlineData("POST", "/somewhere/else", "", "/{proxy+}", null)]
    public async Task ToEventAsync_Route_SetsResourceAndPathParameters(string method, string path, string query, string resource, string? topicName)
    {
        var context = Request(method, path, query, "application/json", """{"a":1}"""u8.ToArray());

        var proxy = await RestApiEmulation.ToEventAsync(context.Request, "local", 1024, CancellationToken.None);

        Assert.Equal(resource, proxy.Resource);
        Assert.Equal(resource, proxy.RequestContext!.ResourcePath);
        Assert.Equal(method, proxy.HttpMethod);
        Assert.Equal(method, proxy.RequestContext.HttpMethod);
        Assert.Equal("local", proxy.RequestContext.Stage);
        Assert.Equal("/local" + proxy.Path, proxy.RequestContext.Path);
        Assert.False(string.IsNullOrEmpty(proxy.RequestContext.RequestId));
        if (topicName is null)
        {
            Assert.Null(proxy.PathParameters);
        }
        else
        {
            Assert.Equal(topicName, proxy.PathParameters!["topicName"]);
        }

        if (query.Length == 0)
        {
            Assert.Null(proxy.QueryStringParameters);
        }
        else
        {
            Assert.Equal("t", proxy.QueryStringParameters!["topic"]);
            Assert.Equal(["500"], proxy.MultiValueQueryStringParameters!["listenMs"]);
        }

        Assert.False(proxy.IsBase64Encoded);
        Assert.Equal("""{"a":1}""", proxy.Body);
    }

    [Fact]
    public async Task ToEventAsync_BinaryPublish_MatchesTheSampleEventAndDecodesToTheSameRequest()
    {
        var sampleJson = await File.ReadAllBytesAsync(TestEnvironment.Event("rest-publish-binary.json"));
        var sample = JsonSerializer.Deserialize(sampleJson, RestApiJsonContext.Default.APIGatewayProxyRequest)!;
        var bytes = Convert.FromBase64String(sample.Body!);
        var context = Request("POST", "/topics/my-topic", string.Empty, "application/octet-stream", bytes);

        var proxy = await RestApiEmulation.ToEventAsync(context.Request, "prod", 1024, CancellationToken.None);

        Assert.Equal(sample.Resource, proxy.Resource);
        Assert.Equal(sample.Path, proxy.Path);
        Assert.Equal(sample.HttpMethod, proxy.HttpMethod);
        Assert.Equal(sample.PathParameters, proxy.PathParameters);
        Assert.True(proxy.IsBase64Encoded);
        Assert.Equal(sample.IsBase64Encoded, proxy.IsBase64Encoded);
        Assert.Equal(sample.Body, proxy.Body);
        Assert.Equal(sample.RequestContext!.ResourcePath, proxy.RequestContext!.ResourcePath);
        Assert.Equal(sample.RequestContext.Path, proxy.RequestContext.Path);

        // Both decode to the same request for the handler.
        var fromSample = new ApiGatewayAdapter().Read(sampleJson, 1024).Request.Value!;
        var fromLocal = new ApiGatewayAdapter().Read(JsonSerializer.SerializeToUtf8Bytes(proxy, RestApiJsonContext.Default.APIGatewayProxyRequest), 1024).Request.Value!;
        Assert.Equal(fromSample.Method, fromLocal.Method);
        Assert.Equal(fromSample.Path, fromLocal.Path);
        Assert.Equal(fromSample.MediaType, fromLocal.MediaType);
        Assert.Equal(fromSample.Body, fromLocal.Body);
    }

    [Fact]
    public async Task ToEventAsync_SerializedEvent_HasTheRestApiFieldNames()
    {
        var context = Request("POST", "/topics/my-topic", string.Empty, "text/plain; charset=utf-8", "héllo"u8.ToArray());
        context.Request.Headers["X-Custom"] = "one";

        var proxy = await RestApiEmulation.ToEventAsync(context.Request, "local", 1024, CancellationToken.None);
        using var json = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(proxy, RestApiJsonContext.Default.APIGatewayProxyRequest));
        using var aws = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(TestEnvironment.RepoRoot, "tests", "fixtures", "aws-events", "rest-api-v1-proxy-event.json")));

        var root = json.RootElement;
        foreach (var name in new[] { "resource", "path", "httpMethod", "headers", "pathParameters", "requestContext", "body" })
        {
            Assert.True(aws.RootElement.TryGetProperty(name, out _), name);
            Assert.True(root.TryGetProperty(name, out _), name);
        }

        Assert.True(root.TryGetProperty("multiValueHeaders", out var multi));
        Assert.Equal("one", multi.GetProperty("X-Custom")[0].GetString());
        Assert.Equal("one", root.GetProperty("headers").GetProperty("X-Custom").GetString());
        Assert.Equal("my-topic", root.GetProperty("pathParameters").GetProperty("topicName").GetString());
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("héllo", root.GetProperty("body").GetString());
        foreach (var name in new[] { "resourcePath", "httpMethod", "stage", "requestId", "accountId", "apiId" })
        {
            Assert.True(aws.RootElement.GetProperty("requestContext").TryGetProperty(name, out _), name);
            Assert.True(root.GetProperty("requestContext").TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public async Task ToEventAsync_BodyOverCap_ReadsOnlyPastTheCap()
    {
        var context = Request("POST", "/topics", string.Empty, "application/json", new byte[100_000]);

        var proxy = await RestApiEmulation.ToEventAsync(context.Request, "local", 1000, CancellationToken.None);

        // Enough for the handler to answer 413, without buffering the whole body.
        Assert.InRange(Encoding.UTF8.GetByteCount(proxy.Body!), 1001, 1000 + (16 * 1024));
    }

    private static DefaultHttpContext Request(string method, string path, string query, string contentType, byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = PathString.FromUriComponent(path);
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.Protocol = "HTTP/1.1";
        return context;
    }
}
