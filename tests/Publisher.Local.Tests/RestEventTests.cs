using System.Text;
using System.Text.Json;
using Functions.Common.Http;
using Microsoft.AspNetCore.Http;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>The REST API proxy event the local API builds for each request has the deployed API's shape.</summary>
public sealed class RestEventTests
{
    [Theory]
    [InlineData("POST", "/topics", "", "/topics", null, null)]
    [InlineData("POST", "/topics/", "", "/topics", null, null)]
    [InlineData("POST", "/topics/my-topic", "", "/topics/{topicName}", "topicName", "my-topic")]
    [InlineData("POST", "/topics/my%20topic", "", "/topics/{topicName}", "topicName", "my topic")]
    [InlineData("POST", "/topics/a%2Fb", "", "/topics/{topicName}", "topicName", "a/b")]
    [InlineData("POST", "/batch", "", "/batch", null, null)]
    [InlineData("GET", "/verify", "?topic=t&listenMs=500", "/verify", null, null)]
    [InlineData("POST", "/somewhere/else", "", "/{proxy+}", "proxy", "somewhere/else")]
    [InlineData("POST", "/topics/t/extra%20part", "", "/{proxy+}", "proxy", "topics/t/extra part")]
    [InlineData("GET", "/", "", "/", null, null)]
    public void ToEvent_Route_SetsResourceAndDecodedPathParameters(string method, string path, string query, string resource, string? parameter, string? value)
    {
        var context = Request(method, path, query, "application/json");

        var built = RestApiEmulation.ToEvent(context.Request, "local", """{"a":1}"""u8.ToArray());
        var proxy = JsonSerializer.Deserialize(built.Payload, RestApiJsonContext.Default.APIGatewayProxyRequest)!;

        Assert.Equal(resource, built.Event.Resource);
        Assert.Equal(resource, proxy.Resource);
        Assert.Equal(resource, proxy.RequestContext!.ResourcePath);
        Assert.Equal(path, proxy.Path);
        Assert.Equal(method, proxy.HttpMethod);
        Assert.Equal(method, proxy.RequestContext.HttpMethod);
        Assert.Equal("local", proxy.RequestContext.Stage);
        Assert.Equal("/local" + path, proxy.RequestContext.Path);
        Assert.False(string.IsNullOrEmpty(proxy.RequestContext.RequestId));
        if (parameter is null)
        {
            Assert.Null(proxy.PathParameters);
        }
        else
        {
            Assert.Equal(value, Assert.Single(proxy.PathParameters!, p => p.Key == parameter).Value);
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
    public void ToEvent_RepeatedQueryParameter_SingleValueIsTheLastAsInApiGateway()
    {
        var context = Request("GET", "/verify", "?topic=a&topic=b", "application/json");

        var proxy = RestApiEmulation.ToEvent(context.Request, "local", ReadOnlyMemory<byte>.Empty).Event;

        Assert.Equal("b", proxy.QueryStringParameters!["topic"]);
        Assert.Equal(["a", "b"], proxy.MultiValueQueryStringParameters!["topic"]);
        Assert.Null(proxy.Body);
    }

    [Theory]
    [InlineData("application/octet-stream", true)]
    [InlineData("Application/Octet-Stream; charset=binary", true)]
    [InlineData("image/png", true)]
    [InlineData("video/mp4", true)]
    [InlineData("application/x-protobuf", true)]
    [InlineData("application/msgpack", true)]
    [InlineData("text/plain", false)]
    [InlineData("application/json", false)]
    [InlineData("application/xml", false)]
    [InlineData("application/pdf", false)]
    [InlineData(null, false)]
    public void ToEvent_ContentType_Base64OnlyForTheStacksBinaryMediaTypes(string? contentType, bool base64)
    {
        byte[] body = [0x68, 0x69, 0x00, 0x7f];
        var context = Request("POST", "/topics/t", string.Empty, contentType);

        var built = RestApiEmulation.ToEvent(context.Request, "local", body);

        Assert.Equal(base64, built.Event.IsBase64Encoded);
        var payload = JsonSerializer.Deserialize(built.Payload, RestApiJsonContext.Default.APIGatewayProxyRequest)!;
        Assert.Equal(base64, payload.IsBase64Encoded);
        Assert.Equal(base64 ? Convert.ToBase64String(body) : "hi\0\u007f", payload.Body);
    }

    [Fact]
    public void ToEvent_TextBodyNotValidUtf8_ReachesTheFunctionByteForByte()
    {
        byte[] body = [(byte)'a', (byte)'"', 0xFF, (byte)'\\', 0xC3, 0x28, (byte)'\n', (byte)'z'];
        var context = Request("POST", "/topics/t", string.Empty, "text/plain");

        var built = RestApiEmulation.ToEvent(context.Request, "local", body);

        // The payload holds the original bytes (JSON-escaped where JSON requires), not U+FFFD replacements.
        byte[] expected = [.. "\"body\":\"a\\\""u8, 0xFF, .. "\\\\"u8, 0xC3, (byte)'(', .. "\\u000az\""u8];
        Assert.True(built.Payload.AsSpan().IndexOf(expected) >= 0, Encoding.Latin1.GetString(built.Payload));
        Assert.False(built.Event.IsBase64Encoded);
        Assert.True(built.Payload.AsSpan().IndexOf("\uFFFD"u8) < 0, "U+FFFD in the payload");
    }

    [Fact]
    public void ToEvent_TextBody_KeepsItsBytesEscapingOnlyWhatJsonRequires()
    {
        var body = "é✓<&>\"\\/\u0001\n\u007f"u8.ToArray();
        var context = Request("POST", "/topics/t", string.Empty, "text/plain");

        var built = RestApiEmulation.ToEvent(context.Request, "local", body);

        byte[] expected = [.. "\"body\":\""u8, .. "é✓<&>"u8, .. "\\\"\\\\/\\u0001\\u000a\u007f\"}"u8];
        Assert.True(built.Payload.AsSpan().EndsWith(expected), Encoding.UTF8.GetString(built.Payload));
        var read = new ApiGatewayAdapter().Read(built.Payload, 1024).Request.Value!;
        Assert.Equal(body, read.Body);
    }

    [Fact]
    public void ToEvent_ControlCharactersToTheCap_PayloadIsTheEnvelopeAndSixBytesEach()
    {
        var body = new byte[1024 * 1024 - 1];
        body.AsSpan().Fill(0x01);
        var context = Request("POST", "/topics/t", string.Empty, "text/plain");
        var empty = RestApiEmulation.ToEvent(context.Request, "local", ReadOnlyMemory<byte>.Empty).Payload;

        var payload = RestApiEmulation.ToEvent(context.Request, "local", body).Payload;

        // The envelope without its closing brace, the member, six bytes per byte, the closing quote and brace.
        Assert.Equal(empty.Length - 1 + ",\"body\":\""u8.Length + (6 * body.Length) + 2, payload.Length);
        var read = new ApiGatewayAdapter().Read(payload, 1024 * 1024).Request.Value!;
        Assert.Equal(body, read.Body);
    }

    [Fact]
    public async Task ToEvent_BinaryPublish_MatchesTheSampleEventAndDecodesToTheSameRequest()
    {
        var sampleJson = await File.ReadAllBytesAsync(TestEnvironment.Event("rest-publish-binary.json"));
        var sample = JsonSerializer.Deserialize(sampleJson, RestApiJsonContext.Default.APIGatewayProxyRequest)!;
        var bytes = Convert.FromBase64String(sample.Body!);
        var context = Request("POST", "/topics/my-topic", string.Empty, "application/octet-stream");

        var built = RestApiEmulation.ToEvent(context.Request, "prod", bytes);
        var proxy = JsonSerializer.Deserialize(built.Payload, RestApiJsonContext.Default.APIGatewayProxyRequest)!;

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
        var fromLocal = new ApiGatewayAdapter().Read(built.Payload, 1024).Request.Value!;
        Assert.Equal(fromSample.Method, fromLocal.Method);
        Assert.Equal(fromSample.Path, fromLocal.Path);
        Assert.Equal(fromSample.MediaType, fromLocal.MediaType);
        Assert.Equal(fromSample.Body, fromLocal.Body);
    }

    [Fact]
    public async Task ToEvent_SerializedEvent_HasTheRestApiFieldNames()
    {
        var context = Request("POST", "/topics/my-topic", string.Empty, "text/plain; charset=utf-8");
        context.Request.Headers["X-Custom"] = "one";

        var payload = RestApiEmulation.ToEvent(context.Request, "local", "héllo"u8.ToArray()).Payload;
        using var json = JsonDocument.Parse(payload);
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

        Assert.Equal("/local/topics/my-topic", root.GetProperty("requestContext").GetProperty("path").GetString());
    }

    private static DefaultHttpContext Request(string method, string path, string query, string? contentType) =>
        RequestContexts.Create(method, path, query, contentType);
}
