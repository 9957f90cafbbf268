using Publisher.Local.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Publisher.Local.BrowserTests;

/// <summary>The console in headless Chromium against the real local service: publish, watch, gaps, markup, problems.</summary>
public sealed class ConsoleBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task PublishForm_TextValue_ArrivesInTheLivePaneWithItsInvocationRecord()
    {
        await using var service = await StartAsync();
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        var pane = await console.SubscribeAsync("orders");

        await console.PublishAsync("topics", "orders", "hello from the form");

        await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "200");
        await Expect(console.Page.Locator("#response-body")).ToContainTextAsync("\"published\": true");
        await Expect(console.Page.Locator("#response-headers")).ToContainTextAsync("application/json");
        var item = pane.Locator("li.item");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item.Locator(".value")).ToHaveTextAsync("hello from the form");
        await Expect(item.Locator(".seq")).ToHaveTextAsync("#1");
        await Expect(item.Locator(".page")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^page \d+$"));
        // Published from this page, so the page shows how long it took to arrive.
        await Expect(item.Locator(".latency")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? ms$"));

        // The function's record of that invocation, as it happened: the first one is the cold start.
        var record = console.Invocations.First;
        await Expect(record.Locator(".route")).ToHaveTextAsync("/topics");
        await Expect(record.Locator(".status")).ToHaveTextAsync("200");
        await Expect(record.Locator(".topic")).ToHaveTextAsync("orders");
        await Expect(record.Locator(".cold")).ToHaveTextAsync("cold");
        await Expect(record.Locator(".duration")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d.]+ ms$"));

        // Heartbeats are counted on the pane's indicator, never listed as lines.
        await Expect(pane).Not.ToHaveAttributeAsync("data-heartbeats", "0");
        await Expect(pane.Locator("ol.items > li")).ToHaveCountAsync(1);
        Assert.Empty(console.ScriptErrors);

        // docs/local.md shows this page as the test leaves it; UPDATE_DOCS=1 retakes the screenshot.
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            await console.Page.ScreenshotAsync(new() { Path = Path.Combine(RepositoryRoot.FullName, "docs", "images", "console.png") });
        }
    }


    [Fact]
    public async Task PublishForm_SameIdempotencyKeyTwice_SecondShowsReplayedAndNothingMoreArrives()
    {
        await using var service = await StartAsync();
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        var pane = await console.SubscribeAsync("keyed");

        await console.PublishAsync("topics", "keyed", "once", idempotencyKey: "order-7");
        await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "200");
        await Expect(console.Page.Locator("#response-replayed")).ToBeHiddenAsync();
        await Expect(console.Page.Locator("#request-view")).ToContainTextAsync("idempotency-key: order-7");
        await console.PublishAsync("topics", "keyed", "once", idempotencyKey: "order-7");

        await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "200");
        await Expect(console.Page.Locator("#response-replayed")).ToBeVisibleAsync();
        await Expect(console.Page.Locator("#response-headers")).ToContainTextAsync("idempotent-replayed");
        await console.PublishAsync("topics", "keyed", "after", idempotencyKey: string.Empty);
        await Expect(console.Page.Locator("#response-replayed")).ToBeHiddenAsync();
        await Expect(pane.Locator("li.item .value")).ToHaveTextAsync(["once", "after"]);
        Assert.Empty(console.ScriptErrors);
    }

    [Fact]
    public async Task PublishForm_Base64ToTheNamedRoute_ArrivesAsBytes()
    {
        await using var service = await StartAsync();
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        var pane = await console.SubscribeAsync("raw");

        await console.PublishAsync("topic-by-name", "raw", "AAEC/w==", base64: true);

        await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "200");
        await Expect(console.Page.Locator("#request-view")).ToContainTextAsync("POST /topics/raw");
        await Expect(console.Page.Locator("#request-view")).ToContainTextAsync("application/octet-stream");
        var item = pane.Locator("li.item");
        await Expect(item.Locator(".kind")).ToHaveTextAsync("bytes[4]");
        await Expect(item.Locator(".value")).ToHaveTextAsync("AAEC/w==");
        await Expect(item.Locator(".latency")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task PublishForm_Batch_EveryMessageArrivesInItsTopicsPane()
    {
        await using var service = await StartAsync();
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        var first = await console.SubscribeAsync("first");
        var second = await console.SubscribeAsync("second");

        await console.PublishBatchAsync("""{"messages": [{"topicName": "first", "topicValue": "a"}, {"topicName": "second", "topicValueBase64": "Yg=="}, {"topicName": "first", "topicValue": "c"}]}""");

        await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "200");
        await Expect(console.Page.Locator("#response-body")).ToContainTextAsync("\"published\": 3");
        // The batch's messages are published concurrently: their order within a topic is the service's.
        await Expect(first.Locator("li.item")).ToHaveCountAsync(2);
        Assert.Equal(["a", "c"], (await first.Locator("li.item .value").AllTextContentsAsync()).Order(StringComparer.Ordinal));
        await Expect(second.Locator("li.item .value")).ToHaveTextAsync(["Yg=="]);
        await Expect(second.Locator("li.item .kind")).ToHaveTextAsync(["bytes[1]"]);
        await Expect(console.Invocations.First.Locator(".route")).ToHaveTextAsync("/batch");
    }

    [Fact]
    public async Task PublishForm_BlankTopic_ShowsThe400ProblemAsAnswered()
    {
        await using var service = await StartAsync();
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();

        await console.PublishAsync("topics", "   ", "value");

        await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "400");
        await Expect(console.Page.Locator("#response-status")).ToContainTextAsync("400 Bad Request");
        await Expect(console.Page.Locator("#response-headers")).ToContainTextAsync("application/problem+json");
        var body = console.Page.Locator("#response-body");
        await Expect(body).ToContainTextAsync("\"status\": 400");
        await Expect(body).ToContainTextAsync("\"field\": \"topicName\"");
        await Expect(body).ToContainTextAsync("/problems/invalid-request");
        var record = console.Invocations.First;
        await Expect(record.Locator(".status")).ToHaveTextAsync("400");
    }

    [Fact]
    public async Task Resume_PastWhatTheServerStillHolds_ShowsTheDiscontinuityWithTheCountSkipped()
    {
        // The embedded server keeps the last 2 items per topic: resuming after #1 once #4 is out cannot replay #2.
        await using var service = await StartAsync(o => o with { TopicsReplayBufferSize = 2 });
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        var pane = await console.SubscribeAsync("gaps");
        await console.PublishAsync("topics", "gaps", "one");
        await Expect(pane.Locator("li.item .value")).ToHaveTextAsync(["one"]);

        await pane.Locator("button.stop").ClickAsync();
        await Expect(pane).ToHaveAttributeAsync("data-state", "ended");
        foreach (var value in new[] { "two", "three", "four" })
        {
            // One at a time, so the numbers follow this order (a batch publishes its messages concurrently).
            await console.PublishAsync("topics", "gaps", value);
            await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "200");
        }

        await pane.Locator("button.resume").ClickAsync();

        var gap = pane.Locator("li.gap");
        await Expect(gap).ToHaveCountAsync(1);
        await Expect(gap).ToHaveAttributeAsync("data-skipped", "1");
        await Expect(gap).ToContainTextAsync("1 item skipped (last #1, next #3");
        // Then what the server still held, in order, after the gap.
        await Expect(pane.Locator("li.item .value")).ToHaveTextAsync(["one", "three", "four"]);
        await Expect(pane.Locator("li.item .seq")).ToHaveTextAsync(["#1", "#3", "#4"]);
        await Expect(pane.Locator("ol.items > li.gap + li.item .value")).ToHaveTextAsync("three");
        await Expect(pane).ToHaveAttributeAsync("data-state", "live");
    }

    [Fact]
    public async Task MarkupInAValue_IsShownAsText_AndNothingRuns()
    {
        const string markup = "<img src=x onerror=alert(1)>";
        await using var service = await StartAsync();
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        var pane = await console.SubscribeAsync("<b>html</b>");

        await console.PublishAsync("topics", "<b>html</b>", markup);

        var value = pane.Locator("li.item .value");
        await Expect(value).ToHaveTextAsync(markup);
        await Expect(pane.Locator("h3.topic")).ToHaveTextAsync("<b>html</b>");
        await Expect(console.Invocations.First.Locator(".topic")).ToHaveTextAsync("<b>html</b>");
        // The text is in the DOM as text: no element was made of it, no image was fetched, no dialog opened.
        Assert.Equal(0, await console.Page.Locator("img").CountAsync());
        Assert.Equal(0, await console.Page.Locator("b").CountAsync());
        Assert.Equal(markup, await value.EvaluateAsync<string>("e => e.textContent"));
        Assert.Equal(0, await value.EvaluateAsync<int>("e => e.childElementCount"));
        Assert.DoesNotContain(console.Requests, url => new Uri(url).AbsolutePath == "/x");
        Assert.Empty(console.Dialogs);
        Assert.Empty(console.ScriptErrors);
    }

    [Fact]
    public async Task ApiKeyRequired_PageAsksForIt_RefusesAWrongOne_AndWorksWithTheRightOne()
    {
        await using var service = await StartAsync(o => o with { ApiKey = "console-key" });
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        var keyPanel = console.Page.Locator("#key-panel");
        await Expect(keyPanel).ToBeVisibleAsync();
        await Expect(console.Connection).ToHaveAttributeAsync("data-state", "key");

        await console.Page.Locator("#key-input").FillAsync("wrong-key");
        await console.Page.Locator("#key-form button").ClickAsync();
        await Expect(console.Page.Locator("#key-message")).ToContainTextAsync("refused");
        await Expect(keyPanel).ToBeVisibleAsync();

        await console.Page.Locator("#key-input").FillAsync("console-key");
        await console.Page.Locator("#key-form button").ClickAsync();
        await console.WaitConnectedAsync();
        await Expect(keyPanel).ToBeHiddenAsync();
        var pane = await console.SubscribeAsync("keyed");
        await console.PublishAsync("topics", "keyed", "with the key");

        await Expect(console.ResponseView).ToHaveAttributeAsync("data-status", "200");
        await Expect(pane.Locator("li.item .value")).ToHaveTextAsync("with the key");
        // The page names the header it sent but never shows the key.
        await Expect(console.Page.Locator("#request-view")).ToContainTextAsync("x-api-key: (the key you entered)");
        Assert.Equal(0, await console.Page.GetByText("console-key").CountAsync());
    }

    [Fact]
    public async Task ApiKeyRequired_AKeyNoHeaderCanCarry_IsRefusedOnThePageAndAskedAgain()
    {
        await using var service = await StartAsync(o => o with { ApiKey = "console-key" });
        await using var console = await chromium.OpenAsync(service.ApiUrl);
        var keyPanel = console.Page.Locator("#key-panel");
        await Expect(keyPanel).ToBeVisibleAsync();

        // A header carries ASCII only: the browser refuses to send this, which is not the service being down.
        await console.Page.Locator("#key-input").FillAsync("console-ключ");
        await console.Page.Locator("#key-form button").ClickAsync();

        await Expect(console.Page.Locator("#key-message")).ToContainTextAsync("ASCII");
        await Expect(keyPanel).ToBeVisibleAsync();
        await Expect(console.Connection).ToHaveAttributeAsync("data-state", "key");

        await console.Page.Locator("#key-input").FillAsync("console-key");
        await console.Page.Locator("#key-form button").ClickAsync();
        await console.WaitConnectedAsync();
        Assert.Empty(console.ScriptErrors);
    }

    [Fact]
    public async Task ClosingThePage_EndsItsStreamAndSubscriptions()
    {
        await using var service = await StartAsync();
        var liveConsole = service.LiveConsole;
        var console = await chromium.OpenAsync(service.ApiUrl);
        await console.WaitConnectedAsync();
        await console.SubscribeAsync("one");
        await console.SubscribeAsync("two");
        Assert.Equal((2, 1), (liveConsole.ActiveSubscriptions, liveConsole.OpenPages));

        await console.DisposeAsync();

        using var timeout = new CancellationTokenSource(ChromiumFixture.PageTimeout);
        while (true)
        {
            // Taken before the check, so a change between the two is not missed.
            var changed = liveConsole.Changed;
            if (liveConsole.ActiveSubscriptions == 0 && liveConsole.OpenPages == 0)
            {
                break;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private static Task<LocalService> StartAsync(Func<LocalServiceOptions, LocalServiceOptions>? configure = null)
    {
        var options = new LocalServiceOptions
        {
            ApiPort = 0,
            TopicsPort = 0,
            Environment = _ => null,
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            Log = new LineWriter(),
        };
        return LocalService.StartAsync(configure?.Invoke(options) ?? options);
    }
}
