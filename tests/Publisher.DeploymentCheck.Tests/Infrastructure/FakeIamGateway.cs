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
/// AWS at the boundary: an API Gateway stage with IAM authorization on 127.0.0.1. It checks each request's SigV4
/// signature the way API Gateway does (the reference implementation, the keys it knows) and answers 403 otherwise;
/// signed requests reach a stand-in of the stack: POST /topics acknowledges, POST /verify reports the first probe.
/// </summary>
internal sealed class FakeIamGateway : IAsyncDisposable
{
    public const string Stage = "prod";

    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, (string Secret, string? Token)> _keys;
    private readonly TaskCompletionSource<string> _firstProbe = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeIamGateway(WebApplication app, IReadOnlyDictionary<string, (string Secret, string? Token)> keys)
    {
        _app = app;
        _keys = keys;
    }

    /// <summary>The stage's URL, as the stack's ApiUrl output gives it.</summary>
    public Uri Url => new(_app.Urls.First().TrimEnd('/') + "/" + Stage + "/");

    /// <summary>Every signature claim that verified, in order.</summary>
    public ConcurrentQueue<SigV4Reference.Claim> Accepted { get; } = new();

    /// <summary>Every request refused, with why.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>Starts with the access keys it accepts (id → secret and the session token it requires, if any).</summary>
    public static async Task<FakeIamGateway> StartAsync(IReadOnlyDictionary<string, (string Secret, string? Token)> keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var gateway = new FakeIamGateway(app, keys);
        app.Run(gateway.HandleAsync);
        await app.StartAsync();
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
        var refusal = Check(received);
        if (refusal is not null)
        {
            Refused.Enqueue(refusal);
            context.Response.StatusCode = 403;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["message"] = refusal });
            return;
        }

        using var json = JsonDocument.Parse(body);
        switch (received.Path)
        {
            case "/" + Stage + "/topics":
                var value = json.RootElement.GetProperty("topicValue").GetString()!;
                _firstProbe.TrySetResult(value);
                await context.Response.WriteAsJsonAsync(new JsonObject { ["published"] = true, ["topic"] = json.RootElement.GetProperty("topicName").GetString(), ["bytes"] = value.Length });
                break;
            case "/" + Stage + "/verify":
                var listen = TimeSpan.FromMilliseconds(json.RootElement.GetProperty("listenMs").GetInt32());
                var seen = await Task.WhenAny(_firstProbe.Task, Task.Delay(listen)) == _firstProbe.Task ? await _firstProbe.Task : null;
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

        if (claim.Service != "execute-api" || !claim.SignedHeaders.Contains("host") || !claim.SignedHeaders.Contains("x-amz-date"))
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
}
