using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Momento.Topics.Client;
using Publisher.Local.Tests.Infrastructure;
using static Publisher.Local.Tests.Infrastructure.LocalApiTesting;

namespace Publisher.Local.Tests;

/// <summary>The local HTTP API end to end: HTTP request → REST event → publisher handler → local Topics server → subscriber.</summary>
public sealed class LocalApiTests : IDisposable
{
    private readonly List<LineWriter> _logs = [];

    /// <summary>Each service's log fails the test on an ERROR line.</summary>
    public void Dispose() => _logs.ForEach(log => log.AssertNoUnexpectedErrors());

    [Fact]
    public async Task Post_TextAndBinaryPublishes_SubscriberReceivesThemInOrder()
    {
        var log = new LineWriter();
        await using var service = await LocalService.StartAsync(Options(log));
        await using var subscriber = TopicClient.Create(CredentialProvider.ForLocal(service.TopicsServer!.HostPort));
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        const string topic = "orders";
        byte[] bytes = [0, 1, 2, 0x80, 0xFF];

        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var received = ReceiveItemsAsync(subscriber, topic, 3, subscribed, stop.Token);
        await subscribed.Task.DefaultTimeout();

        using var text = await http.PostAsync("/topics", Json("""{"topicName":"orders","topicValue":"hello, local"}"""));
        using var binary = await http.PostAsync("/topics/orders", new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        using var plain = await http.PostAsync("/topics/orders", new StringContent("plain text body", Encoding.UTF8, "text/plain"));
        var items = await received.DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Equal(HttpStatusCode.OK, binary.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("application/json", text.Content.Headers.ContentType?.MediaType);
        using (var body = JsonDocument.Parse(await text.Content.ReadAsStringAsync()))
        {
            Assert.Equal("orders", body.RootElement.GetProperty("topic").GetString());
        }

        Assert.Equal("hello, local", Assert.IsType<TopicEvent.TextItem>(items[0]).Value);
        Assert.Equal(bytes, Assert.IsType<TopicEvent.BinaryItem>(items[1]).Value);
        Assert.Equal("plain text body", Assert.IsType<TopicEvent.TextItem>(items[2]).Value);
        Assert.Equal([1UL, 2UL, 3UL], items.Select(Sequence));

        // The handler's log lines reached the configured writer, without the values.
        Assert.NotEmpty(log.Lines);
        Assert.DoesNotContain(log.Lines, line => line.Contains("hello, local", StringComparison.Ordinal) || line.Contains("plain text body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_PercentEncodedTopicInPath_PublishesToTheDecodedNameOnce()
    {
        await using var service = await LocalService.StartAsync(Options(new()));
        using var http = new HttpClient { BaseAddress = service.ApiUrl };

        // "100%25 done" must reach the function as the topic "100% done", not be decoded a second time.
        using var response = await http.PostAsync("/topics/100%2525%20done", new StringContent("v", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("100%25 done", body.RootElement.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task Post_BadRequest_AnswersProblemDetailsLikeTheDeployedApi()
    {
        await using var service = await LocalService.StartAsync(Options(new()));
        using var http = new HttpClient { BaseAddress = service.ApiUrl };

        using var invalid = await http.PostAsync("/topics", Json("""{"topicName":"t","topicValue":"a","topicValueBase64":"YQ=="}"""));
        using var wrongMethod = await http.DeleteAsync("/topics");
        using var missing = await http.PostAsync("/nowhere", Json("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("POST", wrongMethod.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Post_ApiKeyConfiguredButMissingOrWrong_Answers403Problem(string? key)
    {
        var log = new LineWriter();
        await using var service = await LocalService.StartAsync(Options(log) with { ApiKey = "right-key" });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/topics") { Content = Json("""{"topicName":"t","topicValue":"v"}""") };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("x-api-key", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("right-key", problem.RootElement.GetRawText(), StringComparison.Ordinal);
        // Rejected before any function ran: nothing was published or logged.
        Assert.DoesNotContain(log.Lines, line => line.Contains("\"route\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_RightApiKey_Publishes()
    {
        await using var service = await LocalService.StartAsync(Options(new()) with { ApiKey = "right-key" });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        http.DefaultRequestHeaders.Add("x-api-key", "right-key");

        using var response = await http.PostAsync("/topics", Json("""{"topicName":"t","topicValue":"v"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private LocalServiceOptions Options(LineWriter log)
    {
        _logs.Add(log);
        return LocalApiTesting.Options(log);
    }

    private static ulong Sequence(TopicEvent item) => item switch
    {
        TopicEvent.TextItem text => text.SequenceNumber,
        TopicEvent.BinaryItem binary => binary.SequenceNumber,
        _ => 0,
    };
}
