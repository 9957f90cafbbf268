using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Publisher.Function.Tests.Support;

/// <summary>Which function a fuzz case invokes.</summary>
internal enum FuzzTarget
{
    Publisher,
    Subscriber,
}

/// <summary>One invocation payload and the function it goes to.</summary>
internal sealed record FuzzCase(FuzzTarget Target, byte[] Payload)
{
    public override string ToString() => $"{Target}: {Encoding.UTF8.GetString(Payload)}";
}

/// <summary>
/// Generators of hostile invocations. JSON is written as text, not through a serializer, so that it can hold what
/// serializers never write: escapes of lone surrogates, duplicate keys, huge numbers, deep nesting. The events are
/// shaped like API Gateway's (both payload versions, custom domains, stages, greedy proxies), then bent: fields of
/// the wrong type, arbitrary path segments, headers and content types, bodies of arbitrary bytes.
/// </summary>
internal static class FuzzInputs
{
    /// <summary>Put into every generated value; a log line that holds it has leaked a value.</summary>
    public const string ValueMarker = "vAlUeMaRkEr";

    private static readonly string[] KnownNames =
    [
        "topicName", "topicValue", "topicValueBase64", "messages", "topic", "listenMs", "count", "equals", "contains",
        "version", "httpMethod", "path", "resource", "body", "headers", "routeKey", "rawPath", "requestContext", "idempotencyKey",
    ];

    /// <summary>Contents of a JSON string (between its quotes) that are text: plain, non-ASCII, astral, harmless escapes.</summary>
    private static readonly Gen<string> SafeContents = Gen.Frequency(
            (6, Gen.String[Gen.Char["abcxyzAZ09 -_.:é✓"], 1, 6]),
            (1, Gen.Const("😀")),
            (1, Gen.OneOf(Gen.Const("\\\\"), Gen.Const("\\u00e9"), Gen.Const("\\ud83d\\ude00"), Gen.Const("\\/"))))
        .Array[1, 4]
        .Select(string.Concat);

    /// <summary>Contents of a JSON string from pieces that include every kind of escape, lone surrogates and controls too.</summary>
    private static readonly Gen<string> HostileContents = Gen.Frequency(
            (6, Gen.String[Gen.Char["abcxyzAZ09 -_./:%é✓"], 0, 6]),
            (1, Gen.Const("😀")),
            (3, Gen.OneOf(
                Gen.Const("\\n"), Gen.Const("\\\""), Gen.Const("\\\\"), Gen.Const("\\/"), Gen.Const("\\t"), Gen.Const("\\b"),
                Gen.Const("\\u0000"), Gen.Const("\\u001f"), Gen.Const("\\u0085"), Gen.Const("\\u00e9"), Gen.Const("\\ud83d\\ude00"),
                Gen.Const("\\ud800"), Gen.Const("\\udfff"), Gen.Const("\\uDBFF"), Gen.Const("\\ud83d"), Gen.Const("\\ude00\\ud83d"),
                Gen.Int[0, 0xFFFF].Select(i => "\\u" + i.ToString("x4", CultureInfo.InvariantCulture)))))
        .Array[0, 6]
        .Select(string.Concat);

    private static readonly Gen<string> Contents = Gen.Frequency((3, SafeContents), (1, HostileContents));

    private static readonly Gen<string> JsonString = Contents.Select(c => "\"" + c + "\"");

    private static readonly Gen<string> ValueString = Contents.Select(c => "\"" + c + ValueMarker + "\"");

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Const("0"), Gen.Const("-1"), Gen.Const("1.5"), Gen.Const("1e400"), Gen.Const("-1e-400"), Gen.Const("1E+2"), Gen.Const("-0"),
        Gen.Const("123456789012345678901234567890"), Gen.Const("2147483648"), Gen.Const("100"), Gen.Const("25000"),
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (4, JsonString), (2, Number), (1, Gen.OneOf(Gen.Const("true"), Gen.Const("false"), Gen.Const("null"))));

    private static readonly Gen<string> Name = Gen.Frequency((4, Gen.OneOf(KnownNames).Select(n => "\"" + n + "\"")), (2, JsonString));

    /// <summary>Any JSON value, nested up to past the functions' depth limit.</summary>
    private static readonly Gen<string> AnyValue = Gen.Recursive<string>((depth, value) => depth >= 20
        ? Scalar
        : Gen.Frequency(
            (5, Scalar),
            (1, value.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Name, value).Array[0, 3].Select(Object))));

    /// <summary>A value of the wrong kind for wherever it goes (sometimes of the right one).</summary>
    private static readonly Gen<string> WrongKind = Gen.Frequency((3, Scalar), (1, AnyValue));

    private static readonly Gen<string> TopicName = Gen.Frequency(
        (6, Gen.OneOf(Gen.Const("\"orders\""), Gen.Const("\"café/ünï\""), Gen.Const("\"a b\""))),
        (3, JsonString),
        (1, Gen.OneOf(Gen.Const("\"   \""), Gen.Const("\"a\\u0007b\""), Gen.Const("\"" + new string('n', 257) + "\""))),
        (1, WrongKind));

    private static readonly Gen<string> Base64Value = Gen.Frequency(
        (3, Gen.Byte.Array[0, 40].Select(b => "\"" + Convert.ToBase64String(b) + "\"")),
        (1, Gen.OneOf(Gen.Const("\"aGVs bG8=\""), Gen.Const("\"aGVsbG8\""), Gen.Const("\"a===\""), Gen.Const("\"@@@@\""))),
        (1, JsonString));

    /// <summary>A publish message: the right members, mostly, in any order, sometimes repeated, missing or unknown.</summary>
    private static readonly Gen<string> Message = Gen.Select(
            Gen.Select(Gen.Const("\"topicName\""), TopicName).Array[0, 2],
            Gen.Frequency(
                (4, Gen.Select(Gen.Const("\"topicValue\""), Gen.Frequency((5, ValueString), (1, WrongKind))).Array[1]),
                (2, Gen.Select(Gen.Const("\"topicValueBase64\""), Base64Value).Array[1]),
                (1, Gen.Select(Gen.OneOf(Gen.Const("\"topicValue\""), Gen.Const("\"topicValueBase64\"")), ValueString).Array[0, 3])),
            Gen.Frequency((6, Gen.Const(Array.Empty<(string, string)>())), (1, Gen.Select(Name, AnyValue).Array[1, 2])))
        .SelectMany((names, values, extra) => Gen.Shuffle(names.Concat(values).Concat(extra).ToArray()))
        .Select(Object);

    private static readonly Gen<string> Batch = Gen.Frequency(
        (5, Gen.Frequency((6, Message), (1, AnyValue)).Array[0, 4].Select(items => "{\"messages\":[" + string.Join(",", items) + "]}")),
        (1, Gen.Select(Gen.Const("\"messages\""), WrongKind).Array[0, 2].Select(Object)));

    /// <summary>A verification request as JSON: a subset of its members, with values right and wrong.</summary>
    private static readonly Gen<string> VerifyJson = Gen.Select(
            Gen.Select(Gen.Const("\"topic\""), TopicName).Array[0, 2],
            Gen.Select(Gen.OneOf(Gen.Const("\"listenMs\""), Gen.Const("\"count\"")), Gen.Frequency((3, Number), (1, WrongKind))).Array[0, 2],
            Gen.Select(Gen.OneOf(Gen.Const("\"equals\""), Gen.Const("\"contains\"")), Gen.Frequency((3, ValueString), (1, WrongKind))).Array[0, 2])
        .SelectMany((a, b, c) => Gen.Shuffle(a.Concat(b).Concat(c).ToArray()))
        .Select(Object);

    /// <summary>A raw body: text with the value in it, or any bytes as base64.</summary>
    private static readonly Gen<(string Json, bool Base64)> RawBody = Gen.Frequency(
        (3, ValueString.Select(v => (v, false))),
        (2, Gen.Byte.Array[0, 64].Select(b => ("\"" + Convert.ToBase64String([.. b, .. Encoding.UTF8.GetBytes(ValueMarker)]) + "\"", true))),
        (1, Gen.Const(("null", false))));

    /// <summary>A body as it sits in an event: text (JSON-escaped into the event) or base64 of any bytes.</summary>
    private static readonly Gen<(string Json, bool Base64)> Body = Gen.Frequency(
        (4, Message.Select(Text)),
        (2, Batch.Select(Text)),
        (2, VerifyJson.Select(Text)),
        (2, AnyValue.Select(Text)),
        (1, Gen.Byte.Array[0, 64].Select(b => ("\"" + Convert.ToBase64String(b) + "\"", true))),
        (1, Gen.OneOf(Message, VerifyJson).Select(j => ("\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(j)) + "\"", true))),
        (1, Gen.OneOf(Gen.Const(("null", false)), Gen.Const(("\"***\"", true)), ValueString.Select(s => (s, false)))));

    private static readonly Gen<string> JsonContentType = Gen.Frequency(
        (8, Gen.OneOf(Gen.Const("\"application/json\""), Gen.Const("\"application/json; charset=utf-8\""), Gen.Const("\"application/vnd.x+json\""))),
        (1, Gen.OneOf(Gen.Const("\"application/json; charset=latin1\""), Gen.Const("\"text/plain\""), Gen.Const("null"))),
        (1, JsonString));

    private static readonly Gen<string> ContentType = Gen.Frequency(
        (6, Gen.OneOf(
            Gen.Const("\"application/json\""), Gen.Const("\"text/plain; charset=utf-8\""), Gen.Const("\"text/plain\""),
            Gen.Const("\"application/octet-stream\""), Gen.Const("\"image/png\""))),
        (2, Gen.OneOf(Gen.Const("\"application/json; charset=latin1\""), Gen.Const("\"text/plain; charset=\\\"UTF-8\\\"\""), Gen.Const("\";;;\""), Gen.Const("\"\""), Gen.Const("null"))),
        (1, JsonString),
        (1, WrongKind));

    private static readonly Gen<string> Query = Gen.Frequency(
        (3, Gen.Const("null")),
        (3, Gen.Select(
                Gen.OneOf(KnownNames.Take(9).Select(n => Gen.Const("\"" + n + "\"")).Append(JsonString).ToArray()),
                Gen.Frequency((4, Gen.OneOf(Gen.Const("\"5\""), Gen.Const("\"orders\""), Gen.Const("\"-1\""), Gen.Const("\"1e3\""))), (2, JsonString), (1, WrongKind)))
            .Array[0, 3].Select(Object)));

    /// <summary>A topic as the raw path carries it and as pathParameters carries it decoded.</summary>
    private static readonly Gen<(string Raw, string Decoded)> PathTopic = Gen.Frequency(
        (6, Gen.OneOf(Gen.Const(("orders", "\"orders\"")), Gen.Const(("a%20b", "\"a b\"")), Gen.Const(("caf%C3%A9", "\"café\"")), Gen.Const(("a%2Fb", "\"a/b\"")))),
        (2, Gen.OneOf(Gen.Const(("%FF", "\"%FF\"")), Gen.Const(("%ED%A0%80", "\"\\ud800\"")), Gen.Const(("%zz", "\"%zz\"")), Gen.Const(("%20", "\" \"")), Gen.Const(("a%01b", "\"a\\u0001b\"")))),
        (2, Contents.Select(c => (c, "\"" + c + "\""))));

    /// <summary>A request to one of the stack's routes, or to a path none matches, with a body that fits the route (mostly).</summary>
    private static readonly Gen<Route> Routes = Gen.Frequency(
        (4, Gen.Select(Message.Select(Text), JsonContentType).Select((body, type) => new Route("/topics", "/topics", "null", "\"POST\"", type, body))),
        (3, Gen.Select(PathTopic, RawBody, ContentType).Select((topic, body, type) =>
            new Route("/topics/{topicName}", "/topics/" + topic.Raw, "{\"topicName\":" + topic.Decoded + "}", "\"POST\"", type, body))),
        (3, Gen.Select(Batch.Select(Text), JsonContentType).Select((body, type) => new Route("/batch", "/batch", "null", "\"POST\"", type, body))),
        (3, Gen.Select(VerifyJson.Select(Text), JsonContentType, Gen.OneOf(Gen.Const("\"POST\""), Gen.Const("\"GET\""))).Select((body, type, method) =>
            new Route("/verify", "/verify", "null", method, type, body))),
        (2, Gen.Select(Contents.Array[0, 3], Body, ContentType).Select((segments, body, type) =>
            new Route(null, "/" + string.Join("/", segments), "{\"proxy\":\"" + string.Join("/", segments) + "\"}", "\"POST\"", type, body))));

    /// <summary>
    /// An Idempotency-Key header's JSON value, or null for none (most requests): a few reused keys (so retries, replays,
    /// 409s and 422s happen), fresh ones, the edges of the rule (blank, 255 and 256 characters) and any string at all.
    /// </summary>
    private static readonly Gen<string?> IdempotencyKeyHeader = Gen.Frequency(
        (8, Gen.Const((string?)null)),
        (2, Gen.OneOf(Gen.Const("\"k1\""), Gen.Const("\"k2\""), Gen.Const("\"order-42\"")).Select(k => (string?)k)),
        (1, Gen.String[Gen.Char["abcXYZ09-_:. "], 1, 40].Select(k => (string?)("\"" + k + "\""))),
        (1, Gen.OneOf(Gen.Const("\"\""), Gen.Const("\"   \""), Gen.Const("\"" + new string('k', 255) + "\""), Gen.Const("\"" + new string('k', 256) + "\"")).Select(k => (string?)k)),
        (1, JsonString.Select(k => (string?)k)));

    private static readonly Gen<string> RestEvent = Gen.Select(
            Routes,
            Gen.Frequency((4, Gen.Const(string.Empty)), (1, Gen.Const("/messaging"))),
            Query,
            Gen.Frequency((8, Gen.Const("\"POST\"")), (1, Gen.OneOf(Gen.Const("\"GET\""), Gen.Const("\"DELETE\""), JsonString))),
            IdempotencyKeyHeader)
        .Select((route, basePath, query, otherMethod, key) => (route, basePath, query, method: route.Method == "\"POST\"" ? otherMethod : route.Method, key))
        .SelectMany(e => Bent(
        [
            ("\"resource\"", "\"" + (e.route.Template ?? "/{proxy+}") + "\""), ("\"path\"", "\"" + e.basePath + e.route.Path + "\""),
            ("\"httpMethod\"", e.method), ("\"headers\"", Object([("\"Content-Type\"", e.route.ContentType), ("\"Accept\"", "\"*/*\""), .. KeyHeader("\"Idempotency-Key\"", e.key)])),
            ("\"queryStringParameters\"", e.query), ("\"pathParameters\"", e.route.Parameters),
            ("\"requestContext\"", Object([("\"requestId\"", "\"r-1\""), ("\"stage\"", "\"prod\""), ("\"httpMethod\"", e.method)])),
            ("\"body\"", e.route.Body.Json), ("\"isBase64Encoded\"", e.route.Body.Base64 ? "true" : "false"),
        ]));

    private static readonly Gen<string> HttpApiEvent = Gen.Select(
            Routes,
            Gen.Frequency((4, Gen.Const("$default")), (1, Gen.Const("live"))),
            Gen.Frequency((3, Gen.Const(true)), (1, Gen.Const(false))),
            Query,
            IdempotencyKeyHeader)
        .Select((route, stage, named, query, key) => (route, stage, query, key,
            routeKey: named && route.Template is not null ? "\"" + route.Method.Trim('"') + " " + route.Template + "\"" : "\"$default\"",
            rawPath: "\"" + (stage == "$default" ? string.Empty : "/" + stage) + route.Path + "\""))
        .SelectMany(e => Bent(
        [
            ("\"version\"", "\"2.0\""), ("\"routeKey\"", e.routeKey), ("\"rawPath\"", e.rawPath), ("\"rawQueryString\"", "\"\""),
            ("\"headers\"", Object([("\"content-type\"", e.route.ContentType), .. KeyHeader("\"idempotency-key\"", e.key)])), ("\"queryStringParameters\"", e.query),
            ("\"pathParameters\"", e.route.Template is null ? "null" : e.route.Parameters),
            ("\"requestContext\"", Object(
            [
                ("\"http\"", Object([("\"method\"", e.route.Method), ("\"path\"", e.rawPath)])), ("\"requestId\"", "\"r-2\""),
                ("\"stage\"", "\"" + e.stage + "\""), ("\"routeKey\"", e.routeKey),
            ])),
            ("\"body\"", e.route.Body.Json), ("\"isBase64Encoded\"", e.route.Body.Base64 ? "true" : "false"),
        ]));

    private static (string, string)[] KeyHeader(string name, string? value) => value is null ? [] : [(name, value)];

    /// <summary>What is not an API Gateway event at all: other services' events, any JSON, any bytes.</summary>
    private static readonly Gen<byte[]> NotAnEvent = Gen.Frequency(
        (2, Gen.OneOf(
            Gen.Const("{}"),
            Gen.Const("""{"Records":[{"eventSource":"aws:sqs","messageId":"1","body":"hi"}]}"""),
            Gen.Const("""{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}"""),
            Gen.Const("""{"version":"0","detail-type":"Scheduled Event","source":"aws.events"}""")).Select(Encoding.UTF8.GetBytes)),
        (3, AnyValue.Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 64]));

    /// <summary>Every case: an event of either shape, a direct request, or not an event at all, for either function.</summary>
    public static readonly Gen<FuzzCase> Cases = Gen.Select(
        Gen.Enum<FuzzTarget>(),
        Gen.Frequency(
            (5, RestEvent.Select(Encoding.UTF8.GetBytes)),
            (5, HttpApiEvent.Select(Encoding.UTF8.GetBytes)),
            (2, VerifyJson.Select(Encoding.UTF8.GetBytes)),
            (2, NotAnEvent)),
        (target, payload) => new FuzzCase(target, payload));

    /// <summary>The members as they are, or with one of them replaced by a value of the wrong kind, dropped or repeated.</summary>
    private static Gen<string> Bent((string Name, string Value)[] members) => Gen.Frequency(
            (6, Gen.Const(members)),
            (2, Gen.Select(Gen.Int[0, members.Length - 1], WrongKind).Select((i, value) => members.Select((m, j) => j == i ? (m.Name, value) : m).ToArray())),
            (1, Gen.Int[0, members.Length - 1].Select(i => members.Where((_, j) => j != i).ToArray())),
            (1, Gen.Int[0, members.Length - 1].Select(i => members.Append(members[i]).ToArray())))
        .Select(Object);

    private static string Object((string Name, string Value)[] members) =>
        "{" + string.Join(",", members.Select(m => m.Name + ":" + m.Value)) + "}";

    // JSON text as the text body of an event: one JSON string whose content is that text.
    private static (string, bool) Text(string json) => (JsonSerializer.Serialize(json), false);

    /// <summary>A route of the stack (template null: a path none matches), its path, parameters, method, content type and body, as JSON text.</summary>
    private sealed record Route(string? Template, string Path, string Parameters, string Method, string ContentType, (string Json, bool Base64) Body);
}
