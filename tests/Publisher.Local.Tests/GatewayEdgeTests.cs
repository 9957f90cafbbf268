using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>
/// The local API at the edges API Gateway handles itself: bodies over the cap (refused unread, 413 problem),
/// HTTP it cannot read (problem+json, never an empty 500), the stack's binary media types, text that is not UTF-8.
/// </summary>
public sealed class GatewayEdgeTests : IAsyncLifetime
{
    private const int Cap = 1024 * 1024;
    private readonly LineWriter _log = new();
    private LocalService _service = null!;

    public async Task InitializeAsync() => _service = await LocalService.StartAsync(LocalApiTesting.Options(_log));

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _log.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_BodyOverTheCap_413ProblemWithoutInvokingTheFunction(bool declareLength)
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };
        using var content = new ZeroContent(3 * Cap, declareLength);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        using var response = await http.PostAsync("/topics/big", content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
        Assert.EndsWith("/payload-too-large", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal($"The request body is larger than {Cap} bytes.", problem.RootElement.GetProperty("detail").GetString());
        // The gateway refused it: no invocation was logged.
        Assert.DoesNotContain(_log.Lines, line => line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_BodyOverTheCap_ConnectionStaysUsableForTheNextRequest()
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = _service.ApiUrl };
        using var big = new ZeroContent(2 * Cap, declareLength: true);
        big.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        using var refused = await http.PostAsync("/topics/big", big).DefaultTimeout();
        using var next = await http.PostAsync("/topics/small", new StringContent("fine", Encoding.UTF8, "text/plain")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    public static readonly TheoryData<string, byte[], int> MalformedRequests = new()
    {
        { "bad chunk size", Chunked("zz\r\nabc\r\n0\r\n\r\n"), 400 },
        { "chunk size that overflows", Chunked("FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n"), 400 },
        { "chunk without its CRLF", Chunked("3\r\nabcXY0\r\n\r\n"), 400 },
        { "HTTP version", Encoding.ASCII.GetBytes("POST /topics/t HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n"), 505 },
        { "URL too long", Encoding.ASCII.GetBytes("GET /" + new string('a', 20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 414 },
        { "headers too large", Encoding.ASCII.GetBytes("GET /topics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n"), 431 },
        { "request line", Encoding.ASCII.GetBytes("G\u0001T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400 },
        { "header without colon", Encoding.ASCII.GetBytes("GET /topics HTTP/1.1\r\nHost: 127.0.0.1\r\nbroken header\r\n\r\n"), 400 },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Send_MalformedHttp_ProblemJsonWithKestrelsStatus(string what, byte[] request, int status)
    {
        var response = await RawHttp.SendAsync(_service.ApiUrl, request).DefaultTimeout();

        var first = Assert.Single(response);
        Assert.True(first.Status == status, $"{what}: {first.Status}");
        Assert.Equal("application/problem+json", first.Header("Content-Type"));
        using var problem = JsonDocument.Parse(first.Body);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.StartsWith(new Uri(_service.ApiUrl, "problems/").ToString(), problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
        Assert.Equal(first.Body.Length, int.Parse(first.Header("Content-Length")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Send_MalformedHeadRequest_StatusWithoutABody()
    {
        var request = Encoding.ASCII.GetBytes("HEAD /topics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n");

        var response = Assert.Single(await RawHttp.SendAsync(_service.ApiUrl, request).DefaultTimeout());

        Assert.Equal(431, response.Status);
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task Send_GoodRequestThenMalformedOnTheSameConnection_TheAppsAnswerThenAProblem()
    {
        var request = Encoding.ASCII.GetBytes("POST /topics/t HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhiGET /x HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n");

        var responses = await RawHttp.SendAsync(_service.ApiUrl, request).DefaultTimeout();

        Assert.Equal(2, responses.Count);
        Assert.Equal(200, responses[0].Status);
        Assert.Equal("application/json", responses[0].Header("Content-Type"));
        Assert.Equal(505, responses[1].Status);
        Assert.Equal("application/problem+json", responses[1].Header("Content-Type"));
    }

    [Fact]
    public async Task Post_RepeatedHeader_EventHasItsLastValueAsApiGatewayGivesIt()
    {
        // API Gateway's REST event: "headers" holds the last value of a repeated header, "multiValueHeaders" all of them.
        const string Json = """{"topicName":"t","topicValue":"v"}""";
        var request = Encoding.ASCII.GetBytes(
            "POST /topics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {Json.Length}\r\n\r\n{Json}");

        var response = Assert.Single(await RawHttp.SendAsync(_service.ApiUrl, request).DefaultTimeout());

        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("/topics/%FF")]
    [InlineData("/topics/%ED%A0%80")]
    [InlineData("/somewhere/%C3")]
    public async Task Post_PathEscapeThatIsNotUtf8_400ProblemNamingThePathAndNothingPublished(string path)
    {
        // The function's own rule for a path it decodes (a function URL): not published to a topic named "%FF".
        var request = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nv");

        var response = Assert.Single(await RawHttp.SendAsync(_service.ApiUrl, request).DefaultTimeout());

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal("path", problem.RootElement.GetProperty("field").GetString());
        Assert.DoesNotContain(_log.Lines, line => line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/octet-stream")]
    public async Task Post_BinaryMediaType_PublishesTheExactBytes(string contentType)
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };
        byte[] bytes = [0x89, 0x50, 0x4E, 0x47, 0xFF, 0xFE, 0x00, 0xC3];

        using var response = await http.PostAsync("/topics/pictures", new ByteArrayContent(bytes) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(bytes.Length, body.RootElement.GetProperty("bytes").GetInt32());
    }

    [Fact]
    public async Task Post_TextBodyNotUtf8_TheFunctionRefusesIt()
    {
        using var http = new HttpClient { BaseAddress = _service.ApiUrl };

        using var response = await http.PostAsync("/topics/t", new ByteArrayContent([0x61, 0xFF, 0xFE, 0x62]) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } });

        // Not published with U+FFFD replacements: the bytes reach the function, which answers 400.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static byte[] Chunked(string body) =>
        Encoding.ASCII.GetBytes("POST /topics/t HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" + body);

    /// <summary>A body of zeros written in 64 KiB pieces, chunked when its length is not declared.</summary>
    private sealed class ZeroContent(int length, bool declareLength) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var block = new byte[64 * 1024];
            for (var sent = 0; sent < length; sent += block.Length)
            {
                await stream.WriteAsync(block.AsMemory(0, Math.Min(block.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = length;
            return declareLength;
        }
    }

    /// <summary>HTTP/1.1 over a plain socket, for requests no HTTP client would send; reads responses until the server closes.</summary>
    private static class RawHttp
    {
        public static async Task<List<Response>> SendAsync(Uri server, byte[] request)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(server.Host, server.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(request);
            using var received = new MemoryStream();
            await stream.CopyToAsync(received);
            return Parse(received.ToArray());
        }

        private static List<Response> Parse(byte[] bytes)
        {
            var responses = new List<Response>();
            var at = 0;
            while (at < bytes.Length)
            {
                var end = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
                Assert.True(end >= 0, "an incomplete response: " + Encoding.ASCII.GetString(bytes, at, bytes.Length - at));
                var head = Encoding.ASCII.GetString(bytes, at, end).Split("\r\n");
                var headers = head.Skip(1).Select(h => h.Split(':', 2)).ToDictionary(h => h[0], h => h[1].Trim(), StringComparer.OrdinalIgnoreCase);
                var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                var bodyStart = at + end + 4;
                responses.Add(new Response(int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, bytes.AsSpan(bodyStart, length).ToArray()));
                at = bodyStart + length;
            }

            return responses;
        }
    }

    private sealed record Response(int Status, Dictionary<string, string> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }
}
