using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Publisher.Function.Tests.Support;

/// <summary>
/// A stand-in for the AWS Parameters and Secrets extension's HTTP API on 127.0.0.1: checks the
/// <c>X-Aws-Parameters-Secrets-Token</c> header and serves GetSecretValue JSON for one secret, whose value a test can change.
/// </summary>
internal sealed class SecretsExtensionStandIn : IAsyncDisposable
{
    public const string SessionToken = "session-token-for-tests";

    private readonly WebApplication _app;
    private readonly string _secretId;
    private readonly Lock _gate = new();
    private string _secretString;
    private int _notReadyAnswers;
    private int _requests;
    private int _reads;

    private SecretsExtensionStandIn(WebApplication app, string secretId, string secretString)
    {
        _app = app;
        _secretId = secretId;
        _secretString = secretString;
    }

    public int Port { get; private set; }

    /// <summary>Requests received, whatever the answer.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests answered with the secret.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>The secret's current value (a rotation changes it).</summary>
    public string SecretString
    {
        get
        {
            lock (_gate)
            {
                return _secretString;
            }
        }

        set
        {
            lock (_gate)
            {
                _secretString = value;
            }
        }
    }

    /// <summary>Settings for a function that reads its key from this stand-in.</summary>
    public Dictionary<string, string?> Settings(string cacheName = FunctionHost.CacheName, string token = SessionToken) => new()
    {
        ["MOMENTO_API_KEY_SECRET_ID"] = _secretId,
        ["MOMENTO_CACHE_NAME"] = cacheName,
        ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = Port.ToString(),
        ["AWS_SESSION_TOKEN"] = token,
    };

    /// <summary>JSON secret with a key and the plaintext endpoint of a local server.</summary>
    public static string KeyAndEndpoint(string apiKey, string hostPort) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["apiKey"] = apiKey, ["endpoint"] = "http://" + hostPort });

    public static async Task<SecretsExtensionStandIn> StartAsync(string secretId, string secretString, int notReadyAnswers = 0)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new SecretsExtensionStandIn(app, secretId, secretString) { _notReadyAnswers = notReadyAnswers };
        app.Run(standIn.AnswerAsync);
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Port = new Uri(address).Port;
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task AnswerAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        if (number <= _notReadyAnswers)
        {
            // What the extension says while it starts.
            return Answer(context, 400, """{"message":"not ready to serve traffic, please wait"}""");
        }

        if (context.Request.Path != "/secretsmanager/get")
        {
            return Answer(context, 404, """{"message":"unknown path"}""");
        }

        if (context.Request.Headers["X-Aws-Parameters-Secrets-Token"] != SessionToken)
        {
            return Answer(context, 401, """{"message":"missing or wrong X-Aws-Parameters-Secrets-Token"}""");
        }

        if (context.Request.Query["secretId"] != _secretId)
        {
            return Answer(context, 404, """{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}""");
        }

        Interlocked.Increment(ref _reads);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ARN"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + _secretId + "-AbCdEf",
            ["Name"] = _secretId,
            ["SecretString"] = SecretString,
            ["VersionId"] = Guid.NewGuid().ToString(),
            ["VersionStages"] = new[] { "AWSCURRENT" },
            ["CreatedDate"] = 1_700_000_000.123,
        });
        return Answer(context, 200, body);
    }

    private static Task Answer(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }
}
