using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Publisher.Local.Tests.Infrastructure;
using Publisher.Local.WebConsole;

namespace Publisher.Local.Tests;

/// <summary>The console's own HTTP: the page, the event stream, subscriptions, the key, and every bound.</summary>
public sealed class ConsoleEndpointTests
{
    [Fact]
    public async Task GetRoot_ServesThePageAndItsFilesUnderAPolicyThatRunsNoInlineCode()
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };

        using var page = await http.GetAsync("/");
        using var script = await http.GetAsync("/console/console.js");
        using var style = await http.GetAsync("/console/console.css");
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Contains("/console/console.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        // The script never turns text into markup: no API that parses HTML appears in it.
        var code = await script.Content.ReadAsStringAsync();
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
        {
            Assert.DoesNotContain(sink, code, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OtherRequests_StillReachTheFunctionAsBefore()
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };

        using var postRoot = await http.PostAsync("/", Json("{}"));
        using var getTopics = await http.GetAsync("/topics");
        using var consoleLookalike = await http.PostAsync("/consoles", Json("{}"));

        // The function's own answers: no route for POST / or /consoles, and /topics takes only POST.
        Assert.Equal(HttpStatusCode.NotFound, postRoot.StatusCode);
        Assert.Contains("POST /", await postRoot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getTopics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, consoleLookalike.StatusCode);
        Assert.Contains("/consoles", await consoleLookalike.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

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
    public async Task ApiKey_StreamAndSubscriptionsNeedIt_ThePageAndInfoDoNot_AndItIsNeverEchoed()
    {
        var log = new LineWriter();
        await using var service = await StartAsync(o => o with { ApiKey = "s3cret-key", Log = log });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };

        using var page = await http.GetAsync("/");
        using var info = await http.GetAsync("/console/info");
        using var noKey = await http.GetAsync("/console/stream", HttpCompletionOption.ResponseHeadersRead);
        using var wrongKey = await Send(http, HttpMethod.Get, "/console/stream", "wrong");
        var (stream, pageId) = await SseStream.OpenAsync(http, "s3cret-key");
        await using var reading = stream;
        using var subscribeNoKey = await SubscribeAsync(http, pageId, """{"topic": "t"}""");
        using var subscribeWithKey = await SubscribeAsync(http, pageId, """{"topic": "t"}""", "s3cret-key");
        using var deleteNoKey = await Send(http, HttpMethod.Delete, $"/console/stream/{pageId}/subscriptions/s1", null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(JsonDocument.Parse(await info.Content.ReadAsStringAsync()).RootElement.GetProperty("apiKeyRequired").GetBoolean());
        foreach (var refused in new[] { noKey, wrongKey, subscribeNoKey, deleteNoKey })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("x-api-key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Created, subscribeWithKey.StatusCode);
        await stream.WaitForAsync("heartbeat");
        foreach (var response in new[] { page, info, noKey, wrongKey, subscribeNoKey, subscribeWithKey, deleteNoKey })
        {
            Assert.DoesNotContain("s3cret-key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(log.Lines, line => line.Contains("s3cret-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForeignHostName_IsRefused()
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };

        foreach (var path in new[] { "/", "/console/info", "/console/stream" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = "rebound.example:" + service.ApiUrl.Port;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task AnotherSitesPage_GetsNoStreamAndNoSubscription(string fetchSite)
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;

        using var streamRequest = new HttpRequestMessage(HttpMethod.Get, "/console/stream") { Headers = { { "Sec-Fetch-Site", fetchSite } } };
        using var streamResponse = await http.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        using var subscribeRequest = new HttpRequestMessage(HttpMethod.Post, $"/console/stream/{pageId}/subscriptions")
        {
            Headers = { { "Sec-Fetch-Site", fetchSite } },
            Content = Json("""{"topic": "t"}"""),
        };
        using var subscribeResponse = await http.SendAsync(subscribeRequest);
        using var ownPage = new HttpRequestMessage(HttpMethod.Get, "/console/stream") { Headers = { { "Sec-Fetch-Site", "same-origin" } } };
        using var ownPageResponse = await http.SendAsync(ownPage, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, streamResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, subscribeResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownPageResponse.StatusCode);
        Assert.Equal(0, service.LiveConsole.ActiveSubscriptions);
    }

    [Theory]
    [InlineData("text/plain", """{"topic": "t"}""", 415, null)]
    [InlineData("application/json", "not json", 400, null)]
    [InlineData("application/json", "[]", 400, null)]
    [InlineData("application/json", """{}""", 400, "topic")]
    [InlineData("application/json", """{"topic": "   "}""", 400, "topic")]
    [InlineData("application/json", """{"topic": "a\u0001b"}""", 400, "topic")]
    [InlineData("application/json", """{"topic": 5}""", 400, "topic")]
    [InlineData("application/json", """{"topic": "t", "extra": 1}""", 400, "extra")]
    [InlineData("application/json", """{"topic": "t", "resumeAfter": -1}""", 400, "resumeAfter")]
    [InlineData("application/json", """{"topic": "t", "page": "x"}""", 400, "page")]
    [InlineData("application/json", """{"topic": "t", "id": "no spaces"}""", 400, "id")]
    public async Task Subscribe_BadRequest_AnswersAProblemNamingTheField(string contentType, string body, int status, string? field)
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;

        using var response = await http.PostAsync($"/console/stream/{pageId}/subscriptions", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, problem.RootElement.TryGetProperty("field", out var named) ? named.GetString() : null);
        Assert.Equal(0, service.LiveConsole.ActiveSubscriptions);
    }

    [Fact]
    public async Task Subscribe_UnknownPageDuplicateIdOversizedBodyAndWrongMethod_AnswerProblems()
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;

        using var unknownPage = await SubscribeAsync(http, "0123456789abcdef", """{"topic": "t"}""");
        using var first = await SubscribeAsync(http, pageId, """{"id": "x1", "topic": "t"}""");
        using var duplicate = await SubscribeAsync(http, pageId, """{"id": "x1", "topic": "t"}""");
        using var oversized = await SubscribeAsync(http, pageId, "{\"topic\": \"" + new string('a', 5000) + "\"}");
        using var wrongMethod = await http.GetAsync($"/console/stream/{pageId}/subscriptions");
        using var unknownRoute = await http.GetAsync("/console/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, unknownPage.StatusCode);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("POST", wrongMethod.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.Equal(1, service.LiveConsole.ActiveSubscriptions);
    }

    [Fact]
    public async Task Limits_PerPagePerServiceAndOpenPages_Answer429_AndAClosedPageFreesItsShare()
    {
        var limits = new ConsoleLimits { MaxPages = 2, MaxSubscriptionsPerPage = 2, MaxSubscriptions = 3 };
        await using var service = await StartAsync(o => o with { ConsoleLimits = limits });
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var console = service.LiveConsole;
        var (one, onePage) = await SseStream.OpenAsync(http);
        var (two, twoPage) = await SseStream.OpenAsync(http);
        await using var readingTwo = two;

        using var a = await SubscribeAsync(http, onePage, """{"topic": "a"}""");
        using var b = await SubscribeAsync(http, onePage, """{"topic": "b"}""");
        using var pageFull = await SubscribeAsync(http, onePage, """{"topic": "c"}""");
        using var c = await SubscribeAsync(http, twoPage, """{"topic": "c"}""");
        using var serviceFull = await SubscribeAsync(http, twoPage, """{"topic": "d"}""");
        using var thirdPage = await http.GetAsync("/console/stream", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created], new[] { a.StatusCode, b.StatusCode, c.StatusCode });
        Assert.Equal(HttpStatusCode.TooManyRequests, pageFull.StatusCode);
        Assert.Contains("page holds at most 2", await pageFull.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, serviceFull.StatusCode);
        Assert.Contains("at most 3 subscriptions", await serviceFull.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, thirdPage.StatusCode);
        Assert.Equal(3, console.ActiveSubscriptions);

        // The first page goes away: its two subscriptions end, and the second page may subscribe again.
        await one.DisposeAsync();
        await WaitUntilAsync(console, () => console.ActiveSubscriptions == 1 && console.OpenPages == 1);
        using var d = await SubscribeAsync(http, twoPage, """{"topic": "d"}""");
        Assert.Equal(HttpStatusCode.Created, d.StatusCode);
    }

    [Fact]
    public async Task Delete_StopsTheSubscription_WhichEndsWithAnEvent()
    {
        await using var service = await StartAsync();
        using var http = new HttpClient { BaseAddress = service.ApiUrl };
        var (stream, pageId) = await SseStream.OpenAsync(http);
        await using var reading = stream;
        using (await SubscribeAsync(http, pageId, """{"id": "w", "topic": "t"}"""))
        {
        }

        await stream.WaitForAsync("heartbeat");
        using var stopped = await Send(http, HttpMethod.Delete, $"/console/stream/{pageId}/subscriptions/w", null);
        var ended = await stream.WaitForAsync("ended");
        await WaitUntilAsync(service.LiveConsole, () => service.LiveConsole.ActiveSubscriptions == 0);
        using var again = await Send(http, HttpMethod.Delete, $"/console/stream/{pageId}/subscriptions/w", null);

        Assert.Equal(HttpStatusCode.NoContent, stopped.StatusCode);
        Assert.Equal(("w", "stopped"), (ended.Text("sub"), ended.Text("reason")));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
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

    private static async Task WaitUntilAsync(LocalConsole console, Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
        while (true)
        {
            // The signal is taken before the check, so a change between the two is not missed.
            var changed = console.Changed;
            if (condition())
            {
                return;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private static Task<HttpResponseMessage> SubscribeAsync(HttpClient http, string pageId, string body, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/console/stream/{pageId}/subscriptions") { Content = Json(body) };
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return http.SendAsync(request).DefaultTimeout();
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string? apiKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static Task<LocalService> StartAsync(Func<LocalServiceOptions, LocalServiceOptions>? configure = null)
    {
        var options = new LocalServiceOptions
        {
            ApiPort = 0,
            TopicsPort = 0,
            Environment = TestEnvironment.None,
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            Log = new LineWriter(),
        };
        return LocalService.StartAsync(configure?.Invoke(options) ?? options);
    }
}
