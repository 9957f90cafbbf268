using System.Net.Http.Headers;
using System.Text;
using Publisher.Local;

namespace Publisher.OpenApi.Tests;

/// <summary>
/// The service's real answers hold against the document: the local runner (the functions behind the local API) is
/// asked over HTTP, and each answer is evaluated against the schema the document gives that operation and status.
/// </summary>
public sealed class LiveAnswerTests : IAsyncLifetime
{
    private const string Key = "live-answer-key";
    private LocalService _service = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _service = await LocalService.StartAsync(new LocalServiceOptions
        {
            ApiPort = 0,
            TopicsPort = 0,
            ApiKey = Key,
            Environment = _ => null,
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            Log = TextWriter.Null,
        });
        _http = new HttpClient { BaseAddress = _service.ApiUrl, DefaultRequestHeaders = { { "x-api-key", Key } } };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
    }

    [Theory]
    [InlineData("POST", "/topics", "/topics", "application/json", """{"topicName":"orders","topicValue":"hello"}""", 200)]
    [InlineData("POST", "/topics", "/topics", "application/json", """{"topicName":"orders","topicValueBase64":"AAEC"}""", 200)]
    [InlineData("POST", "/topics", "/topics", "application/json", """{"topicName":"t","topicValue":"a","topicValueBase64":"YQ=="}""", 400)]
    [InlineData("POST", "/topics", "/topics", "application/json", """{"topicName":"t","topicValue":"a","extra":1}""", 400)]
    [InlineData("POST", "/topics", "/topics", "text/plain", "hello", 415)]
    [InlineData("POST", "/topics/{topicName}", "/topics/orders", "application/octet-stream", "raw bytes", 200)]
    [InlineData("POST", "/topics/{topicName}", "/topics/orders", "text/plain; charset=latin1", "x", 415)]
    [InlineData("POST", "/batch", "/batch", "application/json", """{"messages":[{"topicName":"a","topicValue":"1"},{"topicName":"b","topicValueBase64":"AAEC"}]}""", 200)]
    [InlineData("POST", "/batch", "/batch", "application/json", """{"messages":[{"topicName":"a"}]}""", 400)]
    [InlineData("POST", "/verify", "/verify", "application/json", """{"topic":"quiet","listenMs":100}""", 200)]
    [InlineData("POST", "/verify", "/verify", "application/json", """{"topic":"quiet","listenMs":0}""", 400)]
    [InlineData("GET", "/verify", "/verify?topic=quiet&listenMs=100&contains=x", null, null, 200)]
    [InlineData("GET", "/verify", "/verify?topic=quiet&count=many", null, null, 400)]
    public async Task Answer_OfTheLocalService_HoldsAgainstTheDocument(string method, string template, string url, string? contentType, string? body, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Parse(method), url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        using var response = await _http.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        var errors = ReadmeExampleTests.Evaluate(method, template, status.ToString(System.Globalization.CultureInfo.InvariantCulture), answer);
        Assert.True(errors.Count == 0, $"{method} {url} answered {status} with {answer}, which breaks the document: {string.Join("; ", errors)}");
    }

    [Fact]
    public async Task Answer_WithoutTheKey_HoldsAgainstTheDocumentsUnauthorizedResponse()
    {
        using var anonymous = new HttpClient { BaseAddress = _service.ApiUrl };

        using var response = await anonymous.PostAsync("/topics", new StringContent("{}", Encoding.UTF8, "application/json")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Empty(ReadmeExampleTests.Evaluate("POST", "/topics", "403", await response.Content.ReadAsStringAsync()));
    }
}
