using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Tests.Shared;

/// <summary>What the stand-in extension saw: the token header, the decoded query values and the raw query string.</summary>
internal sealed record ExtensionRequest(string Path, string? Token, string? SecretId, string? VersionStage, string? VersionId, string RawQuery);

/// <summary>
/// A stand-in for the AWS Parameters and Secrets extension's HTTP API on Kestrel, 127.0.0.1: either scripted by the
/// test (<see cref="StartAsync(Func{int, ExtensionRequest, HttpResponse, Task}, int)"/>) or serving one secret as the
/// extension does (<see cref="ServingAsync"/>: checks <c>X-Aws-Parameters-Secrets-Token</c>, answers GetSecretValue JSON
/// from a cache: each distinct request (secret id, version stage, version id) is kept for <c>SECRETS_MANAGER_TTL</c>
/// seconds, and <c>refreshNow=true</c> fetches afresh and resets that entry, as AWS documents for its Secrets Manager Agent).
/// </summary>
internal sealed class SecretsExtensionStandIn : IAsyncDisposable
{
    public const string SessionToken = "session-token-for-tests";

    /// <summary>The stack's <c>SECRETS_MANAGER_TTL</c> (PublisherStackSettings.DefaultSecretsManagerTtlSeconds): the cache TTL by default.</summary>
    public const int StackTtlSeconds = 300;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string? Stage, string? VersionId), (string Value, long FetchedAt)> _cache = [];
    private int _reads;
    private int _fetches;

    private SecretsExtensionStandIn(WebApplication app) => _app = app;

    /// <summary>Every request received, whatever the answer.</summary>
    public ConcurrentQueue<ExtensionRequest> Requests { get; } = new();

    public int Port { get; private set; }

    /// <summary>The one secret's id (<see cref="ServingAsync"/> only).</summary>
    public string SecretId { get; private set; } = string.Empty;

    /// <summary>Requests answered with the secret, from the cache or not (<see cref="ServingAsync"/> only).</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Answers that fetched the secret's current value rather than a cached one (<see cref="ServingAsync"/> only).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>How long an answer stays cached (<c>SECRETS_MANAGER_TTL</c>); zero turns the cache off.</summary>
    public TimeSpan Ttl { get; private set; } = TimeSpan.FromSeconds(StackTtlSeconds);

    /// <summary>False models an extension that does not know <c>refreshNow</c> and answers such a request from its cache.</summary>
    public bool HonoursRefreshNow { get; set; } = true;

    /// <summary>The secret's current value (a rotation changes it).</summary>
    public string SecretString
    {
        get
        {
            lock (_gate)
            {
                return field;
            }
        }

        set
        {
            lock (_gate)
            {
                field = value;
            }
        }
    } = string.Empty;

    /// <summary>A scripted stand-in.</summary>
    /// <param name="answer">Given the request number (1-based) and the request, writes the answer.</param>
    /// <param name="port">0 for a free port.</param>
    public static Task<SecretsExtensionStandIn> StartAsync(Func<int, ExtensionRequest, HttpResponse, Task> answer, int port = 0) =>
        StartAsync((_, number, seen, response) => answer(number, seen, response), port);

    /// <summary>A stand-in serving one secret; the first <paramref name="notReadyAnswers"/> requests get the extension's "not ready" answer;
    /// <paramref name="ttlSeconds"/> is its SECRETS_MANAGER_TTL (default the stack's value).</summary>
    public static async Task<SecretsExtensionStandIn> ServingAsync(string secretId, string secretString, int notReadyAnswers = 0, int ttlSeconds = StackTtlSeconds)
    {
        var standIn = await StartAsync((self, number, seen, response) => self.AnswerAsync(number, seen, response, notReadyAnswers), 0);
        standIn.SecretId = secretId;
        standIn.SecretString = secretString;
        standIn.Ttl = TimeSpan.FromSeconds(ttlSeconds);
        return standIn;
    }

    /// <summary>Settings for a function that reads its key from this stand-in.</summary>
    public Dictionary<string, string?> Settings(string cacheName = "test-cache", string token = SessionToken) => new()
    {
        ["MOMENTO_API_KEY_SECRET_ID"] = SecretId,
        ["MOMENTO_CACHE_NAME"] = cacheName,
        ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["AWS_SESSION_TOKEN"] = token,
        ["SECRETS_MANAGER_TTL"] = ((int)Ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>JSON secret with a key and the plaintext endpoint of a local server.</summary>
    public static string KeyAndEndpoint(string apiKey, string hostPort) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["apiKey"] = apiKey, ["endpoint"] = "http://" + hostPort });

    public static Task Json(HttpResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<SecretsExtensionStandIn> StartAsync(
        Func<SecretsExtensionStandIn, int, ExtensionRequest, HttpResponse, Task> answer, int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var standIn = new SecretsExtensionStandIn(app);
        var count = 0;
        app.Run(context =>
        {
            var query = context.Request.Query;
            var seen = new ExtensionRequest(
                context.Request.Path.Value ?? string.Empty,
                context.Request.Headers["X-Aws-Parameters-Secrets-Token"].FirstOrDefault(),
                query["secretId"].FirstOrDefault(),
                query["versionStage"].FirstOrDefault(),
                query["versionId"].FirstOrDefault(),
                context.Request.QueryString.Value ?? string.Empty);
            standIn.Requests.Enqueue(seen);
            return answer(standIn, Interlocked.Increment(ref count), seen, context.Response);
        });
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Port = new Uri(address).Port;
        return standIn;
    }

    // The extension's cache: one entry per distinct request, younger than the TTL, unless refreshNow asks past it.
    private string Cached(ExtensionRequest seen)
    {
        var refresh = HonoursRefreshNow && seen.RawQuery.Contains("refreshNow=true", StringComparison.Ordinal);
        var key = (seen.VersionStage, seen.VersionId);
        var current = SecretString;
        lock (_cache)
        {
            var now = Environment.TickCount64;
            if (!refresh && _cache.TryGetValue(key, out var entry) && now - entry.FetchedAt < Ttl.TotalMilliseconds)
            {
                return entry.Value;
            }

            Interlocked.Increment(ref _fetches);
            _cache[key] = (current, now);
            return current;
        }
    }

    private Task AnswerAsync(int number, ExtensionRequest seen, HttpResponse response, int notReadyAnswers)
    {
        if (number <= notReadyAnswers)
        {
            // What the extension says while it starts.
            return Json(response, 400, """{"message":"not ready to serve traffic, please wait"}""");
        }

        if (seen.Path != "/secretsmanager/get")
        {
            return Json(response, 404, """{"message":"unknown path"}""");
        }

        if (seen.Token != SessionToken)
        {
            return Json(response, 401, """{"message":"missing or wrong X-Aws-Parameters-Secrets-Token"}""");
        }

        if (seen.SecretId != SecretId)
        {
            return Json(response, 404, """{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}""");
        }

        Interlocked.Increment(ref _reads);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ARN"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + SecretId + "-AbCdEf",
            ["Name"] = SecretId,
            ["SecretString"] = Cached(seen),
            ["VersionId"] = Guid.NewGuid().ToString(),
            ["VersionStages"] = new[] { "AWSCURRENT" },
            ["CreatedDate"] = 1_700_000_000.123,
        });
        return Json(response, 200, body);
    }
}
