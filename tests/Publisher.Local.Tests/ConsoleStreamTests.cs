using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Publisher.Local.Tests.Infrastructure;
using Publisher.Local.WebConsole;
using static Publisher.Local.Tests.Infrastructure.ConsoleTesting;
using static Publisher.Local.Tests.Infrastructure.LocalApiTesting;

namespace Publisher.Local.Tests;

/// <summary>The console's event stream: items, gaps and invocation records as they happen, its end with the service, and a slow page's bound.</summary>
public sealed class ConsoleStreamTests
{
    [Fact]
    public async Task Stream_CarriesHeartbeatsItemsAndTheInvocationRecord_WhileTheLogGetsTheSameLineUnchanged()
    {
        var log = new LineWriter();
        await using var service = await StartAsync(o => o with { Log = log });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;

        using var subscribed = await SubscribeAsync(http, pageId, """{"id": "a1", "topic": "orders"}""");
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        Assert.Equal("a1", JsonDocument.Parse(await subscribed.Content.ReadAsStringAsync()).RootElement.GetProperty("subscription").GetString());
        await stream.WaitForAsync("heartbeat", e => e.Text("sub") == "a1");
        using var published = await http.PostAsync("/topics", Json("""{"topicName": "orders", "topicValue": "line one\nline two"}"""));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);

        var item = await stream.WaitForAsync("item");
        Assert.Equal("a1", item.Text("sub"));
        Assert.Equal("orders", item.Text("topic"));
        Assert.Equal("1", item.Text("seq"));
        Assert.True(ulong.TryParse(item.Text("page"), out _));
        Assert.Equal("text", item.Text("kind"));
        Assert.Equal("line one\nline two", item.Text("value"));
        var invocation = await stream.WaitForAsync("invocation");
        Assert.Equal("/topics", invocation.Text("route"));
        Assert.Equal("orders", invocation.Text("topic"));
        Assert.Equal(200, invocation.Data.GetProperty("status").GetInt32());
        Assert.True(invocation.Data.GetProperty("coldStart").GetBoolean());
        Assert.True(invocation.Data.GetProperty("durationMs").GetDouble() > 0);
        Assert.False(invocation.Data.TryGetProperty("_aws", out var _), "the EMF directive is the log's, not the console's");

        // The function's log line is what it always was (metrics included), and it is the same invocation.
        var line = await log.WaitForLineAsync(l => l.Contains("\"message\":\"invocation\"", StringComparison.Ordinal)).DefaultTimeout();
        using var record = JsonDocument.Parse(line);
        Assert.True(record.RootElement.TryGetProperty("_aws", out var _));
        Assert.Equal(record.RootElement.GetProperty("apiRequestId").GetString(), invocation.Text("apiRequestId"));
    }

    [Fact]
    public async Task Stream_ResumeTheServerCannotReplay_AndATopicReset_AreDiscontinuities()
    {
        await using var service = await StartAsync(o => o with { TopicsReplayBufferSize = 2 });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;
        using (await SubscribeAsync(http, pageId, """{"id": "first", "topic": "gaps"}"""))
        {
        }

        await stream.WaitForAsync("heartbeat");
        using (await http.PostAsync("/topics", Json("""{"topicName": "gaps", "topicValue": "1"}""")))
        {
        }

        var page = (await stream.WaitForAsync("item")).Text("page");
        foreach (var value in new[] { "2", "3", "4" })
        {
            using var response = await http.PostAsync("/topics", Json($$"""{"topicName": "gaps", "topicValue": "{{value}}"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // After #1 on this page, with #3 and #4 still held: #2 is gone.
        using var resumed = await SubscribeAsync(http, pageId, $$"""{"id": "again", "topic": "gaps", "resumeAfter": "1", "page": "{{page}}"}""");
        Assert.Equal(HttpStatusCode.Created, resumed.StatusCode);
        var gap = await stream.WaitForAsync("discontinuity", e => e.Text("sub") == "again");
        Assert.Equal(("1", "3", page, "1"), (gap.Text("last"), gap.Text("next"), gap.Text("page"), gap.Text("skipped")));
        var three = await stream.WaitForAsync("item", e => e.Text("sub") == "again" && e.Text("value") == "3");
        var four = await stream.WaitForAsync("item", e => e.Text("sub") == "again" && e.Text("value") == "4");
        Assert.True(gap.Index < three.Index && three.Index < four.Index, "the gap comes first, then what was held, in order");
        Assert.Equal(("3", "4"), (three.Text("seq"), four.Text("seq")));

        // A topic that restarts on a new page: numbers restart, so no count is given.
        service.TopicsServer!.ResetTopic("default-cache", "gaps");
        var reset = await stream.WaitForAsync("discontinuity", e => e.Text("sub") == "again" && e.Text("next") == "1");
        Assert.Equal(JsonValueKind.Null, reset.Data.GetProperty("skipped").ValueKind);
        Assert.Equal("1", reset.Text("next"));
        Assert.NotEqual(page, reset.Text("page"));
    }

    [Fact]
    public async Task ServiceDisposed_WithAPageOpen_EndsItsStreamAndSubscriptions()
    {
        var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;
        using (await SubscribeAsync(http, pageId, """{"topic": "t"}"""))
        {
        }

        await stream.WaitForAsync("heartbeat");

        // Well within the API's shutdown timeout: the open stream does not hold the service up.
        await service.DisposeAsync().AsTask().DefaultTimeout();

        Assert.Equal(0, service.LiveConsole.ActiveSubscriptions);
        Assert.Equal(0, service.LiveConsole.OpenPages);
    }

    [Fact]
    public async Task SlowPage_EventsPastItsQueueAreDroppedCountedAndReported_AndTheStreamGoesOn()
    {
        const int capacity = 4;
        await using var service = await StartAsync(o => o with { ConsoleLimits = new ConsoleLimits { PageQueueCapacity = capacity } });
        var console = service.LiveConsole;

        // A page that reads nothing for a while: a small receive window, so the server's sends back up quickly.
        using var slow = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = service.ApiUrl };
        using var response = await slow.GetAsync("/console/stream", HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var pageId = JsonDocument.Parse((await NextEventAsync(reader, (name, _) => name == "hello")).Data).RootElement.GetProperty("page").GetString()!;
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        using (await SubscribeAsync(http, pageId, """{"topic": "flood"}"""))
        {
        }

        // Full-size values, a batch at a time, until the page's queue overflows (bounded: 40 MB at most).
        var value = new string('v', 4000);
        var batch = Json("{\"messages\": [" + string.Join(',', Enumerable.Repeat($"{{\"topicName\": \"flood\", \"topicValue\": \"{value}\"}}", 100)) + "]}");
        for (var round = 0; round < 100 && console.DroppedEvents == 0; round++)
        {
            using var published = await http.PostAsync("/batch", batch);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        var dropped = console.DroppedEvents;
        Assert.True(dropped > 0, "the page's queue never overflowed");

        // The page reads again: it is told how many events it lost.
        var notice = await NextEventAsync(reader, (name, _) => name == "dropped");
        Assert.InRange(JsonDocument.Parse(notice.Data).RootElement.GetProperty("count").GetInt64(), 1, console.DroppedEvents);

        // And live events keep coming. While the backlog the connection still holds drains, a new item may be dropped
        // too: then the next notice says so (heartbeats keep coming), and the item is published again.
        var delivered = false;
        for (var attempt = 0; attempt < 50 && !delivered; attempt++)
        {
            var marker = "after the flood " + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using (await http.PostAsync("/topics", Json($$"""{"topicName": "flood", "topicValue": "{{marker}}"}""")))
            {
            }

            var next = await NextEventAsync(reader, (name, data) => name == "dropped" || (name == "item" && data.Contains($"\"{marker}\"", StringComparison.Ordinal)));
            delivered = next.Name == "item";
        }

        Assert.True(delivered, "no item arrived after the overflow");
    }

    [Fact]
    public async Task SlowPage_StoppingASubscriptionWhileItsQueueIsFull_StillTellsThePageItEnded()
    {
        await using var service = await StartAsync(o => o with { ConsoleLimits = new ConsoleLimits { PageQueueCapacity = 4 } });
        var console = service.LiveConsole;
        using var slow = SlowReader(service.ApiUrl);
        using var response = await slow.GetAsync("/console/stream", HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var pageId = JsonDocument.Parse((await NextEventAsync(reader, (name, _) => name == "hello")).Data).RootElement.GetProperty("page").GetString()!;
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        using (var subscribed = await SubscribeAsync(http, pageId, """{"id": "flooded", "topic": "flood"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        }

        var batch = Json("{\"messages\": [" + string.Join(',', Enumerable.Repeat($"{{\"topicName\": \"flood\", \"topicValue\": \"{new string('v', 4000)}\"}}", 100)) + "]}");
        // Until a whole batch is dropped: then the stream is stuck on the unread connection and the queue stays full
        // (bounded: 40 MB at most; a short overflow while the socket's buffers still take data is not enough).
        var wholeBatchDropped = false;
        for (var round = 0; round < 100 && !wholeBatchDropped; round++)
        {
            var before = console.DroppedEvents;
            using var published = await http.PostAsync("/batch", batch);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            wholeBatchDropped = console.DroppedEvents - before >= 100;
        }

        Assert.True(wholeBatchDropped, "the page's queue never stayed full");

        // The stop button, while the page's queue is full: the subscription ends on the server...
        using (var stopped = await http.DeleteAsync($"/console/stream/{pageId}/subscriptions/flooded").DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
        }

        await WaitUntilAsync(console, () => console.ActiveSubscriptions == 0);

        // ...and the page, reading again, learns it (else its pane shows the subscription live forever).
        var ended = await NextEventAsync(reader, (name, data) => name == "ended" && data.Contains("\"flooded\"", StringComparison.Ordinal));
        Assert.Equal("stopped", JsonDocument.Parse(ended.Data).RootElement.GetProperty("reason").GetString());
    }

    // A page that reads nothing for a while: a small receive window, so the server's sends back up quickly.
    private static HttpClient SlowReader(Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = baseAddress };

    private static async Task<(string Name, string Data)> NextEventAsync(StreamReader reader, Func<string, string, bool> match)
    {
        using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
        string? current = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                current = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && current is not null && match(current, line["data: ".Length..]))
            {
                return (current, line["data: ".Length..]);
            }
        }

        throw new InvalidOperationException("The stream ended before the event expected.");
    }
}
