using System.Net;
using System.Text;
using System.Text.Json;
using Publisher.Local.Tests.Infrastructure;
using Publisher.Local.WebConsole;
using static Publisher.Local.Tests.Infrastructure.ConsoleTesting;

namespace Publisher.Local.Tests;

/// <summary>Starting and stopping a page's subscriptions: bad requests, conflicts and every limit answer problems.</summary>
public sealed class ConsoleSubscriptionTests
{
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
}
