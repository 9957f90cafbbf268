using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Publisher.DeploymentCheck.Tests.Infrastructure;

/// <summary>
/// AWS at the boundary: an API Gateway stage with IAM authorization on 127.0.0.1 (or, with the service <c>lambda</c> and
/// no stage, a function URL). It checks each request's SigV4 signature the way AWS does (the reference implementation,
/// the keys it knows, the service it expects) and answers 403 otherwise; signed requests reach a stand-in of the stack:
/// POST /topics acknowledges, POST /verify reports the first probe. Two of them can stand for a publisher's and a
/// subscriber's function URLs by sharing <see cref="Probes"/>.
/// </summary>
internal sealed class FakeIamGateway : IAsyncDisposable
{
    public const string Stage = "prod";

    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, (string Secret, string? Token)> _keys;
    private readonly string _service;
    private readonly string _prefix;
    private string? _bearerToken;

    private FakeIamGateway(WebApplication app, IReadOnlyDictionary<string, (string Secret, string? Token)> keys, string service, string? stage, TaskCompletionSource<string> probes)
    {
        _app = app;
        _keys = keys;
        _service = service;
        _prefix = stage is null ? string.Empty : "/" + stage;
        Probes = probes;
    }

    /// <summary>The first probe published through any gateway sharing it.</summary>
    public TaskCompletionSource<string> Probes { get; }

    /// <summary>The stage's URL, as the stack's ApiUrl output gives it (the root without a stage).</summary>
    public Uri Url => new(_app.Urls.First().TrimEnd('/') + _prefix + "/");

    /// <summary>Every signature claim that verified, in order.</summary>
    public ConcurrentQueue<SigV4Reference.Claim> Accepted { get; } = new();

    /// <summary>Every request refused, with why.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>Starts with the access keys it accepts (id → secret and the session token it requires, if any).</summary>
    /// <param name="keys">The access keys it accepts.</param>
    /// <param name="service">The service signatures must be scoped to (execute-api, or lambda for a function URL).</param>
    /// <param name="stage">The stage its routes sit under; null for none (an HTTP API's $default stage, a function URL).</param>
    /// <param name="probes">Shared with another gateway to stand for two function URLs of one stack.</param>
    public static async Task<FakeIamGateway> StartAsync(
        IReadOnlyDictionary<string, (string Secret, string? Token)> keys, string service = "execute-api", string? stage = Stage, TaskCompletionSource<string>? probes = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var gateway = new FakeIamGateway(app, keys, service, stage, probes ?? new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        app.Run(gateway.HandleAsync);
        await app.StartAsync();
        return gateway;
    }

    /// <summary>An HTTP API stage with a JWT authorizer instead: only <c>Authorization: Bearer <paramref name="token"/></c> passes (401 otherwise).</summary>
    public static async Task<FakeIamGateway> StartJwtAsync(string token)
    {
        var gateway = await StartAsync(new Dictionary<string, (string, string?)>(), stage: null);
        gateway._bearerToken = token;
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var query = rawTarget.Contains('?', StringComparison.Ordinal) ? rawTarget[(rawTarget.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;
        var received = new SigV4Reference.Received(
            context.Request.Method,
            rawTarget.Split('?')[0],
            query,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            body);
        var refusal = _bearerToken is null ? Check(received) : CheckBearer(received);
        if (refusal is not null)
        {
            Refused.Enqueue(refusal);
            // A JWT authorizer answers 401, IAM 403, both with API Gateway's {"message"}.
            context.Response.StatusCode = _bearerToken is null ? 403 : 401;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["message"] = refusal });
            return;
        }

        using var json = JsonDocument.Parse(body);
        switch (received.Path)
        {
            case var topics when topics == _prefix + "/topics":
                var value = json.RootElement.GetProperty("topicValue").GetString()!;
                Probes.TrySetResult(value);
                await context.Response.WriteAsJsonAsync(new JsonObject { ["published"] = true, ["topic"] = json.RootElement.GetProperty("topicName").GetString(), ["bytes"] = value.Length });
                break;
            case var verify when verify == _prefix + "/verify":
                var listen = TimeSpan.FromMilliseconds(json.RootElement.GetProperty("listenMs").GetInt32());
                var seen = await Task.WhenAny(Probes.Task, Task.Delay(listen)) == Probes.Task ? await Probes.Task : null;
                var items = new JsonArray();
                if (seen is not null)
                {
                    items.Add(new JsonObject { ["type"] = "text", ["text"] = seen, ["sequenceNumber"] = 1, ["sequencePage"] = 1, ["publisherId"] = string.Empty });
                }

                // The subscriber's answer, every member it always writes (the checker reads it with the subscriber's contract).
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["topic"] = json.RootElement.GetProperty("topic").GetString(),
                    ["condition"] = "contains",
                    ["conditionMet"] = seen is not null,
                    ["subscribed"] = true,
                    ["listenedMs"] = listen.TotalMilliseconds,
                    ["heartbeats"] = 1,
                    ["items"] = items,
                    ["itemsTruncated"] = false,
                    ["discontinuities"] = new JsonArray(),
                });
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private string? Check(SigV4Reference.Received request)
    {
        var claim = SigV4Reference.ParseAuthorization(request.Headers.GetValueOrDefault("authorization"));
        if (claim is null)
        {
            return "Missing Authentication Token";
        }

        if (!_keys.TryGetValue(claim.AccessKeyId, out var key))
        {
            return "The security token included in the request is invalid.";
        }

        if (key.Token != request.Headers.GetValueOrDefault("x-amz-security-token"))
        {
            return "The security token included in the request is invalid (session token).";
        }

        if (claim.Service != _service || !claim.SignedHeaders.Contains("host") || !claim.SignedHeaders.Contains("x-amz-date"))
        {
            return "Credential should be scoped to correct service, signing host and x-amz-date.";
        }

        if (SigV4Reference.Signature(request, claim, key.Secret) != claim.Signature)
        {
            return "The request signature we calculated does not match the signature you provided.";
        }

        Accepted.Enqueue(claim);
        return null;
    }

    private string? CheckBearer(SigV4Reference.Received request) =>
        request.Headers.GetValueOrDefault("authorization") == "Bearer " + _bearerToken ? null : "Unauthorized";
}
