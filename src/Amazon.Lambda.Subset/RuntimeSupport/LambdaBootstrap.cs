using Amazon.Lambda.Subset.Internal;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The runtime loop of a custom-runtime <c>bootstrap</c>: init once, then next → handler → response or error
/// (official: Amazon.Lambda.RuntimeSupport; on-demand concurrency only, no SnapStart or response streaming).</summary>
public class LambdaBootstrap : IDisposable
{
    private readonly LambdaBootstrapHandler _handler;
    private readonly LambdaBootstrapInitializer _initializer;
    private readonly RuntimeApiClient _client;
    private bool _disposed;

    /// <summary>Creates a bootstrap over a wrapped handler and an optional initializer; the Runtime API is env AWS_LAMBDA_RUNTIME_API.</summary>
    public LambdaBootstrap(HandlerWrapper handlerWrapper, LambdaBootstrapInitializer initializer = null)
    {
        ArgumentNullException.ThrowIfNull(handlerWrapper);
        _handler = handlerWrapper.Handler;
        _initializer = initializer;

        // Like the official client, this redirects Console through the runtime's log formatting.
        _client = new RuntimeApiClient();
    }

    /// <summary>Runs the initializer, then serves invocations until <paramref name="cancellationToken"/> is cancelled
    /// (or one, when env AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE is "true"). An initializer exception is logged, reported to
    /// <c>/runtime/init/error</c> and rethrown; a handler exception is logged and reported to
    /// <c>/runtime/invocation/{id}/error</c>; a Runtime API failure is thrown (the process must exit).</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        MemoryLimit.Apply(_client.Function.MemoryLimitInMB);
        var runOnce = string.Equals(Environment.GetEnvironmentVariable(EnvironmentNames.DebugRunOnce), "true", StringComparison.OrdinalIgnoreCase);
        if (_initializer is not null && !await InitializeAsync().ConfigureAwait(false))
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await InvokeOnceAsync(cancellationToken).ConfigureAwait(false);
                if (runOnce)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // The long poll for /next timed out: poll again, as the official loop does.
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the Runtime API client.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _client.Dispose();
        }

        _disposed = true;
    }

    private async Task<bool> InitializeAsync()
    {
        try
        {
            return await _initializer().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _client.ConsoleLogger.WriteException(exception);
            await _client.ReportInitializationErrorAsync(exception).ConfigureAwait(false);
            throw;
        }
    }

    private async Task InvokeOnceAsync(CancellationToken cancellationToken)
    {
        using var invocation = await _client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
        InvocationResponse response;
        try
        {
            response = await _handler(invocation).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _client.ConsoleLogger.WriteException(exception);
            await _client.ReportInvocationErrorAsync(invocation.LambdaContext.AwsRequestId, exception, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _client.SendResponseAsync(invocation.LambdaContext.AwsRequestId, response?.OutputStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (response is { DisposeOutputStream: true })
            {
                await (response.OutputStream?.DisposeAsync() ?? ValueTask.CompletedTask).ConfigureAwait(false);
            }
        }
    }
}
