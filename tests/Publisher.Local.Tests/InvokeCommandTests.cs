using System.Text.Json;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary><c>invoke --event</c> on each sample event prints the Lambda response, as <c>sam local invoke</c> would.</summary>
public sealed class InvokeCommandTests
{
    [Theory]
    [InlineData("rest-publish-text.json", 200, "my-topic")]
    [InlineData("rest-publish-binary.json", 200, "my-topic")]
    [InlineData("httpapi-publish-text.json", 200, "my-topic")]
    [InlineData("httpapi-publish-binary.json", 200, "my-topic")]
    [InlineData("rest-invalid.json", 400, null)]
    [InlineData("httpapi-invalid.json", 400, null)]
    public async Task Invoke_PublisherSampleEvent_PrintsLambdaResponseWithExpectedStatus(string file, int status, string? topic)
    {
        var run = await CliRun.RunAsync("invoke", "--event", TestEnvironment.Event(file));

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.Output);
        Assert.Equal(status, response.RootElement.GetProperty("statusCode").GetInt32());
        using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
        if (topic is not null)
        {
            Assert.Equal(topic, body.RootElement.GetProperty("topic").GetString());
        }
        else
        {
            Assert.Equal(400, body.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("application/problem+json", response.RootElement.GetProperty("headers").GetProperty("Content-Type").GetString());
        }

        // The function's JSON log goes to stderr, so stdout is the response alone.
        Assert.Contains(run.Error.Split('\n'), line => line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_WithTopicsPort_PublishesToThatServer()
    {
        await using var server = await Momento.Topics.LocalServer.LocalTopicsServer.StartAsync(new() { Port = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(50) });
        await using var subscriber = Momento.Topics.Client.TopicClient.Create(Momento.Topics.Client.CredentialProvider.ForLocal(server.HostPort));
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = FirstItemAsync(subscriber, subscribed);
        await subscribed.Task.DefaultTimeout();

        var run = await CliRun.RunAsync("invoke", "--event", TestEnvironment.Event("rest-publish-text.json"), "--topics-port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello", Assert.IsType<Momento.Topics.Client.TopicEvent.TextItem>(await received.DefaultTimeout()).Value);
    }

    [Fact]
    public async Task Invoke_WithoutFile_IsAUsageError()
    {
        var run = await CliRun.RunAsync("invoke", "--event", Path.Combine(TestEnvironment.EventsDirectory, "no-such-event.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"httpMethod\": \"POST\", \"path\": ", "is not valid JSON (")]
    [InlineData("not json at all", "is not valid JSON (")]
    [InlineData("{}", "is not an API Gateway event: it is an empty JSON object")]
    [InlineData("[1, 2]", "is not an API Gateway event: it is a JSON array")]
    [InlineData("\"text\"", "is not an API Gateway event: it is a JSON string")]
    [InlineData("{\"Records\": [{\"eventSource\": \"aws:sqs\", \"body\": \"x\"}]}", "is not an API Gateway event: it is an event from \"aws:sqs\"")]
    [InlineData("{\"Records\": [{\"eventSource\": \"aws:s3\", \"s3\": {}}]}", "is not an API Gateway event: it is an event from \"aws:s3\"")]
    [InlineData("{\"source\": \"aws.events\", \"detail-type\": \"Scheduled Event\", \"detail\": {}}", "is not an API Gateway event: it is an EventBridge event")]
    public async Task Invoke_EventNoHandlerTakes_ExitsOneWithOneClearLine(string json, string message)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("invoke-").FullName, "event.json");
        await File.WriteAllTextAsync(file, json);

        var run = await CliRun.RunAsync("invoke", "--event", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Output);
        var line = Assert.Single(run.Error.Split('\n'));
        Assert.StartsWith($"The event file '{file}' ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"path\": \"/topics\"", "\"path\": \"/topics/\\ud800\"")]
    [InlineData("\"path\": \"/topics\"", "\"path\": \"/ver\\ud800ify\"")]
    [InlineData("hello", "hel\\ud800lo")]
    public async Task Invoke_EventWithAnEscapeThatIsNotUnicode_PrintsTheFunctionsAnswerNotAStackDump(string find, string replace)
    {
        var sample = await File.ReadAllTextAsync(TestEnvironment.Event("rest-publish-text.json"));
        Assert.Contains(find, sample, StringComparison.Ordinal);
        var file = Path.Combine(Directory.CreateTempSubdirectory("invoke-").FullName, "event.json");
        await File.WriteAllTextAsync(file, sample.Replace(find, replace, StringComparison.Ordinal));

        var run = await CliRun.RunAsync("invoke", "--event", file);

        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        if (run.ExitCode == 0)
        {
            // The function answered: a 4xx problem, never a 5xx.
            using var response = JsonDocument.Parse(run.Output);
            Assert.InRange(response.RootElement.GetProperty("statusCode").GetInt32(), 400, 499);
        }
        else
        {
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"The publisher handler failed on '{file}' with an unhandled ", Assert.Single(run.Error.Split('\n'), l => !l.StartsWith('{')), StringComparison.Ordinal);
        }
    }

    private static async Task<Momento.Topics.Client.TopicEvent> FirstItemAsync(Momento.Topics.Client.TopicClient client, TaskCompletionSource subscribed)
    {
        await foreach (var topicEvent in client.SubscribeAsync("default-cache", "my-topic"))
        {
            switch (topicEvent)
            {
                case Momento.Topics.Client.TopicEvent.Heartbeat:
                    subscribed.TrySetResult();
                    break;
                case Momento.Topics.Client.TopicEvent.Error error:
                    throw new InvalidOperationException(error.TopicError.Message);
                default:
                    return topicEvent;
            }
        }

        throw new InvalidOperationException("The subscription ended.");
    }
}

/// <summary>The verify sample events each listen 3 s, so they run beside the publisher events.</summary>
public sealed class InvokeVerifyEventTests
{
    [Fact]
    public async Task Invoke_RestVerifyEvent_PrintsA200WithTheVerificationResult()
    {
        var run = await CliRun.RunAsync("invoke", "--event", TestEnvironment.Event("rest-verify.json"));

        Assert.Equal(0, run.ExitCode);
        using var response = JsonDocument.Parse(run.Output);
        Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
        using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
        Assert.Equal("my-topic", body.RootElement.GetProperty("topic").GetString());
        Assert.True(body.RootElement.GetProperty("subscribed").GetBoolean());
        Assert.False(body.RootElement.GetProperty("conditionMet").GetBoolean());
    }

    [Fact]
    public async Task Invoke_DirectVerifyEvent_PrintsTheVerificationResult()
    {
        var run = await CliRun.RunAsync("invoke", "--event", TestEnvironment.Event("verify-direct.json"));

        Assert.Equal(0, run.ExitCode);
        using var result = JsonDocument.Parse(run.Output);
        Assert.False(result.RootElement.TryGetProperty("statusCode", out _));
        Assert.Equal("my-topic", result.RootElement.GetProperty("topic").GetString());
        Assert.Equal("count:1", result.RootElement.GetProperty("condition").GetString());
        Assert.True(result.RootElement.GetProperty("subscribed").GetBoolean());
        // Nothing was published, so the session ran to the end of its window (how long exactly is the subscriber tests' job,
        // on a fake clock) and answered before the 5 s bound.
        Assert.False(result.RootElement.GetProperty("conditionMet").GetBoolean());
        Assert.True(result.RootElement.GetProperty("listenedMs").GetDouble() < 5000);
    }
}
