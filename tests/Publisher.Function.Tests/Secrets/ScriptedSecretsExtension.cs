using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Publisher.Function.Tests.Secrets;

/// <summary>What the stand-in extension saw: the token header, the decoded query values and the raw query string.</summary>
internal sealed record ExtensionRequest(string Path, string? Token, string? SecretId, string? VersionStage, string? VersionId, string RawQuery);

/// <summary>A stand-in for the Parameters and Secrets extension on Kestrel, 127.0.0.1; each test supplies the answers.</summary>
internal sealed class ScriptedSecretsExtension : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedSecretsExtension(WebApplication app) => _app = app;

    public ConcurrentQueue<ExtensionRequest> Requests { get; } = new();

    public int Port { get; private set; }

    /// <param name="answer">Given the request number (1-based) and the request, writes the answer.</param>
    /// <param name="port">0 for a free port.</param>
    public static async Task<ScriptedSecretsExtension> StartAsync(Func<int, ExtensionRequest, HttpResponse, Task> answer, int port = 0)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var standIn = new ScriptedSecretsExtension(app);
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
            return answer(standIn.Requests.Count, seen, context.Response);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.Port = new Uri(address).Port;
        return standIn;
    }

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
}
