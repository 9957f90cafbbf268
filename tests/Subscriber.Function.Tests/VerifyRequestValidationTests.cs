using Publisher.Contracts;
using Subscriber.Function.Tests.Infrastructure;
using static Subscriber.Function.Tests.Infrastructure.ApiEvents;

namespace Subscriber.Function.Tests;

/// <summary>Bad requests are answered with problem details, for both API shapes and direct invocations, before any subscription.</summary>
public sealed class VerifyRequestValidationTests : IAsyncLifetime
{
    private SubscriberHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SubscriberHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<Shape, string, string, string?, string?, Dictionary<string, string>?, int, string, string?> BadApiRequests()
    {
        var data = new TheoryData<Shape, string, string, string?, string?, Dictionary<string, string>?, int, string, string?>();
        foreach (var shape in new[] { Shape.RestV1, Shape.HttpApiV2 })
        {
            // shape, method, path, body, content type, query, status, problem type, field
            data.Add(shape, "POST", "/verify", """{"listenMs":100}""", "application/json", null, 400, "invalid-request", "topic");
            data.Add(shape, "POST", "/verify", """{"topic":"t","listenMs":5001}""", "application/json", null, 400, "invalid-request", "listenMs");
            data.Add(shape, "POST", "/verify", """{"topic":"t","listenMs":0}""", "application/json", null, 400, "invalid-request", "listenMs");
            data.Add(shape, "POST", "/verify", """{"topic":"t","count":1,"equals":"x"}""", "application/json", null, 400, "invalid-request", "count");
            data.Add(shape, "POST", "/verify", """{"topic":"t","bogus":1}""", "application/json", null, 400, "invalid-request", "bogus");
            data.Add(shape, "POST", "/verify", """{"topic":"t","topic":"u"}""", "application/json", null, 400, "invalid-request", "topic");
            data.Add(shape, "POST", "/verify", """{"topic":5}""", "application/json", null, 400, "invalid-request", "topic");
            data.Add(shape, "POST", "/verify", "not json", "application/json", null, 400, "invalid-request", null);
            data.Add(shape, "POST", "/verify", """["topic"]""", "application/json", null, 400, "invalid-request", null);
            data.Add(shape, "POST", "/verify", """{"topic":"t"}""", "text/plain", null, 415, "unsupported-media-type", null);
            data.Add(shape, "GET", "/verify", null, null, new() { ["listenMs"] = "100" }, 400, "invalid-request", "topic");
            data.Add(shape, "GET", "/verify", null, null, new() { ["topic"] = "t", ["listenMs"] = "99999" }, 400, "invalid-request", "listenMs");
            data.Add(shape, "GET", "/verify", null, null, new() { ["topic"] = "t", ["listenMs"] = "soon" }, 400, "invalid-request", "listenMs");
            data.Add(shape, "GET", "/verify", null, null, new() { ["topic"] = "t", ["count"] = "2", ["contains"] = "x" }, 400, "invalid-request", "count");
            data.Add(shape, "GET", "/verify", null, null, new() { ["topic"] = "t", ["count"] = "1000" }, 400, "invalid-request", "count");
            data.Add(shape, "GET", "/verify", null, null, new() { ["topic"] = "t", ["extra"] = "1" }, 400, "invalid-request", "extra");
            data.Add(shape, "DELETE", "/verify", null, null, null, 405, "method-not-allowed", null);
            data.Add(shape, "POST", "/nowhere", """{"topic":"t"}""", "application/json", null, 404, "not-found", null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadApiRequests))]
    public async Task HandleAsync_BadApiRequest_AnswersProblemDetails(
        Shape shape, string method, string path, string? body, string? contentType, Dictionary<string, string>? query, int status, string problemType, string? field)
    {
        var answer = Decode(await _harness.InvokeAsync(Build(shape, method, path, body, contentType, query)).DefaultTimeout());

        Assert.Equal(status, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Headers["Content-Type"]);
        Assert.Equal(HttpContract.ProblemTypes.DefaultBaseUri + problemType, answer.Body.GetProperty("type").GetString());
        Assert.Equal(status, answer.Body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(answer.Body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(answer.Body.GetProperty("detail").GetString()));
        if (field is null)
        {
            Assert.False(answer.Body.TryGetProperty("field", out _));
        }
        else
        {
            Assert.Equal(field, answer.Body.GetProperty("field").GetString());
        }

        if (status == 405)
        {
            Assert.Equal("GET, POST", answer.Headers["Allow"]);
        }

        // Rejected before subscribing: the server never saw a subscription, so nothing was logged as a topic event.
        Assert.DoesNotContain(_harness.Log.Lines, line => line.Contains("\"message\":\"topic event\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"listenMs":100}""", "topic")]
    [InlineData("""{"topic":"   "}""", "topic")]
    [InlineData("""{"topic":"t","listenMs":5001}""", "listenMs")]
    [InlineData("""{"topic":"t","listenMs":1.5}""", "listenMs")]
    [InlineData("""{"topic":"t","equals":"a","contains":"b"}""", "count")]
    [InlineData("""{"topic":"t","contains":""}""", "contains")]
    [InlineData("""{"topic":"t","unknown":true}""", "unknown")]
    [InlineData("""[1,2]""", null)]
    [InlineData("""not json""", null)]
    public async Task HandleAsync_BadDirectRequest_ReturnsProblem(string payload, string? field)
    {
        var problem = await _harness.InvokeDirectAsync(payload).DefaultTimeout();

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpContract.ProblemTypes.DefaultBaseUri + "invalid-request", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }

    [Theory]
    [InlineData("listenMs", "99999999999999")]
    [InlineData("count", "-99999999999999")]
    public async Task HandleAsync_WholeNumberBeyondInt32_SaysOutOfRangeNotNotANumber(string name, string number)
    {
        var direct = await _harness.InvokeDirectAsync($$"""{"topic":"t","{{name}}":{{number}}}""").DefaultTimeout();
        var query = Decode(await _harness.InvokeAsync(Build(Shape.RestV1, "GET", "/verify", null, null, new Dictionary<string, string> { ["topic"] = "t", [name] = number })).DefaultTimeout());

        foreach (var problem in new[] { direct, query.Body })
        {
            Assert.Equal(name, problem.GetProperty("field").GetString());
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.DoesNotContain("must be a whole number", detail, StringComparison.Ordinal);
            Assert.Matches("out of range|must be from 1 to", detail);
        }
    }
}
