using System.CommandLine;
using System.Globalization;
using CommandLineSupport;
using Momento.Topics.Client;
using Publisher.Contracts;

namespace Publisher.Local.Commands;

/// <summary><c>subscribe --topic NAME</c>: prints each event of a subscription as it arrives.</summary>
internal static class SubscribeCommand
{
    // The first heartbeat comes at once from a server that answers; the client retries a refused connection quietly.
    private static readonly TimeSpan NoAnswerNotice = TimeSpan.FromSeconds(3);

    public static Command Create(Func<string, string?> environment)
    {
        var topic = CommandLineRunner.TextOption("--topic", "the topic to watch", "NAME");
        topic.Required = true;
        var topicsPort = CommandLineRunner.IntOption("--topics-port", "port of the local Topics server on 127.0.0.1", LocalServiceOptions.DefaultTopicsPort, 1, 65535);
        var cache = CommandLineRunner.TextOption("--cache", $"the cache (default: MOMENTO_CACHE_NAME, else {LocalServiceOptions.DefaultCacheName})", "NAME");
        var noHeartbeats = new Option<bool>("--no-heartbeats") { Description = "do not print heartbeats" };
        var command = new Command("subscribe", "Print each event of a subscription as it arrives (items, heartbeats, discontinuities).")
        {
            topic, topicsPort, cache, noHeartbeats,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(topic)!,
            parse.GetValue(topicsPort),
            parse.GetValue(cache) ?? environment(EnvironmentVariables.CacheName) ?? LocalServiceOptions.DefaultCacheName,
            parse.GetValue(noHeartbeats),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            environment,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string topic, int port, string cache, bool hideHeartbeats, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var apiKey = environment(EnvironmentVariables.ApiKey);
        var localKey = environment(LocalService.ApiKeyVariable);
        var local = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var credentials = !string.IsNullOrWhiteSpace(apiKey)
            ? CredentialProvider.FromApiKey(apiKey, environment(EnvironmentVariables.Endpoint))
            : !string.IsNullOrWhiteSpace(localKey)
                // A keyed local service's Topics server asks for the same key.
                ? CredentialProvider.FromApiKey(localKey.Trim(), "http://" + local)
                : CredentialProvider.ForLocal(local);
        await using var client = TopicClient.Create(credentials);
        await output.WriteLineAsync($"Subscribing to '{topic}' in cache '{cache}' at {credentials.CacheEndpoint} (Ctrl+C stops)").ConfigureAwait(false);
        try
        {
            await using var events = client.SubscribeAsync(cache, topic, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
            var next = events.MoveNextAsync().AsTask();
            await NoticeIfSilentAsync(next, error, credentials.CacheEndpoint, cancellationToken).ConfigureAwait(false);
            while (await next.ConfigureAwait(false))
            {
                var topicEvent = events.Current;
                var line = Describe(topicEvent, hideHeartbeats);
                if (line is not null)
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                if (topicEvent is TopicEvent.Error)
                {
                    return 1;
                }

                next = events.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return 0;
    }

    // A wrong port or a server not started looks like silence: say so once, on stderr, and keep waiting.
    private static async Task NoticeIfSilentAsync(Task first, TextWriter error, Uri endpoint, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var silence = Task.Delay(NoAnswerNotice, wait.Token);
        if (await Task.WhenAny(first, silence).ConfigureAwait(false) == silence && silence.IsCompletedSuccessfully)
        {
            await error.WriteLineAsync(
                $"No answer from {endpoint} yet; still trying. Is the Topics server running there? (serve prints its port)").ConfigureAwait(false);
        }

        await wait.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>One line per event, as a person watching the topic wants to read it.</summary>
    public static string? Describe(TopicEvent topicEvent, bool hideHeartbeats = false) => topicEvent switch
    {
        TopicEvent.TextItem text =>
            $"item #{text.SequenceNumber} (page {text.SequencePage}) text: {text.Value}",
        TopicEvent.BinaryItem binary =>
            $"item #{binary.SequenceNumber} (page {binary.SequencePage}) bytes[{binary.Value.Length}]: {Convert.ToBase64String(binary.Value)}",
        TopicEvent.Heartbeat => hideHeartbeats ? null : "heartbeat",
        TopicEvent.Discontinuity d =>
            $"discontinuity: last #{d.LastSequenceNumber}, next #{d.NewSequenceNumber} (page {d.NewSequencePage})",
        TopicEvent.Error error =>
            $"error {error.TopicError.Code.ToMomentoName()}: {error.TopicError.Message}",
        _ => null,
    };
}
