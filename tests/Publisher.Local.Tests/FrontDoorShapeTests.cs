using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Momento.Topics.Client;
using Publisher.Contracts;
using Publisher.Local.Tests.Infrastructure;
using static Publisher.Local.Tests.Infrastructure.LocalApiTesting;

namespace Publisher.Local.Tests;

/// <summary>
/// <c>serve --front-door</c>: every route through each door's event shape, over real HTTP on 127.0.0.1, into the
/// real handlers and the embedded Topics server. The answers are the same in every shape (the functions read both
/// payload versions); what the doors differ in shows where it should: who serves the documentation, and what is open.
/// </summary>
public sealed class FrontDoorShapeTests : IDisposable
{
    private const string Key = "door-key";

    private readonly List<LineWriter> _logs = [];

    public static TheoryData<FrontDoor> Doors => [FrontDoor.RestApi, FrontDoor.HttpApi, FrontDoor.FunctionUrl];

    /// <summary>Each service's log fails the test on an ERROR line.</summary>
    public void Dispose() => _logs.ForEach(log => log.AssertNoUnexpectedErrors());

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task EveryRoute_ThroughTheDoorsShape_AnswersAsTheDeployedApi(FrontDoor door)
    {
        var log = new LineWriter();
        await using var service = await LocalService.StartAsync(Options(log, door));
        // The keyed service's Topics server asks for the key, as Momento does.
        await using var subscriber = TopicClient.Create(CredentialProvider.FromApiKey(Key, "http://" + service.TopicsServer!.HostPort));
        using var http = Client(service);
        byte[] bytes = [0, 1, 2, 0x80, 0xFF];
        var topic = "door-" + door.Name();

        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = ReceiveItemsAsync(subscriber, topic, 4, subscribed);
        await subscribed.Task.DefaultTimeout();

        using var json = await http.PostAsync("/topics", Json($$"""{"topicName":"{{topic}}","topicValue":"json"}"""));
        using var binary = await http.PostAsync($"/topics/{topic}", new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        using var text = await http.PostAsync($"/topics/{topic}", new StringContent("plain", Encoding.UTF8, "text/plain"));
        using var batch = await http.PostAsync("/batch", Json($$"""{"messages":[{"topicName":"{{topic}}","topicValue":"batched"}]}"""));
        var items = await received.DefaultTimeout();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { json.StatusCode, binary.StatusCode, text.StatusCode, batch.StatusCode });
        Assert.Equal("json", Assert.IsType<TopicEvent.TextItem>(items[0]).Value);
        Assert.Equal(bytes, Assert.IsType<TopicEvent.BinaryItem>(items[1]).Value);
        Assert.Equal("plain", Assert.IsType<TopicEvent.TextItem>(items[2]).Value);
        Assert.Equal("batched", Assert.IsType<TopicEvent.TextItem>(items[3]).Value);

        using var verifyGet = await http.GetAsync($"/verify?topic={topic}&listenMs=100&count=1");
        using var verifyPost = await http.PostAsync("/verify", Json($$"""{"topic":"{{topic}}","listenMs":100,"count":1}"""));
        Assert.Equal(HttpStatusCode.OK, verifyGet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, verifyPost.StatusCode);
        using (var result = JsonDocument.Parse(await verifyPost.Content.ReadAsStringAsync()))
        {
            Assert.Equal(topic, result.RootElement.GetProperty("topic").GetString());
            Assert.True(result.RootElement.GetProperty("subscribed").GetBoolean());
        }

        // The function's own answers to what no route takes, in every shape.
        using var invalid = await http.PostAsync("/topics", Json("""{"topicName":"t"}"""));
        using var wrongMethod = await http.DeleteAsync("/topics");
        using var missing = await http.PostAsync("/nowhere", Json("{}"));
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "invalid-request");
        await AssertProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        Assert.Contains("POST", wrongMethod.Content.Headers.Allow);
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "not-found");

        // Every publish and verification ran the handlers and was logged with its route.
        var routes = log.Lines.Where(l => l.Contains("\"message\":\"invocation\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.TryGetProperty("route", out var r) ? r.GetString() : null).ToList();
        Assert.Contains("/topics", routes);
        Assert.Contains("/topics/{topicName}", routes);
        Assert.Contains("/batch", routes);
    }

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task Documentation_IsServedWhereThatDoorServesIt(FrontDoor door)
    {
        await using var service = await LocalService.StartAsync(Options(new(), door));
        using var anonymous = new HttpClient { BaseAddress = service.ApiUrl };
        using var signed = Client(service);

        using var openApi = await anonymous.GetAsync("/openapi.json");
        using var page = await anonymous.GetAsync("/problems/invalid-request");
        using var openApiWithKey = await signed.GetAsync("/openapi.json");

        if (door == FrontDoor.FunctionUrl)
        {
            // Behind AWS_IAM URLs nothing is open: the documentation is signed like every request (here: the key).
            Assert.Equal(HttpStatusCode.Forbidden, openApi.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, openApiWithKey.StatusCode);
        using var document = JsonDocument.Parse(await openApiWithKey.Content.ReadAsStringAsync());
        var server = Assert.Single(document.RootElement.GetProperty("servers").EnumerateArray());
        Assert.Equal(service.ApiUrl.ToString().TrimEnd('/'), server.GetProperty("url").GetString());
        // A REST API mocks it (the runner answers); the other doors' requests reach the publisher, which says so.
        Assert.Equal(
            door == FrontDoor.RestApi ? "This local runner." : "This deployment (the address this document was fetched from).",
            server.GetProperty("description").GetString());
    }

    [Theory]
    [MemberData(nameof(Doors))]
    public async Task FunctionRoutes_WithoutTheKey_AreRefusedBeforeAnyFunctionRuns(FrontDoor door)
    {
        var log = new LineWriter();
        await using var service = await LocalService.StartAsync(Options(log, door));
        using var anonymous = new HttpClient { BaseAddress = service.ApiUrl };

        using var publish = await anonymous.PostAsync("/topics", Json("""{"topicName":"t","topicValue":"v"}"""));
        using var verify = await anonymous.GetAsync("/verify?topic=t&listenMs=100");

        await AssertProblemAsync(publish, HttpStatusCode.Forbidden, "unauthorized");
        await AssertProblemAsync(verify, HttpStatusCode.Forbidden, "unauthorized");
        Assert.DoesNotContain(log.Lines, line => line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("/problems/" + slug, problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    private static HttpClient Client(LocalService service) =>
        new() { BaseAddress = service.ApiUrl, DefaultRequestHeaders = { { "x-api-key", Key } } };

    private LocalServiceOptions Options(LineWriter log, FrontDoor door)
    {
        _logs.Add(log);
        return LocalApiTesting.Options(log) with { ApiKey = Key, FrontDoor = door };
    }
}
