using Publisher.Local.WebConsole;

namespace Publisher.Local.Tests.Infrastructure;

/// <summary>What the console's tests share: a service to test against, the console's requests, and a sync point on its state.</summary>
internal static class ConsoleTesting
{
    /// <summary>Returns once <paramref name="condition"/> holds, checked at each change the console signals (no polling).</summary>
    public static async Task WaitUntilAsync(LocalConsole console, Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TaskTimeouts.Default);
        while (true)
        {
            // The signal is taken before the check, so a change between the two is not missed.
            var changed = console.Changed;
            if (condition())
            {
                return;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    /// <summary>Asks the page <paramref name="pageId"/> for a subscription with <paramref name="body"/>.</summary>
    public static Task<HttpResponseMessage> SubscribeAsync(HttpClient http, string pageId, string body, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/console/stream/{pageId}/subscriptions") { Content = LocalApiTesting.Json(body) };
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return http.SendAsync(request).DefaultTimeout();
    }

    /// <summary>A request without a body, with the key when one is given; returns at the response headers.</summary>
    public static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string? apiKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
    }

    /// <summary>A local service on free ports with fast heartbeats and an empty environment, as <paramref name="configure"/> adjusts it.</summary>
    public static Task<LocalService> StartAsync(Func<LocalServiceOptions, LocalServiceOptions>? configure = null)
    {
        var options = new LocalServiceOptions
        {
            ApiPort = 0,
            TopicsPort = 0,
            Environment = TestEnvironment.None,
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            Log = new LineWriter(),
        };
        return LocalService.StartAsync(configure?.Invoke(options) ?? options);
    }
}
