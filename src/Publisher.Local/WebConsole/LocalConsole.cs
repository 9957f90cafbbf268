using System.Globalization;
using System.Security.Cryptography;
using Functions.Common.Http;
using Functions.Common.Momento;
using Microsoft.AspNetCore.Http;
using Publisher.Contracts;

namespace Publisher.Local.WebConsole;

/// <summary>
/// The live console the local API serves at <c>GET /</c>: a page (static files embedded in this assembly), a
/// Server-Sent Events stream per open page carrying the functions' invocation records and the page's topic
/// subscriptions, and the requests that start and stop those subscriptions, all under <c>/console/</c>.
/// Everything else passes on to the emulated API Gateway untouched.
/// </summary>
internal sealed partial class LocalConsole : IAsyncDisposable
{
    private const string Prefix = "/console";

    private readonly string? _apiKey;
    private readonly string _cacheName;
    private readonly ConsoleLimits _limits;
    private readonly Func<CancellationToken, Task<MomentoConnection>> _connect;
    private readonly ConsoleAssets _assets = ConsoleAssets.Load();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConsolePage> _pages = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private MomentoConnection? _connection;
    private int _subscriptions;
    private long _droppedByClosedPages;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Creates the console; it receives the invocation records from <paramref name="invocations"/>.</summary>
    /// <param name="apiKey">The key the service demands, or null.</param>
    /// <param name="cacheName">The cache the publisher publishes to, which subscriptions watch.</param>
    /// <param name="invocations">The functions' log writer.</param>
    /// <param name="connect">Opens the connection subscriptions use (on the first one), to the Momento the publisher uses.</param>
    /// <param name="limits">The bounds; null for the defaults.</param>
    public LocalConsole(string? apiKey, string cacheName, InvocationFeed invocations, Func<CancellationToken, Task<MomentoConnection>> connect, ConsoleLimits? limits = null)
    {
        _apiKey = apiKey;
        _cacheName = cacheName;
        _connect = connect;
        _limits = limits ?? new ConsoleLimits();
        invocations.Listen(Broadcast);
    }

    /// <summary>Subscriptions running, on all pages.</summary>
    internal int ActiveSubscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Pages whose stream is open.</summary>
    internal int OpenPages
    {
        get
        {
            lock (_gate)
            {
                return _pages.Count;
            }
        }
    }

    /// <summary>Completes at the next change of <see cref="ActiveSubscriptions"/> or <see cref="OpenPages"/> (a sync point for tests).</summary>
    internal Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Events dropped for slow pages since the service started.</summary>
    internal long DroppedEvents
    {
        get
        {
            lock (_gate)
            {
                return _droppedByClosedPages + _pages.Values.Sum(p => p.Dropped);
            }
        }
    }

    /// <summary>The middleware: console requests are answered here, all others go on to <paramref name="next"/>.</summary>
    public RequestDelegate Middleware(RequestDelegate next) => context =>
    {
        var path = context.Request.Path.Value ?? "/";
        var isPage = path == "/" && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method));
        var isConsole = path.Equals(Prefix, StringComparison.Ordinal) || path.StartsWith(Prefix + "/", StringComparison.Ordinal);
        return isPage || isConsole ? HandleAsync(context, path) : next(context);
    };

    /// <summary>Ends every page's stream and subscription, then closes the connection subscriptions used.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        ConsolePage[] pages;
        lock (_gate)
        {
            pages = [.. _pages.Values];
        }

        foreach (var page in pages)
        {
            page.Dispose();
        }

        await Task.WhenAll(pages.SelectMany(p => p.Running())).ConfigureAwait(false);
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Called for every invocation the service runs: with no page open, the record is not even parsed.
    private void Broadcast(string invocationRecord)
    {
        if (OpenPages == 0 || ConsoleEvents.Invocation(invocationRecord) is not { } frame)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var page in _pages.Values)
            {
                page.Offer(frame);
            }
        }
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    /// <summary>
    /// The console answers only under a loopback name: a page on another site that rebinds its own host name to
    /// 127.0.0.1 sends its name in Host, and gets nothing.
    /// </summary>
    internal static bool LoopbackHost(HttpRequest request) =>
        request.Host.Host is "127.0.0.1" or "localhost" or "[::1]" or "::1";

    /// <summary>
    /// A browser says where a request comes from (<c>Sec-Fetch-Site</c>): the console's own page is same-origin. Any
    /// other site's page gets nothing, not even a stream that would count against the open pages. Clients that are
    /// not browsers send no such header.
    /// </summary>
    internal static bool FromOwnPageOrNotABrowser(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static Problem TooMany(string detail) => new(HttpContract.ProblemTypes.RateLimited, "Too many console subscriptions.", StatusCodes.Status429TooManyRequests, detail);
}
