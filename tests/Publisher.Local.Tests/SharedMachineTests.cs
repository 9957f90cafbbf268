using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Momento.Topics.Client;
using Publisher.Local.Tests.Infrastructure;
using static Publisher.Local.Tests.Infrastructure.ConsoleTesting;
using static Publisher.Local.Tests.Infrastructure.LocalApiTesting;

namespace Publisher.Local.Tests;

/// <summary>
/// The local runner on a machine other users share: with a key the embedded Topics server asks for it too (as Momento
/// does); without one the API answers only this machine's own clients; the console reads its bodies as strictly as the
/// API; the key comes from the environment or a file and is never printed; no console slot leaks.
/// </summary>
public sealed class SharedMachineTests
{
    private const string Key = "shared-machine-key-0123456789";
    private const string PublishBody = """{"topicName": "orders", "topicValue": "keyed"}""";

    [Theory]
    [InlineData(true, "error", "AUTHENTICATION_ERROR")]
    [InlineData(false, "Success", null)]
    public async Task OfficialJsSdk_WithoutTheKey_IsRefusedByAKeyedServiceAndServedByAKeylessOne(bool keyed, string type, string? code)
    {
        await using var service = await StartAsync(o => o with { ApiKey = keyed ? Key : null });
        var topics = service.TopicsServer!;

        var outcome = await NodeScript.RunAsync(Path.Combine("tests", "Publisher.Local.Tests", "js", "publish-without-key.mjs"), "127.0.0.1", topics.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "default-cache");

        Assert.Equal(type, outcome.GetProperty("type").GetString());
        Assert.Equal(code, outcome.TryGetProperty("code", out var c) ? c.GetString() : null);
    }

    [Fact]
    public async Task KeyedService_FunctionsPresentTheKey_KeylessClientsCannotSubscribe()
    {
        await using var service = await StartAsync(o => o with { ApiKey = Key });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        await using var keyless = TopicClient.Create(CredentialProvider.ForLocal(service.TopicsServer!.HostPort));

        using var published = await PostAsync(http, Key);
        var first = await FirstEventAsync(keyless.SubscribeAsync("default-cache", "orders"));

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(MomentoErrorCode.AuthenticationError, Assert.IsType<TopicEvent.Error>(first).TopicError.Code);
    }

    [Theory]
    [InlineData("evil.example", null)]
    [InlineData("127.0.0.1", "cross-site")]
    [InlineData("localhost", "same-site")]
    public async Task KeylessService_ForeignHostOrOtherSitesPage_Answers403WithoutPublishing(string host, string? fetchSite)
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/topics") { Content = Json(PublishBody) };
        request.Headers.Host = host + ":" + service.ApiUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        using var refused = await http.SendAsync(request);
        using var own = await PostAsync(http, null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Theory]
    [InlineData("""{"topic":"\ud800"}""", "topic")]
    [InlineData("""{"topic":"a","topic":"b"}""", "topic")]
    [InlineData("NOT_UTF8", null)]
    public async Task ConsoleSubscribe_BodyTheApiWouldRefuse_Answers400Problem(string body, string? field)
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;
        var bytes = body == "NOT_UTF8" ? [(byte)'{', (byte)'"', (byte)'t', (byte)'o', (byte)'p', (byte)'i', (byte)'c', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'] : Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var answer = await http.PostAsync($"/console/stream/{pageId}/subscriptions", content);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(field, problem.RootElement.TryGetProperty("field", out var f) ? f.GetString() : null);
        Assert.Equal(0, service.LiveConsole.ActiveSubscriptions);
    }

    [Fact]
    public async Task ConsoleSubscribe_AbortedWhileConnecting_FreesItsSlot()
    {
        var connecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var service = await StartAsync(o => o with
        {
            ConsoleLimits = new WebConsole.ConsoleLimits { MaxSubscriptions = 1 },
            ConsoleConnectDelay = ct => connecting.Task.WaitAsync(ct),
        });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;
        using var giveUp = new CancellationTokenSource();

        var pending = http.PostAsync($"/console/stream/{pageId}/subscriptions", Json("""{"topic": "slow"}"""), giveUp.Token);
        await WaitUntilAsync(service.LiveConsole, () => service.LiveConsole.ActiveSubscriptions == 1);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        // The aborted request's slot is free again: the only one there is.
        await WaitUntilAsync(service.LiveConsole, () => service.LiveConsole.ActiveSubscriptions == 0);
        connecting.SetResult();
        using var next = await SubscribeAsync(http, pageId, """{"topic": "next"}""");
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
    }

    [Theory]
    [InlineData("environment")]
    [InlineData("file")]
    public async Task Serve_KeyFromTheEnvironmentOrAFile_IsDemandedAndNeverPrinted(string from)
    {
        var file = Path.Combine(Path.GetTempPath(), "publisher-local-key-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, Key + "\n");
        try
        {
            var stdout = new LineWriter();
            var (serve, apiUrl) = from == "environment"
                ? await LocalProcess.ServeAsync(stdout, new Dictionary<string, string> { ["PUBLISHER_LOCAL_API_KEY"] = Key })
                : await LocalProcess.ServeAsync(stdout, extraArgs: ["--api-key-file", file]);
            using var running = serve;
            using var http = new HttpClient { BaseAddress = apiUrl };

            using var withKey = await PostAsync(http, Key);
            using var withoutKey = await PostAsync(http, null);

            Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, withoutKey.StatusCode);
            Assert.Contains(stdout.Lines, line => line.StartsWith("API key:", StringComparison.Ordinal)
                && line.Contains(from == "environment" ? "PUBLISHER_LOCAL_API_KEY" : "--api-key-file", StringComparison.Ordinal));
            Assert.DoesNotContain(Key, string.Join('\n', stdout.Lines), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Serve_KeyFileThatCannotBeRead_IsAUsageErrorNamingIt()
    {
        var run = await CliRun.RunAsync("--api-key-file", "/nonexistent/publisher-key", "--api-port", "0", "--topics-port", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/publisher-key", run.Error, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string? apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/topics") { Content = Json(PublishBody) };
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return http.SendAsync(request).DefaultTimeout();
    }

    private static async Task<TopicEvent> FirstEventAsync(IAsyncEnumerable<TopicEvent> events)
    {
        await foreach (var topicEvent in events.WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            return topicEvent;
        }

        throw new InvalidOperationException("The subscription ended without an event.");
    }
}
