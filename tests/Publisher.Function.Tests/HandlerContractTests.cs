using System.Text;
using System.Text.Json;
using Functions.Common.Http;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// The HTTP contract, one table row per rule, each row run with a REST API (1.0) and an HTTP API (2.0)
/// event built from AWS's sample events, against a real local Topics server.
/// </summary>
public sealed class HandlerContractTests : IClassFixture<HandlerFixture>
{
    /// <summary>A value no response and no log line may ever contain.</summary>
    private const string Secret = "s3cr3t-value";

    private static readonly string SecretBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret));

    private static readonly IReadOnlyDictionary<string, HandlerCase> Table = BuildTable();

    private readonly HandlerFixture _fixture;

    public HandlerContractTests(HandlerFixture fixture) => _fixture = fixture;

    public static TheoryData<string, EventShape> Cases()
    {
        var data = new TheoryData<string, EventShape>();
        foreach (var name in Table.Keys)
        {
            foreach (var shape in TestEvents.Shapes)
            {
                data.Add(name, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HandleAsync_ContractRule_AnswersAsSpecified(string name, EventShape shape)
    {
        var rule = Table[name];
        var headers = rule.ContentType is null
            ? []
            : new Dictionary<string, string> { [rule.HeaderName] = rule.ContentType };
        var eventJson = TestEvents.Build(shape, rule.Method, rule.Path, rule.Body, headers, rule.Base64);

        var invocation = await _fixture.Host(rule.Profile).InvokeAsync(eventJson);
        var response = invocation.Response;

        Assert.Equal(rule.Status, response.StatusCode);
        if (rule.Status == 200)
        {
            Assert.Equal("application/json", response.ContentType);
            var json = response.Json;
            if (rule.Route == "/batch")
            {
                Assert.Equal(rule.Bytes, json.GetProperty("published").GetInt32());
                Assert.Equal(0, json.GetProperty("failed").GetInt32());
            }
            else
            {
                Assert.True(json.GetProperty("published").GetBoolean());
                Assert.Equal(rule.Topic, json.GetProperty("topic").GetString());
                Assert.Equal(rule.Bytes, json.GetProperty("bytes").GetInt32());
            }
        }
        else
        {
            var problem = response.AssertProblem(rule.Status, rule.Slug!, rule.Field);
            if (rule.Field is null)
            {
                Assert.False(problem.TryGetProperty("field", out _));
            }

            Assert.Contains(rule.Detail!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        if (rule.Status == 405)
        {
            Assert.Equal("POST", response.Headers["Allow"]);
        }
        else
        {
            Assert.False(response.Headers.ContainsKey("Allow"));
        }

        response.AssertNoLeaks(Secret, SecretBase64);

        // One log line per invocation, without the value.
        var record = invocation.Record;
        Assert.Equal(invocation.RequestId, record.GetProperty("requestId").GetString());
        Assert.Equal(rule.Route, record.GetProperty("route").GetString());
        Assert.Equal(rule.Status, record.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.False, record.GetProperty("coldStart").ValueKind);
        Assert.Contains("Published", invocation.MetricNames);
        Assert.Contains("PublishFailures", invocation.MetricNames);
        Assert.Equal(rule.Status == 200 ? (rule.Route == "/batch" ? rule.Bytes : 1) : 0, record.GetProperty("Published").GetInt32());
        Assert.Equal(0, record.GetProperty("PublishFailures").GetInt32());
        if (rule.Status == 200 && rule.Route != "/batch")
        {
            Assert.Equal(rule.Topic, record.GetProperty("topic").GetString());
            Assert.Equal(rule.Bytes, record.GetProperty("bytes").GetInt64());
        }

        Assert.DoesNotContain(Secret, invocation.AllLog, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretBase64, invocation.AllLog, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, HandlerCase> BuildTable()
    {
        const string Json = "application/json";
        const string Default = HandlerFixture.Default;
        const string Limited = HandlerFixture.Limited;
        var table = new Dictionary<string, HandlerCase>(StringComparer.Ordinal);

        void Add(string name, HandlerCase rule) => table.Add(name, rule);

        static string Message(string topic, string valueJson) => $$"""{"topicName":{{JsonSerializer.Serialize(topic)}},"topicValue":{{valueJson}}}""";
        static string Text(string topic, string value) => Message(topic, JsonSerializer.Serialize(value));
        static string Bytes(string topic, byte[] value) => $$"""{"topicName":{{JsonSerializer.Serialize(topic)}},"topicValueBase64":"{{Convert.ToBase64String(value)}}"}""";
        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        static string Batch(params string[] messages) => $$"""{"messages":[{{string.Join(',', messages)}}]}""";
        static HandlerCase Ok(string body, string topic, int bytes, string path = "/topics", string? contentType = Json) =>
            new(Default, "POST", path, contentType, body, false, 200, null, null, null) { Topic = topic, Bytes = bytes };
        static HandlerCase Bad(string? body, int status, string slug, string? field, string detail, string path = "/topics", string? contentType = Json) =>
            new(Default, "POST", path, contentType, body, false, status, slug, field, detail);

        const string Invalid = ProblemTypes.InvalidRequest;
        const string TooLarge = ProblemTypes.PayloadTooLarge;

        // Success: text and bytes, JSON route and raw route.
        Add("text", Ok(Text("orders", Secret), "orders", Secret.Length));
        Add("text counted as UTF-8", Ok(Text("orders", "héllo✓"), "orders", 9));
        Add("empty text", Ok(Text("orders", string.Empty), "orders", 0));
        Add("bytes", Ok(Bytes("blobs", [0, 1, 2, 255]), "blobs", 4));
        Add("bytes of the secret", Ok(Bytes("blobs", Encoding.UTF8.GetBytes(Secret)), "blobs", Secret.Length));
        Add("json with charset", Ok(Text("t", Secret), "t", Secret.Length, contentType: "application/json; charset=utf-8"));
        Add("json media type in upper case", Ok(Text("t", Secret), "t", Secret.Length, contentType: "Application/JSON"));
        Add("json suffix media type", Ok(Text("t", "v"), "t", 1, contentType: "application/vnd.example+json"));
        Add("header name lower case", Ok(Text("t", Secret), "t", Secret.Length) with { HeaderName = "content-type" });
        Add("header name upper case", Ok(Text("t", Secret), "t", Secret.Length) with { HeaderName = "CONTENT-TYPE" });
        Add("topic name of 256 characters", Ok(Text(new string('n', 256), "v"), new string('n', 256), 1));
        Add("topic name with unicode", Ok(Text("café/ünïcode", "v"), "café/ünïcode", 1));
        Add("value of exactly 4096 bytes", Ok(Text("t", new string('v', 4096)), "t", 4096));
        Add("bytes of exactly 4096", Ok(Bytes("t", new byte[4096]), "t", 4096));
        Add("base64-encoded event body", Ok(B64(Text("orders", Secret)), "orders", Secret.Length) with { Base64 = true });
        Add("trailing slash", Ok(Text("t", "v"), "t", 1, path: "/topics/"));
        Add("raw text", Ok("héllo", "greetings", 6, path: "/topics/greetings", contentType: "text/plain; charset=utf-8"));
        Add("raw text without charset", Ok(Secret, "greetings", Secret.Length, path: "/topics/greetings", contentType: "text/plain"));
        Add("raw json published as text", Ok("{\"a\":1}", "greetings", 7, path: "/topics/greetings", contentType: Json));
        Add("raw bytes", Ok(Convert.ToBase64String(new byte[] { 0, 255, 1, 2 }), "blobs", 4, path: "/topics/blobs", contentType: "application/octet-stream") with { Base64 = true });
        Add("raw bytes without content type", Ok("abc", "blobs", 3, path: "/topics/blobs", contentType: null));
        Add("raw topic percent-decoded", Ok("v", "a b", 1, path: "/topics/a%20b", contentType: "text/plain"));
        Add("raw value of exactly 4096 bytes", Ok(Convert.ToBase64String(new byte[4096]), "blobs", 4096, path: "/topics/blobs", contentType: "application/octet-stream") with { Base64 = true });
        Add("batch", Ok(Batch(Text("a", Secret), Bytes("b", [1, 2]), Text("c", "x")), "-", 3, path: "/batch"));

        // The body: JSON, an object, the right content type, under the hard cap.
        Add("body not JSON", Bad("{\"topicName\": oops", 400, Invalid, null, "not valid JSON"));
        Add("body empty", Bad(null, 400, Invalid, null, "not valid JSON"));
        Add("body a JSON array", Bad("[1,2]", 400, Invalid, null, "must be a JSON object"));
        Add("body a JSON string", Bad("\"hello\"", 400, Invalid, null, "must be a JSON object"));
        Add("body JSON null", Bad("null", 400, Invalid, null, "must be a JSON object"));
        Add("content type text/plain", Bad(Text("t", Secret), 415, ProblemTypes.UnsupportedMediaType, null, "'text/plain'", contentType: "text/plain"));
        Add("content type form", Bad(Text("t", Secret), 415, ProblemTypes.UnsupportedMediaType, null, "application/x-www-form-urlencoded", contentType: "application/x-www-form-urlencoded"));
        Add("content type missing", Bad(Text("t", Secret), 415, ProblemTypes.UnsupportedMediaType, null, "missing", contentType: null));
        Add("content type blank", Bad(Text("t", Secret), 415, ProblemTypes.UnsupportedMediaType, null, "missing", contentType: " "));
        Add("body over the 1 MiB hard cap", Bad(Text("t", new string('x', MaxBodyBytes)), 413, TooLarge, null, "1048576"));
        Add("event base64 body invalid", Bad("***not base64***", 400, Invalid, null, "base64") with { Base64 = true, LoggedRoute = "unknown" });

        // topicName.
        Add("topicName missing", Bad($$"""{"topicValue":"{{Secret}}"}""", 400, Invalid, "topicName", "required"));
        Add("topicName a number", Bad(Message("x", "\"v\"").Replace("\"x\"", "42", StringComparison.Ordinal), 400, Invalid, "topicName", "must be a string, not a number"));
        Add("topicName null", Bad("""{"topicName":null,"topicValue":"v"}""", 400, Invalid, "topicName", "must be a string, not null"));
        Add("topicName an array", Bad("""{"topicName":["a"],"topicValue":"v"}""", 400, Invalid, "topicName", "must be a string, not an array"));
        Add("topicName empty", Bad(Text(string.Empty, Secret), 400, Invalid, "topicName", "blank"));
        Add("topicName blank", Bad(Text("   ", Secret), 400, Invalid, "topicName", "blank"));
        Add("topicName of 257 characters", Bad(Text(new string('n', 257), Secret), 400, Invalid, "topicName", "257 characters; the limit is 256"));
        Add("topicName with a control character", Bad(Text("a\u0007b", Secret), 400, Invalid, "topicName", "control characters"));
        Add("topicName with a newline", Bad(Text("a\nb", Secret), 400, Invalid, "topicName", "control characters"));
        Add("raw topicName of 257 characters", Bad(Secret, 400, Invalid, "topicName", "257", path: "/topics/" + new string('n', 257), contentType: "text/plain"));
        Add("raw topicName with a control character", Bad(Secret, 400, Invalid, "topicName", "control characters", path: "/topics/a%01b", contentType: "text/plain"));
        Add("raw topicName blank", Bad(Secret, 400, Invalid, "topicName", "blank", path: "/topics/%20%20", contentType: "text/plain"));

        // The value.
        Add("value missing", Bad("""{"topicName":"t"}""", 400, Invalid, "topicValue", "One of topicValue or topicValueBase64 is required"));
        Add("value a number", Bad(Message("t", "5"), 400, Invalid, "topicValue", "must be a string, not a number"));
        Add("value an object", Bad(Message("t", "{}"), 400, Invalid, "topicValue", "must be a string, not an object"));
        Add("value null", Bad(Message("t", "null"), 400, Invalid, "topicValue", "must be a string, not null"));
        Add("base64 value a boolean", Bad("""{"topicName":"t","topicValueBase64":true}""", 400, Invalid, "topicValueBase64", "must be a string, not a boolean"));
        Add("both values", Bad($$"""{"topicName":"t","topicValue":"{{Secret}}","topicValueBase64":"{{SecretBase64}}"}""", 400, Invalid, "topicValueBase64", "exactly one"));
        Add("base64 value invalid", Bad("""{"topicName":"t","topicValueBase64":"not base64!"}""", 400, Invalid, "topicValueBase64", "not valid base64"));
        Add("value over 4096 bytes", Bad(Text("t", new string('v', 4097)), 413, TooLarge, "topicValue", "4097 bytes; the limit is 4096"));
        Add("value over 4096 bytes in UTF-8", Bad(Text("t", new string('é', 2049)), 413, TooLarge, "topicValue", "4098 bytes"));
        Add("base64 value over 4096 bytes", Bad(Bytes("t", new byte[4097]), 413, TooLarge, "topicValueBase64", "4097 bytes"));
        Add("raw value over 4096 bytes", Bad(Convert.ToBase64String(new byte[4097]), 413, TooLarge, "body", "4097 bytes", path: "/topics/blobs", contentType: "application/octet-stream") with { Base64 = true });
        Add("raw text over 4096 bytes in UTF-8", Bad(new string('é', 2049), 413, TooLarge, "body", "4098 bytes", path: "/topics/t", contentType: "text/plain"));
        Add("raw value over 4096 bytes measured before decoding", Bad(new string('*', 8000), 413, TooLarge, "body", "6000 bytes", path: "/topics/blobs", contentType: "application/octet-stream") with { Base64 = true });
        Add("raw value over 4096 bytes to a bad topic name", Bad(new string('v', 5000), 400, Invalid, "topicName", "blank", path: "/topics/%20", contentType: "text/plain"));
        Add("raw text not UTF-8", Bad(Convert.ToBase64String(new byte[] { 0x61, 0xff, 0xfe }), 400, Invalid, null, "not valid UTF-8", path: "/topics/t", contentType: "text/plain") with { Base64 = true });
        Add("raw text in another charset", Bad(Secret, 415, ProblemTypes.UnsupportedMediaType, null, "iso-8859-1", path: "/topics/t", contentType: "text/plain; charset=ISO-8859-1"));
        Add("json in another charset", Bad(Text("t", Secret), 415, ProblemTypes.UnsupportedMediaType, null, "latin1", contentType: "application/json; charset=latin1"));
        Add("batch in another charset", Bad(Batch(Text("a", Secret)), 415, ProblemTypes.UnsupportedMediaType, null, "latin1", path: "/batch", contentType: "application/json; charset=latin1"));
        Add("value with a lone surrogate", Bad("""{"topicName":"t","topicValue":"\ud800"}""", 400, Invalid, "topicValue", "not valid Unicode"));
        Add("field name with a lone surrogate", Bad("""{"topicName":"t","topicValue":"v","\udc00":1}""", 400, Invalid, @"['\uDC00']", "not valid Unicode"));

        // Fields.
        Add("unknown field", Bad($$"""{"topicName":"t","topicValue":"{{Secret}}","priority":1}""", 400, Invalid, "priority", "Unknown field 'priority'"));
        Add("field names are case-sensitive", Bad($$"""{"TopicName":"t","topicValue":"{{Secret}}"}""", 400, Invalid, "TopicName", "Unknown field 'TopicName'"));
        Add("duplicate topicName", Bad($$"""{"topicName":"a","topicName":"b","topicValue":"{{Secret}}"}""", 400, Invalid, "topicName", "'topicName' appears more than once"));
        Add("duplicate topicValue", Bad($$"""{"topicName":"a","topicValue":"{{Secret}}","topicValue":"x"}""", 400, Invalid, "topicValue", "'topicValue' appears more than once"));

        // Batch.
        var hundredAndOne = Enumerable.Range(0, MaxBatchMessages + 1).Select(i => Text("t" + i, "v")).ToArray();
        Add("batch of 101 messages", Bad(Batch(hundredAndOne), 413, TooLarge, "messages", "101 messages; the limit is 100", path: "/batch"));
        Add("batch empty", Bad(Batch(), 400, Invalid, "messages", "at least one", path: "/batch"));
        Add("batch messages missing", Bad("{}", 400, Invalid, "messages", "messages is required", path: "/batch"));
        Add("batch messages not an array", Bad("""{"messages":{}}""", 400, Invalid, "messages", "must be an array", path: "/batch"));
        Add("batch body an array", Bad("[]", 400, Invalid, null, "JSON object", path: "/batch"));
        Add("batch unknown field", Bad($$"""{"messages":[{{Text("a", Secret)}}],"mode":"fast"}""", 400, Invalid, "mode", "Unknown field 'mode'", path: "/batch"));
        Add("batch message without topicName", Bad(Batch(Text("a", Secret), $$"""{"topicValue":"{{Secret}}"}"""), 400, Invalid, "messages[1].topicName", "required", path: "/batch"));
        Add("batch message not an object", Bad(Batch("5", Text("a", Secret)), 400, Invalid, "messages[0]", "must be a JSON object", path: "/batch"));
        Add("batch message with unknown field", Bad(Batch(Text("a", Secret), Text("b", Secret), $$"""{"topicName":"c","topicValue":"v","x":1}"""), 400, Invalid, "messages[2].x", "Unknown field 'x'", path: "/batch"));
        Add("batch message with both values", Bad(Batch($$"""{"topicName":"c","topicValue":"v","topicValueBase64":"AA=="}"""), 400, Invalid, "messages[0].topicValueBase64", "exactly one", path: "/batch"));
        Add("batch message value over 4096 bytes", Bad(Batch(Text("a", Secret), Text("b", new string('v', 4097))), 413, TooLarge, "messages[1].topicValue", "4097", path: "/batch"));
        Add("batch not JSON", Bad("{\"messages\": [", 400, Invalid, null, "not valid JSON", path: "/batch"));
        Add("batch content type text/plain", Bad(Batch(Text("a", Secret)), 415, ProblemTypes.UnsupportedMediaType, null, "text/plain", path: "/batch", contentType: "text/plain"));

        // Routes and methods.
        Add("unknown route", Bad(Text("t", Secret), 404, ProblemTypes.NotFound, null, "POST /publish", path: "/publish"));
        Add("root route", Bad(Text("t", Secret), 404, ProblemTypes.NotFound, null, "/", path: "/"));
        Add("route below a topic", Bad(Secret, 404, ProblemTypes.NotFound, null, "/topics/a/b", path: "/topics/a/b", contentType: "text/plain"));
        Add("route below batch", Bad(Batch(Text("a", Secret)), 404, ProblemTypes.NotFound, null, "/batch/now", path: "/batch/now"));
        Add("GET /topics", Bad(null, 405, ProblemTypes.MethodNotAllowed, null, "/topics accepts POST, not GET") with { Method = "GET" });
        Add("PUT /batch", Bad(Batch(Text("a", Secret)), 405, ProblemTypes.MethodNotAllowed, null, "not PUT", path: "/batch") with { Method = "PUT" });
        Add("DELETE /topics/{topicName}", Bad(null, 405, ProblemTypes.MethodNotAllowed, null, "/topics/{topicName} accepts POST, not DELETE", path: "/topics/x") with { Method = "DELETE" });

        // Configured limits and the allowlist.
        Add("allowlisted topic", Ok(Text("allowed.orders", Secret), "allowed.orders", Secret.Length) with { Profile = Limited });
        Add("allowlisted second prefix", Ok(Text("also-this", "v"), "also-this", 1) with { Profile = Limited });
        Add("topic outside the allowlist", Bad(Text("orders", Secret), 403, ProblemTypes.ForbiddenTopic, "topicName", "allowed prefixes") with { Profile = Limited });
        Add("allowlist is case-sensitive", Bad(Text("Allowed.orders", Secret), 403, ProblemTypes.ForbiddenTopic, "topicName", "allowed prefixes") with { Profile = Limited });
        Add("raw topic outside the allowlist", Bad(Secret, 403, ProblemTypes.ForbiddenTopic, "topicName", "allowed prefixes", path: "/topics/orders", contentType: "text/plain") with { Profile = Limited });
        Add("batch message outside the allowlist", Bad(Batch(Text("allowed.a", Secret), Text("other", Secret)), 403, ProblemTypes.ForbiddenTopic, "messages[1].topicName", "allowed prefixes", path: "/batch") with { Profile = Limited });
        Add("value at the configured limit", Ok(Text("allowed.t", new string('v', 100)), "allowed.t", 100) with { Profile = Limited });
        Add("value over the configured limit", Bad(Text("allowed.t", new string('v', 101)), 413, TooLarge, "topicValue", "101 bytes; the limit is 100") with { Profile = Limited });
        Add("batch at the configured limit", Ok(Batch(Text("allowed.a", "1"), Text("allowed.b", "2"), Text("allowed.c", "3")), "-", 3, path: "/batch") with { Profile = Limited });
        Add("batch over the configured limit", Bad(Batch(Enumerable.Range(0, 4).Select(i => Text("allowed." + i, "v")).ToArray()), 413, TooLarge, "messages", "4 messages; the limit is 3", path: "/batch") with { Profile = Limited });
        Add("body at the configured hard cap", Ok(Pad(Text("allowed.t", Secret), HandlerFixture.LimitedMaxBodyBytes), "allowed.t", Secret.Length) with { Profile = Limited });
        Add("body over the configured hard cap", Bad(Pad(Text("allowed.t", Secret), HandlerFixture.LimitedMaxBodyBytes + 1), 413, TooLarge, null, "larger than 2048 bytes") with { Profile = Limited });
        Add("base64 body at the configured hard cap", Ok(B64(Pad(Text("allowed.t", Secret), HandlerFixture.LimitedMaxBodyBytes)), "allowed.t", Secret.Length) with { Profile = Limited, Base64 = true });
        Add("base64 body over the configured hard cap", Bad(B64(Pad(Text("allowed.t", Secret), HandlerFixture.LimitedMaxBodyBytes + 1)), 413, TooLarge, null, "larger than 2048 bytes") with { Profile = Limited, Base64 = true });
        Add("raw body over the configured hard cap", Bad(new string('x', HandlerFixture.LimitedMaxBodyBytes + 1), 413, TooLarge, null, "larger than 2048 bytes", path: "/topics/allowed.t", contentType: "text/plain") with { Profile = Limited });

        return table;
    }

    /// <summary>Pads JSON with trailing spaces to exactly <paramref name="size"/> UTF-8 bytes.</summary>
    private static string Pad(string json, int size) => json + new string(' ', size - Encoding.UTF8.GetByteCount(json));
}

/// <summary>One row of the contract table.</summary>
internal sealed record HandlerCase(
    string Profile,
    string Method,
    string Path,
    string? ContentType,
    string? Body,
    bool Base64,
    int Status,
    string? Slug,
    string? Field,
    string? Detail)
{
    public string HeaderName { get; init; } = "Content-Type";

    public string? Topic { get; init; }

    public int Bytes { get; init; }

    /// <summary>The route the log line names, when it differs from what the path says (the event could not be read).</summary>
    public string? LoggedRoute { get; init; }

    public string Route => LoggedRoute ?? Path.TrimEnd('/') switch
    {
        "/topics" => "/topics",
        "/batch" => "/batch",
        var p when p.StartsWith("/topics/", StringComparison.Ordinal) && p.Count(c => c == '/') == 2 => "/topics/{topicName}",
        _ => "unknown",
    };
}
