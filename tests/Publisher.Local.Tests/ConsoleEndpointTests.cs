using System.Net;
using System.Text.Json;
using Publisher.Local.Tests.Infrastructure;
using static Publisher.Local.Tests.Infrastructure.ConsoleTesting;
using static Publisher.Local.Tests.Infrastructure.LocalApiTesting;

namespace Publisher.Local.Tests;

/// <summary>The console's own HTTP: the page and its files, what passes on to the API, and who may use the stream and subscriptions.</summary>
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

        // The scripts (the page's and every module beside it) never turn text into markup: no API that parses HTML appears in them.
        var scripts = Directory.GetFiles(Path.Combine(TestEnvironment.RepoRoot, "src", "Publisher.Local", "WebConsole", "wwwroot"), "*.js");
        Assert.Contains(scripts, file => Path.GetFileName(file) == "console.js");
        foreach (var file in scripts)
        {
            using var module = await http.GetAsync("/console/" + Path.GetFileName(file));
            Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType);
            var code = await module.Content.ReadAsStringAsync();
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
            {
                Assert.DoesNotContain(sink, code, StringComparison.Ordinal);
            }
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
}
